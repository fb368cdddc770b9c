import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { createHash, randomUUID } from 'node:crypto';
import { Clock } from 'src/common/clock';
import { wibDate } from 'src/common/wib';
import { UnsupportedMediaTypeError, ValidationFailedError } from 'src/common/errors/app-error';
import { DEFAULT_PAGE_LIMIT, decodeKeyset, Page, toKeysetPage } from 'src/common/pagination';
import { Transactions } from 'src/database/transaction';
import { Accounts, codCreditStandsReversed, codReversalKeys } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { type CodParcel, CodDeliveries } from 'src/shipments/cod-deliveries.service';
import { CodCreditPosting } from 'src/tracking/cod-credit-posting';
import {
  matchRemittance,
  deliveredInTimeFor,
  type MatchedLine,
  matchTotals,
  type ParcelOnRecord,
  type RemittanceOutcome,
  remittanceEntries,
  remittanceVoidEntries,
  type RemittanceResolution,
  suspenseResolutionEntries,
  whyNotTheLinesParcel,
} from './remittance-matching';
import { parseRemittanceReport, remittanceContentSha256 } from './remittance-report';
import type {
  CountAndAmountDto,
  NotRemittedDto,
  ReconciliationDto,
  RemittanceDetailDto,
  RemittanceDto,
  RemittanceLineDto,
} from './remittances.dto';
import { REMITTING_COURIERS } from './remittances.dto';
import {
  RemittanceAlreadyUploadedError,
  RemittanceAlreadyVoidedError,
  RemittanceHasResolvedLinesError,
  RemittanceLineAlreadyResolvedError,
  RemittanceLineNotFoundError,
  RemittanceLineNotInSuspenseError,
  RemittanceNotFoundError,
  RemittanceReportTooLargeError,
  RemittanceResolutionAlreadyCreditedError,
  RemittanceResolutionAmountDiffersError,
  RemittanceResolutionNotTheParcelError,
  RemittanceResolutionShipmentNotFoundError,
  RemittanceResolutionReversedTwiceError,
} from './remittances.errors';
import {
  type LineRecord,
  type LineResolution,
  type RemittanceRecord,
  RemittancesRepository,
} from './remittances.repository';

const DAY_MS = 86_400_000;
const LIST_ORDER = 'remittances';
const LINES_ORDER = 'remittance-lines';
const NOT_REMITTED_ORDER = 'cod-not-remitted';
const DEFAULT_RECONCILIATION_LIMIT = 100;
/** Unmatched lines decided again per transaction: the courier's uploads wait for each behind its lock. */
const LATE_MATCH_BATCH = 500;

const remittanceView = (r: RemittanceRecord): RemittanceDto => ({
  id: r.id,
  courier: r.courier,
  uploadedBy: r.uploadedBy,
  fileSha256: r.fileSha256,
  lineCount: r.lines,
  totalAmount: r.total,
  matched: r.byOutcome.matched,
  amountMismatches: r.byOutcome.amount_mismatch,
  unmatched: r.byOutcome.unmatched,
  duplicates: r.byOutcome.duplicate,
  createdAt: r.createdAt.toISOString(),
  voidedAt: r.voided ? r.voided.at.toISOString() : null,
  voidedBy: r.voided?.by ?? null,
  voidReason: r.voided?.reason ?? null,
});

const lineView = (l: LineRecord): RemittanceLineDto => ({
  remittanceId: l.remittanceId,
  row: l.row,
  courier: l.courier,
  awb: l.awb,
  amount: l.amount,
  remittedOn: l.remittedOn,
  outcome: l.outcome,
  reason: l.reason,
  shipmentId: l.shipmentId,
  expectedAmount: l.expectedAmount,
  uploadedAt: l.createdAt.toISOString(),
  resolution: l.resolved?.resolution ?? null,
  resolutionNote: l.resolved?.note ?? null,
  resolvedBy: l.resolved?.by ?? null,
  resolvedAt: l.resolved?.at.toISOString() ?? null,
});

