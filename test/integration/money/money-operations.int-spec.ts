import { AppConfig } from 'config';
import fc from 'fast-check';
import { COURIER_CODES, type CourierCode } from 'src/couriers/courier-adapter';
import { Transactions } from 'src/database/transaction';
import { Accounts } from 'src/ledger/ledger-accounts';
import { InvoicingService } from 'src/invoicing/invoicing.service';
import { LedgerService } from 'src/ledger/ledger.service';
import { RemittancesService } from 'src/remittances/remittances.service';
import { ShipmentStateMachine } from 'src/shipments/shipment-state-machine';
import { CodCreditPosting } from 'src/tracking/cod-credit-posting';
import { SandboxPayoutServer } from 'src/withdrawals/payout/sandbox-payout.server';
import { PayoutsService } from 'src/withdrawals/payouts.service';
import { WithdrawalsService } from 'src/withdrawals/withdrawals.service';
import { addBankAccount } from '../../support/factories/money';
import { createOperator } from '../../support/factories/operators';
import type { Principal } from 'src/common/auth/principal';
import { createShipment, signupSeller, TestSeller } from '../../support/factories/sellers';
import { SERVICE_OF } from '../../support/factories/tracked';
import { startTestApp, TestApp } from '../../support/test-app';

/**
 * `npm test` runs 4,000 operations; `npm run money-ops` runs MONEY_OPERATIONS (default 10,000), the same
 * seeded stream longer. About a third of the operations use up a parcel, spread over the sellers.
 */
const OPERATIONS = operationCount(process.env.MONEY_OPERATIONS);
const SELLERS = 4;
const PARCELS_PER_SELLER = Math.ceil(OPERATIONS * 0.15);
const CHECK_EVERY = 1000;
const HOUR = 3600_000;

/** One random operation on the money; each names its seller by index and its choices by fractions. */
type Op =
  | { kind: 'deliver'; seller: number }
  | { kind: 'return'; seller: number }
  | { kind: 'time'; hours: number }
  | { kind: 'release' }
  | { kind: 'invoice' }
  | { kind: 'withdraw'; seller: number; share: number; over: boolean }
  | { kind: 'decide'; pick: number; approve: boolean }
  | { kind: 'payouts'; outcome: 'complete' | 'fail' | 'bounce' }
  | { kind: 'remit'; courier: CourierCode; share: number; wrongAmount: boolean; unknownAwb: boolean };

const seller = fc.integer({ min: 0, max: SELLERS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      seller,
      codAmount: fc.integer({ min: 10_000, max: 2_000_000 }),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('return' as const), seller }) },
  {
    weight: 10,
    arbitrary: fc.record({ kind: fc.constant('time' as const), hours: fc.integer({ min: 1, max: 48 }) }),
  },
  { weight: 8, arbitrary: fc.constant({ kind: 'release' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'invoice' as const }) },
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('withdraw' as const),
      seller,
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
      over: fc.boolean(),
    }),
  },
  {
    weight: 10,
    arbitrary: fc.record({ kind: fc.constant('decide' as const), pick: fc.nat(), approve: fc.boolean() }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('payouts' as const),
      outcome: fc.constantFrom('complete' as const, 'complete' as const, 'fail' as const, 'bounce' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('remit' as const),
      courier: fc.constantFrom(...COURIER_CODES),
      share: fc.double({ min: 0.1, max: 1, noNaN: true }),
      wrongAmount: fc.boolean(),
      unknownAwb: fc.boolean(),
    }),
  },
);

interface Parcel {
  id: string;
  sellerId: string;
  courier: CourierCode;
  awb: string;
  codAmount: number;
  shippingFee: number;
  codFee: number;
  cashback: number;
  returnFee: number;
  state: 'out' | 'delivered' | 'returned';
  /** When its end was recorded (the service clock). */
  endedAt?: Date;
  remitted: boolean;
}

function operationCount(setting: string | undefined): number {
  if (setting === undefined || setting === '') return 4_000;
  if (!/^\d+$/.test(setting) || Number(setting) < 100 || Number(setting) > 100_000)
    throw new Error(`MONEY_OPERATIONS must be a whole number from 100 to 100000, not "${setting}"`);
  return Number(setting);
}

