import type { CourierCode } from './courier-adapter';

/**
 * Couriers whose every tracking line says by itself which leg it is on: SAP by its codes (a return ends in
 * `SHIPMENT RETURN TO CLIENT`, never in `POD - DELIVERED`; sap.md §4). For them a delivery line on the
 * forward leg after the return began is the buyer's delivery (the return called off). J&T, ID Express and
 * JNE may end a return with their ordinary delivery code, read as the return's end only after the lines
 * before it (their adapters' leg context), which a push of the newest line alone lacks; Ninja flags the leg
 * in v2 (`is_parcel_on_rts_leg`) but its v1 pushes need not carry the flag. From them such a line after the
 * return began is not taken as a delivery, or a parcel back at the seller would be credited cash no one
 * collected.
 */
export const RETURN_LEG_IN_EVERY_LINE: ReadonlySet<CourierCode> = new Set(['sap']);
