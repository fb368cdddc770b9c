/**
 * An airway bill as Kirim keys it: couriers print theirs in capitals, so one typed in a report or pushed
 * in lower case is the same parcel. Only ASCII letters change; anything else stays as it is.
 */
export const airwayBillKey = (awb: string): string => awb.replace(/[a-z]+/g, (m) => m.toUpperCase());
