import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from 'config';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Clock } from 'src/common/clock';
import { parseInstant } from 'src/common/wib';
import { DEFAULT_PAGE_LIMIT, decodeKeyset, encodeKeyset, invalidCursor, Page } from 'src/common/pagination';
import { Accounts, type PostingEntry } from 'src/ledger/ledger-accounts';
import { LedgerService } from 'src/ledger/ledger.service';
import { Transactions } from 'src/database/transaction';
import { SellerNotifications } from 'src/sellers/notifications/seller-notifications.service';
import { SellersService } from 'src/sellers/sellers.service';
import { type CodCollectedChangedRow, ShipmentsService } from 'src/shipments/shipments.service';
import { invoiceCsv, InvoiceCsvRow } from './export/csv';
import { InvoicePdf, PdfInvoice } from './export/pdf';
import {
  addLines,
  COD_FEE_KINDS,
  codFeeAdjustment,
  invoiceEntries,
  type InvoiceLine,
  invoiceStatus,
  type InvoiceTotals,
  NO_TOTALS,
  settlementAmount,
  shipmentLines,
} from './invoice-lines';
import {
  closedPeriodsFrom,
  type InvoicePeriod,
  type PeriodRule,
  periodContaining,
  periodStartingOn,
  periodsUpTo,
  wibDay,
} from './invoice-period';
import { InvoiceLineRow, InvoiceRow, InvoicesRepository, periodKey } from './invoices.repository';
import {
  InvoiceDto,
  InvoicingPeriodsDto,
  InvoicingRunDto,
  InvoiceSummaryDto,
  PeriodInvoicesDto,
} from './invoicing.dto';
import { InvoiceNotFoundError, NotAPeriodStartError } from './invoicing.errors';

/** An export: its bytes as a stream, what they are and the file name to save them under. */
export interface InvoiceExport {
  stream: Readable;
  contentType: string;
  filename: string;
}

const SELLER_INVOICES = 'invoices-by-period';
const PERIOD_INVOICES = 'period-invoices-by-number';

/** Rolls an issue back when the seller turned out to have nothing to invoice (an invoice needs lines). */
class NothingToInvoice extends Error {}

/**
 * Biweekly invoices (DESIGN.md "Flows"): one per seller and period with a line per charge of each
 * shipment that ended in it (delivered or returned; a lost parcel is not charged), and a COD fee
 * adjustment for each parcel that ended earlier whose COD cash was found not collected, or collected, in
 * it (a refund of the fee for cash never collected, or the fee charged again); posted to the ledger as
 * what the seller owes, settled from the seller's available money as far as it goes and then from later
 * releases, oldest invoice first. Exports are streamed views of the stored invoices.
 */
@Injectable()
export class InvoicingService implements OnModuleInit {
  private readonly logger = new Logger(InvoicingService.name);

  constructor(
    private readonly repository: InvoicesRepository,
    private readonly tx: Transactions,
    private readonly ledger: LedgerService,
    private readonly shipments: ShipmentsService,
    private readonly sellers: SellersService,
    private readonly notifications: SellerNotifications,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Money released to a seller pays what the seller owes first, in the releasing transaction.
    this.ledger.onAvailableCredited(async (sellerId) => {
      await this.settle(sellerId);
    });
  }

  private get rule(): PeriodRule {
    return this.config.business.money.invoicing;
  }

