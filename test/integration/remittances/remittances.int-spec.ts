import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { Transactions } from 'src/database/transaction';
import { STORED_UNORDERED_CONTENT_SHA256 } from '../../../migrations/1795482000000-RemittanceContentUnordered';
import { type MatchedLine, matchTotals } from 'src/remittances/remittance-matching';
import { remittanceContentSha256 } from 'src/remittances/remittance-report';
import { type RemittanceRecord, RemittancesRepository } from 'src/remittances/remittances.repository';
import { createOperator } from '../../support/factories/operators';
import { storedRemittance } from '../../support/factories/remittances';
import { createShipment, signupSeller } from '../../support/factories/sellers';
import { startTestApp, TestApp } from '../../support/test-app';

describe('remittance tables (real PostgreSQL): the database itself settles a parcel at most once', () => {
  let t: TestApp;
  let repository: RemittancesRepository;
  let tx: Transactions;
  let userId: string;
  let shipmentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const http = t.http();
    repository = t.app.get(RemittancesRepository);
    tx = t.app.get(Transactions);
    userId = (await createOperator(t, http, 'finance')).id;
    shipmentId = (await createShipment(http, await signupSeller(http))).id;
  });
  afterAll(() => t.close());

  const line = (outcome: MatchedLine['outcome'], extra: Partial<MatchedLine> = {}): MatchedLine => ({
    row: 1,
    awb: 'AWB-1',
    amount: 150_000,
    remittedOn: '2026-12-01',
    outcome,
    reason: outcome === 'unmatched' ? 'unknown_awb' : null,
    shipmentId: outcome === 'unmatched' ? null : shipmentId,
    expectedAmount: outcome === 'unmatched' ? null : outcome === 'amount_mismatch' ? 100_000 : 150_000,
    deliveredAt: outcome === 'unmatched' ? null : new Date('2026-11-28T03:00:00Z'),
    ...extra,
  });
  const store = (lines: MatchedLine[], courier = 'jne') => storedRemittance(t, lines, userId, courier);
  const violation = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(QueryFailedError);
    const driver = (e as QueryFailedError).driverError as unknown as { code: string; constraint: string };
    return `${driver.code} ${driver.constraint}`;
  };

  it('hashes stored lines in SQL (as the migration did for earlier reports) as the service hashes a new report, in any row order', async () => {
    // Written out of byte order: a non-ASCII AWB sorts after ASCII ones, `a` after `B`, 10 before 9.
    const lines = [
      line('unmatched', { row: 1, awb: 'ÄWB-1', amount: 1, remittedOn: '2026-01-02' }),
      line('unmatched', { row: 2, awb: 'aWB-3', amount: 9, remittedOn: '2026-12-31' }),
      line('unmatched', { row: 3, awb: 'AWB-2', amount: 1_500_000, remittedOn: '2026-12-31' }),
      line('unmatched', { row: 4, awb: 'AWB-2', amount: 10, remittedOn: '2026-12-31' }),
      line('unmatched', { row: 5, awb: 'BWB-4', amount: 10, remittedOn: '2026-12-30' }),
    ];
    expect(remittanceContentSha256([...lines].reverse())).toBe(remittanceContentSha256(lines));
    expect(remittanceContentSha256(lines.slice(1))).not.toBe(remittanceContentSha256(lines));
    await store(lines);
    const [stored] = await t.dataSource.query<{ content_sha256: string; recomputed: string }[]>(
      `SELECT content_sha256, ${STORED_UNORDERED_CONTENT_SHA256} AS recomputed FROM remittances r
        WHERE r.content_sha256 = $1`,
      [remittanceContentSha256(lines)],
    );
    expect(stored.recomputed).toBe(stored.content_sha256);
  });

  it('refuses a second matched line for the same AWB or the same parcel, whatever wrote it', async () => {
    await store([line('matched')]);
    expect(await violation(store([line('matched')]))).toBe('23505 uq_remittance_lines_settled_awb');
    expect(await violation(store([line('matched', { awb: 'AWB-OTHER' })]))).toBe(
      '23505 uq_remittance_lines_settled_shipment',
    );
    // The same parcel settled under another courier's name is refused by the shipment index.
    expect(await violation(store([line('matched')], 'jnt'))).toBe(
      '23505 uq_remittance_lines_settled_shipment',
    );
    // Lines that settle nothing may repeat.
    await store([line('duplicate'), line('amount_mismatch', { row: 2 }), line('unmatched', { row: 3 })]);
    await store([line('duplicate')]);
    const settled = await repository.settledAwbs('jne', ['AWB-1', 'AWB-OTHER']);
    expect([...settled]).toEqual(['AWB-1']);
  });

  it('refuses lines that contradict their outcome, and reports whose totals do not add up', async () => {
    expect(await violation(store([line('matched', { awb: 'AWB-2', expectedAmount: 1 })]))).toBe(
      '23514 chk_remittance_lines_settles',
    );
    expect(await violation(store([line('amount_mismatch', { expectedAmount: 150_000 })]))).toBe(
      '23514 chk_remittance_lines_mismatch',
    );
    expect(await violation(store([line('unmatched', { reason: null })]))).toBe(
      '23514 chk_remittance_lines_reason',
    );
    const bad = matchTotals([line('duplicate')]);
    bad.byOutcome.duplicate.amount += 1;
    const record: RemittanceRecord = {
      id: randomUUID(),
      courier: 'jne',
      uploadedBy: userId,
      fileSha256: 'f'.repeat(64),
      contentSha256: 'c'.repeat(64),
      lines: bad.lines,
      total: bad.total,
      byOutcome: bad.byOutcome,
      createdAt: t.clock.now(),
    };
    expect(await violation(tx.run(() => repository.insert(record, [line('duplicate')])))).toBe(
      '23514 chk_remittances_amounts',
    );
  });
});
