import type supertest from 'supertest';
import type { CourierCode } from 'src/couriers/courier-adapter';
import type { TestApp } from '../test-app';
import { createShipment, TestSeller } from './sellers';

/** One service of each courier (config/defaults.ts catalogue). */
export const SERVICE_OF: Record<CourierCode, string> = {
  jne: 'REG',
  jnt: 'EZ',
  sap: 'UDRREG',
  ninja: 'STANDARD',
  idexpress: '00',
};

/**
 * `count` copies of a shipment the seller created through the API, handed to `couriers` in turn , in `status`, due a poll at `dueAt`: a load for the tracker without booking
 * thousands of parcels one by one (AWB `<PREFIX><COURIER><n, 6 digits>`). Their couriers do not know the AWBs (tracking answers "not found").
 */
export async function seedTrackedShipments(
  t: Pick<TestApp, 'dataSource'>,
  http: supertest.Agent,
  seller: TestSeller,
  options: { count: number; couriers: readonly CourierCode[]; status: string; dueAt: Date; prefix: string },
): Promise<{ id: string; courier: CourierCode; awb: string }[]> {
  const template = await createShipment(http, seller);
  return t.dataSource.query(
    `INSERT INTO shipments
     SELECT (jsonb_populate_record(s, jsonb_build_object(
       'id', gen_random_uuid(), 'reference', $2 || '-' || n, 'status', $3::text,
       'courier', c.courier, 'service', c.service, 'awb', upper($2 || c.courier) || lpad(n::text, 6, '0'),
       'next_poll_at', $4::timestamptz, 'booked_at', $4::timestamptz, 'picked_up_at', $4::timestamptz))).*
     FROM shipments s, generate_series(1, $5::int) n,
       LATERAL (SELECT ($6::text[])[1 + n % cardinality($6::text[])] AS courier,
                       ($7::text[])[1 + n % cardinality($6::text[])] AS service) c
     WHERE s.id = $1
     RETURNING id, courier, awb`,
    [
      template.id,
      options.prefix,
      options.status,
      options.dueAt,
      options.count,
      options.couriers,
      options.couriers.map((c) => SERVICE_OF[c]),
    ],
  );
}
