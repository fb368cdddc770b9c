import supertest from 'supertest';
import type { CourierCode, CourierStatus } from 'src/couriers/courier-adapter';
import { CourierSandboxes } from 'src/couriers/sandbox/sandboxes';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { Transactions } from 'src/database/transaction';
import { CodSettlements1795491000000 } from '../../migrations/1795491000000-CodSettlements';
import { CodSettlementCredits1795503100000 } from '../../migrations/1795503100000-CodSettlementCredits';
import { addBankAccount } from '../support/factories/money';
import { createOperator, startWithOperators } from '../support/factories/operators';
import {
  createAddress,
  sellerWithOrigin,
  signupSeller,
  subscribeWebhooks,
  TestSeller,
} from '../support/factories/sellers';
import {
  bookPinned,
  deliveredWithCash,
  PINNED,
  pushedMove,
  pushesApplied,
} from '../support/factories/tracked';
import { rerunMigration } from '../support/migration-rerun';
import { TestApp } from '../support/test-app';
import { lockAccount, raceWithTracker } from '../support/lock-race';

type Auth = { auth: { authorization: string } };

/**
 * Finance settles a COD delivery its courier took back: `release` lets its withheld credit go to
 * available, `reverse` takes it back out of the seller's money and the courier's COD receivable, once,
 * never below zero; either way the alert resolves and the discrepancy leaves the list.
 */