const onRecord = (p: CodParcel, reversed: ReadonlySet<string>): ParcelOnRecord => ({
  shipmentId: p.shipmentId,
  codAmount: p.codAmount,
  codDelivered: p.status === 'delivered' && p.codCollected,
  deliveredAt: p.status === 'delivered' ? p.endedAt : null,
  codReversed: reversed.has(p.shipmentId),
});

/**
 * Couriers' COD remittance reports: matched against delivered COD parcels, settled into the bank through
 * the ledger once per parcel, and what does not match listed for finance with the parcels still unpaid.
 */
@Injectable()
export class RemittancesService {
  constructor(
    private readonly repository: RemittancesRepository,
    private readonly deliveries: CodDeliveries,
    private readonly ledger: LedgerService,
    private readonly codCredit: CodCreditPosting,
    private readonly notifications: SellerNotifications,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Takes a courier's remittance report (CSV text; see remittance-report.ts for the columns and formats):
   * each line matched, stored, and one ledger posting (key `remittance:<id>`, rupiah): bank debited with
   * all the cash, the courier's COD receivable credited with what matched, remittance suspense with the rest.
   * One transaction under the courier's lock, so concurrent uploads never settle a parcel twice; a bad row
   * rejects the whole report and nothing is stored.
   * @throws UnsupportedMediaTypeError (UNSUPPORTED_MEDIA_TYPE) for a body that is not text/csv (400 for none)
   * @throws RemittanceReportTooLargeError (REMITTANCE_REPORT_TOO_LARGE, 413) over the configured size
   * @throws ValidationFailedError (VALIDATION_FAILED) for a missing column or unreadable rows (`row N: field`)
   * @throws RemittanceAlreadyUploadedError (REMITTANCE_ALREADY_UPLOADED) for the courier's same report again:
   * the same file, or the same lines in other bytes (line endings, BOM, delimiter, quoting)
   */
  async upload(courier: string, uploadedBy: string, body: unknown): Promise<RemittanceDto> {
    if (body === undefined)
      throw new ValidationFailedError([{ field: 'body', message: 'is empty: send the report as text/csv' }]);
    if (typeof body !== 'string')
      throw new UnsupportedMediaTypeError('Send the remittance report as text/csv (its header row first)');
    const max = this.config.business.money.remittance.maxReportBytes;
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > max) throw new RemittanceReportTooLargeError(bytes, max);
    const fileSha256 = createHash('sha256').update(body, 'utf8').digest('hex');
    const lines = parseRemittanceReport(body, wibDate(this.clock.now()));
    const contentSha256 = remittanceContentSha256(lines);

    return this.tx.run(async () => {
      await this.repository.lockCourier(courier);
      const earlier = await this.repository.idBySameReport(courier, fileSha256, contentSha256);
      if (earlier) throw new RemittanceAlreadyUploadedError(earlier);
      const awbs = [...new Set(lines.map((l) => l.awb))];
      // Locked, all in one statement in id order: a COD settlement or the tracker holding one of them is
      // waited for, so a line never settles a parcel whose credit is being reversed meanwhile.
      const parcels = await this.parcelsOf(courier, awbs, true);
      const settled = await this.repository.settledAwbs(courier, awbs);
      const matched = matchRemittance(lines, parcels, settled);
      const totals = matchTotals(matched);
      const record: RemittanceRecord = {
        id: randomUUID(),
        courier,
        uploadedBy,
        fileSha256,
        contentSha256,
        lines: totals.lines,
        total: totals.total,
        byOutcome: totals.byOutcome,
        createdAt: this.clock.now(),
      };
      await this.repository.insert(record, matched);
      await this.deliveries.markRemitted(settledShipments(matched), true);
      const entries = remittanceEntries(courier, totals);
      if (entries.length)
        await this.ledger.post({
          key: `remittance:${record.id}`,
          type: 'courier_remittance',
          at: record.createdAt,
          reference: courier,
          entries,
        });
      return remittanceView(record);
    });
  }

