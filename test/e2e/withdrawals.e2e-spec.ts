import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { AppConfig } from 'config';
import { Transactions } from 'src/database/transaction';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { BankAccountsService } from 'src/sellers/bank-accounts.service';
import { PayoutAdapter } from 'src/withdrawals/payout-adapter';
import { PayoutsService } from 'src/withdrawals/payouts.service';
import { addBankAccount, creditAvailable } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { addSellerUser, signupSeller, subscribeWebhooks, TestSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

type Auth = { auth: Record<string, string> };
const MINUTE = 60_000;
const HOUR = 3600_000;

/**
 * Withdrawals over HTTP against the real app, its sandbox disbursement provider and PostgreSQL: the
 * balance, validation, auto-approval and finance's decisions, and every way a payout ends — paid, failed,
 * timed out, bounced — each checked in the ledger.
 */
describe('withdrawals and payouts', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let admin: Auth;
  let finance: Auth;
  let ledger: LedgerService;

  beforeAll(async () => {
    // The provider's answers time out quickly here (its "never answers" fault is a held socket).
    t = await startTestApp({}, undefined, {
      configure: (c) => (c.business.money.payouts.requestTimeoutMs = 400),
    });
    http = t.http();
    admin = await createOperator(t, http, 'admin');
    finance = await createOperator(t, http, 'finance');
    ledger = t.app.get(LedgerService);
  });
  afterAll(() => t.close());

  /** A seller with `amount` rupiah available, a bank account and a webhook receiver that is never called. */
  async function fundedSeller(amount: number): Promise<TestSeller & { bank: string }> {
    const seller = await signupSeller(http, `Toko ${randomUUID().slice(0, 6)}`);
    await subscribeWebhooks(http, seller, 'http://127.0.0.1:9/hook');
    if (amount) await creditAvailable(t, seller.sellerId, amount);
    return { ...seller, bank: await addBankAccount(http, seller) };
  }
  const balance = async (s: TestSeller) => (await http.get('/v1/balance').set(s.auth).expect(200)).body;
  const withdraw = (s: TestSeller & { bank: string }, amount: number) =>
    http
      .post('/v1/withdrawals')
      .set('Idempotency-Key', randomUUID())
      .set(s.auth)
      .send({ amount, bankAccountId: s.bank });
  const get = async (s: TestSeller, id: string) =>
    (await http.get(`/v1/withdrawals/${id}`).set(s.auth).expect(200)).body;
  const faults = (f: object) => http.post('/sandbox/payouts/faults').set(admin.auth).send(f).expect(200);
  const runPayouts = async () =>
    (await http.post('/sandbox/jobs/payouts/run').set(admin.auth).send({}).expect(200)).body.result;
  const platform = async (kind: 'bank' | 'fee_income' | 'payouts_in_flight') => {
    const ref = Accounts.platform(kind);
    return (await ledger.balances([ref])).get(ref.code)!;
  };
  const events = async (withdrawalId: string) =>
    (
      await t.dataSource.query<{ status: string }[]>(
        `SELECT body::json->'data'->>'status' AS status FROM webhook_deliveries
          WHERE type = 'withdrawal.updated' AND body::json->'data'->>'id' = $1`,
        [withdrawalId],
      )
    )
      .map((r) => r.status)
      .sort();
  const disbursements = async (withdrawalId: string) =>
    (
      await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM sandbox_disbursements WHERE external_id = $1',
        [withdrawalId],
      )
    )[0].n;
  /** The withdrawal's send reaching the provider only now, as a request held on the way would. */
  const arrivesLate = async (
    s: TestSeller,
    id: string,
    account: { bankCode: string; accountNumber: string; accountName: string },
  ) => {
    const view = await get(s, id);
    await t.app.get(PayoutAdapter).send({
      idempotencyKey: id,
      amount: view.netAmount as number,
      bankCode: account.bankCode,
      accountNumber: account.accountNumber,
      accountName: account.accountName,
      description: `Kirim withdrawal ${id}`,
    });
  };
  const postings = async (withdrawalId: string) =>
    (
      await t.dataSource.query<{ key: string }[]>(
        'SELECT key FROM ledger_transactions WHERE reference = $1 ORDER BY key',
        [withdrawalId],
      )
    ).map((r) => r.key.split(':')[2]);

  beforeEach(async () => {
    await faults({ failRate: 0, timeoutRate: 0, sendTimeoutRate: 0, bounceRate: 0, latencyMs: 0 });
  });
  afterEach(async () => {
    expect((await ledger.verify()).ok).toBe(true);
    // Each test counts what the payout job does with its own withdrawals: earlier ones are parked.
    await t.dataSource.query('UPDATE withdrawals SET next_check_at = NULL');
  });

  it('answers the balance: available, what is on its way out, outstanding invoices and what may be withdrawn', async () => {
    const s = await fundedSeller(0);
    expect(await balance(s)).toEqual({
      pending: 0,
      available: 0,
      inWithdrawal: 0,
      outstandingInvoices: 0,
      withdrawable: 0,
    });
    await creditAvailable(t, s.sellerId, 800_000);
    // An issued invoice the balance could not settle, as invoicing leaves it.
    await t.app.get(Transactions).run(() =>
      ledger.post({
        key: `test-invoice:${randomUUID()}`,
        type: 'invoice_issued',
        at: t.clock.now(),
        sellerId: s.sellerId,
        entries: [
          { account: Accounts.seller(s.sellerId, 'invoice_receivable'), debit: 300_000 },
          { account: Accounts.platform('shipping_fee_income'), credit: 300_000 },
        ],
      }),
    );
    expect(await balance(s)).toEqual({
      pending: 0,
      available: 800_000,
      inWithdrawal: 0,
      outstandingInvoices: 300_000,
      withdrawable: 500_000,
    });
    // Within available but not within withdrawable: refused, naming the amount.
    const over = await withdraw(s, 500_001).expect(422);
    expect(over.body).toMatchObject({
      code: 'WITHDRAWAL_INSUFFICIENT_FUNDS',
      details: [{ field: 'amount', message: expect.stringContaining('500000') }],
    });
    const ok = await withdraw(s, 500_000).expect(201);
    expect(ok.body).toMatchObject({ status: 'approved', amount: 500_000, fee: 2_500, netAmount: 497_500 });
    expect(await balance(s)).toEqual({
      pending: 0,
      available: 300_000,
      inWithdrawal: 500_000,
      outstandingInvoices: 300_000,
      withdrawable: 0,
    });
  });

  it('validates the request: amount a positive safe integer, bankAccountId a uuid of the seller’s own', async () => {
    const s = await fundedSeller(1_000_000);
    const other = await fundedSeller(0);
    const bad = async (body: object, field: string) => {
      const res = await http
        .post('/v1/withdrawals')
        .set('Idempotency-Key', randomUUID())
        .set(s.auth)
        .send(body)
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    };
    for (const amount of [0, -1, 1.5, '100000', null, Number.MAX_SAFE_INTEGER + 2, 1e308])
      await bad({ amount, bankAccountId: s.bank }, 'amount');
    await bad({ bankAccountId: s.bank }, 'amount');
    for (const bankAccountId of ['x', 42, '', `${s.bank}\u0000`])
      await bad({ amount: 50_000, bankAccountId }, 'bankAccountId');
    await bad({ amount: 50_000, bankAccountId: s.bank, fee: 0 }, 'fee');

    const foreign = await withdraw({ ...s, bank: other.bank }, 50_000).expect(404);
    expect(foreign.body.code).toBe('SELLERS_BANK_ACCOUNT_NOT_FOUND');
    // An id from the body is named, as any bad field is.
    expect(foreign.body.details).toEqual([
      { field: 'bankAccountId', message: 'is not one of your bank accounts' },
    ]);
    const small = await withdraw(s, 9_999).expect(422);
    expect(small.body).toMatchObject({ code: 'WITHDRAWAL_AMOUNT_TOO_SMALL', details: [{ field: 'amount' }] });
    await withdraw(s, 1_000_001).expect(422);
    await withdraw(s, Number.MAX_SAFE_INTEGER).expect(422);

    const staff = await addSellerUser(http, s, 'seller_staff');
    await http
      .post('/v1/withdrawals')
      .set('Idempotency-Key', randomUUID())
      .set(staff.auth)
      .send({ amount: 50_000, bankAccountId: s.bank })
      .expect(403);
    expect((await http.get('/v1/withdrawals').set(s.auth).expect(200)).body.items).toEqual([]);
    expect(await balance(s)).toMatchObject({ available: 1_000_000, inWithdrawal: 0 });

    // Another seller's withdrawal is not found.
    const mine = (await withdraw(s, 50_000).expect(201)).body.id as string;
    await http.get(`/v1/withdrawals/${mine}`).set(other.auth).expect(404);
    expect((await http.get('/v1/withdrawals').set(other.auth).expect(200)).body.items).toEqual([]);
  });

  it('replays a repeated request with its Idempotency-Key instead of withdrawing twice, and requires the key', async () => {
    const s = await fundedSeller(200_000);
    const key = randomUUID();
    const send = () =>
      http
        .post('/v1/withdrawals')
        .set(s.auth)
        .set('Idempotency-Key', key)
        .send({ amount: 60_000, bankAccountId: s.bank });
    const first = await send().expect(201);
    const again = await send().expect(201);
    expect(again.body).toEqual(first.body);
    expect(await balance(s)).toMatchObject({ available: 140_000 });
    // Without a key, a request sent again after a lost answer would withdraw twice: refused, naming it.
    const unkeyed = await http
      .post('/v1/withdrawals')
      .set(s.auth)
      .send({ amount: 60_000, bankAccountId: s.bank })
      .expect(400);
    expect(unkeyed.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'Idempotency-Key', message: expect.stringContaining('required') }],
    });
    expect(await balance(s)).toMatchObject({ available: 140_000 });
    expect((await http.get('/v1/withdrawals').set(s.auth).expect(200)).body.items).toHaveLength(1);
  });

  it('auto-approves up to the limit, pays through the provider, and tells the seller at every step', async () => {
    const s = await fundedSeller(1_000_000);
    const [bank0, fee0] = [await platform('bank'), await platform('fee_income')];
    const created = await withdraw(s, 100_000).expect(201);
    expect(created.body).toMatchObject({
      status: 'approved',
      amount: 100_000,
      fee: 2_500,
      netAmount: 97_500,
      bankAccount: { id: s.bank, bankCode: 'BCA', accountNumber: expect.stringMatching(/^\*+\d{4}$/) },
      failureReason: null,
    });
    const id = created.body.id as string;
    expect(await balance(s)).toMatchObject({
      available: 900_000,
      inWithdrawal: 100_000,
      withdrawable: 900_000,
    });

    expect(await runPayouts()).toMatchObject({ sent: 1, paid: 0, waiting: 1 });
    expect((await get(s, id)).status).toBe('approved'); // PENDING at the provider
    // Run again before the next check: nothing is due, nothing sent twice.
    expect(await runPayouts()).toMatchObject({ sent: 0, waiting: 0 });
    t.clock.advance(10 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 0, paid: 1 });
    const paid = await get(s, id);
    expect(paid).toMatchObject({ status: 'paid', paidAt: t.clock.now().toISOString() });
    expect(await disbursements(id)).toBe(1);
    const [row] = await t.dataSource.query(
      'SELECT amount, account_number FROM sandbox_disbursements WHERE external_id = $1',
      [id],
    );
    expect(Number(row.amount)).toBe(97_500); // the net, to the full account number
    expect(row.account_number).toMatch(/^\d{10}$/);

    expect(await balance(s)).toMatchObject({ available: 900_000, inWithdrawal: 0 });
    expect((await platform('bank')) - bank0).toBe(-97_500);
    expect((await platform('fee_income')) - fee0).toBe(2_500);
    expect(await postings(id)).toEqual(['approve', 'pay', 'requested']);
    expect(await events(id)).toEqual(['approved', 'paid', 'requested']);
    const mine = await http.get('/v1/withdrawals').set(s.auth).expect(200);
    expect(mine.body.items.map((w: { id: string }) => w.id)).toEqual([id]);
  });

  it('auto-approves a seller at most Rp 3.000.000 a day in Jakarta, requests sent together too; past it finance decides', async () => {
    const s = await fundedSeller(9_000_000);
    // Four at once, each under the single limit: the balances' lock orders them, and only three fit the day.
    const together = await Promise.all([1, 2, 3, 4].map(() => withdraw(s, 1_000_000).expect(201)));
    expect(together.map((r) => r.body.status).sort()).toEqual([
      'approved',
      'approved',
      'approved',
      'requested',
    ]);
    const waiting = together.find((r) => r.body.status === 'requested')!.body.id as string;
    expect((await withdraw(s, 10_000).expect(201)).body.status).toBe('requested');
    // What finance approves by hand is finance's decision: it does not use up the day's automatic approvals.
    await http.post(`/v1/finance/withdrawals/${waiting}/approve`).set(finance.auth).expect(200);
    expect((await withdraw(s, 10_000).expect(201)).body.status).toBe('requested');
    expect(await balance(s)).toMatchObject({ available: 4_980_000, inWithdrawal: 4_020_000 });

    // The next day in Jakarta starts afresh.
    const wib = new Date(t.clock.now().getTime() + 7 * HOUR);
    const toMidnight = 24 * HOUR - (wib.getTime() % (24 * HOUR));
    if (toMidnight > MINUTE) {
      t.clock.advance(toMidnight - MINUTE);
      expect((await withdraw(s, 10_000).expect(201)).body.status).toBe('requested');
    }
    t.clock.advance(2 * MINUTE);
    expect((await withdraw(s, 1_000_000).expect(201)).body.status).toBe('approved');
  });

  it('leaves larger amounts to finance: sellers may not decide, finance rejects (funds back) or approves', async () => {
    const s = await fundedSeller(5_000_000);
    const big = (await withdraw(s, 2_000_000).expect(201)).body;
    expect(big).toMatchObject({ status: 'requested', approvedAt: null });
    expect(await balance(s)).toMatchObject({ available: 3_000_000, inWithdrawal: 2_000_000 });
    expect(await runPayouts()).toMatchObject({ sent: 0 }); // nothing is paid before approval

    for (const [method, path, body] of [
      ['get', '/v1/finance/withdrawals?status=requested', undefined],
      ['get', `/v1/finance/withdrawals/${big.id}`, undefined],
      ['post', `/v1/finance/withdrawals/${big.id}/approve`, undefined],
      ['post', `/v1/finance/withdrawals/${big.id}/reject`, { reason: 'no' }],
    ] as const) {
      const req = http[method](path).set(s.auth);
      await (body ? req.send(body) : req).expect(403);
    }
    const queue = await http
      .get('/v1/finance/withdrawals?status=requested&limit=500')
      .set(finance.auth)
      .expect(200);
    expect(queue.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: big.id, sellerId: s.sellerId, status: 'requested' }),
      ]),
    );
    // Whose it is, by name: the seller's own, as it signed up.
    const me = await http.get('/v1/me').set(s.auth).expect(200);
    expect(queue.body.items.find((w: { id: string }) => w.id === big.id).sellerName).toBe(
      me.body.seller.name,
    );
    await http.get('/v1/finance/withdrawals?status=sent').set(finance.auth).expect(400);
    // In any letter case, as GET /v1/shipments takes its filters: before, `Requested` was a 400.
    const anyCase = await http
      .get('/v1/finance/withdrawals?status=%20Requested%20&limit=500')
      .set(finance.auth)
      .expect(200);
    const ids = (page: { items: { id: string }[] }) => page.items.map((w) => w.id);
    expect(ids(anyCase.body)).toEqual(ids(queue.body));

    await http.post(`/v1/finance/withdrawals/${big.id}/reject`).set(finance.auth).send({}).expect(400);
    await http
      .post(`/v1/finance/withdrawals/${big.id}/reject`)
      .set(finance.auth)
      .send({ reason: '   ' })
      .expect(400);
    const rejected = await http
      .post(`/v1/finance/withdrawals/${big.id}/reject`)
      .set(finance.auth)
      .send({ reason: 'Nama rekening tidak sesuai' })
      .expect(200);
    expect(rejected.body).toMatchObject({
      sellerName: me.body.seller.name,
      status: 'rejected',
      rejectionReason: 'Nama rekening tidak sesuai',
    });
    expect(await balance(s)).toMatchObject({ available: 5_000_000, inWithdrawal: 0 });
    const again = await http.post(`/v1/finance/withdrawals/${big.id}/approve`).set(finance.auth).expect(409);
    expect(again.body.code).toBe('WITHDRAWAL_INVALID_TRANSITION');
    await http.post(`/v1/finance/withdrawals/${randomUUID()}/approve`).set(finance.auth).expect(404);
    // Read again as it is now (after a 409, finance's card shows what someone else decided).
    const now = await http.get(`/v1/finance/withdrawals/${big.id}`).set(finance.auth).expect(200);
    expect(now.body).toEqual(rejected.body);
    await http.get(`/v1/finance/withdrawals/${randomUUID()}`).set(finance.auth).expect(404);
    await http.get('/v1/finance/withdrawals/not-an-id').set(finance.auth).expect(404);
    expect(await postings(big.id)).toEqual(['reject', 'requested']);
    expect(await events(big.id)).toEqual(['rejected', 'requested']);

    const next = (await withdraw(s, 3_000_000).expect(201)).body;
    const approved = await http
      .post(`/v1/finance/withdrawals/${next.id}/approve`)
      .set(admin.auth)
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', payoutState: null });
    await http
      .post(`/v1/finance/withdrawals/${next.id}/reject`)
      .set(finance.auth)
      .send({ reason: 'late' })
      .expect(409);
    expect(await balance(s)).toMatchObject({ available: 2_000_000, inWithdrawal: 3_000_000 });
    await runPayouts();
    t.clock.advance(10 * MINUTE);
    await runPayouts();
    expect((await get(s, next.id)).status).toBe('paid');
    expect(await balance(s)).toMatchObject({ available: 2_000_000, inWithdrawal: 0 });
  });

  it('a withdrawal whose bank account the seller removed is not approved (422) but may be rejected; removed after approval, its payout fails and the amount comes back', async () => {
    const s = await fundedSeller(5_000_000);
    const waiting = (await withdraw(s, 2_000_000).expect(201)).body;
    await http.delete(`/v1/bank-accounts/${s.bank}`).set(s.auth).expect(204);
    const refused = await http
      .post(`/v1/finance/withdrawals/${waiting.id}/approve`)
      .set(finance.auth)
      .expect(422);
    expect(refused.body.code).toBe('WITHDRAWAL_BANK_ACCOUNT_REMOVED');
    expect((await get(s, waiting.id)).status).toBe('requested');
    expect(await postings(waiting.id)).toEqual(['requested']);
    await http
      .post(`/v1/finance/withdrawals/${waiting.id}/reject`)
      .set(finance.auth)
      .send({ reason: 'Rekening dihapus' })
      .expect(200);
    expect(await balance(s)).toMatchObject({ available: 5_000_000, inWithdrawal: 0 });

    // Removed once approved: the payout job finds no account to pay.
    const bank = await addBankAccount(http, s);
    const next = (
      await http
        .post('/v1/withdrawals')
        .set('Idempotency-Key', randomUUID())
        .set(s.auth)
        .send({ amount: 3_000_000, bankAccountId: bank })
        .expect(201)
    ).body;
    await http.post(`/v1/finance/withdrawals/${next.id}/approve`).set(finance.auth).expect(200);
    await http.delete(`/v1/bank-accounts/${bank}`).set(s.auth).expect(204);
    await runPayouts();
    expect(await get(s, next.id)).toMatchObject({ status: 'failed', failureReason: 'bank_account_removed' });
    expect(await disbursements(next.id)).toBe(0);
    expect(await balance(s)).toMatchObject({ available: 5_000_000, inWithdrawal: 0 });
  });

  it('a withdrawal requested while the seller removes its bank account is refused (404 naming bankAccountId), not taken for the removed account', async () => {
    const s = await fundedSeller(500_000);
    // The removal, begun and not yet committed, as DELETE /v1/bank-accounts/:id writes it.
    const q = t.dataSource.createQueryRunner();
    await q.connect();
    try {
      await q.startTransaction();
      await q.query('UPDATE bank_accounts SET deleted_at = now() WHERE id = $1', [s.bank]);
      const answered = withdraw(s, 100_000).then((r) => r);
      let done = false;
      void answered.then(() => (done = true));
      // The request either answers (taking the account as it was) or waits for the removal.
      await waitUntil(async () => {
        if (done) return true;
        const [{ n }] = await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
        );
        return n > 0;
      }, 'the request answers or waits for the removal');
      await q.commitTransaction();
      const res = await answered;
      expect(res.status).toBe(404);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'bankAccountId' })]);
    } finally {
      await q.release();
    }
    expect(await balance(s)).toMatchObject({ available: 500_000, inWithdrawal: 0 });
  });

  it('an unanswered send whose bank account is then removed fails only once that send can no longer arrive: one that arrives late is paid, not paid on top of the money given back', async () => {
    const s = await fundedSeller(400_000);
    const account = await t.app.get(BankAccountsService).find(s.sellerId, s.bank);
    // Sends go unanswered (and are not taken) while lookups answer that the provider has nothing.
    await faults({ sendTimeoutRate: 1 });
    const late = (await withdraw(s, 100_000).expect(201)).body.id as string;
    const lost = (await withdraw(s, 100_000).expect(201)).body.id as string;
    expect(await runPayouts()).toMatchObject({ sent: 2, waiting: 2 });
    await http.delete(`/v1/bank-accounts/${s.bank}`).set(s.auth).expect(204);
    await faults({ sendTimeoutRate: 0 });

    // The provider has nothing yet, and there is no account to send to again: the sends may still arrive.
    t.clock.advance(5 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 0, failed: 0, waiting: 2 });
    expect((await get(s, late)).status).toBe('approved');
    expect(await balance(s)).toMatchObject({ available: 200_000, inWithdrawal: 200_000 });

    // `late`'s send reaches the provider now.
    await arrivesLate(s, late, account);
    t.clock.advance(60 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 0, paid: 1, failed: 1 });
    expect(await get(s, late)).toMatchObject({ status: 'paid' });
    expect(await get(s, lost)).toMatchObject({ status: 'failed', failureReason: 'bank_account_removed' });
    expect([await disbursements(late), await disbursements(lost)]).toEqual([1, 0]);
    expect(await postings(late)).toEqual(['approve', 'pay', 'requested']);
    expect(await balance(s)).toMatchObject({ available: 300_000, inWithdrawal: 0 });
  });

  it('a payout the provider fails gives the whole amount back, fee included', async () => {
    const s = await fundedSeller(300_000);
    const fee0 = await platform('fee_income');
    await faults({ failRate: 1 });
    const id = (await withdraw(s, 200_000).expect(201)).body.id as string;
    await runPayouts();
    t.clock.advance(10 * MINUTE);
    expect(await runPayouts()).toMatchObject({ failed: 1 });
    expect(await get(s, id)).toMatchObject({ status: 'failed', failureReason: 'INVALID_DESTINATION' });
    expect(await balance(s)).toMatchObject({ available: 300_000, inWithdrawal: 0, withdrawable: 300_000 });
    expect(await platform('fee_income')).toBe(fee0);
    expect(await postings(id)).toEqual(['approve', 'fail', 'requested']);
    expect(await events(id)).toEqual(['approved', 'failed', 'requested']);
    // Failed is final: the job leaves it alone, and the money can be withdrawn again.
    t.clock.advance(HOUR);
    expect(await runPayouts()).toMatchObject({ sent: 0, failed: 0 });
    await withdraw(s, 300_000).expect(201);
  });

  it('an unanswered payout is asked about before it is sent again, and fails as timed out only when the provider never had it', async () => {
    const s = await fundedSeller(400_000);
    await faults({ timeoutRate: 1 });
    const a = (await withdraw(s, 100_000).expect(201)).body.id as string;
    expect(await runPayouts()).toMatchObject({ sent: 1, waiting: 1, failed: 0 });
    expect((await get(s, a)).status).toBe('approved');
    expect(await disbursements(a)).toBe(0);
    // The provider is back: a is looked up (nothing there), then sent once and paid.
    await faults({ timeoutRate: 0 });
    t.clock.advance(5 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 1, waiting: 1 });
    t.clock.advance(10 * MINUTE);
    expect(await runPayouts()).toMatchObject({ paid: 1 });
    expect((await get(s, a)).status).toBe('paid');
    expect(await disbursements(a)).toBe(1);

    // b's send goes unanswered; a day later the provider answers that it has nothing: b fails, money back.
    await faults({ timeoutRate: 1 });
    const b = (await withdraw(s, 100_000).expect(201)).body.id as string;
    expect(await runPayouts()).toMatchObject({ sent: 1, failed: 0 });
    await faults({ timeoutRate: 0 });
    t.clock.advance(25 * HOUR);
    expect(await runPayouts()).toMatchObject({ sent: 0, failed: 1 });
    expect(await get(s, b)).toMatchObject({ status: 'failed', failureReason: 'timed_out' });
    expect(await disbursements(b)).toBe(0);
    expect(await balance(s)).toMatchObject({ available: 300_000, inWithdrawal: 0 });
  });

  it('a payout given up on fails only once its last send can no longer reach the provider: one that arrives late is paid, not paid on top of the money given back', async () => {
    const s = await fundedSeller(400_000);
    // Sends go unanswered (and are not taken) while lookups answer that the provider has nothing.
    await faults({ sendTimeoutRate: 1 });
    const late = (await withdraw(s, 100_000).expect(201)).body.id as string;
    const lost = (await withdraw(s, 100_000).expect(201)).body.id as string;
    expect(await runPayouts()).toMatchObject({ sent: 2, waiting: 2 });
    // Looked up and sent again until the give-up: the last sends a minute before it.
    t.clock.advance(24 * HOUR - MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 2, waiting: 2, failed: 0 });
    // Past the give-up the provider still has nothing: neither is sent again, nor failed yet.
    t.clock.advance(2 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 0, waiting: 2, failed: 0 });
    expect((await get(s, late)).status).toBe('approved');
    expect(await balance(s)).toMatchObject({ available: 200_000, inWithdrawal: 200_000 });

    // `late`'s last send reaches the provider now.
    await faults({ sendTimeoutRate: 0 });
    await arrivesLate(s, late, await t.app.get(BankAccountsService).find(s.sellerId, s.bank));
    // Nothing is looked at until an hour after the last sends.
    t.clock.advance(30 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 0, waiting: 0, paid: 0, failed: 0 });
    t.clock.advance(30 * MINUTE);
    expect(await runPayouts()).toMatchObject({ sent: 0, paid: 1, failed: 1 });
    expect(await get(s, late)).toMatchObject({ status: 'paid' });
    expect(await get(s, lost)).toMatchObject({ status: 'failed', failureReason: 'timed_out' });
    expect([await disbursements(late), await disbursements(lost)]).toEqual([1, 0]);
    expect(await postings(late)).toEqual(['approve', 'pay', 'requested']);
    expect(await postings(lost)).toEqual(['approve', 'fail', 'requested']);
    expect(await balance(s)).toMatchObject({ available: 300_000, inWithdrawal: 0 });
  });

  it('a run as of an earlier moment takes only what was due then, and dates its sends by the clock: no early give-up', async () => {
    const s = await fundedSeller(400_000);
    await faults({ sendTimeoutRate: 1 });
    const early = (await withdraw(s, 100_000).expect(201)).body.id as string;
    const asOf = new Date(t.clock.now().getTime() + MINUTE).toISOString();
    t.clock.advance(25 * HOUR);
    const later = (await withdraw(s, 100_000).expect(201)).body.id as string;
    const run = await http.post('/sandbox/jobs/payouts/run').set(admin.auth).send({ asOf }).expect(200);
    expect(run.body.result).toMatchObject({ sent: 1, waiting: 1 });
    const sent = async (id: string) =>
      (
        await t.dataSource.query<{ first: Date | null; last: Date | null }[]>(
          'SELECT first_sent_at AS first, last_sent_at AS last FROM withdrawals WHERE id = $1',
          [id],
        )
      )[0];
    expect(await sent(early)).toEqual({ first: t.clock.now(), last: t.clock.now() });
    expect(await sent(later)).toEqual({ first: null, last: null });
    // Dated a day back, its send would have been given up on at once: failed, the money back, while that
    // send may still be paid. Sent just now, it is looked up and sent again.
    t.clock.advance(5 * MINUTE);
    expect(await runPayouts()).toMatchObject({ failed: 0 });
    expect((await get(s, early)).status).toBe('approved');
    expect(await balance(s)).toMatchObject({ available: 200_000, inWithdrawal: 200_000 });
  });

  it('a run slowed by the provider claims each batch with a lease from its own start and dates its sends then', async () => {
    const s = await fundedSeller(200_000);
    const ids = [
      (await withdraw(s, 100_000).expect(201)).body.id as string,
      (await withdraw(s, 100_000).expect(201)).body.id as string,
    ];
    const settings = t.app.get(AppConfig).business.money.payouts;
    const adapter = t.app.get(PayoutAdapter);
    const send = adapter.send.bind(adapter);
    const slow = settings.claimSeconds * 1000 + 5 * MINUTE;
    const [started, batch] = [t.clock.now(), settings.batch];
    // One payout a batch, and each send takes longer than a claim's lease.
    settings.batch = 1;
    adapter.send = async (request) => {
      t.clock.advance(slow);
      return send(request);
    };
    try {
      expect(await t.app.get(PayoutsService).runDue()).toMatchObject({ sent: 2 });
    } finally {
      adapter.send = send;
      settings.batch = batch;
    }
    const sentAt = (
      await t.dataSource.query<{ last: Date }[]>(
        'SELECT last_sent_at AS last FROM withdrawals WHERE id = ANY($1::uuid[]) ORDER BY last_sent_at',
        [ids],
      )
    ).map((r) => r.last.getTime());
    // The second batch was claimed, and its payout sent, after the first send's time had passed.
    expect(sentAt).toEqual([started.getTime(), started.getTime() + slow]);
    for (const id of ids) expect(await disbursements(id)).toBe(1);
  });

  it('a transfer the bank returns after it was paid (a bounce) gives the money back', async () => {
    const s = await fundedSeller(150_000);
    const [bank0, fee0] = [await platform('bank'), await platform('fee_income')];
    await faults({ bounceRate: 1 });
    const id = (await withdraw(s, 150_000).expect(201)).body.id as string;
    await runPayouts();
    t.clock.advance(10 * MINUTE);
    expect(await runPayouts()).toMatchObject({ paid: 1 });
    expect(await balance(s)).toMatchObject({ available: 0, inWithdrawal: 0 });
    // Watched while it might still bounce: asked again every few hours, still completed.
    t.clock.advance(6 * HOUR);
    expect(await runPayouts()).toMatchObject({ bounced: 0, waiting: 1 });
    t.clock.advance(24 * HOUR);
    expect(await runPayouts()).toMatchObject({ bounced: 1 });
    expect(await get(s, id)).toMatchObject({ status: 'failed', failureReason: 'bounced' });
    expect(await balance(s)).toMatchObject({ available: 150_000, inWithdrawal: 0 });
    expect(await platform('bank')).toBe(bank0);
    expect(await platform('fee_income')).toBe(fee0);
    expect(await postings(id)).toEqual(['approve', 'bounce', 'pay', 'requested']);
    expect(await events(id)).toEqual(['approved', 'failed', 'paid', 'requested']);
    expect(await disbursements(id)).toBe(1);
  });

  it('two payout jobs at once send each payout once (claims skip what the other holds)', async () => {
    const s = await fundedSeller(1_000_000);
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await withdraw(s, 100_000).expect(201)).body.id as string);
    await faults({ latencyMs: 100 });
    const payouts = t.app.get(PayoutsService);
    const runs = await Promise.all([payouts.runDue(), payouts.runDue()]);
    expect(runs[0].sent + runs[1].sent).toBe(6);
    for (const id of ids) expect(await disbursements(id)).toBe(1);
    await faults({ latencyMs: 0 });
    t.clock.advance(10 * MINUTE);
    const settled = await Promise.all([payouts.runDue(), payouts.runDue()]);
    expect(settled[0].paid + settled[1].paid).toBe(6);
    expect(await balance(s)).toMatchObject({ available: 400_000, inWithdrawal: 0 });
  });

  it('stops watching a paid payout for bounces after the watch', async () => {
    const s = await fundedSeller(50_000);
    const id = (await withdraw(s, 50_000).expect(201)).body.id as string;
    await runPayouts();
    t.clock.advance(10 * MINUTE);
    await runPayouts();
    for (let day = 0; day < 4; day += 1) {
      t.clock.advance(24 * HOUR);
      await runPayouts();
    }
    const [row] = await t.dataSource.query('SELECT status, next_check_at FROM withdrawals WHERE id = $1', [
      id,
    ]);
    expect(row).toEqual({ status: 'paid', next_check_at: null });
  });
});
