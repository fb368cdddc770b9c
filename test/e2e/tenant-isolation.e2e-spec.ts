import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { ShipmentsService } from 'src/shipments/shipments.service';
import { AlertsService } from 'src/tracking/alerts.service';
import { Transactions } from 'src/database/transaction';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { AppConfig } from 'config';
import { periodContaining } from 'src/invoicing/invoice-period';
import { InvoicingService } from 'src/invoicing/invoicing.service';
import { moveEnd } from '../support/factories/invoices';
import { addBankAccount, creditAvailable, endPinned } from '../support/factories/money';
import { PINNED } from '../support/factories/tracked';
import { createOperator } from '../support/factories/operators';
import {
  addSellerUser,
  createAddress,
  createShipment,
  signupSeller,
  subscribeWebhooks,
  TestSeller,
  validBankAccount,
} from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { LIST_OF, Resource, ROUTES, RouteCase, withId } from './route-table';

type Headers = Record<string, string>;

function call(http: supertest.Agent, route: RouteCase, path: string, headers: Headers) {
  const req = http[route.method](path)
    .set(route.headers?.() ?? {})
    .set(headers);
  return route.body ? req.send(route.body()) : req;
}

/** What an allowed caller gets from the route called with an unknown id (route-table.ts `allowedStatus`). */
function allowedStatus(route: RouteCase): number {
  const status = route.allowedStatus ?? (route.path.includes('{id}') ? 404 : undefined);
  if (status === undefined)
    throw new Error(`route-table.ts: ${route.method} ${route.path} needs the allowedStatus it answers`);
  return status;
}

/** Where seller A reads one item back whole: its GET by id where there is one, else its list. */
const ITEM_OF: Partial<Record<Resource, string>> = {
  address: '/v1/addresses/{id}',
  withdrawal: '/v1/withdrawals/{id}',
  shipment: '/v1/shipments/{id}',
  invoice: '/v1/invoices/{id}',
};

