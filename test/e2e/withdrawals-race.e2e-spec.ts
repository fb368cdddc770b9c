import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import { LedgerService } from 'src/ledger/ledger.service';
import { addBankAccount, creditAvailable, creditPending } from '../support/factories/money';
import { createOperator } from '../support/factories/operators';
import { signupSeller } from '../support/factories/sellers';
import { startTestApp, TestApp } from '../support/test-app';

/** The DESIGN.md promise: a balance never goes below zero by a withdrawal, whatever the concurrency. */
describe('200 concurrent withdrawals against one balance', () => {
  let t: TestApp;
  let http: supertest.Agent;

  beforeAll(async () => {
    // The 200 queue for one seller's balance and the pool's connections: on a starved machine the last
    // waits longer than the default 5 s for a connection and would get 503 (overload), not an answer.
    t = await startTestApp({ DATABASE_CONNECT_TIMEOUT_MS: '60000' });
    http = t.http();
  });
  afterAll(() => t.close());

  it('exactly the affordable ones succeed, the balance never goes below zero, and the ledger verifies', async () => {
    const seller = await signupSeller(http);
    const bankAccountId = await addBankAccount(http, seller);
    const balance = 1_000_000;
    const amount = 15_000;
    const affordable = Math.floor(balance / amount); // 66
    await creditAvailable(t, seller.sellerId, balance);

    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        http
          .post('/v1/withdrawals')
          .set(seller.auth)
          .set('Idempotency-Key', randomUUID())
          .send({ amount, bankAccountId }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(affordable);
    expect(statuses.filter((s) => s === 422)).toHaveLength(200 - affordable);
    for (const r of answers.filter((a) => a.status === 422))
      expect(r.body).toMatchObject({ code: 'WITHDRAWAL_INSUFFICIENT_FUNDS', details: [{ field: 'amount' }] });

    const after = (await http.get('/v1/balance').set(seller.auth).expect(200)).body;
    expect(after).toEqual({
      pending: 0,
      available: balance - affordable * amount,
      inWithdrawal: affordable * amount,
      outstandingInvoices: 0,
      withdrawable: balance - affordable * amount,
    });
    const listed = await http.get('/v1/withdrawals?limit=500').set(seller.auth).expect(200);
    expect(listed.body.items).toHaveLength(affordable);

    // Every balance the seller's available account ever had, in posting order, stayed at or above zero.
    const history = await t.dataSource.query<{ balance_after: string }[]>(
      'SELECT balance_after FROM ledger_entries WHERE account_code = $1 ORDER BY id',
      [`seller:${seller.sellerId}:available`],
    );
    expect(history).toHaveLength(1 + affordable);
    expect(history.every((h) => Number(h.balance_after) >= 0)).toBe(true);
    expect(Number(history[history.length - 1].balance_after)).toBe(balance - affordable * amount);

    const verify = await t.app.get(LedgerService).verify();
    expect(verify.ok).toBe(true);
    expect(verify.negativeAccounts).toEqual([]);
  });

  it('new sellers’ first hold releases and their withdrawals at the same moment never deadlock: every answer is 201 or 422', async () => {
    const sellers = await Promise.all(Array.from({ length: 8 }, () => signupSeller(http)));
    const banks = await Promise.all(sellers.map((s) => addBankAccount(http, s)));
    const releaseAt = new Date(t.clock.now().getTime() + 3 * 86_400_000);
    // Each seller's first money: three COD credits held in pending until releaseAt (no other account yet).
    // Eight sellers, ten withdrawals each: with four and six, the deadlock this guards against came 1 run in
    // 19; with these, 6 in 7.
    for (const s of sellers)
      for (let i = 0; i < 3; i += 1) await creditPending(t, s.sellerId, 400_000, releaseAt, 'ninja');
    t.clock.set(new Date(releaseAt.getTime() + 60_000));
    const ledger = t.app.get(LedgerService);
    const [releases, answers] = await Promise.all([
      Promise.allSettled([ledger.releaseDueHolds(t.clock.now()), ledger.releaseDueHolds(t.clock.now())]),
      Promise.all(
        sellers.flatMap((s, i) =>
          Array.from({ length: 10 }, () =>
            http
              .post('/v1/withdrawals')
              .set(s.auth)
              .set('Idempotency-Key', randomUUID())
              .send({ amount: 300_000, bankAccountId: banks[i] }),
          ),
        ),
      ),
    ]);
    expect(releases.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(answers.filter((a) => a.status !== 201 && a.status !== 422).map((a) => a.body)).toEqual([]);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('finance deciding while the same seller withdraws (auto-approved) never deadlocks: every answer is the decision or the withdrawal', async () => {
    const finance = await createOperator(t, http, 'finance');
    const seller = await signupSeller(http);
    const bankAccountId = await addBankAccount(http, seller);
    await creditAvailable(t, seller.sellerId, 50_000_000);
    const withdraw = (amount: number) =>
      http
        .post('/v1/withdrawals')
        .set(seller.auth)
        .set('Idempotency-Key', randomUUID())
        .send({ amount, bankAccountId });
    // Above the auto-approval limit: waiting for finance.
    const waiting = await Promise.all(
      Array.from({ length: 12 }, async () => (await withdraw(2_000_000).expect(201)).body.id as string),
    );
    for (let round = 0; round < 3; round += 1) {
      const decide = waiting.slice(round * 4, round * 4 + 4);
      const answers = await Promise.all([
        ...decide.map((id, i) =>
          i % 2
            ? http
                .post(`/v1/finance/withdrawals/${id}/reject`)
                .set(finance.auth)
                .send({ reason: 'Cek ulang' })
            : http.post(`/v1/finance/withdrawals/${id}/approve`).set(finance.auth),
        ),
        ...Array.from({ length: 8 }, () => withdraw(15_000)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([...decide.map(() => 200), ...Array(8).fill(201)]);
    }
    const verify = await t.app.get(LedgerService).verify();
    expect(verify.ok).toBe(true);
  });
});