describe('Settling a COD delivery taken back', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;
  let finance: Auth;
  const sap = PINNED.find((p) => p.code === 'sap')!;

  beforeAll(async () => {
    ({ t, http, admin, finance } = await startWithOperators((c) => (c.business.money.codHoldDays = 2)));
  });
  afterAll(() => t.close());

  const runJob = (name: string) =>
    http.post(`/sandbox/jobs/${name}/run`).set(admin.auth).send({}).expect(200);
  const newSeller = async (name: string) => {
    const made = await sellerWithOrigin(http, name);
    await subscribeWebhooks(http, made.seller);
    return made;
  };
  const pushed = (seller: TestSeller, awb: string, to: CourierStatus, reason?: string) =>
    pushedMove(t, http, { seller, admin }, sap.code, awb, to, reason);
  /** A COD parcel delivered (its cash credited to pending) an hour ago. */
  const delivered = async (s: { seller: TestSeller; origin: string }, codAmount: number) => {
    const [b] = await bookPinned(t, http, s.seller, s.origin, [sap], { codAmount });
    await pushed(s.seller, b.awb, 'delivered');
    t.clock.advance(3600_000);
    return b;
  };
  const takeBack = (seller: TestSeller, awb: string) => pushed(seller, awb, 'returned');
  const balance = async (seller: TestSeller) =>
    (await http.get('/v1/balance').set(seller.auth).expect(200)).body as {
      pending: number;
      available: number;
      inWithdrawal: number;
      withdrawable: number;
    };
  const receivable = async (courier: CourierCode = 'sap') => {
    const account = Accounts.courierCodReceivable(courier);
    return (await t.app.get(LedgerService).balances([account])).get(account.code)!;
  };
  const settle = (id: string, body: object, who: Auth = finance) =>
    http.post(`/v1/finance/cod-discrepancies/${id}/settle`).set(who.auth).send(body);
  /** GET /v1/ops/cod-discrepancies, as finance sees it. */
  const discrepancies = async () =>
    (await http.get('/v1/ops/cod-discrepancies').set(finance.auth).expect(200)).body.items as {
      shipmentId: string;
      kind: string;
      awb: string;
      courier: string;
      heldAmount: number;
      alertId: string | null;
    }[];
  const takenBackListed = async () =>
    (await discrepancies()).filter((d) => d.kind === 'taken_back').map((d) => d.shipmentId);
  const alertsOf = async (seller: TestSeller, shipmentId: string, state: 'open' | 'resolved') =>
    (
      (
        await http
          .get('/v1/alerts')
          .query({ state, rule: 'delivery_contradicted' })
          .set(seller.auth)
          .expect(200)
      ).body.items as { id: string; shipmentId: string; resolvedAt: string | null }[]
    ).filter((a) => a.shipmentId === shipmentId);
  const postings = async (key: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM ledger_transactions WHERE key = $1',
        [key],
      )
    )[0].n;
  const toldResolved = async (sellerId: string, shipmentId: string) =>
    (
      await t.dataSource.query<{ body: string }[]>(
        `SELECT body FROM webhook_deliveries WHERE seller_id = $1 AND type = 'shipment.at_risk'`,
        [sellerId],
      )
    )
      .map(
        (r) => JSON.parse(r.body) as { data: { shipmentId: string; alert: { resolvedAt: string | null } } },
      )
      .filter((b) => b.data.shipmentId === shipmentId && b.data.alert.resolvedAt !== null);
  const verified = async () => expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  /** The parcels finance's reconciliation lists as not remitted by SAP a day after their delivery. */
  const overdue = async () => {
    const ids: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await http
        .get('/v1/finance/reconciliation')
        .query({ courier: 'sap', overdueDays: 1, limit: 100, ...(cursor ? { cursor } : {}) })
        .set(finance.auth)
        .expect(200);
      ids.push(...(page.body.notRemitted as { shipmentId: string }[]).map((p) => p.shipmentId));
      cursor = page.body.notRemittedCursor as string | null;
    }
    return ids;
  };

  it('release: the cash was collected after all; the alert resolves, the seller is told, the next run releases it', async () => {
    const s = await newSeller('Toko Lepas');
    const b = await delivered(s, 120_000);
    await takeBack(s.seller, b.awb);
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 120_000, available: 0 });
    expect(await takenBackListed()).toContain(b.id);

    const res = await settle(b.id, { decision: 'release', reason: 'Kurir SAP mengonfirmasi uang diterima' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      shipmentId: b.id,
      sellerId: s.seller.sellerId,
      awb: b.awb,
      alertId: expect.any(String),
      creditKey: `cod-credit:${b.id}`,
      decision: 'release',
      reason: 'Kurir SAP mengonfirmasi uang diterima',
      amount: 120_000,
      fromPending: 120_000,
      fromAvailable: 0,
      settledBy: expect.any(String),
      settledAt: t.clock.now().toISOString(),
    });
    expect(await takenBackListed()).not.toContain(b.id);
    expect(await alertsOf(s.seller, b.id, 'open')).toEqual([]);
    expect(await alertsOf(s.seller, b.id, 'resolved')).toEqual([
      expect.objectContaining({ id: res.body.alertId, resolvedAt: t.clock.now().toISOString() }),
    ]);
    expect(await toldResolved(s.seller.sellerId, b.id)).toHaveLength(1);

    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 120_000, withdrawable: 120_000 });
    // The same decision again answers the settlement, the other is refused; nothing more moves.
    const again = await settle(b.id, { decision: 'release', reason: 'lagi' }).expect(200);
    expect(again.body).toEqual(res.body);
    const other = await settle(b.id, { decision: 'reverse', reason: 'salah' }).expect(409);
    expect(other.body).toMatchObject({
      code: 'COD_SETTLEMENT_ALREADY_SETTLED',
      details: [{ field: 'decision', message: 'was settled already as release' }],
    });
    expect(await toldResolved(s.seller.sellerId, b.id)).toHaveLength(1);
    await verified();
  });

  it('reverse: the cash was never collected; it leaves pending and the courier’s receivable once, shown with the AWB', async () => {
    const s = await newSeller('Toko Balik');
    const kept = await delivered(s, 50_000);
    const b = await delivered(s, 95_000);
    await takeBack(s.seller, b.awb);
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 95_000, available: 50_000 });
    const owed = await receivable();

    const body = { decision: 'reverse', reason: 'Kurir: paket diretur, uang COD tidak pernah diterima' };
    const res = await settle(b.id, body).expect(200);
    expect(res.body).toMatchObject({
      decision: 'reverse',
      amount: 95_000,
      fromPending: 95_000,
      fromAvailable: 0,
    });
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 50_000, withdrawable: 50_000 });
    expect(await receivable()).toBe(owed - 95_000);
    // Learned as no success (delivered, not paid); the other delivery stays one.
    const unpaid = await t.dataSource.query<{ shipment_id: string; unpaid: boolean }[]>(
      'SELECT shipment_id, unpaid FROM delivery_outcomes WHERE shipment_id = ANY($1) ORDER BY unpaid',
      [[kept.id, b.id]],
    );
    expect(unpaid).toEqual([
      { shipment_id: kept.id, unpaid: false },
      { shipment_id: b.id, unpaid: true },
    ]);
    expect(await takenBackListed()).not.toContain(b.id);
    expect(await alertsOf(s.seller, b.id, 'open')).toEqual([]);
    expect(await toldResolved(s.seller.sellerId, b.id)).toHaveLength(1);

    const entries = (await http.get('/v1/ledger/entries').set(s.seller.auth).expect(200)).body.items as {
      type: string;
      account: string;
      amount: number;
      balanceAfter: number;
      reference: string;
    }[];
    expect(entries.filter((e) => e.type === 'cod_credit_reversed')).toEqual([
      expect.objectContaining({ account: 'pending', amount: -95_000, balanceAfter: 0, reference: b.awb }),
    ]);

    // Sent again (a retry; another reason typed): the first answer, posted once.
    expect((await settle(b.id, body).expect(200)).body).toEqual(res.body);
    expect((await settle(b.id, { ...body, reason: 'dikirim ulang' }).expect(200)).body).toEqual(res.body);
    expect(await postings(`cod-credit-reversal:${b.id}`)).toBe(1);
    // The hold it ended is never released later, however often the job runs.
    t.clock.advance(86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 50_000 });
    expect(kept.id).not.toBe(b.id);
    // No cash, so the courier owes none for it: finance's overdue list names the parcel kept, not this one, and
    // the shipment says its cash was not collected.
    const notRemitted = await overdue();
    expect(notRemitted).toContain(kept.id);
    expect(notRemitted).not.toContain(b.id);
    expect((await http.get(`/v1/shipments/${b.id}`).set(s.seller.auth).expect(200)).body.codCollected).toBe(
      false,
    );

    // The courier's remittance then lists it: its cash settles nothing, it waits in suspense for finance.
    const remittedOn = new Date(t.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const report = await http
      .post('/v1/finance/remittances?courier=sap')
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,cod_amount,remitted_date\n${b.awb},95000,${remittedOn}\n${kept.awb},50000,${remittedOn}\n`)
      .expect(201);
    expect(report.body.matched).toEqual({ count: 1, amount: 50_000 });
    expect(report.body.unmatched).toEqual({ count: 1, amount: 95_000 });
    const detail = (await http.get(`/v1/finance/remittances/${report.body.id}`).set(finance.auth).expect(200))
      .body;
    expect(detail.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          awb: b.awb,
          outcome: 'unmatched',
          reason: 'cod_reversed',
          shipmentId: b.id,
        }),
      ]),
    );
    expect(await receivable()).toBe(owed - 95_000 - 50_000);
    await verified();
  });

  it('reverse after the cash became available takes it from available; after it was withdrawn it is refused, nothing posted', async () => {
    const s = await newSeller('Toko Tarik');
    const bankAccountId = await addBankAccount(http, s.seller);
    const released = await delivered(s, 80_000);
    const withdrawn = await delivered(s, 60_000);
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 140_000 });
    await takeBack(s.seller, released.awb);
    expect(await takenBackListed()).toContain(released.id);

    const res = await settle(released.id, {
      decision: 'reverse',
      reason: 'Uang COD tidak diterima kurir',
    }).expect(200);
    expect(res.body).toMatchObject({ amount: 80_000, fromPending: 0, fromAvailable: 80_000 });
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 60_000, withdrawable: 60_000 });

    // The seller withdraws the rest; then the other delivery is taken back: nothing is left to reverse from.
    await http
      .post('/v1/withdrawals')
      .set(s.seller.auth)
      .set('Idempotency-Key', `all-${s.seller.sellerId}`)
      .send({ amount: 60_000, bankAccountId })
      .expect(201);
    await takeBack(s.seller, withdrawn.awb);
    const refused = await settle(withdrawn.id, { decision: 'reverse', reason: 'Uang tidak diterima' }).expect(
      422,
    );
    expect(refused.body).toMatchObject({
      code: 'COD_SETTLEMENT_REVERSAL_UNCOVERED',
      details: [{ field: 'decision', message: expect.stringContaining('needs 60000 rupiah') }],
    });
    expect(await postings(`cod-credit-reversal:${withdrawn.id}`)).toBe(0);
    expect(await alertsOf(s.seller, withdrawn.id, 'open')).toHaveLength(1);
    expect(await takenBackListed()).toContain(withdrawn.id);
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0, inWithdrawal: 60_000 });
    // Finance may still find the cash was collected after all.
    await settle(withdrawn.id, { decision: 'release', reason: 'Kurir menyetor uangnya' }).expect(200);
    expect(await takenBackListed()).not.toContain(withdrawn.id);
    await verified();
  });

  it('two finance users deciding at once post once', async () => {
    const s = await newSeller('Toko Serentak');
    const b = await delivered(s, 70_000);
    await takeBack(s.seller, b.awb);
    const other = await createOperator(t, http, 'finance');
    const body = { decision: 'reverse', reason: 'Uang COD tidak diterima' };
    const answers = await Promise.all([settle(b.id, body), settle(b.id, body, other), settle(b.id, body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await postings(`cod-credit-reversal:${b.id}`)).toBe(1);
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    expect(await toldResolved(s.seller.sellerId, b.id)).toHaveLength(1);

    const c = await delivered(s, 30_000);
    await takeBack(s.seller, c.awb);
    const split = await Promise.all([
      settle(c.id, { decision: 'reverse', reason: 'tidak diterima' }),
      settle(c.id, { decision: 'release', reason: 'diterima' }, other),
    ]);
    expect(split.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await postings(`cod-credit-reversal:${c.id}`)).toBe(split[0].status === 200 ? 1 : 0);
    await verified();
  });

  it('a settlement stands when a later scan takes the delivery back again: not withheld, not listed again', async () => {
    const s = await newSeller('Toko Ulang');
    const b = await delivered(s, 65_000);
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    await settle(b.id, { decision: 'release', reason: 'Kurir mengonfirmasi uang diterima' }).expect(200);
    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'returned');
    // The seller hears of the new scan (a new alert), but finance's decision is not undone.
    expect(await alertsOf(s.seller, b.id, 'open')).toHaveLength(1);
    expect(await takenBackListed()).not.toContain(b.id);
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 65_000 });
    await verified();
  });

  it('answers 4xx naming the field, and only to finance', async () => {
    const s = await newSeller('Toko Salah');
    const ordinary = await delivered(s, 40_000);
    const b = await delivered(s, 45_000);
    await takeBack(s.seller, b.awb);
    const ok = { decision: 'reverse', reason: 'Uang tidak diterima' };
    const fields = async (id: string, body: object) => {
      const res = await settle(id, body).expect(400);
      return (res.body.details as { field: string }[]).map((d) => d.field);
    };
    expect(await fields(b.id, { decision: 'refund', reason: 'x' })).toEqual(['decision']);
    expect(await fields(b.id, { decision: 'reverse' })).toEqual(['reason']);
    expect(await fields(b.id, { ...ok, reason: 'uang\u0000tidak' })).toEqual(['reason']);
    expect(await fields(b.id, { ...ok, reason: 'x'.repeat(501) })).toEqual(['reason']);
    expect(await fields(b.id, { ...ok, amount: 1 })).toEqual(['amount']);
    // An id that cannot exist is not found, as everywhere in the API.
    expect((await settle('not-a-uuid', ok).expect(404)).body.code).toBe('NOT_FOUND');
    const unknown = await settle('00000000-0000-4000-8000-000000000000', ok).expect(404);
    expect(unknown.body.code).toBe('SHIPMENTS_NOT_FOUND');
    const notTakenBack = await settle(ordinary.id, ok).expect(409);
    expect(notTakenBack.body).toMatchObject({
      code: 'COD_SETTLEMENT_NOT_TAKEN_BACK',
      details: [{ field: 'id', message: expect.any(String) }],
    });
    await settle(b.id, ok, s.seller).expect(403);
    await http.post(`/v1/finance/cod-discrepancies/${b.id}/settle`).send(ok).expect(401);
    // Nothing of it was written.
    expect(await postings(`cod-credit-reversal:${b.id}`)).toBe(0);
    expect(await alertsOf(s.seller, b.id, 'open')).toHaveLength(1);
    await verified();
  });

  // A settlement beside the courier's remittance of the same parcel (a reviewer's findings): the cash leaves the
  // courier's receivable once, whichever comes first, and the remittance paths lock the parcels before the
  // ledger, as the tracker does. The migration's revert runs last: it drops the settlements kept so far.
  const remit = (lines: string, courier = 'sap') =>
    http
      .post(`/v1/finance/remittances?courier=${courier}`)
      .set(finance.auth)
      .set('content-type', 'text/csv')
      .send(`awb,cod_amount,remitted_date\n${lines}`);
  const today = () => t.clock.now().toISOString().slice(0, 10);

  it('refuses to reverse a credit whose cash the courier remitted (409), taking nothing twice', async () => {
    const s = await newSeller('Toko Setor');
    const b = await delivered(s, 90_000);
    const before = await receivable();
    expect((await remit(`${b.awb},90000,${today()}\n`).expect(201)).body.matched).toEqual({
      count: 1,
      amount: 90_000,
    });
    await pushed(s.seller, b.awb, 'returned');
    const res = await settle(b.id, { decision: 'reverse', reason: 'uang tidak diterima' }).expect(409);
    expect(res.body).toMatchObject({
      code: 'COD_SETTLEMENT_ALREADY_REMITTED',
      details: [expect.objectContaining({ field: 'decision' })],
    });
    expect(await receivable()).toBe(before - 90_000);
    // Collected after all: releasing it is what is left, and it is taken.
    await settle(b.id, { decision: 'release', reason: 'kurir sudah setor' }).expect(200);
    expect(await receivable()).toBe(before - 90_000);
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('a reversal and an upload of the parcel’s line at once: one of them takes the cash, once', async () => {
    const s = await newSeller('Toko Balap');
    for (let i = 0; i < 4; i += 1) {
      const amount = 10_000 + i;
      const b = await delivered(s, amount);
      await pushed(s.seller, b.awb, 'returned');
      const before = await receivable();
      const [settled, uploaded] = await Promise.all([
        settle(b.id, { decision: 'reverse', reason: 'x' }),
        remit(`${b.awb},${amount},${today()}\n`),
      ]);
      expect(uploaded.status).toBe(201);
      const [line] = (
        await http.get(`/v1/finance/remittances/${uploaded.body.id}`).set(finance.auth).expect(200)
      ).body.lines as { outcome: string; reason: string | null }[];
      // Reversed first: the line waits in suspense. Remitted first: the reversal is refused.
      expect(
        settled.status === 200
          ? [line.outcome, line.reason]
          : [settled.status, settled.body.code, line.outcome],
      ).toEqual(
        settled.status === 200
          ? ['unmatched', 'cod_reversed']
          : [409, 'COD_SETTLEMENT_ALREADY_REMITTED', 'matched'],
      );
      expect(await receivable()).toBe(before - amount);
    }
    expect((await t.app.get(LedgerService).verify()).ok).toBe(true);
  });

  it('a late match waits for a parcel the tracker holds, rather than deadlocking with it', async () => {
    const seller = await signupSeller(http, 'Toko Kunci');
    const origin = (await createAddress(http, seller)).id;
    const [b] = await bookPinned(t, http, seller, origin, [sap], { codAmount: 33_000 });
    const up = await remit(`${b.awb},33000,${today()}\n`).expect(201);
    expect(up.body.unmatched.count).toBe(1);
    await pushed(seller, b.awb, 'delivered');
    const code = Accounts.courierCodReceivable('sap').code;
    // As the tracker does: the shipment's row, then (a COD credit) the courier's receivable. The job reaches
    // the parcel's row meanwhile and waits there, holding nothing the tracker needs.
    const { trackerError, answer } = await raceWithTracker(
      t,
      {
        first: (q) => q.query('SELECT id FROM shipments WHERE id = $1 FOR UPDATE', [b.id]),
        then: (q) => lockAccount(q, code),
      },
      () => http.post('/sandbox/jobs/remittance-late-matches/run').set(admin.auth).send({}),
      'the job waits for the parcel the tracker holds',
    );
    expect(trackerError).toBeNull();
    expect(answer.status).toBe(200);
    const lines = (await http.get(`/v1/finance/remittances/${up.body.id}`).set(finance.auth).expect(200)).body
      .lines as { outcome: string }[];
    expect(lines.map((l) => l.outcome)).toEqual(['matched']);
  });

  it('a reversal waits for the tracker crediting the courier’s deliveries seller after seller, rather than deadlocking with it', async () => {
    const s = await newSeller('Toko Antre');
    const b = await delivered(s, 41_000);
    await takeBack(s.seller, b.awb);
    const before = await receivable();
    const courierAccount = Accounts.courierCodReceivable('sap').code;
    const pendingAccount = Accounts.seller(s.seller.sellerId, 'pending').code;
    // As the tracker does when one poll credits several sellers' SAP deliveries (seller after seller, each
    // credit the courier's receivable, then the seller's pending): another seller's credit holds the
    // receivable, and this seller's credit comes next. The reversal reaches the receivable meanwhile.
    const { trackerError, answer } = await raceWithTracker(
      t,
      { first: (q) => lockAccount(q, courierAccount), then: (q) => lockAccount(q, pendingAccount) },
      () => settle(b.id, { decision: 'reverse', reason: 'Uang COD tidak diterima' }),
      'the reversal waits for a lock the tracker holds',
    );
    expect({ trackerError, status: answer.status, code: answer.body.code as unknown }).toEqual({
      trackerError: null,
      status: 200,
      code: undefined,
    });
    expect(await receivable()).toBe(before - 41_000);
    expect(await balance(s.seller)).toMatchObject({ pending: 0 });
    await verified();
  });

  it('a remittance, the tracker and a payout never wait on each other in a circle: the remittance takes the courier’s receivable before the bank', async () => {
    const s = await newSeller('Toko Bundar');
    const b = await delivered(s, 52_000);
    const before = await receivable();
    const receivableCode = Accounts.courierCodReceivable('sap').code;
    const pendingCode = Accounts.seller(s.seller.sellerId, 'pending').code;
    const bank = Accounts.platform('bank');
    // The bank's row exists (locking a row not yet there would take nothing).
    await t.app.get(Transactions).run(() => t.app.get(LedgerService).balances([bank], { lock: true }));
    // A payout being settled holds the seller's accounts and wants the bank next.
    const payout = t.dataSource.createQueryRunner();
    await payout.connect();
    try {
      await payout.startTransaction();
      await lockAccount(payout, pendingCode);
      let paid: Promise<void> | undefined;
      // The tracker holds the receivable, the upload comes and waits for a lock; then the payout asks for
      // the bank, and the tracker for the seller's pending, which the payout holds until it commits.
      const { trackerError, answer } = await raceWithTracker(
        t,
        {
          first: (q) => lockAccount(q, receivableCode),
          then: (q) => {
            paid = lockAccount(payout, bank.code).then(() => payout.commitTransaction());
            return lockAccount(q, pendingCode);
          },
        },
        () => remit(`${b.awb},52000,${today()}\n`),
        'the upload waits for a lock',
      );
      await paid;
      expect({ trackerError, status: answer.status, matched: answer.body.matched as unknown }).toEqual({
        trackerError: null,
        status: 201,
        matched: { count: 1, amount: 52_000 },
      });
    } finally {
      if (payout.isTransactionActive) await payout.rollbackTransaction();
      await payout.release();
    }
    expect(await receivable()).toBe(before - 52_000);
    await verified();
  });

  // A reversed parcel its courier delivers after all: the cash was collected, so the seller is credited again
  // (once) and the courier owes it again, its remittance line settling it as any other's.
  const shipmentOf = async (seller: TestSeller, id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body as { codCollected: boolean };
  /** The courier's last push for the parcel sent again, as it was (a courier retrying it), and applied. */
  const pushAgain = async (awb: string) => {
    const push = await t.app.get(CourierSandboxes).get(sap.code)!.webhookFor(awb);
    await http.post(`/v1/webhooks/couriers/${sap.code}`).set(push!.headers).send(push!.body).expect(200);
    await runJob('tracking-inbox');
    await pushesApplied(t);
  };
  const toldDeliveredAgain = async (sellerId: string, shipmentId: string) =>
    (
      await t.dataSource.query<{ body: string }[]>(
        `SELECT body FROM webhook_deliveries WHERE seller_id = $1 AND type = 'shipment.status_changed'`,
        [sellerId],
      )
    )
      .map((r) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data)
      .filter((d) => d.shipmentId === shipmentId && d.from === 'delivered');
  const reversedAfterFailure = async (s: { seller: TestSeller; origin: string }, codAmount: number) => {
    const b = await delivered(s, codAmount);
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    await settle(b.id, { decision: 'reverse', reason: 'Uang COD tidak diterima' }).expect(200);
    return b;
  };

  it('reversed, then delivered again: credited again once, owed again, and its remittance line settles it', async () => {
    const s = await newSeller('Toko Antar Ulang');
    const b = await reversedAfterFailure(s, 75_000);
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    const owed = await receivable();

    t.clock.advance(86_400_000);
    await pushed(s.seller, b.awb, 'delivered');
    expect(await balance(s.seller)).toMatchObject({ pending: 75_000, available: 0 });
    expect(await receivable()).toBe(owed + 75_000);
    expect(await postings(`cod-credit-redelivered:${b.id}`)).toBe(1);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(true);
    const entries = (await http.get('/v1/ledger/entries').set(s.seller.auth).expect(200)).body.items as {
      type: string;
      account: string;
      amount: number;
      reference: string;
    }[];
    expect(entries.filter((e) => e.type === 'cod_credit' && e.reference === b.awb)).toEqual([
      expect.objectContaining({ account: 'pending', amount: 75_000 }),
      expect.objectContaining({ account: 'pending', amount: 75_000 }),
    ]);
    expect(await toldDeliveredAgain(s.seller.sellerId, b.id)).toEqual([
      expect.objectContaining({ from: 'delivered', status: 'delivered', awb: b.awb, codCollected: true }),
    ]);
    // Not a discrepancy any more: delivered with its cash.
    expect(await takenBackListed()).not.toContain(b.id);
    await verified();

    // The same push again, and a later delivery line: nothing more.
    await pushAgain(b.awb);
    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'delivered');
    expect(await postings(`cod-credit-redelivered:${b.id}`)).toBe(1);
    expect(await balance(s.seller)).toMatchObject({ pending: 75_000, available: 0 });
    expect(await receivable()).toBe(owed + 75_000);
    expect(await toldDeliveredAgain(s.seller.sellerId, b.id)).toHaveLength(1);

    // Held as a delivery's credit is, then released; owed by the courier until its line settles it.
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 75_000, withdrawable: 75_000 });
    expect(await overdue()).toContain(b.id);
    const report = await remit(`${b.awb},75000,${today()}\n`).expect(201);
    expect(report.body.matched).toEqual({ count: 1, amount: 75_000 });
    expect(report.body.unmatched).toEqual({ count: 0, amount: 0 });
    expect(await receivable()).toBe(owed);
    expect(await overdue()).not.toContain(b.id);
    await verified();
  });

  it('reversed, delivered again, then taken back again: that second credit is withheld, listed and settled on its own', async () => {
    const s = await newSeller('Toko Dua Kali');
    const b = await reversedAfterFailure(s, 55_000);
    const owed = await receivable();
    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'delivered');
    expect(await postings(`cod-credit-redelivered:${b.id}`)).toBe(1);
    expect(await balance(s.seller)).toMatchObject({ pending: 55_000, available: 0 });
    // Its first settlement asked for again now: nothing is taken back, so nothing to settle.
    const late = await settle(b.id, { decision: 'reverse', reason: 'Uang COD tidak diterima' }).expect(409);
    expect(late.body).toMatchObject({ code: 'COD_SETTLEMENT_NOT_TAKEN_BACK' });
    expect(await balance(s.seller)).toMatchObject({ pending: 55_000, available: 0 });

    // Taken back again: the seller is told, finance lists it, and its credit stays in pending past its hold.
    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'delivery_failed', 'consignee_absent');
    expect(await alertsOf(s.seller, b.id, 'open')).toHaveLength(1);
    expect(await takenBackListed()).toContain(b.id);
    t.clock.advance(3 * 86_400_000);
    await runJob('ledger-holds');
    expect(await balance(s.seller)).toMatchObject({ pending: 55_000, available: 0, withdrawable: 0 });
    const listed = await discrepancies();
    expect(listed.find((d) => d.shipmentId === b.id)).toMatchObject({
      kind: 'taken_back',
      heldAmount: 55_000,
    });
    // Taken back again before the migration to settlements per credit, its hold was not withheld: it is now.
    const withheld = async () =>
      (
        await t.dataSource.query<{ withheld: boolean }[]>(
          `SELECT h.withheld_since IS NOT NULL AS withheld FROM ledger_holds h
             JOIN ledger_transactions t ON t.id = h.transaction_id WHERE t.key = $1`,
          [`cod-credit-redelivered:${b.id}`],
        )
      ).map((r) => r.withheld);
    expect(await withheld()).toEqual([true]);
    await t.dataSource.query(
      `UPDATE ledger_holds h SET withheld_since = NULL FROM ledger_transactions t
        WHERE t.id = h.transaction_id AND t.key = $1`,
      [`cod-credit-redelivered:${b.id}`],
    );
    await rerunMigration(t.dataSource, new CodSettlementCredits1795503100000());
    expect(await withheld()).toEqual([true]);

    // A retry of the first decision, or one made on a list from before, names the first alert: refused,
    // nothing moves. Finance reverses that second credit, naming its alert as listed: out of pending and
    // the courier's receivable, under its own key.
    const [{ alert_id: firstAlert }] = await t.dataSource.query<{ alert_id: string }[]>(
      'SELECT alert_id FROM cod_settlements WHERE shipment_id = $1',
      [b.id],
    );
    const stale = await settle(b.id, {
      decision: 'reverse',
      reason: 'Uang COD tidak diterima',
      alertId: firstAlert,
    }).expect(409);
    expect(stale.body).toMatchObject({
      code: 'COD_SETTLEMENT_ALERT_CHANGED',
      details: [expect.objectContaining({ field: 'alertId' })],
    });
    expect(await balance(s.seller)).toMatchObject({ pending: 55_000, available: 0 });
    const alertId = listed.find((d) => d.shipmentId === b.id)!.alertId!;
    expect(alertId).not.toBe(firstAlert);
    const second = await settle(b.id, {
      decision: 'reverse',
      reason: 'Tetap tidak diterima',
      alertId,
    }).expect(200);
    expect(second.body.alertId).toBe(alertId);
    expect(second.body).toMatchObject({
      decision: 'reverse',
      creditKey: `cod-credit-redelivered:${b.id}`,
      amount: 55_000,
      fromPending: 55_000,
      fromAvailable: 0,
    });
    expect(await postings(`cod-credit-redelivered-reversal:${b.id}`)).toBe(1);
    expect(await postings(`cod-credit-reversal:${b.id}`)).toBe(1);
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    expect(await receivable()).toBe(owed);
    expect(await alertsOf(s.seller, b.id, 'open')).toHaveLength(0);
    expect(await takenBackListed()).not.toContain(b.id);
    // Asked again, the same decision answers the one recorded; the other is refused.
    expect((await settle(b.id, { decision: 'reverse', reason: 'Sekali lagi' }).expect(200)).body).toEqual(
      second.body,
    );
    await settle(b.id, { decision: 'release', reason: 'Diterima' }).expect(409);
    const settlements = () =>
      t.dataSource.query(
        'SELECT credit_key, decision FROM cod_settlements WHERE shipment_id = $1 ORDER BY settled_at',
        [b.id],
      );
    expect(await settlements()).toEqual([
      { credit_key: `cod-credit:${b.id}`, decision: 'reverse' },
      { credit_key: `cod-credit-redelivered:${b.id}`, decision: 'reverse' },
    ]);

    // Delivered a third time: credited no more. Its cash remitted waits in suspense, and finance cannot credit
    // the seller from there a third time.
    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'delivered');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(false);
    expect(await receivable()).toBe(owed);
    const report = (await remit(`${b.awb},55000,${today()}\n`).expect(201)).body as { id: string };
    const line = await t.dataSource.query<{ outcome: string; reason: string }[]>(
      'SELECT outcome, reason FROM remittance_lines WHERE remittance_id = $1',
      [report.id],
    );
    expect(line).toEqual([{ outcome: 'unmatched', reason: 'cod_reversed' }]);
    const credit = await http
      .post(`/v1/finance/remittances/${report.id}/lines/1/resolve`)
      .set(finance.auth)
      .send({ resolution: 'credit_seller', shipmentId: b.id, note: 'Uang disetor kurir' })
      .expect(409);
    expect(credit.body).toMatchObject({ code: 'REMITTANCE_RESOLUTION_REVERSED_TWICE' });
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    await verified();

    // The migration is not run down over a second credit's settlement, which the code before it cannot read.
    await expect(rerunMigration(t.dataSource, new CodSettlementCredits1795503100000())).rejects.toThrow(
      /cannot be reverted: 1 settlement\(s\) of a parcel's second COD credit/,
    );
    expect(await settlements()).toHaveLength(2);
  });

  it('delivered without its cash, taken back, then delivered with it: credited once, as a delivery is', async () => {
    const s = await newSeller('Toko Tanpa Uang');
    const b = await deliveredWithCash(t, http, s.seller, '0');
    expect(await balance(s.seller)).toMatchObject({ pending: 0, available: 0 });
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(false);
    const owed = await receivable('idexpress');
    const move = (to: CourierStatus, reason?: string) =>
      pushedMove(t, http, { seller: s.seller, admin }, 'idexpress', b.awb, to, reason);

    t.clock.advance(3600_000);
    await move('delivery_failed', 'consignee_absent');
    t.clock.advance(3600_000);
    await move('delivered');
    expect(await balance(s.seller)).toMatchObject({ pending: b.codAmount, available: 0 });
    expect(await receivable('idexpress')).toBe(owed + b.codAmount);
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(true);
    expect(await toldDeliveredAgain(s.seller.sellerId, b.id)).toEqual([
      expect.objectContaining({ from: 'delivered', status: 'delivered', awb: b.awb, codCollected: true }),
    ]);

    // A later delivery line: nothing more.
    t.clock.advance(3600_000);
    await move('delivered');
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);
    expect(await balance(s.seller)).toMatchObject({ pending: b.codAmount, available: 0 });
    await verified();
  });

  it('delivered without its cash, credited from its remittance line, then taken back: listed for finance all the same', async () => {
    const s = await newSeller('Toko Kredit Baris');
    /** ID Express's failed attempt at the buyer's door, pushed. */
    const failedAttempt = (awb: string) =>
      pushedMove(
        t,
        http,
        { seller: s.seller, admin },
        'idexpress',
        awb,
        'delivery_failed',
        'consignee_absent',
      );
    const b = await deliveredWithCash(t, http, s.seller, '0');
    const report = await remit(`${b.awb},${b.codAmount},${today()}\n`, 'idexpress').expect(201);
    await http
      .post(`/v1/finance/remittances/${report.body.id}/lines/1/resolve`)
      .set(finance.auth)
      .send({ resolution: 'credit_seller', shipmentId: b.id, note: 'Kurir menyetor uangnya' })
      .expect(200);
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);
    // No courier line says the cash was taken: the credit came from finance's decision on the remittance.
    t.clock.advance(3600_000);
    await failedAttempt(b.awb);
    expect(await alertsOf(s.seller, b.id, 'open')).toHaveLength(1);
    const listed = await discrepancies();
    expect(listed.find((d) => d.shipmentId === b.id)).toMatchObject({
      kind: 'taken_back',
      awb: b.awb,
      courier: 'idexpress',
    });
    // One delivered without its cash and never credited, then taken back, has nothing to settle: listed as
    // delivered without its cash, not as taken back.
    const none = await deliveredWithCash(t, http, s.seller, '0');
    t.clock.advance(3600_000);
    await failedAttempt(none.awb);
    const after = await discrepancies();
    expect(after.filter((d) => d.shipmentId === none.id).map((d) => d.kind)).toEqual(['none']);
    await verified();
  });

  it('delivered without its cash, then reported delivered with it: credited once, its remittance line matched late', async () => {
    const s = await newSeller('Toko Ralat Kurir');
    const b = await deliveredWithCash(t, http, s.seller, '0');
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(false);
    const report = await remit(`${b.awb},${b.codAmount},${today()}\n`, 'idexpress').expect(201);
    expect(report.body.unmatched).toEqual({ count: 1, amount: b.codAmount });
    const owed = await receivable('idexpress');
    /** ID Express's proof-of-delivery line again, `hours` after the first, taking `cash`. */
    const pod = (hours: number, cash: string) =>
      http
        .post('/v1/webhooks/couriers/idexpress')
        .set(b.push.headers)
        .send(
          JSON.stringify([
            {
              ...b.line,
              lastOperationTime: Number(b.line.lastOperationTime) + hours * 3600,
              codAmount: cash,
            },
          ]),
        )
        .expect(200)
        .then(() => pushesApplied(t));

    // The same line again, or one dated before it with the cash: nothing.
    await pod(0, '0');
    await pod(-1, String(b.codAmount));
    expect(await postings(`cod-credit:${b.id}`)).toBe(0);

    t.clock.advance(3600_000);
    await pod(1, String(b.codAmount));
    expect(await balance(s.seller)).toMatchObject({ pending: b.codAmount, available: 0 });
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);
    expect((await shipmentOf(s.seller, b.id)).codCollected).toBe(true);
    expect(await toldDeliveredAgain(s.seller.sellerId, b.id)).toEqual([
      expect.objectContaining({ from: 'delivered', status: 'delivered', awb: b.awb, codCollected: true }),
    ]);
    // No alert: the courier corrected its own line, nothing took the delivery back.
    expect(await alertsOf(s.seller, b.id, 'open')).toEqual([]);

    await runJob('remittance-late-matches');
    const line = (await http.get(`/v1/finance/remittances/${report.body.id}`).set(finance.auth).expect(200))
      .body.lines[0] as { outcome: string; reason: string | null };
    expect(line).toMatchObject({ outcome: 'matched', reason: null });
    expect(await receivable('idexpress')).toBe(owed);

    // A later line with the cash again: credited once still.
    t.clock.advance(3600_000);
    await pod(2, String(b.codAmount));
    expect(await postings(`cod-credit:${b.id}`)).toBe(1);
    expect(await toldDeliveredAgain(s.seller.sellerId, b.id)).toHaveLength(1);
    await verified();
  });

  it('a line waiting in suspense as cod_reversed is matched by the late match once the parcel is delivered again', async () => {
    const s = await newSeller('Toko Setor Ulang');
    const b = await reversedAfterFailure(s, 55_000);
    const report = await remit(`${b.awb},55000,${today()}\n`).expect(201);
    expect(report.body.unmatched).toEqual({ count: 1, amount: 55_000 });
    const owed = await receivable();
    const lineOf = async () =>
      (await http.get(`/v1/finance/remittances/${report.body.id}`).set(finance.auth).expect(200)).body
        .lines[0] as { outcome: string; reason: string | null };
    // Not delivered again: the late match leaves it where it is.
    await runJob('remittance-late-matches');
    expect(await lineOf()).toMatchObject({ outcome: 'unmatched', reason: 'cod_reversed' });

    t.clock.advance(3600_000);
    await pushed(s.seller, b.awb, 'delivered');
    expect(await receivable()).toBe(owed + 55_000);
    await runJob('remittance-late-matches');
    expect(await lineOf()).toMatchObject({ outcome: 'matched', reason: null });
    const detail = (await http.get(`/v1/finance/remittances/${report.body.id}`).set(finance.auth).expect(200))
      .body;
    expect(detail).toMatchObject({
      matched: { count: 1, amount: 55_000 },
      unmatched: { count: 0, amount: 0 },
    });
    expect(await receivable()).toBe(owed);
    expect(await balance(s.seller)).toMatchObject({ pending: 55_000 });
    await verified();
  });

  it('reverts the settlements migration over a line refused for a reversed credit, and runs it again', async () => {
    const s = await newSeller('Toko Migrasi');
    const b = await delivered(s, 40_000);
    await pushed(s.seller, b.awb, 'returned');
    await settle(b.id, { decision: 'reverse', reason: 'uang tidak diterima' }).expect(200);
    await remit(`${b.awb},40000,${today()}\n`).expect(201);
    const reasons = () =>
      t.dataSource.query<{ reason: string }[]>(
        "SELECT reason FROM remittance_lines WHERE awb = $1 AND outcome = 'unmatched'",
        [b.awb],
      );
    expect(await reasons()).toEqual([{ reason: 'cod_reversed' }]);
    await rerunMigration(t.dataSource, new CodSettlements1795491000000());
    // Down made it what it was before reversals existed; up does not make it a reversal again.
    expect(await reasons()).toEqual([{ reason: 'not_delivered_cod' }]);
  });
});