  /**
   * Lines uploaded before Kirim knew their parcel delivered, decided again now that it does: a courier's
   * report can outrun the poll or push that tells Kirim of the delivery, and such a line was `unmatched`
   * (`not_delivered_cod`), its cash left in suspense and the parcel listed as not remitted. Each is decided
   * as an upload would decide it now: `matched` (its cash moved from suspense to the courier's COD
   * receivable, posting `remittance-match:<report>:<row>`), an `amount_mismatch`, or a `duplicate` of a line
   * that settled the parcel since. Under the courier's lock, as uploads; a line is decided once. Lines whose
   * AWB still names no delivered COD parcel, or one delivered after the day after the line's remittance date
   * (cash is remitted after a delivery: that parcel is not the line's), stay as they are; so do lines uploaded
   * more than `lateMatchDays` ago, left to finance.
   */
  async matchLate(): Promise<{ matched: number; redecided: number }> {
    const since = new Date(
      this.clock.now().getTime() - this.config.business.money.remittance.lateMatchDays * DAY_MS,
    );
    let matched = 0;
    let redecided = 0;
    for (const courier of REMITTING_COURIERS) {
      let after: { createdAt: Date; remittanceId: string; row: number } | null = null;
      for (;;) {
        const page = await this.repository.unmatchedLines(courier, since, after, LATE_MATCH_BATCH);
        if (!page.length) break;
        const last = page[page.length - 1];
        after = { createdAt: last.createdAt, remittanceId: last.remittanceId, row: last.row };
        const parcels = new Map<string, ParcelOnRecord>();
        for (const [awb, parcel] of await this.parcelsOf(courier, [...new Set(page.map((l) => l.awb))]))
          if (parcel.codDelivered && !parcel.codReversed) parcels.set(awb, parcel);
        // Cash is remitted after a delivery: a parcel delivered after the day its line was remitted is not
        // that line's (an AWB typed wrong, or used again), and the line stays for finance.
        const named = page.filter((l) => {
          const deliveredAt = parcels.get(l.awb)?.deliveredAt;
          return deliveredAt && deliveredInTimeFor(deliveredAt, l.remittedOn);
        });
        if (named.length) {
          const done = await this.tx.run(() => this.redecide(courier, named));
          matched += done.matched;
          redecided += done.redecided;
        }
        if (page.length < LATE_MATCH_BATCH) break;
      }
    }
    return { matched, redecided };
  }

  private async redecide(
    courier: string,
    lines: LineRecord[],
  ): Promise<{ matched: number; redecided: number }> {
    await this.repository.lockCourier(courier);
    // The page was read before the lock: a line since voided (or decided) must not claim its parcel here,
    // or a live report's line for it would be decided a duplicate of nothing.
    const still = await this.repository.stillUnmatched(lines);
    const live = lines.filter((l) => still.has(`${l.remittanceId}:${l.row}`));
    const awbs = [...new Set(live.map((l) => l.awb))];
    // Read again, locked (shipments before the ledger, the tracker's order): the page's parcels were read
    // before, and a credit may have been reversed since.
    const parcels = await this.parcelsOf(courier, awbs, true);
    const settled = await this.repository.settledAwbs(courier, awbs);
    const decided = matchRemittance(live, parcels, settled);
    const now = this.clock.now();
    let redecided = 0;
    const settling: MatchedLine[] = [];
    for (const [i, line] of decided.entries()) {
      const { remittanceId } = live[i];
      if (line.outcome === 'unmatched' || !(await this.repository.redecide(remittanceId, line, 'unmatched')))
        continue;
      redecided += 1;
      if (line.outcome !== 'matched') continue;
      settling.push(line);
      await this.settleFromSuspense(courier, remittanceId, line, now);
    }
    await this.deliveries.markRemitted(settledShipments(settling), true);
    return { matched: settling.length, redecided };
  }

