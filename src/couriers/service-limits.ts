import type { CourierServiceInfo } from './courier-adapter';

/** Why a courier service's own terms rule a parcel out, before any courier is asked. */
export type ServiceRefusal = 'too_heavy' | 'too_light' | 'cod_not_supported' | 'cod_over_limit';

/** The catalogue's verdict on a parcel of `weightGrams` collecting `codAmount` rupiah (0: not COD); null: it carries it. */
export function serviceRefusal(
  info: CourierServiceInfo,
  weightGrams: number,
  codAmount: number,
): ServiceRefusal | null {
  if (weightGrams > info.maxWeightGrams) return 'too_heavy';
  if (weightGrams < info.minWeightGrams) return 'too_light';
  if (codAmount > 0 && !info.cod) return 'cod_not_supported';
  if (codAmount > info.codMaxAmount && codAmount > 0) return 'cod_over_limit';
  return null;
}

const grams = (g: number) => `${g.toLocaleString('en-US')} g`;

/** A refusal in words a seller understands ("REG carries at most 50,000 g"). */
export function describeRefusal(info: CourierServiceInfo, refusal: ServiceRefusal): string {
  switch (refusal) {
    case 'too_heavy':
      return `${info.code} carries at most ${grams(info.maxWeightGrams)}`;
    case 'too_light':
      return `${info.code} carries at least ${grams(info.minWeightGrams)}`;
    case 'cod_not_supported':
      return `${info.code} does not collect COD`;
    case 'cod_over_limit':
      return `${info.code} collects at most Rp ${info.codMaxAmount.toLocaleString('id-ID')} COD`;
  }
}
