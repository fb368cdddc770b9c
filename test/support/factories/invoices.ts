import type supertest from 'supertest';
import type { TestApp } from '../test-app';

/**
 * Test setup: moves the end of shipments that ended through the API (delivered or returned by their
 * sandbox couriers and seen by the tracker) to a precise instant, for period-boundary cases.
 */
export async function moveEnd(t: Pick<TestApp, 'dataSource'>, shipmentIds: string[], endedAt: Date) {
  await t.dataSource.query(
    'UPDATE shipments SET ended_at = $2, outcome_recorded_at = $2 WHERE id = ANY($1::uuid[])',
    [shipmentIds, endedAt],
  );
}

/**
 * Runs the invoicing job as of `asOf` through the sandbox (admin), moving the sandbox clock there first
 * when it is behind (a job never runs as of the clock's future); what the run did.
 */
export async function runInvoicing(
  http: supertest.Agent,
  admin: { auth: { authorization: string } },
  asOf: Date,
): Promise<{ periods: number; issued: number }> {
  const clock = await http.post('/sandbox/clock').set(admin.auth).send({ advanceHours: 0 }).expect(200);
  const behind = asOf.getTime() - Date.parse((clock.body as { now: string }).now);
  if (behind > 0)
    await http
      .post('/sandbox/clock')
      .set(admin.auth)
      .send({ advanceHours: Math.ceil(behind / 1000) / 3600 })
      .expect(200);
  const res = await http
    .post('/sandbox/jobs/invoicing/run')
    .set(admin.auth)
    .send({ asOf: asOf.toISOString() })
    .expect(200);
  return res.body.result as { periods: number; issued: number };
}

/** A supertest parser that keeps a binary body (a PDF) as a Buffer. */
export function binaryBody(response: unknown, done: (err: Error | null, body: Buffer) => void) {
  const res = response as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
  res.on('error', (e: Error) => done(e, Buffer.alloc(0)));
}