  /**
   * Issues the invoices of every period over by `asOf` (default now, and never later: a period not over yet
   * is never invoiced, or what ends in it later would be on no invoice; nor one that ended less than
   * `closeGraceMinutes` before now, whatever `asOf`) for each seller with charged shipments whose end (or a
   * later change of whose COD collection) Kirim recorded in it and no invoice for it yet (a parcel whose end is reported late is on the next invoice, never on none); one transaction per invoice. Safe to run
   * again and on many instances at once: a (seller, period) advisory lock and the unique
   * (seller_id, period_start) key make the second attempt find the invoice issued. Each period with
   * sellers to invoice gets a run row (issued count, or the last error); a period found with all its sellers
   * invoiced is marked so and not read by later runs. `asOf` only chooses the periods:
   * each invoice is issued now, dated, numbered and posted at the moment it is made (a run as of last month
   * must not date today's postings, and spend today's balance, a month back).
   */
  async run(asOf?: Date): Promise<InvoicingRunDto> {
    const current = this.clock.now();
    const until = asOf && asOf.getTime() < current.getTime() ? asOf : current;
    const first = await this.shipments.firstChargedEnd();
    let periods = 0;
    let issued = 0;
    // The grace waits for outcomes still committing at a period's end: it runs from the clock, not from `asOf`
    // (a run days later as of a period's end finds it over; one as of now waits out its grace).
    const closedBy = new Date(
      Math.min(
        until.getTime(),
        current.getTime() - this.config.business.money.invoicing.closeGraceMinutes * 60_000,
      ),
    );
    const closed = first ? closedPeriodsFrom(first, closedBy, this.rule) : [];
    // A period marked invoiced was read after it closed and had every seller with charged shipments in it
    // invoiced; a closed period gains none (an outcome, or a change of COD collection, is stamped when
    // recorded), so it is not read again.
    // One found empty gets no mark and is read on every run (an empty index range).
    const finished = closed.length
      ? await this.repository.invoicedPeriods(closed[0].start, closed[closed.length - 1].end)
      : new Set<string>();
    for (const period of closed) {
      if (finished.has(periodKey(period))) continue;
      const sellers = await this.shipments.sellersWithChargedEnded(period.start, period.end);
      if (!sellers.length) continue;
      const invoiced = await this.repository.invoicedSellers(period.start, sellers);
      const due = sellers.filter((s) => !invoiced.has(s));
      if (!due.length) {
        await this.repository.markInvoiced(period, sellers.length, this.clock.now());
        continue;
      }
      periods += 1;
      const runId = await this.repository.startRun(period, until, this.clock.now());
      let count = 0;
      let error: string | null = null;
      let next = 0;
      // A few invoices at once: each waits on the database half the time. They lock different sellers'
      // rows, then the month's counter and the platform accounts in one order, so they cannot deadlock.
      const worker = async () => {
        while (next < due.length) {
          const sellerId = due[next++];
          try {
            if (await this.issue(sellerId, period, this.clock.now())) count += 1;
          } catch (e) {
            // One seller's failure does not keep the others' invoices back; the next run tries again.
            error = `${sellerId}: ${(e as Error).message}`;
            this.logger.error({ err: e, sellerId, period: period.startDate }, 'issuing an invoice failed');
          }
        }
      };
      const parallelism = this.config.business.money.invoicing.parallelism;
      await Promise.all(Array.from({ length: Math.min(parallelism, due.length) }, worker));
      await this.repository.finishRun(runId, count, error, this.clock.now());
      // Marked only when no issue failed: each due seller's invoice is now issued (here or elsewhere).
      if (error === null) await this.repository.markInvoiced(period, sellers.length, this.clock.now());
      issued += count;
    }
    return { asOf: until.toISOString(), periods, issued };
  }

