import type { CourierReason, CourierStatus } from '../../courier-adapter';

export interface JneCodeMeaning {
  status: CourierStatus | null;
  reason?: CourierReason;
  returnLeg?: boolean;
  /** What the code means once the parcel is in JNE's hands (a shipper's cancel after pickup is a return). */
  afterPickup?: JneCodeMeaning;
}

const at = (status: CourierStatus, reason?: CourierReason): JneCodeMeaning => ({
  status,
  ...(reason ? { reason } : {}),
});
const failed = (reason: CourierReason = 'attempt_failed') => at('delivery_failed', reason);
const back = (status: CourierStatus, reason?: CourierReason): JneCodeMeaning => ({
  ...at(status, reason),
  returnLeg: true,
});
const each = (codes: string[], meaning: JneCodeMeaning) => Object.fromEntries(codes.map((c) => [c, meaning]));
const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

/**
 * Every JNE history `code` known from a real source and what it means: the vendor tracking samples
 * (jne.md §4), a client's list of failure codes (jne.md §4, meanings not public: their reason comes from
 * `desc`), and an integrator's catalogue of JNE's own codes and groups (samples/jne-statuscodes-1.json:
 * TRANSIT, SUKSES DELIVERY, UNDEL, AU = antar ulang, SUKSES RETURN, ON HOLD). Where JNE's group and the
 * code's words disagree with what happened to the parcel, the parcel wins, and the line says why.
 */
