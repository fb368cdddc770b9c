import type { components } from '../../api/schema';

// The generated schema, not the client: this file is pure (unit-tested without a browser).
type Account = components['schemas']['TrialBalanceAccountDto'];

export interface AccountRow {
  key: string;
  kind: Account['kind'];
  /** The courier of a per-courier platform account (`platform:courier_cod_receivable:jne`). */
  courier?: string;
  debits: number;
  credits: number;
  balance: number;
}

export interface AccountGroup {
  scope: 'platform' | 'sellers';
  /** For the sellers' group: how many sellers' accounts are summed. */
  sellers?: number;
  rows: AccountRow[];
}

/**
 * The trial balance for reading: the platform's accounts one by one (by code), then the sellers' accounts
 * summed by kind (one row per kind over every seller); a group with no accounts is left out.
 */
export function groupTrialBalance(accounts: readonly Account[]): AccountGroup[] {
  const platform: AccountRow[] = [];
  const byKind = new Map<string, AccountRow>();
  const sellers = new Set<string>();
  for (const a of accounts) {
    if (a.sellerId === null) {
      const courier = a.kind === 'courier_cod_receivable' ? a.code.split(':')[2] : undefined;
      platform.push({
        key: a.code,
        kind: a.kind,
        courier,
        debits: a.debits,
        credits: a.credits,
        balance: a.balance,
      });
      continue;
    }
    sellers.add(a.sellerId);
    const row = byKind.get(a.kind) ?? {
      key: `sellers:${a.kind}`,
      kind: a.kind,
      debits: 0,
      credits: 0,
      balance: 0,
    };
    row.debits += a.debits;
    row.credits += a.credits;
    row.balance += a.balance;
    byKind.set(a.kind, row);
  }
  platform.sort((x, y) => x.key.localeCompare(y.key));
  const sellerRows = [...byKind.values()].sort((x, y) => x.kind.localeCompare(y.kind));
  return [
    ...(platform.length ? [{ scope: 'platform' as const, rows: platform }] : []),
    ...(sellerRows.length ? [{ scope: 'sellers' as const, sellers: sellers.size, rows: sellerRows }] : []),
  ];
}
