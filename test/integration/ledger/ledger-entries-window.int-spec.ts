import { EntityManager } from 'typeorm';
import { Transactions } from 'src/database/transaction';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

describe('a seller’s ledger entries in a window (real PostgreSQL)', () => {
  let t: TestApp;
  let ledger: LedgerService;
  let tx: Transactions;
  let sellerId: string;
  const jne = Accounts.courierCodReceivable('jne');

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
    tx = t.app.get(Transactions);
    sellerId = (await signupSeller(t.http())).sellerId;
    // Postings over five months, not posted in the order they say they happened (a late event, a job run
    // for an earlier day): the list follows the postings (id), not `at`. One sits on a Jakarta month's edge.
    const ats = [
      '2026-08-10T03:00:00Z',
      '2026-09-01T02:00:00Z',
      '2026-08-31T17:30:00Z', // 00:30 on 1 September in Jakarta
      '2026-10-05T03:00:00Z',
      '2026-09-15T03:00:00Z',
      '2026-08-31T16:30:00Z', // 23:30 on 31 August in Jakarta
      '2026-11-20T03:00:00Z',
      '2026-09-20T03:00:00Z',
      '2026-12-01T03:00:00Z',
      '2026-09-02T03:00:00Z',
      '2026-10-31T16:59:59Z', // the last second of October in Jakarta
    ];
    for (const [i, at] of ats.entries())
      await tx.run(() =>
        ledger.post({
          key: `window:${i}`,
          type: 'cod_credit',
          at: new Date(at),
          sellerId,
          entries: [
            { account: jne, debit: 1000 + i },
            { account: Accounts.seller(sellerId, 'pending'), credit: 1000 + i },
          ],
        }),
      );
  });
  afterAll(() => t.close());

  /** Every entry of the window, as the service pages it (`limit` a page), followed through the cursor. */
  const pages = async (q: { from?: Date; to?: Date }, limit: number) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 50; n += 1) {
      const page = await ledger.entries(sellerId, { ...q, limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((e) => e.id));
      if (!page.nextCursor) return ids;
      cursor = page.nextCursor;
    }
    throw new Error('the cursor never ended');
  };
  /** The seller's entries in the window, last posted first, read plainly. */
  const expected = async (q: { from?: Date; to?: Date }) =>
    (
      await t.dataSource.query<{ id: string }[]>(
        `SELECT e.id::text AS id FROM ledger_entries e WHERE seller_id = $1
            AND ($2::timestamptz IS NULL OR at >= $2) AND ($3::timestamptz IS NULL OR at < $3)
          ORDER BY e.id DESC`,
        [sellerId, q.from ?? null, q.to ?? null],
      )
    ).map((r) => r.id);

  it('pages a month, a day, an open end or no window in posting order, each entry once', async () => {
    const windows: { from?: Date; to?: Date }[] = [
      // September in Jakarta: the entry at 00:30 on its first day in, the one at 23:30 the day before out.
      { from: new Date('2026-08-31T17:00:00Z'), to: new Date('2026-09-30T17:00:00Z') },
      { from: new Date('2026-09-01T17:00:00Z'), to: new Date('2026-09-02T17:00:00Z') },
      { from: new Date('2026-08-31T17:00:00Z') },
      { to: new Date('2026-10-01T00:00:00Z') },
      { from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-12-31T00:00:00Z') },
      { from: new Date('2026-10-31T16:59:59Z'), to: new Date('2026-10-31T17:00:00Z') },
      { from: new Date('2027-03-01T00:00:00Z') },
      { to: new Date('2020-01-01T00:00:00Z') },
      {},
    ];
    for (const w of windows) {
      const want = await expected(w);
      for (const limit of [1, 2, 3, 50]) expect(await pages(w, limit)).toEqual(want);
    }
    // September holds five postings' seller entries, posted out of `at` order.
    const september = await ledger.entries(sellerId, windows[0]);
    expect(september.items.map((e) => e.at)).toEqual([
      '2026-09-02T03:00:00.000Z',
      '2026-09-20T03:00:00.000Z',
      '2026-09-15T03:00:00.000Z',
      '2026-08-31T17:30:00.000Z',
      '2026-09-01T02:00:00.000Z',
    ]);
  });

  it('reads a month a year back from the seller’s month index, not by walking every later entry', async () => {
    const from = new Date('2025-11-30T17:00:00Z');
    const to = new Date('2025-12-31T17:00:00Z');
    // The statement as the service sends it.
    const query = jest.spyOn(EntityManager.prototype, 'query');
    let calls: typeof query.mock.calls;
    try {
      await ledger.entries(sellerId, { from, to, limit: 50 });
    } finally {
      calls = [...query.mock.calls];
      query.mockRestore();
    }
    const [text, params] = calls.find(([sql]) => /FROM ledger_entries/.test(sql))!;
    // Planned over two years of 40,000 postings of the seller, in a transaction rolled back.
    const plan = await t.dataSource
      .transaction(async (m) => {
        await m.query(
          `INSERT INTO ledger_transactions (id, key, type, seller_id, at)
           SELECT gen_random_uuid(), 'plan:' || i, 'cod_credit', $1,
                  timestamptz '2024-12-05T00:00:00Z' + i * interval '730 days' / 40000
             FROM generate_series(1, 40000) i`,
          [sellerId],
        );
        await m.query(
          `INSERT INTO ledger_entries (transaction_id, account_code, seller_id, amount, balance_after, at)
           SELECT t.id, x.code, x.seller_id, x.amount, 0, t.at
             FROM ledger_transactions t,
                  (VALUES ($2, $1::uuid, -1000::bigint), ($3, NULL::uuid, 1000::bigint)) AS x(code, seller_id, amount)
            WHERE t.key LIKE 'plan:%' ORDER BY t.at, x.code`,
          [sellerId, Accounts.seller(sellerId, 'pending').code, jne.code],
        );
        await m.query('ANALYZE ledger_entries, ledger_transactions');
        const rows = await m.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${text}`, params);
        throw Object.assign(new Error('rolled back'), { plan: rows.map((r) => r['QUERY PLAN']).join('\n') });
      })
      .catch((e: { plan?: string }) => {
        if (!e.plan) throw e;
        return e.plan;
      });
    expect(plan).toMatch(/Index Only Scan Backward using idx_ledger_entries_seller_month on ledger_entries/);
    expect(plan).not.toMatch(/idx_ledger_entries_seller on/);
    expect(plan).not.toMatch(/Seq Scan on ledger_entries/);
  });
});
