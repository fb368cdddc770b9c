import { randomUUID } from 'node:crypto';
import type supertest from 'supertest';
import type { CourierCode } from 'src/couriers/courier-adapter';
import { Transactions } from 'src/database/transaction';
import { Accounts } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { TrackingPoller } from 'src/tracking/tracking-poller.service';
import type { TestApp } from '../test-app';
import { type TestSeller, validBankAccount } from './sellers';
import { bookPinned } from './tracked';

export interface EndedShipment {
  id: string;
  awb: string;
  courier: CourierCode;
  status: string;
}

/**
 * COD shipments of the seller (default Rp 150.000 each), booked with the pinned couriers, moved by their
 * sandbox couriers to `to` (delivered by default, or returned) and followed by the tracker until Kirim
 * has seen it: the real path to a COD credit (or a return) without shortcuts into the database.
 */
export async function endPinned(
  t: TestApp,
  http: supertest.Agent,
  seller: TestSeller,
  origin: string,
  pinned: { code: CourierCode; service: string }[],
  options: { to?: 'delivered' | 'returned'; overrides?: object } = {},
): Promise<EndedShipment[]> {
  const to = options.to ?? 'delivered';
  const booked = await bookPinned(t, http, seller, origin, pinned, {
    codAmount: 150_000,
    ...options.overrides,
  });
  t.clock.advance(3600_000);
  for (const b of booked) {
    if (to === 'returned')
      for (const step of ['picked_up', 'delivery_failed', 'returning'] as const)
        await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send({ to: step }).expect(200);
    await http.post(`/sandbox/parcels/${b.awb}/advance`).set(seller.auth).send({ to }).expect(200);
  }
  const status = async (id: string) =>
    (await http.get(`/v1/shipments/${id}`).set(seller.auth).expect(200)).body.status as string;
  let statuses: string[] = [];
  for (let round = 0; round < 12; round += 1) {
    t.clock.advance(2 * 3600_000);
    await t.app.get(TrackingPoller).pollDue();
    statuses = await Promise.all(booked.map((b) => status(b.id)));
    if (statuses.every((s) => s === to)) break;
  }
  if (!statuses.every((s) => s === to)) throw new Error(`not all ${to}: ${statuses.join(', ')}`);
  return booked.map((b, i) => ({ id: b.id, awb: b.awb, courier: b.courier, status: statuses[i] }));
}

/**
 * Makes `amount` rupiah available to the seller at once, posted through the ledger as a released COD credit
 * would leave it (debit a courier's COD receivable, credit the seller's available) under a unique key: a
 * shortcut for tests about spending money, where how it arrived does not matter (endPinned is the real path).
 */
export async function creditAvailable(t: TestApp, sellerId: string, amount: number): Promise<void> {
  await t.app.get(Transactions).run(() =>
    t.app.get(LedgerService).post({
      key: `test-credit:${randomUUID()}`,
      type: 'cod_credit',
      at: t.clock.now(),
      sellerId,
      entries: [
        { account: Accounts.courierCodReceivable('jne'), debit: amount },
        { account: Accounts.seller(sellerId, 'available'), credit: amount },
      ],
    }),
  );
}

/**
 * Credits `amount` rupiah to the seller's pending, held until `releaseAt`, as a delivered COD parcel's credit
 * leaves it (debit the courier's COD receivable, a hold to available) under a unique key: for tests of what
 * happens to held money, where the delivery itself does not matter.
 */
export async function creditPending(
  t: TestApp,
  sellerId: string,
  amount: number,
  releaseAt: Date,
  courier: CourierCode = 'jne',
): Promise<void> {
  await t.app.get(Transactions).run(() =>
    t.app.get(LedgerService).post({
      key: `test-held-credit:${randomUUID()}`,
      type: 'cod_credit',
      at: t.clock.now(),
      sellerId,
      entries: [
        { account: Accounts.courierCodReceivable(courier), debit: amount },
        { account: Accounts.seller(sellerId, 'pending'), credit: amount },
      ],
      holds: [
        {
          from: Accounts.seller(sellerId, 'pending'),
          to: Accounts.seller(sellerId, 'available'),
          amount,
          releaseAt,
        },
      ],
    }),
  );
}

/** Registers a bank account for the seller (owner) over HTTP and returns its id. */
export async function addBankAccount(http: supertest.Agent, seller: TestSeller): Promise<string> {
  const number = String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999));
  const res = await http
    .post('/v1/bank-accounts')
    .set(seller.auth)
    .send(validBankAccount(number))
    .expect(201);
  return (res.body as { id: string }).id;
}