  /**
   * Voids a report taken by mistake (the wrong courier chosen; a courier's report repeating earlier days):
   * one new transaction (`remittance-void:<id>`) reverses its cash as it stands now, late matches included
   * (the bank credited with all of it, the courier's COD receivable debited with what its lines settled,
   * remittance suspense with the rest); its lines settle nothing from now on, so its parcels are owed again
   * and another report may settle them, or the same file be taken again. Under the courier's lock, as
   * uploads and late matches: nothing decides against the report while it is voided.
   * @throws RemittanceNotFoundError (REMITTANCE_NOT_FOUND)
   * @throws RemittanceAlreadyVoidedError (REMITTANCE_ALREADY_VOIDED, 409)
   */
  async void(id: string, by: string, reason: string): Promise<RemittanceDto> {
    const found = await this.repository.find(id);
    if (!found) throw new RemittanceNotFoundError();
    return this.tx.run(async () => {
      await this.repository.lockCourier(found.courier);
      // Read again under the lock: a late match may have moved its counts since.
      const report = (await this.repository.find(id))!;
      const now = this.clock.now();
      if (report.voided) throw new RemittanceAlreadyVoidedError(id);
      // Resolved lines' cash left suspense (refunded, kept, credited to a seller): reversing the report as it
      // stands would take it out of suspense a second time. Resolutions wait for this lock too.
      const resolved = await this.repository.resolvedCount(id);
      if (resolved) throw new RemittanceHasResolvedLinesError(resolved);
      // Voided once only: the update takes no report voided before.
      if (!(await this.repository.void(id, by, reason, now))) throw new RemittanceAlreadyVoidedError(id);
      const freed = await this.repository.settledBy(id);
      // Owed again before the duplicates are decided: one of them may settle the parcel anew.
      await this.deliveries.markRemitted(
        freed.map((f) => f.shipmentId),
        false,
      );
      const reversed = remittanceVoidEntries(report.courier, report);
      if (reversed.length)
        await this.ledger.post({
          key: `remittance-void:${id}`,
          type: 'courier_remittance_voided',
          at: now,
          reference: report.courier,
          entries: reversed,
        });
      await this.settleDuplicatesOf(
        report.courier,
        freed.map((f) => f.awb),
        now,
      );
      // Its counts as read under the lock: the duplicates decided again are other reports' lines.
      return remittanceView({ ...report, voided: { at: now, by, reason } });
    });
  }

  /**
   * Finance resolves a line whose cash waits in suspense (unmatched, an amount mismatch, a duplicate), once,
   * with a note kept with who and when; posted once per line (key `remittance-resolution:<report>:<row>`,
   * rupiah, the line's amount): `refund_courier` pays it back (suspense to bank), `write_off` keeps it (suspense
   * to other income), `credit_seller` makes it the COD cash of the shipment named (creditSeller). Under the
   * courier's lock, as uploads, late matches and voids: two resolutions of a line at once are taken one after
   * the other, and the second is refused.
   * @throws RemittanceNotFoundError (REMITTANCE_NOT_FOUND) / RemittanceLineNotFoundError (REMITTANCE_LINE_NOT_FOUND)
   * @throws ValidationFailedError (VALIDATION_FAILED) for a shipmentId given with another resolution
   * @throws RemittanceAlreadyVoidedError (REMITTANCE_ALREADY_VOIDED, 409) for a line of a voided report
   * @throws RemittanceLineAlreadyResolvedError (REMITTANCE_LINE_ALREADY_RESOLVED, 409)
   * @throws RemittanceLineNotInSuspenseError (REMITTANCE_LINE_NOT_IN_SUSPENSE, 409) for a matched line
   * @throws and those of creditSeller
   */
  async resolveLine(
    id: string,
    row: number,
    input: { resolution: RemittanceResolution; note: string; shipmentId?: string },
    by: string,
  ): Promise<RemittanceLineDto> {
    if (input.resolution !== 'credit_seller' && input.shipmentId !== undefined)
      throw new ValidationFailedError([
        { field: 'shipmentId', message: 'is given only with resolution credit_seller' },
      ]);
    const found = await this.repository.find(id);
    if (!found) throw new RemittanceNotFoundError();
    return this.tx.run(async () => {
      await this.repository.lockCourier(found.courier);
      // Read again under the lock: a void, a late match or another resolution may have come first.
      const report = (await this.repository.find(id))!;
      const line = await this.repository.line(id, row);
      if (!line) throw new RemittanceLineNotFoundError();
      if (report.voided) throw new RemittanceAlreadyVoidedError(id);
      if (line.resolved) throw new RemittanceLineAlreadyResolvedError(line.resolved.resolution);
      if (line.outcome === 'matched') throw new RemittanceLineNotInSuspenseError();
      const resolved: LineResolution = {
        resolution: input.resolution,
        note: input.note,
        by,
        at: this.clock.now(),
      };
      const key = `remittance-resolution:${id}:${row}`;
      if (input.resolution === 'credit_seller')
        await this.creditSeller(line, input.shipmentId!, resolved, key);
      else {
        // The lock decided it; the update's condition is the backstop.
        if (!(await this.repository.resolve(id, row, resolved)))
          throw new RemittanceLineAlreadyResolvedError(input.resolution);
        await this.ledger.post({
          key,
          type:
            input.resolution === 'refund_courier'
              ? 'remittance_suspense_refunded'
              : 'remittance_suspense_written_off',
          at: resolved.at,
          reference: line.awb,
          entries: suspenseResolutionEntries(input.resolution, line.amount),
        });
      }
      return lineView((await this.repository.line(id, row))!);
    });
  }

