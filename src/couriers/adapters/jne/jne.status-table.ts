import type { CourierReason, CourierStatus } from '../../courier-adapter';

export interface JneCodeMeaning {
  status: CourierStatus | null;
  reason?: CourierReason;
  returnLeg?: boolean;
}

const failed: JneCodeMeaning = { status: 'delivery_failed', reason: 'attempt_failed' };
const undelivered = (codes: string[]) => Object.fromEntries(codes.map((c) => [c, failed]));
const range = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

/**
 * Every JNE history `code` and what it means (jne.md §4). Per-code meanings of the failure codes are
 * not public, so their reason comes from the `desc` text (JNE_REASON_KEYWORDS).
 */
export const JNE_STATUS: Record<string, JneCodeMeaning> = {
  RC1: { status: 'picked_up' },
  PU1: { status: 'picked_up' },
  OP1: { status: 'in_transit' },
  OP2: { status: 'in_transit' },
  OP3: { status: 'in_transit' },
  TP1: { status: 'in_transit' },
  TP4: { status: 'in_transit' },
  IP1: { status: 'in_transit' },
  IP2: { status: 'in_transit' },
  IP3: { status: 'out_for_delivery' },
  D01: { status: 'delivered' },
  D09: { status: 'delivered' },
  ...undelivered([
    ...range('U', 1, 14),
    ...range('U', 21, 25),
    'UB1',
    'UB2',
    'PS1',
    'PS4',
    'KRK',
    'KRP',
    'KRT',
    'FOM',
    'D24',
    'D25',
  ]),
  // Assumed codes (JNE publishes none for these; to confirm with JNE): pickup booked through
  // pickupcashless, the return leg, a cancel, a hold and a pickup the courier could not make.
  PR1: { status: 'pickup_requested' },
  RT1: { status: 'returning_to_sender', reason: 'rts_initiated', returnLeg: true },
  RT2: { status: 'returning_to_sender', returnLeg: true },
  RT3: { status: 'returned', returnLeg: true },
  CX1: { status: 'cancelled' },
  EX1: { status: 'exception', reason: 'held_at_hub' },
  PF1: { status: 'exception', reason: 'pickup_failed' },
};

/**
 * Failure reasons as JNE writes them in `desc` (assumed wording, jne.md §5), first match wins: the
 * refusals with a cause come before the plain refusal.
 */
export const JNE_REASON_KEYWORDS: [RegExp, CourierReason][] = [
  [/TIDAK ADA (UANG|DANA)|UANG TIDAK CUKUP|NO MONEY/, 'consignee_refused_no_money'],
  [/TIDAK (MEMESAN|PESAN|MERASA PESAN)|DID NOT ORDER/, 'consignee_refused_did_not_order'],
  [/MENOLAK|REFUSED/, 'consignee_refused'],
  [/ALAMAT|BAD ADDRESS|ADDRESS/, 'address_problem'],
  [/TIDAK ADA ORANG|RUMAH KOSONG|TIDAK DI ?TEMPAT|NOBODY/, 'consignee_absent'],
  [/TIDAK (DAPAT|BISA) DIHUBUNGI|NOMOR TIDAK AKTIF|UNREACHABLE/, 'consignee_unreachable'],
  [/SALAH KIRIM|SALAH SORTIR|MISROUTE/, 'misroute'],
];
