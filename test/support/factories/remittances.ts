import { randomUUID } from 'node:crypto';
import { Transactions } from 'src/database/transaction';
import { type MatchedLine, matchTotals } from 'src/remittances/remittance-matching';
import { remittanceContentSha256 } from 'src/remittances/remittance-report';
import { RemittancesRepository } from 'src/remittances/remittances.repository';
import type { TestApp } from '../test-app';

/**
 * A courier's report stored as an upload stores it, its lines already matched (no ledger posting, no file):
 * for tests of what the stored lines and their constraints do. Resolves to the report's id.
 */
export async function storedRemittance(
  t: TestApp,
  lines: MatchedLine[],
  uploadedBy: string,
  courier = 'jne',
): Promise<string> {
  const totals = matchTotals(lines);
  const id = randomUUID();
  await t.app.get(Transactions).run(() =>
    t.app.get(RemittancesRepository).insert(
      {
        id,
        courier,
        uploadedBy,
        fileSha256: randomUUID().replace(/-/g, '').padEnd(64, '0'),
        contentSha256: remittanceContentSha256(lines),
        lines: totals.lines,
        total: totals.total,
        byOutcome: totals.byOutcome,
        createdAt: t.clock.now(),
      },
      lines,
    ),
  );
  return id;
}