  /**
   * The line's cash is the COD cash of `shipmentId`, a COD parcel of the line's amount that the line's courier
   * carried under the line's airway bill: booked with it now and delivered (a credit finance reversed though
   * the courier remitted the cash; a delivery that said no cash was taken), booked with it now and cancelled
   * (the courier took it after all), or booked with it before Kirim re-booked it away, that booking since
   * cancelled (so no other courier's delivery can credit it). Its seller
   * must hold no standing credit for it. The seller is credited as by a delivery (CodCreditPosting: the
   * parcel's first credit, or the credit of a reversed parcel delivered again — the keys the tracker uses, so
   * it never credits the parcel again), owed by the line's courier, and the line then settles that
   * receivable from suspense as a late match does: the line is `matched`, the parcel remitted. A delivered
   * parcel's cash is then collected (CodDeliveries.markCashCollected, as a delivery again marks it), so its COD
   * fee is invoiced again; a cancelled parcel was carried by the line's booking, its own or one re-booked away
   * (CodDeliveries.markCarriedByEarlierBooking), so that booking's shipping and COD fee are invoiced, and the
   * shipment, still cancelled, says its cash was collected. The seller is told at commit, once per line, as a
   * delivery again tells it: `shipment.status_changed`, its status unchanged (`from` = `status`),
   * `codCollected` true, and for a cancelled parcel `carriedByEarlierBooking` naming the line's booking.
   * @throws RemittanceResolutionShipmentNotFoundError (SHIPMENTS_NOT_FOUND, naming shipmentId)
   * @throws RemittanceResolutionNotTheParcelError (REMITTANCE_RESOLUTION_NOT_THE_PARCEL, 422)
   * @throws RemittanceResolutionAmountDiffersError (REMITTANCE_RESOLUTION_AMOUNT_DIFFERS, 422)
   * @throws RemittanceResolutionReversedTwiceError (REMITTANCE_RESOLUTION_REVERSED_TWICE, 409)
   * @throws RemittanceResolutionAlreadyCreditedError (REMITTANCE_RESOLUTION_ALREADY_CREDITED, 409)
   */
  private async creditSeller(
    line: LineRecord,
    shipmentId: string,
    resolved: LineResolution,
    key: string,
  ): Promise<void> {
    // The shipment's row before the ledger (the tracker's order): no delivery or settlement of it meanwhile.
    const parcel = await this.deliveries.remittedParcel(shipmentId, line.courier, line.awb);
    if (!parcel) throw new RemittanceResolutionShipmentNotFoundError();
    const refused = whyNotTheLinesParcel(parcel, line);
    if (refused) throw new RemittanceResolutionNotTheParcelError(refused);
    if (parcel.codAmount !== line.amount)
      throw new RemittanceResolutionAmountDiffersError(line.amount, parcel.codAmount);
    const due = (await this.codCredit.creditsDue([parcel.shipmentId])).get(parcel.shipmentId);
    if (!due) {
      // None due, yet reversed: its second credit was reversed too.
      const posted = await this.ledger.postedKeys(codReversalKeys(parcel.shipmentId));
      if (codCreditStandsReversed(parcel.shipmentId, posted))
        throw new RemittanceResolutionReversedTwiceError();
      throw new RemittanceResolutionAlreadyCreditedError();
    }
    const receivable = Accounts.courierCodReceivable(line.courier);
    const suspense = Accounts.platform('remittance_suspense');
    // A delivered parcel's cash came after all: learned so before the ledger is locked (the tracker's order,
    // statistics before credits, so neither waits on the other).
    if (parcel.status === 'delivered') await this.deliveries.learnCashNow([parcel.shipmentId], true);
    // In the ledger's lock order (receivable, the seller's, the platform's): the credit is posted at commit.
    await this.ledger.balances([receivable, Accounts.seller(parcel.sellerId, 'pending'), suspense], {
      lock: true,
    });
    const cod = {
      id: parcel.shipmentId,
      sellerId: parcel.sellerId,
      courier: line.courier,
      awb: line.awb,
      codAmount: parcel.codAmount,
    };
    // Held as a delivery's credit is, from the delivery Kirim knows of (now, for a cancelled parcel).
    const deliveredAt = parcel.status === 'delivered' && parcel.endedAt ? parcel.endedAt : resolved.at;
    // The cash was collected after all, as by a delivery again (the tracker's creditRedeliveries): the
    // shipment says so, so invoicing charges its COD fee again (refunded at the reversal, or never charged).
    // Stamped now that the ledger's locks are held, as a reversal is, so no closed period misses it.
    if (parcel.status === 'delivered')
      await this.deliveries.markCashCollected([{ id: parcel.shipmentId, eventId: null }], this.clock.now());
    // A cancelled parcel was carried by this booking (its own, or one re-booked away): the invoice charges it
    // as that booking was quoted.
    else
      await this.deliveries.markCarriedByEarlierBooking(
        parcel.shipmentId,
        line.courier,
        line.awb,
        this.clock.now(),
      );
    if (due === 'again') await this.codCredit.postRedelivered(cod, deliveredAt, resolved.at);
    else await this.codCredit.post(cod, deliveredAt, resolved.at);
    const settles: MatchedLine = {
      row: line.row,
      awb: line.awb,
      amount: line.amount,
      remittedOn: line.remittedOn,
      outcome: 'matched',
      reason: null,
      shipmentId: parcel.shipmentId,
      expectedAmount: parcel.codAmount,
      deliveredAt: parcel.status === 'delivered' ? parcel.endedAt : null,
    };
    if (!(await this.repository.redecide(line.remittanceId, settles, line.outcome, resolved)))
      throw new RemittanceLineAlreadyResolvedError('credit_seller');
    await this.ledger.post({
      key,
      type: 'courier_remittance',
      at: resolved.at,
      reference: line.courier,
      entries: [
        { account: suspense, debit: line.amount },
        { account: receivable, credit: line.amount },
      ],
    });
    await this.deliveries.markRemitted([parcel.shipmentId], true);
    await this.notifications.enqueueAtCommit(parcel.sellerId, 'shipment.status_changed', {
      shipmentId: parcel.shipmentId,
      reference: parcel.reference,
      from: parcel.status,
      status: parcel.status,
      reason: parcel.reason,
      courier: parcel.courier,
      awb: parcel.awb,
      at: resolved.at.toISOString(),
      codCollected: true,
      ...(parcel.status === 'delivered'
        ? {}
        : {
            carriedByEarlierBooking: { courier: line.courier, service: parcel.bookedService, awb: line.awb },
          }),
    });
  }

