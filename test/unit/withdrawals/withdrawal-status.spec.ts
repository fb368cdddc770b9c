import fc from 'fast-check';
import { signedAmount } from 'src/ledger/ledger-accounts';
import {
  disbursementAt,
  fateOf,
  type SandboxDisbursement,
} from 'src/withdrawals/payout/sandbox-disbursement';
import { resultOf } from 'src/withdrawals/payout/xendit-payout.adapter';
import {
  isFinal,
  nextStatus,
  splitAmount,
  WITHDRAWAL_STATUSES,
  WITHDRAWAL_TRANSITIONS,
  type WithdrawalEvent,
  withdrawalEntries,
  type WithdrawalStatus,
} from 'src/withdrawals/withdrawal-status';

const SELLER = '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60';
const EVENTS = Object.keys(WITHDRAWAL_TRANSITIONS) as WithdrawalEvent[];

/** Balances (each account's own sense) after applying entries: credit-normal accounts grow by credits. */
function apply(balances: Map<string, number>, entries: ReturnType<typeof withdrawalEntries>): void {
  for (const e of entries) {
    const debitNormal = e.account.kind === 'bank';
    const delta = debitNormal ? signedAmount(e) : -signedAmount(e);
    balances.set(e.account.code, (balances.get(e.account.code) ?? 0) + delta);
  }
}

const amounts = fc
  .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 10 ** 12 }))
  .map(([fee, net]) => ({ sellerId: SELLER, amount: fee + net, fee, net }));

describe('withdrawal status', () => {
  it('allows exactly the table’s transitions; failed and rejected are final, paid fails only by a bounce', () => {
    const allowed: string[] = [];
    for (const from of WITHDRAWAL_STATUSES)
      for (const event of EVENTS) {
        const to = nextStatus(from, event);
        if (to) allowed.push(`${from} -${event}-> ${to}`);
      }
    expect(allowed.sort()).toEqual(
      [
        'requested -approve-> approved',
        'requested -reject-> rejected',
        'approved -pay-> paid',
        'approved -fail-> failed',
        'paid -bounce-> failed',
      ].sort(),
    );
    expect(WITHDRAWAL_STATUSES.filter(isFinal)).toEqual(['failed', 'rejected']);
  });

  it('takes the fee from the amount, refusing amounts below the minimum or not above the fee', () => {
    expect(splitAmount(100_000, 2_500, 10_000)).toEqual({ fee: 2_500, net: 97_500 });
    expect(splitAmount(10_000, 2_500, 10_000)).toEqual({ fee: 2_500, net: 7_500 });
    expect(splitAmount(9_999, 2_500, 10_000)).toBeNull();
    expect(splitAmount(2_500, 2_500, 0)).toBeNull();
    expect(splitAmount(2_501, 2_500, 0)).toEqual({ fee: 2_500, net: 1 });
    expect(splitAmount(Number.MAX_SAFE_INTEGER + 2, 2_500, 0)).toBeNull();
  });

  it('posts balanced entries for every step, with no zero line when there is no fee', () => {
    fc.assert(
      fc.property(amounts, fc.constantFrom<WithdrawalEvent | 'request'>('request', ...EVENTS), (w, event) => {
        const entries = withdrawalEntries(event, w);
        expect(entries.length).toBeGreaterThanOrEqual(2);
        expect(entries.reduce((s, e) => s + signedAmount(e), 0)).toBe(0);
        for (const e of entries) expect('debit' in e ? e.debit : e.credit).toBeGreaterThan(0);
      }),
    );
  });

  it('over every path the table allows, no money is made or lost: the seller ends whole unless paid', () => {
    const paths = fc.constantFrom<WithdrawalEvent[]>(
      ['reject'],
      ['approve', 'fail'],
      ['approve', 'pay'],
      ['approve', 'pay', 'bounce'],
    );
    fc.assert(
      fc.property(amounts, paths, (w, path) => {
        const balances = new Map<string, number>([[`seller:${SELLER}:available`, w.amount]]);
        apply(balances, withdrawalEntries('request', w));
        let status: WithdrawalStatus = 'requested';
        for (const event of path) {
          const to = nextStatus(status, event);
          expect(to).not.toBeNull();
          apply(balances, withdrawalEntries(event, w));
          status = to!;
        }
        const get = (code: string) => balances.get(code) ?? 0;
        expect(get(`seller:${SELLER}:in_withdrawal`)).toBe(0);
        expect(get('platform:payouts_in_flight')).toBe(0);
        if (status === 'paid') {
          // The seller gave up the amount: the bank paid out the net and Kirim kept the fee.
          expect(get(`seller:${SELLER}:available`)).toBe(0);
          expect(get('platform:bank')).toBe(-w.net);
          expect(get('platform:fee_income')).toBe(w.fee);
        } else {
          expect(get(`seller:${SELLER}:available`)).toBe(w.amount);
          expect(get('platform:bank')).toBe(0);
          expect(get('platform:fee_income')).toBe(0);
        }
        for (const [code, balance] of balances)
          if (code.startsWith('seller:')) expect(balance).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('the sandbox disbursement provider', () => {
  const base: SandboxDisbursement = {
    id: 'disb-1',
    externalId: 'w-1',
    amount: 97_500,
    bankCode: 'BCA',
    accountHolderName: 'Sekar Ayu',
    accountNumber: '1234567890',
    description: null,
    fate: 'complete',
    failureCode: null,
    createdAt: new Date('2026-12-01T00:00:00Z'),
    settlesAt: new Date('2026-12-01T00:05:00Z'),
    bouncesAt: null,
  };
  const at = (iso: string, d: Partial<SandboxDisbursement> = {}) =>
    resultOf(disbursementAt({ ...base, ...d }, new Date(iso)));

  it('is pending until it settles, then completed or failed; a bounce completes, then fails', () => {
    expect(at('2026-12-01T00:04:59Z')).toEqual({ providerId: 'disb-1', status: 'pending' });
    expect(at('2026-12-01T00:05:00Z')).toEqual({ providerId: 'disb-1', status: 'completed' });
    expect(at('2026-12-01T00:05:00Z', { fate: 'fail', failureCode: 'INVALID_DESTINATION' })).toEqual({
      providerId: 'disb-1',
      status: 'failed',
      failureCode: 'INVALID_DESTINATION',
    });
    const bounce = {
      fate: 'bounce' as const,
      failureCode: 'REJECTED_BY_BANK',
      bouncesAt: new Date('2026-12-02T00:05:00Z'),
    };
    expect(at('2026-12-01T00:04:00Z', bounce).status).toBe('pending');
    expect(at('2026-12-01T12:00:00Z', bounce).status).toBe('completed');
    expect(at('2026-12-02T00:05:00Z', bounce)).toMatchObject({
      status: 'failed',
      failureCode: 'REJECTED_BY_BANK',
    });
  });

  it('decides fates in the shares the faults ask for', () => {
    const faults = { failRate: 0.2, bounceRate: 0.3, timeoutRate: 0, sendTimeoutRate: 0, latencyMs: 0 };
    expect(fateOf(faults, 0)).toBe('fail');
    expect(fateOf(faults, 0.19)).toBe('fail');
    expect(fateOf(faults, 0.2)).toBe('bounce');
    expect(fateOf(faults, 0.49)).toBe('bounce');
    expect(fateOf(faults, 0.5)).toBe('complete');
    expect(fateOf({ ...faults, failRate: 0, bounceRate: 0 }, 0)).toBe('complete');
  });
});
