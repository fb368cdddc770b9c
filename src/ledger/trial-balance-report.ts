import type { TrialBalanceRow, VerifyFindings } from './ledger.repository';

const rp = (n: number) => n.toLocaleString('id-ID');

/**
 * The trial balance and the verification as text for a terminal: platform accounts one by one, seller
 * accounts summed by kind (all of them with `everyAccount`), totals, then each problem found.
 */
export function renderTrialBalance(
  rows: TrialBalanceRow[],
  findings: VerifyFindings & { ok: boolean },
  everyAccount = false,
): string {
  const lines: { name: string; debits: number; credits: number; balance: number }[] = [];
  const bySellerKind = new Map<
    string,
    { name: string; debits: number; credits: number; balance: number; n: number }
  >();
  for (const r of rows) {
    if (!r.sellerId || everyAccount) {
      lines.push({ name: r.code, debits: r.debits, credits: r.credits, balance: r.balance });
      continue;
    }
    const k = bySellerKind.get(r.kind) ?? { name: '', debits: 0, credits: 0, balance: 0, n: 0 };
    k.debits += r.debits;
    k.credits += r.credits;
    k.balance += r.balance;
    k.n += 1;
    k.name = `seller:*:${r.kind} (${k.n} accounts)`;
    bySellerKind.set(r.kind, k);
  }
  lines.push(...bySellerKind.values());
  const totalDebits = rows.reduce((s, r) => s + r.debits, 0);
  const totalCredits = rows.reduce((s, r) => s + r.credits, 0);
  const width = Math.max(30, ...lines.map((l) => l.name.length));
  const col = (s: string) => s.padStart(20);
  const out = [
    `${'account'.padEnd(width)}${col('debits')}${col('credits')}${col('balance')}`,
    ...lines.map(
      (l) => `${l.name.padEnd(width)}${col(rp(l.debits))}${col(rp(l.credits))}${col(rp(l.balance))}`,
    ),
    `${'total'.padEnd(width)}${col(rp(totalDebits))}${col(rp(totalCredits))}`,
    '',
    `transactions ${findings.transactions}, entries ${findings.entries}, sum of all entries ${findings.ledgerSum}`,
  ];
  for (const t of findings.unbalancedTransactions)
    out.push(`UNBALANCED transaction ${t.key} (${t.id}): sums to ${t.sum} over ${t.entries} entries`);
  for (const m of findings.balanceMismatches)
    out.push(
      `MISMATCH ${m.code}: cached balance ${m.cached}, entries say ${m.fromEntries}` +
        (m.cachedDebits !== m.entryDebits || m.cachedCredits !== m.entryCredits
          ? `; cached debits ${m.cachedDebits} and credits ${m.cachedCredits}, entries say ${m.entryDebits} and ${m.entryCredits}`
          : ''),
    );
  for (const n of findings.negativeAccounts) out.push(`NEGATIVE ${n.code}: ${n.balance}`);
  if (findings.ledgerSum !== 0) out.push(`UNBALANCED ledger: all entries sum to ${findings.ledgerSum}`);
  out.push(findings.ok ? 'ledger verified: OK' : 'ledger verification FAILED');
  return out.join('\n');
}
