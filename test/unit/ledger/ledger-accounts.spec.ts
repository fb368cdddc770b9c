import fc from 'fast-check';
import {
  Accounts,
  balanceDelta,
  isDebitNormal,
  mayGoNegative,
  type PostingEntry,
  postingProblem,
  signedAmount,
} from 'src/ledger/ledger-accounts';

const seller = '7d4c7a0e-3f0b-4c51-9a8e-1d2f3a4b5c6d';
const accounts = [
  Accounts.seller(seller, 'pending'),
  Accounts.seller(seller, 'available'),
  Accounts.seller(seller, 'in_withdrawal'),
  Accounts.seller(seller, 'invoice_receivable'),
  Accounts.courierCodReceivable('jne'),
  Accounts.platform('bank'),
  Accounts.platform('fee_income'),
  Accounts.platform('cashback_expense'),
];

/** A balanced posting: random debits over distinct accounts, the credits split from their sum. */
const balanced = fc.shuffledSubarray(accounts, { minLength: 2 }).chain((chosen) =>
  fc
    .tuple(
      fc.integer({ min: 1, max: chosen.length - 1 }),
      fc.array(fc.integer({ min: 1, max: 10_000_000 }), {
        minLength: chosen.length,
        maxLength: chosen.length,
      }),
    )
    .map(([split, amounts]) => {
      const debits = chosen.slice(0, split).map((account, i) => ({ account, debit: amounts[i] }));
      const total = debits.reduce((s, d) => s + d.debit, 0);
      const creditors = chosen.slice(split);
      // Credits share the total: all but the last get 1 each, the last the rest (≥ 1 as total ≥ split).
      const credits: PostingEntry[] = creditors.map((account, i) => ({
        account,
        credit: i < creditors.length - 1 ? 1 : total - (creditors.length - 1),
      }));
      return [...debits, ...credits] as PostingEntry[];
    })
    .filter((entries) => entries.every((e) => ('debit' in e ? e.debit : e.credit) > 0)),
);

describe('ledger postings (pure rules)', () => {
  it('accepts every balanced posting over distinct accounts; its signed amounts sum to zero', () => {
    fc.assert(
      fc.property(balanced, (entries) => {
        expect(postingProblem({ key: 'k', entries })).toBeNull();
        expect(entries.reduce((s, e) => s + signedAmount(e), 0)).toBe(0);
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('refuses a posting whose debits and credits differ by any amount, naming the difference', () => {
    fc.assert(
      fc.property(balanced, fc.integer({ min: 1, max: 1000 }), (entries, extra) => {
        const [first, ...rest] = entries;
        const skewed: PostingEntry =
          'debit' in first
            ? { account: first.account, debit: first.debit + extra }
            : { account: first.account, credit: first.credit + extra };
        expect(postingProblem({ key: 'k', entries: [skewed, ...rest] })).toMatch(/differ by/);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('refuses fewer than two entries, an account twice, zero, negative, fractional or unsafe amounts, bad keys', () => {
    const [a, b] = accounts;
    expect(postingProblem({ key: 'k', entries: [{ account: a, debit: 5 }] })).toMatch(/two entries/);
    expect(
      postingProblem({
        key: 'k',
        entries: [
          { account: a, debit: 5 },
          { account: a, credit: 5 },
        ],
      }),
    ).toMatch(/twice/);
    for (const bad of [0, -5, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN])
      expect(
        postingProblem({
          key: 'k',
          entries: [
            { account: a, debit: bad },
            { account: b, credit: bad },
          ],
        }),
      ).toMatch(/positive integer/);
    expect(
      postingProblem({
        key: '',
        entries: [
          { account: a, debit: 1 },
          { account: b, credit: 1 },
        ],
      }),
    ).toMatch(/key/);
    expect(
      postingProblem({
        key: 'x'.repeat(201),
        entries: [
          { account: a, debit: 1 },
          { account: b, credit: 1 },
        ],
      }),
    ).toMatch(/key/);
  });

  it('grows a seller’s money by credits and what the seller or a courier owes by debits', () => {
    expect(balanceDelta({ account: Accounts.seller(seller, 'available'), credit: 100 })).toBe(100);
    expect(balanceDelta({ account: Accounts.seller(seller, 'available'), debit: 100 })).toBe(-100);
    expect(balanceDelta({ account: Accounts.seller(seller, 'invoice_receivable'), debit: 100 })).toBe(100);
    expect(balanceDelta({ account: Accounts.courierCodReceivable('sap'), debit: 100 })).toBe(100);
    expect(balanceDelta({ account: Accounts.platform('fee_income'), credit: 100 })).toBe(100);
    expect(isDebitNormal('bank')).toBe(true);
    expect(isDebitNormal('payouts_in_flight')).toBe(false);
    expect(
      ['pending', 'available', 'in_withdrawal', 'invoice_receivable'].some((k) => mayGoNegative(k as never)),
    ).toBe(false);
    expect(mayGoNegative('remittance_suspense')).toBe(true);
  });
});
