import supertest from 'supertest';
import { TrackingEventsRepository } from 'src/tracking/tracking-events.repository';
import { createAddress, signupSeller, TestSeller } from '../support/factories/sellers';
import { bookPinned, PINNED } from '../support/factories/tracked';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A courier that gives an airway bill again: seller A's shipment left the bill when Kirim re-booked it, and the
 * courier then issued it to seller B's shipment. B's scans under it, applied to B's shipment or still waiting
 * in the inbox, are never shown to A, nor read into A's alerts about its earlier booking.
 */
describe('an airway bill the courier gives again to another seller’s shipment', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let a: TestSeller;
  let b: TestSeller;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    a = await signupSeller(http, 'Toko Resi Lama');
    b = await signupSeller(http, 'Toko Resi Baru');
  });
  afterAll(() => t.close());

  const REUSED = 'JNEREUSED0001';

  /** An event stored as the inbox stores it: for `shipmentId`, or for no shipment (`null`), applied or not. */
  const storeEvent = (at: Date, rawCode: string, shipmentId: string | null, applied: boolean) =>
    t.dataSource.query(
      `INSERT INTO tracking_events (id, courier, awb, raw_code, occurred_at, raw_text, status, is_return_leg,
         unmapped, source, raw, shipment_id, received_at, processed_at, pod)
       VALUES (gen_random_uuid(), 'jne', $1, $2, $3, $4, 'delivered', false, false, 'webhook', '{}'::jsonb, $5, $3,
         CASE WHEN $6 THEN $3::timestamptz END, $7::jsonb)`,
      [
        REUSED,
        rawCode,
        at,
        `scan ${rawCode}`,
        shipmentId,
        applied,
        JSON.stringify({ receiverName: `Penerima ${rawCode}` }),
      ],
    );

  it('shows seller A none of seller B’s scans under it, applied or waiting, and reads none into A’s earlier booking', async () => {
    const jne = [PINNED.find((p) => p.code === 'jne')!];
    const [first] = await bookPinned(t, http, a, (await createAddress(http, a)).id, jne);
    // A's earlier booking had the bill (its current one is another), an hour before its current one.
    await t.dataSource.query(
      `INSERT INTO booking_attempts (id, shipment_id, pickup_item_id, courier, service, reference, status, awb,
         started_at, finished_at)
       SELECT gen_random_uuid(), shipment_id, pickup_item_id, 'jne', service, reference || '-earlier', 'cancelled',
         $2, started_at - interval '1 hour', finished_at - interval '1 hour'
       FROM booking_attempts WHERE shipment_id = $1 AND status = 'booked'`,
      [first.id, REUSED],
    );
    const [second] = await bookPinned(t, http, b, (await createAddress(http, b)).id, jne);
    // The courier gave B's shipment the bill A's left.
    await t.dataSource.query(
      `WITH s AS (UPDATE shipments SET awb = $2 WHERE id = $1 RETURNING id)
       UPDATE booking_attempts SET awb = $2 WHERE shipment_id = $1 AND status = 'booked'`,
      [second.id, REUSED],
    );
    const now = t.clock.now();
    await storeEvent(new Date(now.getTime() + 60_000), 'B-APPLIED', second.id, true);
    await storeEvent(new Date(now.getTime() + 120_000), 'B-WAITING', null, false);

    const seen = async (s: TestSeller, id: string) =>
      (
        (await http.get(`/v1/shipments/${id}/events`).set(s.auth).expect(200)).body.items as {
          rawCode: string;
        }[]
      ).map((e) => e.rawCode);
    expect(await seen(a, first.id)).not.toEqual(expect.arrayContaining(['B-APPLIED']));
    expect(await seen(a, first.id)).not.toEqual(expect.arrayContaining(['B-WAITING']));
    const shownToA = JSON.stringify(
      (await http.get(`/v1/shipments/${first.id}`).set(a.auth).expect(200)).body,
    );
    expect(shownToA).not.toContain('Penerima B-');
    expect(await seen(b, second.id)).toContain('B-APPLIED');

    const earlier = await t.app.get(TrackingEventsRepository).earlierBookings([first.id]);
    const read = (earlier.get(first.id) ?? []).flatMap((booking) => booking.events.map((e) => e.rawCode));
    expect(read).not.toContain('B-APPLIED');
    expect(read).not.toContain('B-WAITING');
  });
});