  /**
   * Parcels a voided report had settled are owed again: another report's line that was their duplicate (its
   * cash waiting in suspense) is decided again, oldest first, as an upload would decide it now. The right
   * amount settles the parcel (suspense to the courier's receivable, posting `remittance-match:<report>:<row>`,
   * as a late match does); another amount is an `amount_mismatch`; the lines after it stay duplicates.
   */
  private async settleDuplicatesOf(courier: string, awbs: string[], now: Date): Promise<void> {
    const lines = await this.repository.duplicateLines(courier, awbs);
    if (!lines.length) return;
    const named = [...new Set(lines.map((l) => l.awb))];
    const parcels = await this.parcelsOf(courier, named, true);
    const settled = await this.repository.settledAwbs(courier, named);
    const settling: MatchedLine[] = [];
    for (const [i, line] of matchRemittance(lines, parcels, settled).entries()) {
      const { remittanceId } = lines[i];
      if (line.outcome === 'duplicate' || !(await this.repository.redecide(remittanceId, line, 'duplicate')))
        continue;
      if (line.outcome !== 'matched') continue;
      settling.push(line);
      await this.settleFromSuspense(courier, remittanceId, line, now);
    }
    await this.deliveries.markRemitted(settledShipments(settling), true);
  }

  /**
   * The parcels these AWBs name at `courier`, by AWB, each with whether finance reversed its COD credit and
   * no delivery since credited it again (a parcel delivered again is owed, and settled, as any other).
   */
  private async parcelsOf(
    courier: string,
    awbs: string[],
    lock = false,
  ): Promise<Map<string, ParcelOnRecord>> {
    const found = await this.deliveries.byAwb(courier, awbs, lock);
    const ids = [...found.values()].map((p) => p.shipmentId);
    const posted = await this.ledger.postedKeys(ids.flatMap(codReversalKeys));
    const reversed = new Set(ids.filter((id) => codCreditStandsReversed(id, posted)));
    return new Map([...found].map(([awb, p]) => [awb, onRecord(p, reversed)]));
  }

