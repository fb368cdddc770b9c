import type { CourierServiceInfo } from './courier-adapter';

/** COD fee in rupiah for a COD amount (0 when not COD). */
export function codFee(service: Pick<CourierServiceInfo, 'codFee'>, codAmount: number): number {
  if (!codAmount) return 0;
  return Math.max(service.codFee.minimum, Math.ceil((codAmount * service.codFee.basisPoints) / 10_000));
}
