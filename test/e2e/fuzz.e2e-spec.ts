import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import supertest from 'supertest';
import { Transactions } from 'src/database/transaction';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { snapshotTables } from '../support/db-snapshot';
import { creditAvailable } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import {
  createAddress,
  createShipment,
  signupSeller,
  subscribeWebhooks,
  TestSeller,
  validShipment,
} from '../support/factories/sellers';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { AlertsService } from 'src/tracking/alerts.service';
import { startTestApp, TestApp } from '../support/test-app';
import { ROUTES, RouteCase } from './route-table';

/**
 * Hostile input over every route of the route table: NUL characters, lone surrogates, deep nesting, huge
 * numbers, wrong types, unknown fields and 100 KB strings, in bodies, path parameters and query strings.
 * Every answer is a 4xx in the contract's error body (never a 5xx) and nothing is written.
 *
 * `npm test` runs a seeded sample; `npm run fuzz` runs long (FUZZ_RUNS per route, FUZZ_SEED to replay).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Deep nesting is spliced into the JSON text (building it as an object would test the client, not us). */
const DEEP = (n: number) => `@@DEEP:${n}@@`;
const spliceDeep = (json: string) =>
  json.replace(/"@@DEEP:(\d+)@@"/g, (_, n: string) => '['.repeat(Number(n)) + ']'.repeat(Number(n)));

const hostileText = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom('\ud800', 'a\udc00b', '\udfff\ud800', 'x\u0000', '\u0000'),
  fc.constant('x'.repeat(100 * 1024)),
  fc.constant('é'.repeat(60 * 1024)),
);
const hugeNumber = fc.constantFrom(1e308, -1e308, 2 ** 64, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 1e21);
const wrongType = fc.constantFrom<Json>([{}], { fuzz: 1 }, [[]], { a: { b: {} } }, [null], [{ x: '\u0000' }]);
const deep = fc.integer({ min: 40, max: 3000 }).map(DEEP);
const hostileValue: fc.Arbitrary<Json> = fc.oneof(hostileText, hugeNumber, wrongType, deep);
/** A whole body that no route takes. */
const hostileBody: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  hostileText,
  hugeNumber,
  fc.constant(true),
  fc.constant([] as Json),
  wrongType,
  deep,
);