  /**
   * Issues the seller's invoice for the period in one transaction: lines from the charged shipments that
   * ended in it (and the cancelled ones an earlier booking was found in it to have carried, charged as that
   * booking was quoted), COD fee adjustments (codFeeAdjustments) of parcels that ended earlier, a number from the
   * month's counter (Asia/Jakarta month of `now`), the posting `invoice:<sellerId>:<periodStart YYYY-MM-DD>`
   * (invoiceEntries; nothing posted when every amount is zero), settlement from `available`, and the
   * `invoice.issued` webhook. False when it exists already or has no lines. A line is once per shipment and
   * kind (a unique index), so no fee is charged or refunded twice.
   */
  async issue(sellerId: string, period: InvoicePeriod, now: Date): Promise<boolean> {
    const batch = this.config.business.money.invoicing.lineBatch;
    return this.tx
      .run(async () => {
        await this.repository.lockSellerPeriod(sellerId, period.start);
        if (await this.repository.exists(sellerId, period.start)) return false;
        // The seller's balances first, as a release's settlement locks them: no deadlock between the two.
        await this.ledger.sellerBalances(sellerId, { lock: true });
        const id = randomUUID();
        // A placeholder number until the lines are in: the month's counter is locked only briefly.
        await this.repository.insertInvoice({
          id,
          sellerId,
          number: `pending:${id}`,
          periodStart: period.start,
          periodEnd: period.end,
          now,
        });
        let totals: InvoiceTotals = NO_TOTALS;
        // Rows read `batch` at a time by keyset position, each batch's lines stored and totalled.
        const invoiceRows = async <R extends { position: string }>(
          read: (after: string | null) => Promise<R[]>,
          linesOf: (rows: R[]) => InvoiceLine[] | Promise<InvoiceLine[]>,
        ) => {
          for (let after: string | null = null; ;) {
            const rows = await read(after);
            const lines = await linesOf(rows);
            await this.repository.insertLines(id, period.start, lines);
            totals = addLines(totals, lines);
            if (rows.length < batch) return;
            after = rows[rows.length - 1].position;
          }
        };
        await invoiceRows(
          (after) => this.shipments.chargedEnded(sellerId, period.start, period.end, after, batch),
          (shipments) => shipments.flatMap(shipmentLines),
        );
        // A cancelled parcel an earlier booking carried after all (its COD cash remitted and credited) owes
        // that booking's charges, as a delivery with it would have.
        await invoiceRows(
          (after) =>
            this.shipments.chargedCarriedByEarlierBooking(sellerId, period.start, period.end, after, batch),
          (shipments) => shipments.flatMap(shipmentLines),
        );
        await invoiceRows(
          (after) => this.shipments.codCollectedChanged(sellerId, period.start, period.end, after, batch),
          (changed) => this.codFeeAdjustments(sellerId, changed),
        );
        if (!totals.lines) throw new NothingToInvoice();

        const month = wibDay(now).slice(0, 7).replace('-', '/');
        const sequence = await this.repository.nextNumber(month);
        const number = `${this.config.business.money.invoicing.numberPrefix}/${month}/${String(sequence).padStart(6, '0')}`;
        await this.repository.setNumberAndTotals(id, number, totals, invoiceStatus(totals.total, 0));
        const entries = invoiceEntries(sellerId, totals);
        if (entries.length) await this.postIssued(sellerId, period, number, entries, now);
        else this.logger.warn({ sellerId, number }, 'invoice amounts all zero: issued without a posting');
        await this.settleIn(sellerId, now);
        const invoice = (await this.repository.find(id, sellerId))!;
        await this.notifications.enqueue(sellerId, 'invoice.issued', { ...summaryView(invoice) });
        return true;
      })
      .catch((e: unknown) => {
        if (e instanceof NothingToInvoice) return false;
        throw e;
      });
  }

  /**
   * The COD fee adjustments (codFeeAdjustment) of parcels whose COD collection changed in the period after
   * they ended in an earlier one, against the COD fee lines already on invoices for them. A parcel whose own
   * period the seller has no invoice for yet is left to that invoice, which charges it as its cash stands
   * then: adjusted here as well, its fee would be charged twice.
   */
  private async codFeeAdjustments(
    sellerId: string,
    changed: CodCollectedChangedRow[],
  ): Promise<InvoiceLine[]> {
    if (!changed.length) return [];
    const periodOf = (s: CodCollectedChangedRow) => periodContaining(s.outcomeRecordedAt, this.rule).start;
    const invoiced = await this.repository.invoicedPeriodsOf(sellerId, [
      ...new Map(changed.map((s) => [periodOf(s).getTime(), periodOf(s)])).values(),
    ]);
    const due = changed.filter((s) => invoiced.has(periodOf(s).getTime()));
    const lines = await this.repository.linesOfShipments(
      due.map((s) => s.id),
      COD_FEE_KINDS,
    );
    return due.flatMap((s) => codFeeAdjustment(s, lines.get(s.id) ?? []) ?? []);
  }

  private async postIssued(
    sellerId: string,
    period: InvoicePeriod,
    number: string,
    entries: PostingEntry[],
    at: Date,
  ): Promise<void> {
    await this.ledger.post({
      key: `invoice:${sellerId}:${period.startDate}`,
      type: 'invoice_issued',
      at,
      sellerId,
      reference: number,
      entries,
    });
  }

  /**
   * Settles the seller's outstanding invoices from its available money (rupiah), oldest first, in the
   * caller's transaction or a new one. Each settlement posts `invoice-settlement:<invoiceId>:<paid before>`
   * (available debited, invoice_receivable credited) and moves the invoice to partially_paid or paid.
   * Returns the rupiah settled.
   */
  async settle(sellerId: string): Promise<number> {
    return this.tx.run(() => this.settleIn(sellerId, this.clock.now()));
  }