  /** A line decided again that settles its parcel: its cash moves from suspense to the courier's receivable, once. */
  private settleFromSuspense(
    courier: string,
    remittanceId: string,
    line: MatchedLine,
    now: Date,
  ): Promise<unknown> {
    return this.ledger.post({
      key: `remittance-match:${remittanceId}:${line.row}`,
      type: 'courier_remittance',
      at: now,
      reference: courier,
      entries: [
        { account: Accounts.platform('remittance_suspense'), debit: line.amount },
        { account: Accounts.courierCodReceivable(courier), credit: line.amount },
      ],
    });
  }

  /** Reports, newest first. @throws ValidationFailedError for a bad cursor */
  async list(q: { courier?: string; limit?: number; cursor?: string }): Promise<Page<RemittanceDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const before = q.cursor ? decodeKeyset(q.cursor, LIST_ORDER, ['date', 'uuid']) : null;
    const rows = await this.repository.list({
      courier: q.courier ?? null,
      before: before ? { createdAt: before[0] as Date, id: before[1] as string } : null,
      limit: limit + 1,
    });
    return toKeysetPage(rows, limit, remittanceView, LIST_ORDER, (r) => [r.createdAt, r.id]);
  }

  /**
   * A report and a page of its lines in row order (optionally one outcome).
   * @throws RemittanceNotFoundError (REMITTANCE_NOT_FOUND)
   * @throws ValidationFailedError for a bad cursor
   */
  async detail(
    id: string,
    q: { outcome?: RemittanceOutcome; limit?: number; cursor?: string },
  ): Promise<RemittanceDetailDto> {
    const remittance = await this.repository.find(id);
    if (!remittance) throw new RemittanceNotFoundError();
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const afterRow = q.cursor ? (decodeKeyset(q.cursor, LINES_ORDER, ['int'])[0] as number) : 0;
    const rows = await this.repository.lines({
      remittanceId: id,
      outcome: q.outcome ?? null,
      afterRow,
      limit: limit + 1,
    });
    const page = toKeysetPage(rows, limit, lineView, LINES_ORDER, (l) => [l.row]);
    return { ...remittanceView(remittance), lines: page.items, nextCursor: page.nextCursor };
  }

  /**
   * What finance must look at, as of now: the newest unmatched, mismatched and duplicate lines (`limit`
   * each, totals over all), the delivered COD parcels not remitted `overdueDays` after delivery (longest
   * overdue first, `limit` a page, continued by `cursor` while more are overdue; totals over all), each
   * courier's COD receivable and the suspense. Parcels a line settled are never read (shipments keep whether
   * theirs was), so the answer costs what is overdue, not the platform's history.
   * @throws ValidationFailedError for a bad cursor
   */
  async reconciliation(q: {
    courier?: string;
    overdueDays?: number;
    limit?: number;
    cursor?: string;
  }): Promise<ReconciliationDto> {
    const now = this.clock.now();
    const overdueDays = q.overdueDays ?? this.config.business.money.remittance.overdueDays;
    const cutoff = new Date(now.getTime() - overdueDays * DAY_MS);
    const courier = q.courier ?? null;
    const limit = q.limit ?? DEFAULT_RECONCILIATION_LIMIT;
    const after = q.cursor ? decodeKeyset(q.cursor, NOT_REMITTED_ORDER, ['date', 'uuid']) : null;

    const [unmatched, mismatches, duplicates, exceptionTotals] = await this.tx.all([
      () => this.repository.exceptions('unmatched', courier, limit),
      () => this.repository.exceptions('amount_mismatch', courier, limit),
      () => this.repository.exceptions('duplicate', courier, limit),
      () => this.repository.exceptionTotals(courier),
    ]);
    const [page, unremitted] = await this.tx.all([
      () =>
        this.deliveries.unremittedBefore({
          before: cutoff,
          courier,
          after: after ? { endedAt: after[0] as Date, id: after[1] as string } : null,
          limit: limit + 1,
        }),
      () => this.deliveries.unremittedTotals(cutoff, courier),
    ]);
    const overdue = toKeysetPage(
      page,
      limit,
      (p) => overdueView(p, now),
      NOT_REMITTED_ORDER,
      (p) => [p.endedAt!, p.shipmentId],
    );
    const notRemitted: CountAndAmountDto = { count: 0, amount: 0 };
    for (const d of unremitted.values()) {
      notRemitted.count += d.count;
      notRemitted.amount += d.amount;
    }
    const couriers = courier ? [courier] : REMITTING_COURIERS;
    const suspenseAccount = Accounts.platform('remittance_suspense');
    const balances = await this.ledger.balances([
      ...couriers.map((c) => Accounts.courierCodReceivable(c)),
      suspenseAccount,
    ]);
    const none = { count: 0, amount: 0 };
    return {
      asOf: now.toISOString(),
      overdueDays,
      courier,
      unmatched: unmatched.map(lineView),
      amountMismatches: mismatches.map(lineView),
      duplicates: duplicates.map(lineView),
      notRemitted: overdue.items,
      notRemittedCursor: overdue.nextCursor,
      totals: {
        unmatched: exceptionTotals.get('unmatched') ?? none,
        amountMismatches: exceptionTotals.get('amount_mismatch') ?? none,
        duplicates: exceptionTotals.get('duplicate') ?? none,
        notRemitted,
      },
      receivable: Object.fromEntries(
        couriers.map((c) => [c, balances.get(Accounts.courierCodReceivable(c).code) ?? 0]),
      ),
      suspense: balances.get(suspenseAccount.code) ?? 0,
    };
  }
}

/** The parcels the lines settle (matched): their COD cash is remitted. */
const settledShipments = (lines: MatchedLine[]): string[] =>
  lines.filter((l) => l.outcome === 'matched').map((l) => l.shipmentId!);

function overdueView(p: CodParcel, now: Date): NotRemittedDto {
  const deliveredAt = p.endedAt!;
  return {
    shipmentId: p.shipmentId,
    courier: p.courier,
    awb: p.awb,
    codAmount: p.codAmount,
    deliveredAt: deliveredAt.toISOString(),
    daysSinceDelivery: Math.floor((now.getTime() - deliveredAt.getTime()) / DAY_MS),
  };
}