export const JNE_STATUS: Record<string, JneCodeMeaning> = {
  // TRANSIT
  PU0: at('picked_up'),
  PU1: at('picked_up'),
  RC1: at('picked_up'), // received at a counter or agent: the first physical scan of a drop-off
  OP1: at('in_transit'),
  OP2: at('in_transit'),
  OP3: at('in_transit'),
  TP1: at('in_transit'),
  TP4: at('in_transit'),
  TP5: at('in_transit'),
  IP1: at('in_transit'),
  IP2: at('in_transit'),
  BI1: at('in_transit'), // received at the destination city
  IP3: at('out_for_delivery'),
  // SUKSES DELIVERY: D01–D12 name who signed (addressee, receptionist, family…).
  ...each([...range('D', 1, 12)], at('delivered')),
  // Delivered damaged ("SHIPMENT DAMAGE RECEIVED", "SUCCESS BREACH RECEIVED"): one client lists them as
  // failures, but JNE groups them as deliveries and the parcel did reach the consignee.
  D24: at('delivered', 'damaged'),
  D25: at('delivered', 'damaged'),
  CR3: at('delivered'), // collected by the consignee as the shipper or consignee asked
  DB2: at('delivered'), // collected from the PopBox locker
  // In the locker, waiting for the consignee (JNE's group says delivered, but no one has the parcel yet
  // and a COD parcel is paid at collection): the last mile, like Ninja's PUDO.
  DB1: at('out_for_delivery'),
  // "CCC ORIGIN" / "UNDEL ORIGIN": closed at the origin's customer care or undelivered desk. JNE groups them
  // with deliveries, but the consignee never got the parcel; it is back at origin, on its way to the shipper.
  D15: back('returning_to_sender', 'rts_initiated'),
  D16: back('returning_to_sender', 'rts_initiated'),
  // UNDEL and AU: the attempt failed (AU: JNE will try again).
  U01: failed('address_problem'), // ALAMAT TIDAK LENGKAP / TIDAK DIKENAL
  U02: failed('consignee_unreachable'), // PENERIMA TIDAK DIKENAL
  U03: failed('address_problem'), // PENERIMA PINDAH ALAMAT
  U04: failed('consignee_unreachable'), // PENERIMA MENINGGAL DUNIA
  U05: failed('consignee_absent'), // RUMAH / KANTOR KOSONG (MASIH DIHUNI)
  U06: failed('consignee_refused'), // DITOLAK OLEH PENERIMA (NON COD)
  U07: failed('consignee_absent'), // RUMAH / KANTOR TIDAK DIHUNI
  U08: failed('consignee_refused_no_money'), // PENERIMA MENOLAK BAYAR (KIRIMAN COD)
  U09: failed('consignee_absent'), // TUTUP PADA AKHIR PEKAN / HARI LIBUR (NON COD)
  U10: failed(), // FORCE MAJEURE
  U11: at('exception', 'damaged'), // DAMAGE CASE: no attempt failed, the parcel did
  U12: at('exception', 'misroute'), // MISROUTE
  U13: at('exception', 'misroute'), // CRISS-CROSS (labels swapped)
  U14: at('exception', 'lost'), // MISSING
  U21: failed('consignee_refused_did_not_order'), // MENOLAK KIRIMAN COD (TDK PESAN)
  U22: failed('consignee_absent'), // LIBUR CUTI / DINAS LUAR KOTA (KIRIMAN COD)
  U23: failed('consignee_absent'), // TUTUP LIBUR AKHIR PEKAN (KIRIMAN COD)
  U24: failed('consignee_refused'), // MENUNGGU KONFIRMASI NILAI COD: the consignee disputes the amount
  U25: failed('consignee_refused_no_money'), // MENUNGGU PEMBAYARAN COD
  UB2: failed('max_attempts'), // MELAMPAUI 3 HARI
  NT: failed(), // NOT TIME DELIVERY
  DP5: failed(), // DELIVERY PROBLEM
  CR6: failed(), // UNDEL
  PS2: failed(), // SHIPMENT PROBLEM
  // A client's failure codes with no public meaning (jne.md §4): the reason is read from `desc`.
  ...each(['UB1', 'PS1', 'PS4', 'KRK', 'KRP', 'KRT', 'FOM'], failed()),
  OC: at('exception', 'misroute'), // DESTINATION CORRECTION
  OS: at('exception', 'late_vs_sla'), // OUT OF YES SERVICE AREA: next-day delivery will not happen
  CR5: at('exception', 'held_at_hub'), // SHIPMENT BEING HELD AS SHIPPERS REQUEST
  X1: at('exception', 'held_at_hub'), // held: did not pass the X-ray check (dangerous goods)
  X10: at('exception', 'held_at_hub'), // held: did not pass the X-ray check (documents incomplete)
  CR4: at('exception', 'lost'), // DESTROY: gone for good
  // Returns: CR1 starts one, CR7 is the parcel back at the origin warehouse, R01–R13 name who received it
  // back (the same relations as D01–D13).
  CR1: back('returning_to_sender', 'rts_initiated'),
  CR7: back('returning_to_sender'),
  ...each(range('R', 1, 13), back('returned')),
  // CANCEL BY SHIPPER: before pickup the order is void; once JNE holds the parcel, it goes back.
  CR2: { ...at('cancelled'), afterPickup: back('returning_to_sender', 'rts_initiated') },
};

/**
 * Code families for codes outside the table (jne.md §4: any `U…` is a failed attempt; the catalogue's
 * `R01`–`R13` are returns received, by relation). Anything else is read by its words.
 */
export const JNE_CODE_FAMILIES: [RegExp, JneCodeMeaning][] = [
  [/^U[0-9B]/, failed()],
  [/^R\d{2}$/, back('returned')],
];

/**
 * The pre-2016 tracing answer (`manifest[]` and `runsheet[]` instead of `history[]`, samples/jne-tracking-5):
 * outbound manifests and arrival at destination are movements; a delivery run sheet is the last mile.
 */
export const JNE_LEGACY_MANIFEST: Record<string, JneCodeMeaning> = {
  '1': at('in_transit'), // Manifested
  '3': at('in_transit'), // Received On Destination
};
export const JNE_LEGACY_RUNSHEET: JneCodeMeaning = at('out_for_delivery');
