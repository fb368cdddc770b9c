import type { CourierCode } from './courier-adapter';

/**
 * Whether a seller's shipments hold a parcel (a courier's AWB, current or from an earlier booking).
 * Shipments own that knowledge and implement this port (couriers import no business module); the
 * sandbox asks it before letting a seller drive a parcel.
 */
export abstract class ParcelOwnership {
  abstract owns(sellerId: string, courier: CourierCode, awb: string): Promise<boolean>;
}