  private async settleIn(sellerId: string, now: Date): Promise<number> {
    const balances = await this.ledger.sellerBalances(sellerId, { lock: true });
    let available = balances.available;
    if (available <= 0 || balances.invoiceReceivable <= 0) return 0;
    let settled = 0;
    for (const invoice of await this.repository.outstandingOf(sellerId)) {
      const amount = settlementAmount(available, invoice.total - invoice.paid);
      if (amount <= 0) continue;
      await this.ledger.post({
        key: `invoice-settlement:${invoice.id}:${invoice.paid}`,
        type: 'invoice_settled',
        at: now,
        sellerId,
        reference: invoice.number,
        entries: [
          { account: Accounts.seller(sellerId, 'available'), debit: amount },
          { account: Accounts.seller(sellerId, 'invoice_receivable'), credit: amount },
        ],
      });
      const paid = invoice.paid + amount;
      await this.repository.recordPaid(invoice.id, paid, invoiceStatus(invoice.total, paid), now);
      available -= amount;
      settled += amount;
      if (available <= 0) break;
    }
    return settled;
  }

  /** The seller's invoices, newest period first (without lines). @throws ValidationFailedError for a bad cursor */
  async list(sellerId: string, q: { limit?: number; cursor?: string }): Promise<Page<InvoiceSummaryDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const before = q.cursor ? (decodeKeyset(q.cursor, SELLER_INVOICES, ['date'])[0] as Date) : null;
    const rows = await this.repository.listOf(sellerId, before, limit + 1);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    return {
      items: items.map(summaryView),
      nextCursor: more ? encodeKeyset(SELLER_INVOICES, [items[items.length - 1].periodStart]) : null,
    };
  }

  /** One invoice with its lines; with `sellerId` only that seller's. @throws InvoiceNotFoundError INVOICING_NOT_FOUND */
  async get(id: string, sellerId: string | null): Promise<InvoiceDto> {
    const invoice = await this.find(id, sellerId);
    const lines: InvoiceLineRow[] = [];
    for (let after = 0; ;) {
      const batch = await this.repository.linesOf(id, after, 10_000);
      lines.push(...batch);
      if (batch.length < 10_000) break;
      after = batch[batch.length - 1].id;
    }
    return { ...summaryView(invoice), lines: lines.map(lineView) };
  }

  /**
   * The `count` most recent invoicing periods, newest first from the one now is in, with how many
   * invoices each has: what finance picks a period from (the rule is the service's config, never the
   * caller's copy of it).
   */
  async recentPeriods(count: number): Promise<InvoicingPeriodsDto> {
    const now = this.clock.now();
    const periods = periodsUpTo(now, count, this.rule);
    const counts = await this.repository.invoiceCounts(periods.map((p) => p.start));
    return {
      items: periods.map((p) => ({
        startDate: p.startDate,
        lastDate: p.lastDate,
        periodStart: p.start.toISOString(),
        periodEnd: p.end.toISOString(),
        ended: p.end.getTime() <= now.getTime(),
        invoices: counts.get(p.start.getTime()) ?? 0,
      })),
    };
  }

  /**
   * A period's invoices for finance, by number, with the period's totals over all of them.
   * @throws NotAPeriodStartError VALIDATION_FAILED (field periodStart)
   */
  async ofPeriod(periodStart: string, q: { limit?: number; cursor?: string }): Promise<PeriodInvoicesDto> {
    const period = this.period(periodStart);
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const after = q.cursor ? String(decodeKeyset(q.cursor, PERIOD_INVOICES, ['uuid'])[0]) : null;
    const last = after ? await this.repository.find(after, null) : null;
    // A cursor names an invoice of this period: another's number would skip or repeat this period's rows.
    if (after && last?.periodStart.getTime() !== period.start.getTime()) throw invalidCursor();
    const afterNumber = last?.number ?? null;
    const [rows, totals] = await this.tx.all([
      () => this.repository.ofPeriod(period.start, afterNumber, limit + 1),
      () => this.repository.periodTotals(period.start),
    ] as const);
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const names = await this.sellers.names(items.map((i) => i.sellerId));
    return {
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      totals: {
        invoices: totals.invoices,
        lineCount: totals.lines,
        shippingTotal: totals.shippingTotal,
        codFeeTotal: totals.codFeeTotal,
        returnFeeTotal: totals.returnFeeTotal,
        cashbackTotal: totals.cashbackTotal,
        codFeeRefundTotal: totals.codFeeRefundTotal,
        total: totals.total,
        paid: totals.paid,
        outstanding: totals.outstanding,
      },
      items: items.map((i) => ({ ...summaryView(i), sellerName: names.get(i.sellerId) ?? '' })),
      nextCursor: more ? encodeKeyset(PERIOD_INVOICES, [items[items.length - 1].id]) : null,
    };
  }

  /** The seller's invoice as CSV, one row per line, streamed. @throws InvoiceNotFoundError INVOICING_NOT_FOUND */
  async invoiceCsv(id: string, sellerId: string): Promise<InvoiceExport> {
    const invoice = await this.find(id, sellerId);
    return {
      stream: this.csvOf(() => Promise.resolve([invoice.id])),
      contentType: 'text/csv; charset=utf-8',
      filename: `${fileName(invoice.number)}.csv`,
    };
  }

  /** The seller's invoice as an Indonesian PDF, streamed. @throws InvoiceNotFoundError INVOICING_NOT_FOUND */
  async invoicePdf(id: string, sellerId: string): Promise<InvoiceExport> {
    const invoice = await this.find(id, sellerId);
    const names = await this.sellers.names([sellerId]);
    const pdf = new InvoicePdf();
    void this.writePdf(pdf, [invoice], names);
    return {
      stream: pdf.stream,
      contentType: 'application/pdf',
      filename: `${fileName(invoice.number)}.pdf`,
    };
  }

  /**
   * A period's invoices of every seller, for finance: CSV (one row per line, streamed in keyset batches
   * of `exportBatch` lines: memory stays flat) or PDF (one section per seller).
   * @throws NotAPeriodStartError VALIDATION_FAILED (field periodStart)
   */
  async exportPeriod(periodStart: string, format: 'csv' | 'pdf'): Promise<InvoiceExport> {
    const period = this.period(periodStart);
    const name = `tagihan-${period.startDate}`;
    if (format === 'pdf') {
      const invoices = await this.allOfPeriod(period.start);
      const names = await this.sellers.names([...new Set(invoices.map((i) => i.sellerId))]);
      const pdf = new InvoicePdf();
      void this.writePdf(pdf, invoices, names);
      return { stream: pdf.stream, contentType: 'application/pdf', filename: `${name}.pdf` };
    }
    return {
      stream: this.csvOf(async () => (await this.allOfPeriod(period.start)).map((i) => i.id)),
      contentType: 'text/csv; charset=utf-8',
      filename: `${name}.csv`,
    };
  }

  /**
   * The period's invoices, in number order. Their headers (one per seller) are small beside their lines:
   * read whole, they fix what an export holds when it starts. Each invoice's lines commit with it, so
   * each is there whole or not at all; invoices issued while the export runs are not in it.
   */
  private async allOfPeriod(periodStart: Date): Promise<InvoiceRow[]> {
    const invoices: InvoiceRow[] = [];
    for (let afterNumber: string | null = null; ;) {
      const page = await this.repository.ofPeriod(periodStart, afterNumber, 1000);
      invoices.push(...page);
      if (page.length < 1000) return invoices;
      afterNumber = page[page.length - 1].number;
    }
  }

  /**
   * Invoices' lines as CSV, invoice after invoice (each in line order), read in keyset batches of up to
   * `exportBatch` lines while the stream is consumed. Read as lines were numbered across the period, an
   * invoice issued alongside another, whose lines were numbered first but committed last, was left out.
   */
  private csvOf(invoiceIds: () => Promise<string[]>): Readable {
    const batch = this.config.business.money.invoicing.exportBatch;
    let ids: string[] | null = null;
    let at = 0;
    let after = 0;
    return invoiceCsv(async () => {
      ids ??= await invoiceIds();
      const rows: unknown[][] = [];
      while (at < ids.length && rows.length < batch) {
        const wanted = batch - rows.length;
        const page = await this.repository.csvRows(ids[at], after, wanted);
        rows.push(...page);
        if (page.length < wanted) [at, after] = [at + 1, 0];
        else after = Number(page[page.length - 1][0]);
      }
      if (!rows.length) return null;
      for (const row of rows) row.shift(); // the line id: the keyset's, not the CSV's
      return rows as InvoiceCsvRow[];
    });
  }

  /**
   * Writes each invoice's section as its lines are read in batches, each once the reader has taken the
   * last; a read failure ends the stream with it, a reader gone ends the reading.
   */
  private async writePdf(pdf: InvoicePdf, invoices: InvoiceRow[], names: Map<string, string>): Promise<void> {
    const batch = this.config.business.money.invoicing.exportBatch;
    try {
      for (const invoice of invoices) {
        const doc = pdfView(invoice, names.get(invoice.sellerId) ?? invoice.sellerId);
        pdf.begin(doc);
        for (let after = 0; ;) {
          if (!(await pdf.room())) return;
          const lines = await this.repository.linesOf(invoice.id, after, batch);
          pdf.lines(lines);
          if (lines.length < batch) break;
          after = lines[lines.length - 1].id;
        }
        pdf.end(doc);
      }
      pdf.finish();
    } catch (e) {
      this.logger.error({ err: e }, 'writing an invoice PDF failed');
      pdf.stream.destroy(e as Error);
    }
  }

  private async find(id: string, sellerId: string | null): Promise<InvoiceRow> {
    const invoice = await this.repository.find(id, sellerId);
    if (!invoice) throw new InvoiceNotFoundError();
    return invoice;
  }

  /** The period a `periodStart` query names (a `YYYY-MM-DD` day or an ISO instant on which one starts). */
  private period(text: string): InvoicePeriod {
    // parseInstant, not Date: 2026-02-29T17:00:00Z (no such day) was read as 1 March and named a period.
    // A time names the first instant in any form parseInstant reads (Z, an offset, or Jakarta's wall clock).
    const instant = text.includes('T');
    const at = instant ? parseInstant(text) : null;
    const period = instant && !at ? null : periodStartingOn(at ? wibDay(at) : text, this.rule);
    // A period ending after year 9999 has no ISO 8601 date to be answered in ("+010000-01-09…").
    if (!period || (at && period.start.getTime() !== at.getTime()) || period.end.getUTCFullYear() > 9999) {
      const example = periodContaining(this.clock.now(), this.rule).startDate;
      throw new NotAPeriodStartError(
        `must be a day an invoicing period starts on (YYYY-MM-DD, Asia/Jakarta, e.g. ${example}: every ${this.rule.periodDays} days from ${this.rule.anchorDate})`,
      );
    }
    return period;
  }
}

