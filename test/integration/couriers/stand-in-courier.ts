import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAdapter } from 'src/couriers/adapters';
import type { CourierAdapter, CourierCode } from 'src/couriers/courier-adapter';
import { CourierRejectedError, CourierUnavailableError } from 'src/couriers/courier.errors';
import type { CourierLocations } from 'src/couriers/locations';
import { defaults } from 'config/defaults';
import { ROUTE_CODES } from '../../support/location-codes';

/** What the stand-in answers every request with: a JSON body, or text (sent as HTML). */
export interface StandInAnswer {
  status: number;
  body: unknown;
}

/**
 * A stand-in courier over real HTTP that answers every request with `answer` (set it before each call), and
 * `code`'s adapter pointed at it with `account` (its base URL added as `<baseUrlSetting>`). Looking orders
 * and parcels up reads no location code; a booking reads the route's. Call `close` after the tests.
 */
export async function standInCourier(
  code: Extract<CourierCode, 'jne' | 'sap'>,
  baseUrlSetting: string,
  account: Record<string, string>,
  name: string,
): Promise<{ adapter: CourierAdapter; answer: StandInAnswer; close: () => Promise<void> }> {
  const answer: StandInAnswer = { status: 200, body: {} };
  const server = createServer((req, res) => {
    req.resume();
    const { status, body } = answer;
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const adapter = buildAdapter(code, {
    account: {
      [baseUrlSetting]: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ...account,
    },
    name,
    catalogue: [],
    webhookMaxAgeSeconds: defaults.couriers.webhookMaxAgeSeconds,
    locations: { route: () => Promise.resolve(ROUTE_CODES[code]) } as unknown as CourierLocations,
  });
  return { adapter, answer, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What a courier call came to: its value, or the reason of the courier error it threw. */
export const outcome = (work: Promise<unknown>) =>
  work.then(
    (value) => ({ value }),
    (e: unknown) => ({
      error: e instanceof CourierRejectedError || e instanceof CourierUnavailableError ? e.reason : String(e),
    }),
  );