describe('tenant isolation and permissions, for every route', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let a: TestSeller;
  let b: TestSeller;
  /** Creates a fresh resource of seller A and returns its id. */
  let makeA: Record<Resource, () => Promise<string>>;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    a = await signupSeller(http, 'Seller A');
    b = await signupSeller(http, 'Seller B');
    let invoicePeriods = 0;
    makeA = {
      address: async () => (await createAddress(http, a)).id,
      bankAccount: async () =>
        (
          await http
            .post('/v1/bank-accounts')
            .set(a.auth)
            .send(validBankAccount(String(Date.now()) + Math.floor(Math.random() * 1000)))
            .expect(201)
        ).body.id,
      apiKey: async () =>
        (await http.post('/v1/api-keys').set(a.auth).send({ name: 'A key' }).expect(201)).body.id,
      user: async () => (await addSellerUser(http, a, 'seller_staff')).id,
      shipment: async () => (await createShipment(http, a)).id,
      // Alerts are opened by the tracker, not over HTTP: through the alert store, as the tracker does.
      alert: async () => {
        const { id } = await createShipment(http, a);
        const shipment = await t.app.get(ShipmentsService).find(a.sellerId, id);
        const { opened } = await t.app.get(AlertsService).reconcile(
          shipment,
          [
            {
              rule: 'failed_attempt',
              version: 1,
              severity: 'high',
              reason: 'consignee_refused',
              message: 'The recipient refused the parcel.',
              messageIndonesian: 'Penerima menolak paket.',
              suggestedAction: 'contact',
              causeAt: null,
            },
          ],
          t.clock.now(),
          null,
        );
        return opened[0].id;
      },
      // Issued by the invoicing job from a parcel A sent through the API, its end moved to a period of
      // its own (so each call makes a new invoice).
      invoice: async () => {
        const origin = (await createAddress(http, a)).id;
        const [ended] = await endPinned(t, http, a, origin, [PINNED[0]]);
        const endedAt = new Date(
          Date.parse('2026-03-02T12:00:00+07:00') + invoicePeriods++ * 14 * 86_400_000,
        );
        await moveEnd(t, [ended.id], endedAt);
        await t.app.get(InvoicingService).run(t.clock.now());
        const list = await http.get('/v1/invoices?limit=500').set(a.auth).expect(200);
        const wanted = periodContaining(endedAt, t.app.get(AppConfig).business.money.invoicing).startDate;
        return (list.body.items as { id: string; periodStartDate: string }[]).find(
          (i) => i.periodStartDate === wanted,
        )!.id;
      },
      // An event for A, written as other modules write them (never sent: no worker runs here).
      webhookDelivery: async () => {
        await subscribeWebhooks(http, a, 'http://127.0.0.1:9/a-hook');
        const eventId = await t.app
          .get(Transactions)
          .run(() => t.app.get(SellerNotifications).enqueue(a.sellerId, 'shipment.status_changed', {}));
        const list = await http.get('/v1/webhook-deliveries?limit=500').set(a.auth).expect(200);
        return (list.body.items as { id: string; eventId: string }[]).find((d) => d.eventId === eventId)!.id;
      },
      withdrawal: async () => {
        await creditAvailable(t, a.sellerId, 100_000);
        const bankAccountId = await addBankAccount(http, a);
        return (
          await http
            .post('/v1/withdrawals')
            .set('Idempotency-Key', randomUUID())
            .set(a.auth)
            .send({ amount: 50_000, bankAccountId })
            .expect(201)
        ).body.id;
      },
    };
  });
  afterAll(() => t.close());

  it('the table lists exactly the routes the app serves', async () => {
    const doc = (await http.get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const served = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const table = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    expect(served).toEqual(table);
  });

  /** Seller A's item as A sees it (every field), or undefined once it is gone. */
  async function itemOfA(resource: Resource, id: string): Promise<Record<string, unknown> | undefined> {
    const one = ITEM_OF[resource];
    if (one) {
      const res = await http.get(withId(one, id)).set(a.auth);
      if (res.status === 404) return undefined;
      expect(res.status).toBe(200);
      return res.body as Record<string, unknown>;
    }
    const list = await http.get(`${LIST_OF[resource]}?limit=500`).set(a.auth).expect(200);
    return (list.body.items as { id: string }[]).find((i) => i.id === id);
  }

  const byId = ROUTES.filter((r) => r.isolation === 'by-id');
  it.each(byId.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: seller B gets 404 for seller A’s id, and A’s item is untouched',
    async (_name, route) => {
      const id = await makeA[route.resource!]();
      const before = await itemOfA(route.resource!, id);
      expect(before).toMatchObject({ id });
      const res = await call(http, route, withId(route.path, id), b.auth);
      expect(res.status).toBe(404);
      expect(res.body.code).toMatch(/NOT_FOUND$/);
      // Deep-equal: a revoked key (revokedAt), a cancelled shipment (status) or an edited address shows.
      expect(await itemOfA(route.resource!, id)).toEqual(before);
    },
  );

  const lists = ROUTES.filter((r) => r.isolation === 'list');
  it.each(lists.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: seller B never sees seller A’s items',
    async (_name, route) => {
      const id = await makeA[route.resource!]();
      const mine = await http.get(route.path).set(a.auth).expect(200);
      expect(mine.body.items.map((i: { id: string }) => i.id)).toContain(id);
      const theirs = await http.get(`${route.path}?limit=500`).set(b.auth).expect(200);
      expect(theirs.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    },
  );

  const creates = ROUTES.filter((r) => r.isolation === 'create');
  it.each(creates.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s: what seller B creates belongs to B only',
    async (_name, route) => {
      const created = await call(http, route, route.path, b.auth).expect(201);
      const inA = await http.get(`${route.listPath!}?limit=500`).set(a.auth).expect(200);
      expect(inA.body.items.map((i: { id: string }) => i.id)).not.toContain(created.body.id);
      const inB = await http.get(`${route.listPath!}?limit=500`).set(b.auth).expect(200);
      expect(inB.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);
    },
  );

  it('settings: seller B’s change never reaches seller A', async () => {
    expect(ROUTES.filter((r) => r.isolation === 'singleton').map((r) => r.path)).toEqual([
      '/v1/settings',
      '/v1/settings',
    ]);
    await http
      .patch('/v1/settings')
      .set(a.auth)
      .send({ webhookUrl: 'https://a.example.id/hook' })
      .expect(200);
    const before = (await http.get('/v1/settings').set(a.auth).expect(200)).body;
    const bs = await http
      .patch('/v1/settings')
      .set(b.auth)
      .send({ webhookUrl: 'https://b.example.id/hook', scoringPreset: 'fastest' })
      .expect(200);
    expect(bs.body.webhookSecret).not.toBe(before.webhookSecret);
    expect((await http.get('/v1/settings').set(a.auth).expect(200)).body).toEqual(before);
    // A without a webhook URL again: the test-event route answers the permission check with its 422.
    await http.patch('/v1/settings').set(a.auth).send({ webhookUrl: null }).expect(200);
  });

  it('answers 401 without credentials and 403 for a role the route does not allow, on every route', async () => {
    const staff = await addSellerUser(http, a, 'seller_staff');
    const apiKey = (await http.post('/v1/api-keys').set(a.auth).send({ name: 'integration' }).expect(201))
      .body.key as string;
    const finance = await createOperator(t, http, 'finance');
    const admin = await createOperator(t, http, 'admin');
    const callers: { role: string; headers: Headers }[] = [
      { role: 'seller_owner', headers: a.auth },
      { role: 'seller_staff', headers: staff.auth },
      { role: 'seller_staff', headers: { 'x-api-key': apiKey } },
      { role: 'finance', headers: finance.auth },
      { role: 'admin', headers: admin.auth },
    ];
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const route of ROUTES.filter((r) => r.access !== 'public')) {
      // An id nobody has: an allowed caller gets the route's own answer (404 for an id), a forbidden one
      // 403 before anything is looked up.
      const path = withId(route.path, randomUUID());
      const anonymous = await call(http, route, path, {});
      outcomes.push(`${route.method} ${route.path} anonymous ${anonymous.status}`);
      expected.push(`${route.method} ${route.path} anonymous 401`);
      for (const caller of callers) {
        const res = await call(http, route, path, caller.headers);
        const allowed = route.access === 'any' || (route.access as string[]).includes(caller.role);
        outcomes.push(`${route.method} ${route.path} ${caller.role} ${res.status}`);
        expected.push(`${route.method} ${route.path} ${caller.role} ${allowed ? allowedStatus(route) : 403}`);
      }
    }
    expect(outcomes).toEqual(expected);
  });
});