/** Paths to every value of a JSON body (object fields and array items), the root included. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...prefix, i])));
  if (value && typeof value === 'object') {
    return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  }
  return here;
}

function setAt(body: Json, path: (string | number)[], value: Json): Json {
  if (!path.length) return value;
  const copy = structuredClone(body) as Record<string | number, Json>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  parent[path[path.length - 1]] = value;
  return copy;
}

function addUnknownAt(body: Json, path: (string | number)[], value: Json): Json {
  const copy = structuredClone(body);
  let target: Json = copy;
  for (const k of path) target = (target as Record<string | number, Json>)[k];
  if (!target || typeof target !== 'object' || Array.isArray(target))
    return setAt(copy, path, { fuzzExtra: value });
  target.fuzzExtra = value;
  return copy;
}

type Mutation =
  | { kind: 'set'; path: (string | number)[]; value: Json }
  | { kind: 'unknown'; path: (string | number)[]; value: Json }
  | { kind: 'body'; value: Json }
  | { kind: 'param'; name: string; value: string }
  | { kind: 'query'; name: string; value: string };

describe('fuzzing every route with hostile input: 4xx in the contract’s body, never 5xx, nothing written', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let admin: { auth: { authorization: string } };
  let origin: string;
  let shipmentId: string;
  let ids: Record<string, string>;
  let queries: Record<string, string[]>;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    admin = await createOperator(t, http, 'admin');
    origin = (await createAddress(http, seller)).id;
    shipmentId = (await createShipment(http, seller)).id;
    const apiKey = (await http.post('/v1/api-keys').set(seller.auth).send({ name: 'fuzz' }).expect(201)).body
      .id;
    const bank = (
      await http
        .post('/v1/bank-accounts')
        .set(seller.auth)
        .send({ bankCode: 'BCA', accountNumber: '1234567890', accountName: 'Sekar Ayu' })
        .expect(201)
    ).body.id;
    const staff = (
      await http
        .post('/v1/users')
        .set(seller.auth)
        .send({ email: 'fuzz-staff@example.id', password: 'staff password 123', role: 'seller_staff' })
        .expect(201)
    ).body.id;
    const alert = (
      await t.app.get(AlertsService).reconcile(
        await t.app.get(ShipmentsService).find(seller.sellerId, shipmentId),
        [
          {
            rule: 'stale_no_scan',
            version: 1,
            severity: 'medium',
            reason: 'stale_no_scan',
            message: 'No scan.',
            messageIndonesian: 'Belum ada pemindaian.',
            suggestedAction: 'wait',
            causeAt: null,
          },
        ],
        t.clock.now(),
        null,
      )
    ).opened[0].id;
    // A webhook delivery to spoil the retry route with (its URL is never called: no worker runs here).
    await subscribeWebhooks(http, seller, 'http://127.0.0.1:9/fuzz-hook');
    const eventId = await t.app
      .get(Transactions)
      .run(() => t.app.get(SellerNotifications).enqueue(seller.sellerId, 'shipment.status_changed', {}));
    const deliveries = await http.get('/v1/webhook-deliveries').set(seller.auth).expect(200);
    const webhookDelivery = (deliveries.body.items as { id: string; eventId: string }[]).find(
      (d) => d.eventId === eventId,
    )!.id;
    // A withdrawal waiting for finance (above the auto-approval limit), to spoil its routes with.
    await creditAvailable(t, seller.sellerId, 3_000_000);
    const withdrawal = (
      await http
        .post('/v1/withdrawals')
        .set('Idempotency-Key', randomUUID())
        .set(seller.auth)
        .send({ amount: 2_000_000, bankAccountId: bank })
        .expect(201)
    ).body.id;
    ids = {
      withdrawal,
      address: origin,
      shipment: shipmentId,
      apiKey,
      bankAccount: bank,
      user: staff,
      alert,
      webhookDelivery,
    };
    const doc = (await http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    queries = {};
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        queries[`${method} ${path}`] = (op.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => p.name);
      }
    }
  });
  afterAll(() => t.close());

  /** A body the route accepts, which the mutations then spoil. */
  function validBody(route: RouteCase): Json | undefined {
    if (route.body) return route.body() as Json;
    const bodies: Record<string, Json> = {
      'post /v1/auth/signup': {
        sellerName: 'Toko Fuzz',
        email: 'fuzz@example.id',
        password: 'correct horse battery',
      },
      'post /v1/auth/login': { email: seller.email, password: seller.password },
      'post /v1/quotes': {
        originAddressId: origin,
        destination: { city: 'Surabaya', province: 'Jawa Timur', postalCode: '60111' },
        parcel: { weightGrams: 1000 },
        codAmount: 150000,
      },
      'post /v1/shipments': validShipment(origin, 'FUZZ-1'),
      'post /v1/shipments/bulk': [validShipment(origin, 'FUZZ-2')],
      'post /v1/pickups': { shipmentIds: [shipmentId] },
      'post /sandbox/couriers/{code}/faults': { errorRate: 0.1 },
      'post /sandbox/parcels/{awb}/advance': { to: 'delivered' },
      'post /sandbox/parcels/{awb}/script': { script: 'happy' },
      'post /sandbox/clock': { advanceHours: 1 },
      'post /sandbox/jobs/{name}/run': { asOf: '2026-11-24T10:00:00Z' },
    };
    const key = `${route.method} ${route.path}`;
    if (key in bodies) return bodies[key];
    return route.method === 'get' ? undefined : {};
  }

  function params(route: RouteCase): Record<string, string> {
    const values: Record<string, string> = { code: 'jne', awb: 'FUZZ000000001', name: 'pickups' };
    if (route.resource) values.id = ids[route.resource];
    return Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map(([, n]) => [n, values[n] ?? 'x']));
  }

  function headersFor(route: RouteCase): Record<string, string> {
    if (route.access === 'public') return {};
    if (route.access === 'any' || route.access.some((r) => r === 'seller_owner' || r === 'seller_staff'))
      return seller.auth;
    return admin.auth;
  }

  function mutations(route: RouteCase): fc.Arbitrary<Mutation> {
    const body = validBody(route);
    const options: fc.Arbitrary<Mutation>[] = [];
    if (body !== undefined) {
      const all = paths(body);
      const objects = all.filter((p) => {
        let v: Json = body;
        for (const k of p) v = (v as Record<string | number, Json>)[k];
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      options.push(
        fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...all), value: hostileValue }),
        fc.record({
          kind: fc.constant('unknown' as const),
          path: fc.constantFrom(...(objects.length ? objects : [[]])),
          value: fc.oneof(hostileValue, fc.string(), fc.integer()),
        }),
        fc.record({ kind: fc.constant('body' as const), value: hostileBody }),
      );
    }
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, n]) => n);
    if (names.length) {
      options.push(
        fc.record({
          kind: fc.constant('param' as const),
          name: fc.constantFrom(...names),
          value: hostileText,
        }),
      );
    }
    const query = queries[`${route.method} ${route.path}`] ?? [];
    if (query.length) {
      options.push(
        fc.record({
          kind: fc.constant('query' as const),
          name: fc.constantFrom(...query, 'fuzzUnknown'),
          value: hostileText,
        }),
      );
    }
    return fc.oneof(...options);
  }

  async function send(route: RouteCase, m: Mutation): Promise<supertest.Response> {
    const p = params(route);
    if (m.kind === 'param') p[m.name] = m.value;
    let path = route.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(p[n]));
    if (m.kind === 'query') path += `?${encodeURIComponent(m.name)}=${encodeURIComponent(m.value)}`;
    const base = validBody(route);
    const body =
      m.kind === 'set'
        ? setAt(base!, m.path, m.value)
        : m.kind === 'unknown'
          ? addUnknownAt(base!, m.path, m.value)
          : m.kind === 'body'
            ? m.value
            : base;
    let req = http[route.method](path)
      .set(route.headers?.() ?? {})
      .set(headersFor(route));
    if (body !== undefined) {
      req = req
        .set('content-type', 'application/json')
        .serialize((x: unknown) => x as string)
        .send(spliceDeep(JSON.stringify(body)));
    }
    return req;
  }

  /** The routes with something to spoil: a body, path parameters or a query. */
  const targets = () =>
    ROUTES.filter((r) => r.method !== 'get' || r.path.includes('{') || r.isolation === 'list');

  it('answers every hostile request with a 4xx in the error body and writes nothing', async () => {
    const before = await snapshotTables(t.dataSource);
    const failures: string[] = [];
    for (const route of targets()) {
      await fc
        .assert(
          fc.asyncProperty(mutations(route), async (m) => {
            const res = await send(route, m);
            const shapeOk =
              res.body &&
              res.body.statusCode === res.status &&
              typeof res.body.error === 'string' &&
              typeof res.body.code === 'string' &&
              typeof res.body.message === 'string' &&
              Array.isArray(res.body.details) &&
              res.body.details.every(
                (d: { field: unknown; message: unknown }) =>
                  typeof d.field === 'string' && typeof d.message === 'string',
              ) &&
              typeof res.body.requestId === 'string';
            // A bulk row's hostile text is that row's error (the other rows are kept): 200 with nothing created.
            const bulkRowError =
              route.path === '/v1/shipments/bulk' &&
              res.status === 200 &&
              res.body.created?.length === 0 &&
              res.body.errors?.[0]?.row === 1;
            const ok = bulkRowError || (res.status >= 400 && res.status < 500 && shapeOk);
            if (!ok)
              failures.push(
                `${route.method} ${route.path} ${JSON.stringify(m).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
              );
            return ok;
          }),
          { numRuns: RUNS, seed: SEED, endOnFailure: true },
        )
        .catch(() => undefined); // every failure is collected above, for one readable list
    }
    expect(failures).toEqual([]);
    expect(await snapshotTables(t.dataSource)).toEqual(before);
  });
});
