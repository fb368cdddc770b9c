import { EntityManager } from 'typeorm';
import { Transactions } from 'src/database/transaction';
import { Accounts, type AccountRef } from 'src/ledger/ledger-accounts';
import {
  LedgerInsufficientFundsError,
  LedgerKeyConflictError,
  LedgerMisuseError,
} from 'src/ledger/ledger.errors';
import { LedgerService } from 'src/ledger/ledger.service';
import { signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';
import { waitUntil } from '../../support/wait';

describe('LedgerService (real PostgreSQL)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let tx: Transactions;
  let sellerId: string;
  const at = new Date('2026-12-01T03:00:00Z');
  const jne = Accounts.courierCodReceivable('jne');
  const pending = () => Accounts.seller(sellerId, 'pending');
  const available = () => Accounts.seller(sellerId, 'available');

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    tx = t.app.get(Transactions);
    sellerId = (await signupSeller(t.http())).sellerId;
  });
  afterAll(() => t.close());

  const credit = (key: string, account: AccountRef, amount: number, from: AccountRef = jne) =>
    tx.run(() =>
      ledger.post({
        key,
        type: 'cod_credit',
        at,
        sellerId,
        entries: [
          { account: from, debit: amount },
          { account, credit: amount },
        ],
      }),
    );
  const balance = async (a: AccountRef) => (await ledger.balances([a])).get(a.code)!;

  it('posts a balanced transaction once per key; a replay with other entries is refused', async () => {
    const first = await credit('k:once', pending(), 150_000);
    expect(first.posted).toBe(true);
    const again = await credit('k:once', pending(), 150_000);
    expect(again).toEqual({ transactionId: first.transactionId, posted: false });
    expect(await balance(pending())).toBe(150_000);
    expect(await balance(jne)).toBe(150_000);
    await expect(credit('k:once', pending(), 150_001)).rejects.toBeInstanceOf(LedgerKeyConflictError);
    const rows = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM ledger_transactions WHERE key = $1',
      ['k:once'],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses to post outside a transaction, unbalanced, or with an account twice', async () => {
    await expect(
      ledger.post({
        key: 'k:outside',
        type: 'cod_credit',
        at,
        entries: [
          { account: jne, debit: 1 },
          { account: pending(), credit: 1 },
        ],
      }),
    ).rejects.toBeInstanceOf(LedgerMisuseError);
    const bad = (entries: Parameters<LedgerService['post']>[0]['entries']) =>
      tx.run(() => ledger.post({ key: `k:bad:${Math.random()}`, type: 'cod_credit', at, entries }));
    await expect(
      bad([
        { account: jne, debit: 2 },
        { account: pending(), credit: 1 },
      ]),
    ).rejects.toThrow(/differ by 1/);
    await expect(
      bad([
        { account: jne, debit: 0 },
        { account: pending(), credit: 0 },
      ]),
    ).rejects.toThrow(/positive/);
    await expect(
      bad([
        { account: jne, debit: 1.5 },
        { account: pending(), credit: 1.5 },
      ]),
    ).rejects.toThrow(/positive integer/);
    await expect(bad([{ account: jne, debit: 1 }])).rejects.toThrow(/two entries/);
    await expect(
      bad([
        { account: pending(), debit: 1 },
        { account: pending(), credit: 1 },
      ]),
    ).rejects.toThrow(/twice/);
  });

  it('never takes a seller account below zero: the posting fails whole', async () => {
    const before = await balance(pending());
    const txCount = async () =>
      (await t.dataSource.query('SELECT count(*)::int AS n FROM ledger_transactions'))[0].n as number;
    const n = await txCount();
    await expect(
      tx.run(() =>
        ledger.post({
          key: 'k:overdraw',
          type: 'invoice_issued',
          at,
          sellerId,
          entries: [
            { account: pending(), debit: before + 1 },
            { account: Accounts.platform('bank'), credit: before + 1 },
          ],
        }),
      ),
    ).rejects.toEqual(expect.objectContaining({ code: 'LEDGER_INSUFFICIENT_FUNDS' }));
    expect(await balance(pending())).toBe(before);
    expect(await txCount()).toBe(n);
    expect(new LedgerInsufficientFundsError(pending().code).message).toMatch(/pending/);
  });

  it('keeps entries and transactions immutable in the database itself', async () => {
    for (const sql of [
      'UPDATE ledger_entries SET amount = amount + 1',
      'DELETE FROM ledger_entries',
      'UPDATE ledger_transactions SET type = $1',
      'DELETE FROM ledger_transactions',
      'TRUNCATE ledger_entries CASCADE',
    ])
      await expect(t.dataSource.query(sql, sql.includes('$1') ? ['x'] : [])).rejects.toThrow(/immutable/);
  });

  it('refuses unbalanced entries written around the service, in the database itself', async () => {
    const [{ id }] = await t.dataSource.query<{ id: string }[]>('SELECT id FROM ledger_transactions LIMIT 1');
    await expect(
      t.dataSource.query(
        `INSERT INTO ledger_entries (transaction_id, account_code, seller_id, amount, balance_after, at)
         VALUES ($1, $2, NULL, 5, 0, now())`,
        [id, jne.code],
      ),
    ).rejects.toThrow(/does not balance/);
  });

  it('serializes concurrent debits of one account: exactly the affordable ones succeed', async () => {
    const hot = (await signupSeller(t.http())).sellerId;
    const acct = Accounts.seller(hot, 'available');
    await tx.run(() =>
      ledger.post({
        key: `fund:${hot}`,
        type: 'cod_credit',
        at,
        sellerId: hot,
        entries: [
          { account: jne, debit: 1000 },
          { account: acct, credit: 1000 },
        ],
      }),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        tx.run(() =>
          ledger.post({
            key: `spend:${hot}:${i}`,
            type: 'withdrawal_requested',
            at,
            sellerId: hot,
            entries: [
              { account: acct, debit: 70 },
              { account: Accounts.platform('bank'), credit: 70 },
            ],
          }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBe(Math.floor(1000 / 70));
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LedgerInsufficientFundsError);
    expect(await balance(acct)).toBe(1000 - 70 * ok);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('releases a hold once, when due, and tells the listeners the seller’s available money grew', async () => {
    const heard: string[] = [];
    ledger.onAvailableCredited((id) => Promise.resolve(void heard.push(id)));
    const releaseAt = new Date(t.clock.now().getTime() + 3 * 86_400_000);
    await tx.run(() =>
      ledger.post({
        key: 'cod-credit:hold-test',
        type: 'cod_credit',
        at,
        sellerId,
        entries: [
          { account: jne, debit: 80_000 },
          { account: pending(), credit: 80_000 },
        ],
        holds: [{ from: pending(), to: available(), amount: 80_000, releaseAt }],
      }),
    );
    const [p0, a0] = [await balance(pending()), await balance(available())];
    expect(await ledger.releaseDueHolds(new Date(releaseAt.getTime() - 1000))).toBe(0);
    const [released, again] = await Promise.all([
      ledger.releaseDueHolds(releaseAt),
      ledger.releaseDueHolds(releaseAt),
    ]);
    expect(released + again).toBe(1);
    expect(await ledger.releaseDueHolds(releaseAt)).toBe(0);
    expect(await balance(pending())).toBe(p0 - 80_000);
    expect(await balance(available())).toBe(a0 + 80_000);
    expect(heard).toEqual([sellerId]);

    const page = await ledger.entries(sellerId, { limit: 2 });
    // The release's two entries come first (newest), each with the balance it left.
    const byAccount = new Map(page.items.map((e) => [e.account, e]));
    expect(byAccount.get('available')).toEqual(
      expect.objectContaining({ type: 'hold_released', amount: 80_000, balanceAfter: a0 + 80_000 }),
    );
    expect(byAccount.get('pending')).toEqual(
      expect.objectContaining({ type: 'hold_released', amount: -80_000, balanceAfter: p0 - 80_000 }),
    );
    const next = await ledger.entries(sellerId, { limit: 2, cursor: page.nextCursor! });
    expect(next.items[0].id).not.toBe(page.items[1].id);
    expect(Number(next.items[0].id)).toBeLessThan(Number(page.items[1].id));
  });

  it('keeps a withheld hold however due, releases it on the first run once resumed, and answers what is held', async () => {
    const releaseAt = new Date(t.clock.now().getTime() + 86_400_000);
    const held = (key: string, amount: number) =>
      tx.run(() =>
        ledger.post({
          key,
          type: 'cod_credit',
          at,
          sellerId,
          entries: [
            { account: jne, debit: amount },
            { account: pending(), credit: amount },
          ],
          holds: [{ from: pending(), to: available(), amount, releaseAt }],
        }),
      );
    await held('cod-credit:withheld-test', 40_000);
    await held('cod-credit:released-test', 25_000);
    expect(await ledger.withholdHolds(['cod-credit:withheld-test', 'cod-credit:none-such'], at)).toBe(1);
    // Again: already withheld, nothing changes.
    expect(await ledger.withholdHolds(['cod-credit:withheld-test'], at)).toBe(0);
    const [p0, a0] = [await balance(pending()), await balance(available())];
    const later = new Date(releaseAt.getTime() + 30 * 86_400_000);
    expect(await ledger.releaseDueHolds(later)).toBe(1);
    expect(await ledger.releaseDueHolds(later)).toBe(0);
    expect([await balance(pending()), await balance(available())]).toEqual([p0 - 25_000, a0 + 25_000]);
    expect(
      await ledger.heldAmounts([
        'cod-credit:withheld-test',
        'cod-credit:released-test',
        'cod-credit:none-such',
      ]),
    ).toEqual(
      new Map([
        ['cod-credit:withheld-test', 40_000],
        ['cod-credit:released-test', 0],
        ['cod-credit:none-such', 0],
      ]),
    );

    expect(await ledger.resumeHolds(['cod-credit:withheld-test'])).toBe(1);
    expect(await ledger.releaseDueHolds(later)).toBe(1);
    expect([await balance(pending()), await balance(available())]).toEqual([p0 - 65_000, a0 + 65_000]);
    // Released: nothing left to withhold or resume.
    expect(await ledger.withholdHolds(['cod-credit:withheld-test'], later)).toBe(0);
    expect(await ledger.resumeHolds(['cod-credit:withheld-test'])).toBe(0);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('claims due holds from the index of releasable ones, and finds a posting’s holds by its own index', async () => {
    // The statements as the service sends them.
    const query = jest.spyOn(EntityManager.prototype, 'query');
    let calls: typeof query.mock.calls;
    try {
      await ledger.releaseDueHolds(at);
      await ledger.withholdHolds(['cod-credit:plan-test'], at);
    } finally {
      calls = [...query.mock.calls];
      query.mockRestore();
    }
    const statement = (pattern: RegExp) => calls.find(([text]) => pattern.test(text))!;
    const claim = statement(/FROM ledger_holds h[\s\S]*SKIP LOCKED/);
    const withhold = statement(/UPDATE ledger_holds h SET withheld_since/);
    // Planned over 20,000 postings with a hold each, a quarter of them withheld and long due, in a
    // transaction rolled back: a table of a handful of rows is scanned whatever its indexes.
    const plans = await t.dataSource
      .transaction(async (m) => {
        await m.query(
          `INSERT INTO ledger_transactions (id, key, type, seller_id, at)
           SELECT gen_random_uuid(), 'plan:' || i, 'cod_credit', $1, $2 FROM generate_series(1, 20000) i`,
          [sellerId, at],
        );
        await m.query(
          `INSERT INTO ledger_holds (id, transaction_id, seller_id, from_account, to_account, amount, release_at, withheld_since)
           SELECT gen_random_uuid(), t.id, $1, $2, $3, 1000,
                  $4::timestamptz + (substr(t.key, 6)::int % 4 - 1) * interval '10 days',
                  CASE WHEN substr(t.key, 6)::int % 4 = 0 THEN $4::timestamptz END
             FROM ledger_transactions t WHERE t.key LIKE 'plan:%'`,
          [sellerId, pending().code, available().code, at],
        );
        await m.query('ANALYZE ledger_holds, ledger_transactions');
        const explain = async ([text, params]: (typeof calls)[number]) =>
          (await m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${text}`, params))
            .map((r) => r['QUERY PLAN'])
            .join('\n');
        throw Object.assign(new Error('rolled back'), {
          plans: { claim: await explain(claim), withhold: await explain(withhold) },
        });
      })
      .catch((e: { plans?: Record<string, string> }) => {
        if (!e.plans) throw e;
        return e.plans;
      });
    expect(plans.claim).toMatch(/Index Scan using idx_ledger_holds_releasable on ledger_holds h/);
    expect(plans.withhold).toMatch(/idx_ledger_holds_posting/);
    expect(plans.withhold).not.toMatch(/Seq Scan/);
  });

  it('verifies: balanced transactions, cached balances equal their entries, the ledger sums to zero', async () => {
    const ok = await ledger.verify();
    expect(ok).toEqual(
      expect.objectContaining({ ok: true, ledgerSum: 0, balanceMismatches: [], unbalancedTransactions: [] }),
    );
    const report = await ledger.trialBalance();
    expect(report.totalDebits).toBe(report.totalCredits);
    expect(report.balanced).toBe(true);
    // The accounts' debits and credits, kept by the postings, are their entries' (verify held them to it).
    const [sums] = await t.dataSource.query<{ debits: string; credits: string }[]>(
      `SELECT sum(amount) FILTER (WHERE amount > 0) AS debits, -sum(amount) FILTER (WHERE amount < 0) AS credits
         FROM ledger_entries`,
    );
    expect([report.totalDebits, report.totalCredits]).toEqual([Number(sums.debits), Number(sums.credits)]);
    const code = available().code;
    // A cached balance nobody posted: found, named, and neither the ledger nor the trial balance agrees.
    await t.dataSource.query('UPDATE ledger_accounts SET balance = balance + 7 WHERE code = $1', [code]);
    const broken = await ledger.verify();
    expect(broken.ok).toBe(false);
    expect(broken.balanceMismatches).toEqual([expect.objectContaining({ code, cached: expect.any(Number) })]);
    expect(broken.balanceMismatches[0].cached - broken.balanceMismatches[0].fromEntries).toBe(7);
    expect((await ledger.trialBalance()).balanced).toBe(false);
    await t.dataSource.query('UPDATE ledger_accounts SET balance = balance - 7 WHERE code = $1', [code]);
    // Debits and credits both overstated alike: the balance still agrees with them, but not with the entries.
    await t.dataSource.query(
      'UPDATE ledger_accounts SET debits = debits + 5, credits = credits + 5 WHERE code = $1',
      [code],
    );
    const turnover = await ledger.verify();
    expect(turnover.ok).toBe(false);
    expect(turnover.balanceMismatches).toEqual([
      expect.objectContaining({
        code,
        cachedDebits: expect.any(Number),
        cachedCredits: expect.any(Number),
      }),
    ]);
    const [m] = turnover.balanceMismatches;
    expect([
      m.cachedDebits - m.entryDebits,
      m.cachedCredits - m.entryCredits,
      m.cached - m.fromEntries,
    ]).toEqual([5, 5, 0]);
    await t.dataSource.query(
      'UPDATE ledger_accounts SET debits = debits - 5, credits = credits - 5 WHERE code = $1',
      [code],
    );
    // A seller's available money (credit-normal, may not go negative) moved below zero into the bank's
    // account (debit-normal, credited), every figure agreeing and debits still equal to credits: only the
    // negative balance is left for the trial balance to find.
    const bank = Accounts.platform('bank').code;
    const move = async (amount: number) => {
      await t.dataSource.query(
        'UPDATE ledger_accounts SET balance = balance - $2, debits = debits + $2 WHERE code = $1',
        [code, amount],
      );
      await t.dataSource.query(
        'UPDATE ledger_accounts SET balance = balance - $2, credits = credits + $2 WHERE code = $1',
        [bank, amount],
      );
    };
    await t.dataSource.query('ALTER TABLE ledger_accounts DISABLE TRIGGER trg_ledger_accounts_not_negative');
    try {
      const [{ balance }] = await t.dataSource.query<{ balance: string }[]>(
        'SELECT balance FROM ledger_accounts WHERE code = $1',
        [code],
      );
      const below = Number(balance) + 1;
      await move(below);
      const below0 = await ledger.trialBalance();
      expect(below0.accounts.find((a) => a.code === code)!.balance).toBe(-1);
      expect(below0.totalDebits).toBe(below0.totalCredits);
      expect(below0.balanced).toBe(false);
      await move(-below);
    } finally {
      await t.dataSource.query('ALTER TABLE ledger_accounts ENABLE TRIGGER trg_ledger_accounts_not_negative');
    }
    expect((await ledger.trialBalance()).balanced).toBe(true);
    expect((await ledger.verify()).ok).toBe(true);
  });

  // Last: its credit's hold stays due, which the hold tests above would release.
  it('a decision holding a seller’s balances and a credit whose hold names one of them do not deadlock', async () => {
    // As in CI: the tracker credited a redelivered parcel (the seller's pending updated, then the hold's row
    // naming available, whose foreign key check takes available FOR KEY SHARE) while an invoice took the
    // seller's balances in their order (available … pending). Held FOR UPDATE, available kept the hold's row
    // waiting while the invoice waited for pending: deadlock detected, the invoice run failed.
    const s = (await signupSeller(t.http())).sellerId;
    const [p, a] = [Accounts.seller(s, 'pending'), Accounts.seller(s, 'available')];
    const cod = (key: string, amount: number, hold: boolean) =>
      ledger.post({
        key,
        type: 'cod_credit',
        at,
        sellerId: s,
        entries: [
          { account: jne, debit: amount },
          { account: p, credit: amount },
        ],
        ...(hold
          ? { holds: [{ from: p, to: a, amount, releaseAt: new Date(at.getTime() + 86_400_000) }] }
          : {}),
      });
    // Every account row exists, as for a seller with history (a missing one is made, not locked in order).
    await tx.run(() => ledger.sellerBalances(s, { lock: true }));
    let letGo!: () => void;
    const gate = new Promise<void>((resolve) => (letGo = resolve));
    let pendingHeld = false;
    const credit = tx.run(async () => {
      await cod(`k:first:${s}`, 10_000, false);
      pendingHeld = true;
      await gate;
      await cod(`k:second:${s}`, 20_000, true);
    });
    await waitUntil(() => pendingHeld, 'the credit holds pending');
    const decision = tx.run(() => ledger.sellerBalances(s, { lock: true }));
    await waitUntil(async () => {
      const [{ n }] = await t.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
      );
      return n > 0;
    }, 'the decision waits for pending');
    letGo();
    const [credited, decided] = await Promise.allSettled([credit, decision]);
    expect(credited).toEqual({ status: 'fulfilled', value: undefined });
    expect(decided).toMatchObject({ status: 'fulfilled' });
    expect(await balance(p)).toBe(30_000);
    expect((await ledger.verify()).ok).toBe(true);
  });
});
