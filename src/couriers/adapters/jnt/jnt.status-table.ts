import type { CourierReason, CourierStatus } from '../../courier-adapter';

export interface JntMeaning {
  status: CourierStatus | null;
  reason?: CourierReason;
  returnLeg?: boolean;
}

/**
 * Every J&T `history[].status_code` and what it means (jnt.md §4). `101` is refined by the order's
 * service type and `100` by its text (below); `152` takes its reason from the note.
 */
export const JNT_STATUS: Record<string, JntMeaning> = {
  '101': { status: 'created' },
  '100': { status: 'in_transit' },
  '150': { status: 'exception', reason: 'held_at_hub' },
  '151': { status: 'exception', reason: 'pickup_failed' },
  '152': { status: 'delivery_failed', reason: 'attempt_failed' },
  '200': { status: 'delivered' },
  '401': { status: 'returning_to_sender', reason: 'rts_initiated', returnLeg: true },
  '402': { status: 'returned', returnLeg: true },
  '162': { status: 'cancelled' },
  '163': { status: 'cancelled' },
};

/** `101` "Manifes" on an order booked with `servicetype: 1`: J&T has a pickup task (README §3.2). */
export const JNT_MANIFEST_WITH_PICKUP: JntMeaning = { status: 'pickup_requested' };

/**
 * What a `100` text means, first match wins (README §3.2 rules, assumed: J&T publishes no text
 * catalogue). The specific phrases come before the loose keywords so that "akan dikirim ke alamat
 * penerima" is not read as a hub movement. The return-leg rule is ours (assumed): J&T keeps code 100
 * for movements after a `401`. No match → in transit.
 */
export const JNT_MOVEMENT_RULES: { name: string; test: (text: string) => boolean; meaning: JntMeaning }[] = [
  {
    name: 'return leg',
    // "diretur" too (the passive, as status-words.ts reads it): \bretur missed it inside the word.
    test: (t) => /\b(di)?retur|dikembalikan|pengembalian/i.test(t),
    meaning: { status: 'returning_to_sender', returnLeg: true },
  },
  {
    name: 'out for delivery',
    test: (t) => /akan dikirim ke alamat penerima/i.test(t),
    meaning: { status: 'out_for_delivery' },
  },
  {
    name: 'with a delivery courier',
    // In Indonesian ("kurir" + "antar") or in English ("with delivery courier", README §3.2).
    test: (t) => (/kurir/i.test(t) && /antar/i.test(t)) || /\bwith (the )?delivery courier\b/i.test(t),
    meaning: { status: 'out_for_delivery' },
  },
  {
    name: 'sent toward a hub',
    test: (t) => /akan dikirimkan ke/i.test(t),
    meaning: { status: 'in_transit' },
  },
  { name: 'arrived at a hub', test: (t) => /telah sampai di/i.test(t), meaning: { status: 'in_transit' } },
  {
    name: 'received or picked up',
    test: (t) => /diterima|pick ?up|dijemput/i.test(t),
    meaning: { status: 'picked_up' },
  },
  { name: 'transit', test: (t) => /transit/i.test(t), meaning: { status: 'in_transit' } },
];

export const JNT_MOVEMENT_DEFAULT: JntMeaning = { status: 'in_transit' };