function summaryView(i: InvoiceRow): InvoiceSummaryDto {
  return {
    id: i.id,
    number: i.number,
    sellerId: i.sellerId,
    periodStart: i.periodStart.toISOString(),
    periodEnd: i.periodEnd.toISOString(),
    periodStartDate: wibDay(i.periodStart),
    periodLastDate: wibDay(new Date(i.periodEnd.getTime() - 1)),
    status: i.status,
    shippingTotal: i.shippingTotal,
    codFeeTotal: i.codFeeTotal,
    returnFeeTotal: i.returnFeeTotal,
    cashbackTotal: i.cashbackTotal,
    codFeeRefundTotal: i.codFeeRefundTotal,
    total: i.total,
    paid: i.paid,
    outstanding: Math.max(0, i.total - i.paid),
    lineCount: i.lineCount,
    issuedAt: i.issuedAt.toISOString(),
  };
}

function lineView(l: InvoiceLine): InvoiceLine {
  return { shipmentId: l.shipmentId, awb: l.awb, courier: l.courier, kind: l.kind, amount: l.amount };
}

function pdfView(i: InvoiceRow, sellerName: string): PdfInvoice {
  return {
    number: i.number,
    sellerName,
    periodStart: i.periodStart,
    periodEnd: i.periodEnd,
    issuedAt: i.issuedAt,
    shippingTotal: i.shippingTotal,
    codFeeTotal: i.codFeeTotal,
    returnFeeTotal: i.returnFeeTotal,
    cashbackTotal: i.cashbackTotal,
    codFeeRefundTotal: i.codFeeRefundTotal,
    total: i.total,
    paid: i.paid,
    outstanding: Math.max(0, i.total - i.paid),
  };
}

/** `INV/2026/12/000123` → `INV-2026-12-000123` (no slashes in a file name). */
function fileName(number: string): string {
  return number.replace(/[^A-Za-z0-9-]/g, '-');
}