/** The seller's owner as the API would see them asking (a withdrawal is theirs to request). */
const owner = (s: TestSeller): Principal => ({
  kind: 'user',
  userId: s.userId,
  role: 'seller_owner',
  sellerId: s.sellerId,
});

describe(`money under ${OPERATIONS.toLocaleString('en')} random operations (fast-check, seeded)`, () => {
  let t: TestApp;
  let sellers: (TestSeller & { bankAccountId: string })[];
  let financeId: string;
  const parcels: Parcel[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, undefined, {
      configure: (c) => {
        c.business.money.codHoldDays = 1;
        c.business.money.withdrawals.autoApproveUpTo = 300_000;
      },
    });
    const http = t.http();
    financeId = (await createOperator(t, http, 'finance')).id;
    sellers = [];
    for (let i = 0; i < SELLERS; i += 1) {
      const s = await signupSeller(http, `Toko ${i}`);
      const template = await createShipment(http, s);
      const rows = await t.dataSource.query<
        {
          id: string;
          courier: CourierCode;
          awb: string;
          codAmount: number;
          shippingFee: number;
          codFee: number;
          cashback: number;
          returnFee: number;
        }[]
      >(
        `INSERT INTO shipments
         SELECT (jsonb_populate_record(s, jsonb_build_object(
           'id', gen_random_uuid(), 'reference', 'OPS' || $2 || '-' || n, 'status', 'out_for_delivery',
           'courier', c.courier, 'service', c.service, 'awb', 'OPS' || $2 || upper(c.courier) || lpad(n::text, 6, '0'),
           'cod_amount', ($6::bigint[])[n], 'shipping_fee', 9000 + (n % 9) * 1500,
           'cod_fee', greatest(2000, round(($6::bigint[])[n] * 0.03)), 'cashback', round((9000 + (n % 9) * 1500) * 0.1),
           'return_fee', 9000 + (n % 9) * 1500, 'booked_at', now(), 'picked_up_at', now()))).*
         FROM shipments s, generate_series(1, $3::int) n,
           LATERAL (SELECT ($4::text[])[1 + n % 5] AS courier, ($5::text[])[1 + n % 5] AS service) c
         WHERE s.id = $1
         RETURNING id, courier, awb, cod_amount::int AS "codAmount", shipping_fee::int AS "shippingFee",
           cod_fee::int AS "codFee", cashback::int AS cashback, return_fee::int AS "returnFee"`,
        [
          template.id,
          i,
          PARCELS_PER_SELLER,
          COURIER_CODES,
          COURIER_CODES.map((c) => SERVICE_OF[c]),
          fc.sample(fc.integer({ min: 10_000, max: 2_000_000 }), { seed: i, numRuns: PARCELS_PER_SELLER }),
        ],
      );
      for (const r of rows) parcels.push({ ...r, sellerId: s.sellerId, state: 'out', remitted: false });
      sellers.push({ ...s, bankAccountId: await addBankAccount(http, s) });
    }
  });
  afterAll(() => t.close());

  it('keeps every transaction balanced, every cached balance equal to its entries, and each seller’s money whole', async () => {
    const ops = fc.sample(op, { seed: 20261130, numRuns: OPERATIONS });
    const tx = t.app.get(Transactions);
    const ledger = t.app.get(LedgerService);
    const machine = t.app.get(ShipmentStateMachine);
    const credit = t.app.get(CodCreditPosting);
    const withdrawals = t.app.get(WithdrawalsService);
    const payouts = t.app.get(PayoutsService);
    const provider = t.app.get(SandboxPayoutServer);
    const remittances = t.app.get(RemittancesService);
    const next = new Map<string, number>();
    const take = (sellerId: string) => {
      const start = next.get(sellerId) ?? 0;
      const i = parcels.findIndex((p, j) => j >= start && p.sellerId === sellerId && p.state === 'out');
      next.set(sellerId, i + 1);
      return i < 0 ? null : parcels[i];
    };
    const counts: Record<string, number> = {};
    const invoicing = t.app.get(InvoicingService);
    const { anchorDate, periodDays, closeGraceMinutes } = t.app.get(AppConfig).business.money.invoicing;
    let lastInvoicing: Date | null = null;
    /** Whether the last invoicing run had closed the period (Asia/Jakarta) the parcel's end was recorded in. */
    const invoiced = (p: Parcel) => {
      if (!p.endedAt || !lastInvoicing) return false;
      const anchor = new Date(`${anchorDate}T00:00:00+07:00`).getTime();
      const length = periodDays * 86_400_000;
      const end = anchor + (Math.floor((p.endedAt.getTime() - anchor) / length) + 1) * length;
      return end + closeGraceMinutes * 60_000 <= lastInvoicing.getTime();
    };
    /** What the parcel's invoice lines add up to (the test's own reckoning from its charges). */
    const charged = (p: Parcel) =>
      p.shippingFee -
      p.cashback +
      (p.state === 'delivered' ? p.codFee : p.state === 'returned' ? p.returnFee : 0);
    const minAmount = t.app.get(AppConfig).business.money.withdrawals.minAmount;
    let refused = 0;

    /** What each seller was credited (the test's own record, not the ledger's). */
    const credited = new Map<string, number>();
    for (const [n, o] of ops.entries()) {
      counts[o.kind] = (counts[o.kind] ?? 0) + 1;
      const now = t.clock.now();
      if (o.kind === 'deliver' || o.kind === 'return') {
        const s = sellers[o.seller];
        const p = take(s.sellerId);
        if (!p) continue;
        if (o.kind === 'deliver') {
          await tx.run(async () => {
            await machine.transition(p.id, {
              to: 'delivered',
              from: ['out_for_delivery'],
              cause: 'courier_event',
              reason: null,
              at: now,
              occurredAt: now,
              set: { codCollected: true },
            });
            await credit.post(
              { id: p.id, sellerId: s.sellerId, courier: p.courier, awb: p.awb, codAmount: p.codAmount },
              now,
              now,
            );
          });
          p.state = 'delivered';
          p.endedAt = now;
          credited.set(s.sellerId, (credited.get(s.sellerId) ?? 0) + p.codAmount);
        } else {
          await tx.run(() =>
            machine.transition(p.id, {
              to: 'returned',
              from: ['out_for_delivery'],
              cause: 'courier_event',
              reason: null,
              at: now,
              occurredAt: now,
            }),
          );
          p.state = 'returned';
          p.endedAt = now;
        }
      } else if (o.kind === 'time') t.clock.advance(o.hours * HOUR);
      else if (o.kind === 'release') await ledger.releaseDueHolds();
      else if (o.kind === 'invoice') {
        await invoicing.run(now);
        lastInvoicing = now;
      } else if (o.kind === 'withdraw') {
        const s = sellers[o.seller];
        const balance = await withdrawals.balance(s.sellerId);
        const amount = o.over
          ? balance.withdrawable + 1 + Math.floor(o.share * 100_000)
          : Math.floor(balance.withdrawable * o.share);
        try {
          await withdrawals.request(s.sellerId, owner(s), { amount, bankAccountId: s.bankAccountId });
          expect(amount).toBeLessThanOrEqual(balance.withdrawable);
        } catch (e) {
          refused += 1;
          const code = (e as { code?: string }).code;
          // Under the minimum, or over what may be withdrawn: refused, and nothing written.
          expect(code).toBe(
            amount < minAmount ? 'WITHDRAWAL_AMOUNT_TOO_SMALL' : 'WITHDRAWAL_INSUFFICIENT_FUNDS',
          );
          expect(amount < minAmount || amount > balance.withdrawable).toBe(true);
        }
      } else if (o.kind === 'decide') {
        const queue = await withdrawals.financeList({ status: 'requested', limit: 50 });
        if (!queue.items.length) continue;
        const w = queue.items[o.pick % queue.items.length];
        if (o.approve) await withdrawals.approve(w.id, financeId);
        else await withdrawals.reject(w.id, financeId, 'Nama rekening tidak sesuai');
      } else if (o.kind === 'payouts') {
        await provider.setFaults({
          failRate: o.outcome === 'fail' ? 1 : 0,
          bounceRate: o.outcome === 'bounce' ? 1 : 0,
          timeoutRate: 0,
          latencyMs: 0,
        });
        await payouts.runDue();
        t.clock.advance(HOUR);
        await payouts.runDue();
      } else if (o.kind === 'remit') {
        const due = parcels.filter((p) => p.courier === o.courier && p.state === 'delivered' && !p.remitted);
        const lines = due.slice(0, Math.max(1, Math.ceil(due.length * o.share)));
        if (!lines.length) continue;
        const wrong = o.wrongAmount && lines.length > 1 ? lines[lines.length - 1] : null;
        const rows = lines.map(
          (p) =>
            `${p.awb},${p === wrong ? p.codAmount + 1000 : p.codAmount},${now.toISOString().slice(0, 10)}`,
        );
        if (o.unknownAwb) rows.push(`NOPE${n},50000,${now.toISOString().slice(0, 10)}`);
        await remittances.upload(o.courier, financeId, ['awb,cod_amount,remitted_date', ...rows].join('\n'));
        for (const p of lines) if (p !== wrong) p.remitted = true;
      }

      if ((n + 1) % CHECK_EVERY === 0 || n === ops.length - 1) {
        const v = await ledger.verify();
        expect({ at: n, ...v, ok: v.ok }).toEqual(
          expect.objectContaining({
            ok: true,
            unbalancedTransactions: [],
            balanceMismatches: [],
            negativeAccounts: [],
            ledgerSum: 0,
          }),
        );
        // No seller's money created or destroyed: what it holds (pending + available + in withdrawal, less what it
        // owes on invoices) is what it was credited, less what it was invoiced and what left on approved withdrawals.
        for (const s of sellers) {
          const owed = parcels
            .filter((p) => p.sellerId === s.sellerId && invoiced(p))
            .reduce((sum, p) => sum + charged(p), 0);
          const [{ total }] = await t.dataSource.query<{ total: string }[]>(
            'SELECT coalesce(sum(total), 0) AS total FROM invoices WHERE seller_id = $1',
            [s.sellerId],
          );
          expect({ seller: s.sellerId, invoiced: Number(total) }).toEqual({
            seller: s.sellerId,
            invoiced: owed,
          });
          const b = await ledger.sellerBalances(s.sellerId);
          const [{ out }] = await t.dataSource.query<{ out: string }[]>(
            `SELECT coalesce(sum(amount), 0) AS out FROM withdrawals WHERE seller_id = $1 AND status IN ('approved', 'paid')`,
            [s.sellerId],
          );
          const holds = b.pending + b.available + b.inWithdrawal - b.invoiceReceivable;
          expect({ seller: s.sellerId, holds }).toEqual({
            seller: s.sellerId,
            holds: (credited.get(s.sellerId) ?? 0) - owed - Number(out),
          });
        }
        // The couriers owe what they collected less what they remitted against matched parcels.
        for (const c of COURIER_CODES) {
          const owed = parcels
            .filter((p) => p.courier === c && p.state === 'delivered' && !p.remitted)
            .reduce((sum, p) => sum + p.codAmount, 0);
          const receivable = await ledger.balances([Accounts.courierCodReceivable(c)]);
          expect({ courier: c, owed: receivable.get(Accounts.courierCodReceivable(c).code) }).toEqual({
            courier: c,
            owed,
          });
        }
      }
    }
    // The run exercised every kind of operation, and refusals happened (the guard was tested).
    expect(Object.keys(counts).sort()).toEqual([
      'decide',
      'deliver',
      'invoice',
      'payouts',
      'release',
      'remit',
      'return',
      'time',
      'withdraw',
    ]);
    expect(refused).toBeGreaterThan(0);
    const [{ paid, failed }] = await t.dataSource.query<{ paid: number; failed: number }[]>(
      `SELECT count(*) FILTER (WHERE status = 'paid')::int AS paid, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM withdrawals`,
    );
    expect(paid).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    const [{ invoices, settled }] = await t.dataSource.query<{ invoices: number; settled: number }[]>(
      `SELECT (SELECT count(*)::int FROM invoices) AS invoices,
              (SELECT count(*)::int FROM ledger_transactions WHERE type = 'invoice_settled') AS settled`,
    );
    expect(invoices).toBeGreaterThan(0);
    expect(settled).toBeGreaterThan(0);
  }, 600_000);
});
