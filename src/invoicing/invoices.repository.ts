import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Rupiah } from 'src/common/money';
import { advisoryKey } from 'src/database/locks';
import { queryRowArrays } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import type { InvoiceLine, InvoiceLineKind, InvoiceStatus, InvoiceTotals } from './invoice-lines';

/** An invoice as stored (rupiah). */
export interface InvoiceRow extends Omit<InvoiceTotals, 'lines'> {
  id: string;
  sellerId: string;
  number: string;
  periodStart: Date;
  periodEnd: Date;
  status: InvoiceStatus;
  paid: Rupiah;
  lineCount: number;
  issuedAt: Date;
}

/** A stored line with its keyset position. */
export interface InvoiceLineRow extends InvoiceLine {
  id: number;
  invoiceId: string;
}

/** A period's sums over its invoices (rupiah). */
export interface PeriodTotalsRow extends Omit<InvoiceTotals, 'lines'> {
  invoices: number;
  lines: number;
  paid: Rupiah;
  /** What is still owed: an invoice totalling below zero owes nothing (and takes nothing off the others). */
  outstanding: Rupiah;
}

const INVOICE_COLUMNS = `id, seller_id, number, period_start, period_end, status, shipping_total, cod_fee_total,
  return_fee_total, cashback_total, cod_fee_refund_total, total, paid, line_count, issued_at`;

const num = (v: unknown): number => Number(v ?? 0);

/** A period as `invoicedPeriods` names it (its start and end, in milliseconds). */
export const periodKey = (p: { start: Date; end: Date }): string => `${p.start.getTime()}/${p.end.getTime()}`;

function invoiceRow(r: Record<string, unknown>): InvoiceRow {
  return {
    id: r.id as string,
    sellerId: r.seller_id as string,
    number: r.number as string,
    periodStart: r.period_start as Date,
    periodEnd: r.period_end as Date,
    status: r.status as InvoiceStatus,
    shippingTotal: num(r.shipping_total),
    codFeeTotal: num(r.cod_fee_total),
    returnFeeTotal: num(r.return_fee_total),
    cashbackTotal: num(r.cashback_total),
    codFeeRefundTotal: num(r.cod_fee_refund_total),
    total: num(r.total),
    paid: num(r.paid),
    lineCount: num(r.line_count),
    issuedAt: r.issued_at as Date,
  };
}

function lineRow(r: Record<string, unknown>): InvoiceLineRow {
  return {
    id: num(r.id),
    invoiceId: r.invoice_id as string,
    shipmentId: r.shipment_id as string,
    awb: r.awb as string,
    courier: r.courier as string,
    kind: r.kind as InvoiceLineKind,
    amount: num(r.amount),
  };
}

/** Invoices, their lines, number counters and run records, in SQL. */
@Injectable()
export class InvoicesRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Holds the (seller, period) lock until the transaction ends: another instance issuing the same invoice
   * waits here, then finds it issued.
   */
  async lockSellerPeriod(sellerId: string, periodStart: Date): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [
      advisoryKey(`invoice:${sellerId}:${periodStart.toISOString()}`),
    ]);
  }

  async exists(sellerId: string, periodStart: Date): Promise<boolean> {
    const rows = await this.tx.manager.query<unknown[]>(
      'SELECT 1 FROM invoices WHERE seller_id = $1 AND period_start = $2',
      [sellerId, periodStart],
    );
    return rows.length > 0;
  }

  /** Which of these periods (by their first instant) the seller has an invoice for, as epoch milliseconds. */
  async invoicedPeriodsOf(sellerId: string, periodStarts: Date[]): Promise<Set<number>> {
    if (!periodStarts.length) return new Set();
    const rows = await this.tx.manager.query<{ period_start: Date }[]>(
      'SELECT period_start FROM invoices WHERE seller_id = $1 AND period_start = ANY($2::timestamptz[])',
      [sellerId, periodStarts],
    );
    return new Set(rows.map((r) => r.period_start.getTime()));
  }

  /**
   * The lines of these kinds already on invoices for these shipments, by shipment, oldest first (read
   * through uq_invoice_lines_shipment_kind).
   */
  async linesOfShipments(
    shipmentIds: string[],
    kinds: readonly InvoiceLineKind[],
  ): Promise<Map<string, Pick<InvoiceLine, 'kind' | 'amount'>[]>> {
    const byShipment = new Map<string, Pick<InvoiceLine, 'kind' | 'amount'>[]>();
    if (!shipmentIds.length) return byShipment;
    const rows = await this.tx.manager.query<
      { shipment_id: string; kind: InvoiceLineKind; amount: string }[]
    >(
      `SELECT shipment_id, kind, amount FROM invoice_lines
        WHERE shipment_id = ANY($1::uuid[]) AND kind = ANY($2::text[]) ORDER BY id`,
      [shipmentIds, kinds],
    );
    for (const r of rows) {
      const lines = byShipment.get(r.shipment_id) ?? [];
      lines.push({ kind: r.kind, amount: num(r.amount) });
      byShipment.set(r.shipment_id, lines);
    }
    return byShipment;
  }

  /** The sellers among `sellerIds` already invoiced for the period. */
  async invoicedSellers(periodStart: Date, sellerIds: string[]): Promise<Set<string>> {
    const rows = await this.tx.manager.query<{ seller_id: string }[]>(
      'SELECT seller_id FROM invoices WHERE period_start = $1 AND seller_id = ANY($2::uuid[])',
      [periodStart, sellerIds],
    );
    return new Set(rows.map((r) => r.seller_id));
  }

  /**
   * The month's next invoice number (1, 2, …). The counter row stays locked until the transaction ends,
   * so numbers are sequential and a rolled-back invoice gives its number back.
   */
  async nextNumber(month: string): Promise<number> {
    const [row] = await this.tx.manager.query<{ last_number: number }[]>(
      `INSERT INTO invoice_number_counters AS c (month, last_number) VALUES ($1, 1)
       ON CONFLICT (month) DO UPDATE SET last_number = c.last_number + 1
       RETURNING last_number`,
      [month],
    );
    return row.last_number;
  }

  async insertInvoice(i: {
    id: string;
    sellerId: string;
    number: string;
    periodStart: Date;
    periodEnd: Date;
    now: Date;
  }): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO invoices (id, seller_id, number, period_start, period_end, status, shipping_total, cod_fee_total,
                             return_fee_total, cashback_total, total, paid, line_count, issued_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'issued', 0, 0, 0, 0, 0, 0, 0, $6, $6)`,
      [i.id, i.sellerId, i.number, i.periodStart, i.periodEnd, i.now],
    );
  }

  /** Appends lines to an invoice in one statement (arrays unnested server-side). */
  async insertLines(invoiceId: string, periodStart: Date, lines: readonly InvoiceLine[]): Promise<void> {
    if (!lines.length) return;
    const shipments = new Array<string>(lines.length);
    const awbs = new Array<string>(lines.length);
    const couriers = new Array<string>(lines.length);
    const kinds = new Array<string>(lines.length);
    const amounts = new Array<number>(lines.length);
    lines.forEach((l, i) => {
      shipments[i] = l.shipmentId;
      awbs[i] = l.awb;
      couriers[i] = l.courier;
      kinds[i] = l.kind;
      amounts[i] = l.amount;
    });
    await this.tx.manager.query(
      `INSERT INTO invoice_lines (invoice_id, period_start, shipment_id, awb, courier, kind, amount)
       SELECT $1, $2, s, a, c, k, m
         FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::bigint[]) AS l(s, a, c, k, m)`,
      [invoiceId, periodStart, shipments, awbs, couriers, kinds, amounts],
    );
  }

  async setNumberAndTotals(
    id: string,
    number: string,
    t: InvoiceTotals,
    status: InvoiceStatus,
  ): Promise<void> {
    await this.tx.manager.query(
      `UPDATE invoices SET number = $2, shipping_total = $3, cod_fee_total = $4, return_fee_total = $5,
              cashback_total = $6, cod_fee_refund_total = $7, total = $8, line_count = $9, status = $10
        WHERE id = $1`,
      [
        id,
        number,
        t.shippingTotal,
        t.codFeeTotal,
        t.returnFeeTotal,
        t.cashbackTotal,
        t.codFeeRefundTotal,
        t.total,
        t.lines,
        status,
      ],
    );
  }

  /** The seller's invoices not fully paid, oldest period first, locked until the transaction ends. */
  async outstandingOf(sellerId: string): Promise<InvoiceRow[]> {
    const rows = await this.tx.manager.query<Record<string, unknown>[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE seller_id = $1 AND status <> 'paid'
        ORDER BY period_start, id FOR UPDATE`,
      [sellerId],
    );
    return rows.map(invoiceRow);
  }

  async recordPaid(id: string, paid: Rupiah, status: InvoiceStatus, now: Date): Promise<void> {
    await this.tx.manager.query('UPDATE invoices SET paid = $2, status = $3, updated_at = $4 WHERE id = $1', [
      id,
      paid,
      status,
      now,
    ]);
  }

  /** An invoice by id; with `sellerId`, only that seller's. */
  async find(id: string, sellerId: string | null): Promise<InvoiceRow | null> {
    const rows = await this.tx.manager.query<Record<string, unknown>[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 AND ($2::uuid IS NULL OR seller_id = $2)`,
      [id, sellerId],
    );
    return rows.length ? invoiceRow(rows[0]) : null;
  }

  /** The seller's invoices, newest period first, after the keyset position `before` (a period start). */
  async listOf(sellerId: string, before: Date | null, limit: number): Promise<InvoiceRow[]> {
    const rows = await this.tx.manager.query<Record<string, unknown>[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices
        WHERE seller_id = $1 AND ($2::timestamptz IS NULL OR period_start < $2)
        ORDER BY period_start DESC LIMIT $3`,
      [sellerId, before, limit],
    );
    return rows.map(invoiceRow);
  }

  /** A period's invoices by number, after the keyset position `afterNumber`. */
  async ofPeriod(periodStart: Date, afterNumber: string | null, limit: number): Promise<InvoiceRow[]> {
    const rows = await this.tx.manager.query<Record<string, unknown>[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices
        WHERE period_start = $1 AND ($2::text IS NULL OR number > $2)
        ORDER BY number LIMIT $3`,
      [periodStart, afterNumber, limit],
    );
    return rows.map(invoiceRow);
  }

  /** How many invoices each of these periods has (periods without any are absent). */
  async invoiceCounts(periodStarts: Date[]): Promise<Map<number, number>> {
    const rows = await this.tx.manager.query<{ period_start: Date; invoices: string }[]>(
      `SELECT period_start, count(*) AS invoices FROM invoices
        WHERE period_start = ANY($1::timestamptz[]) GROUP BY period_start`,
      [periodStarts],
    );
    return new Map(rows.map((r) => [r.period_start.getTime(), Number(r.invoices)]));
  }

  async periodTotals(periodStart: Date): Promise<PeriodTotalsRow> {
    const [r] = await this.tx.manager.query<Record<string, unknown>[]>(
      `SELECT count(*) AS invoices, coalesce(sum(line_count), 0) AS lines,
              coalesce(sum(shipping_total), 0) AS shipping_total, coalesce(sum(cod_fee_total), 0) AS cod_fee_total,
              coalesce(sum(return_fee_total), 0) AS return_fee_total, coalesce(sum(cashback_total), 0) AS cashback_total,
              coalesce(sum(cod_fee_refund_total), 0) AS cod_fee_refund_total,
              coalesce(sum(total), 0) AS total, coalesce(sum(paid), 0) AS paid,
              coalesce(sum(greatest(total - paid, 0)), 0) AS outstanding
         FROM invoices WHERE period_start = $1`,
      [periodStart],
    );
    return {
      invoices: num(r.invoices),
      lines: num(r.lines),
      shippingTotal: num(r.shipping_total),
      codFeeTotal: num(r.cod_fee_total),
      returnFeeTotal: num(r.return_fee_total),
      cashbackTotal: num(r.cashback_total),
      codFeeRefundTotal: num(r.cod_fee_refund_total),
      total: num(r.total),
      paid: num(r.paid),
      outstanding: num(r.outstanding),
    };
  }

  /** An invoice's lines in order, `limit` after the keyset position `afterId`. */
  async linesOf(invoiceId: string, afterId: number, limit: number): Promise<InvoiceLineRow[]> {
    const rows = await this.tx.manager.query<Record<string, unknown>[]>(
      `SELECT id, invoice_id, shipment_id, awb, courier, kind, amount FROM invoice_lines
        WHERE invoice_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [invoiceId, afterId, limit],
    );
    return rows.map(lineRow);
  }

  /**
   * An invoice's lines as CSV rows (INVOICE_CSV_COLUMNS order, values as PostgreSQL writes them), each led
   * by its line id for the keyset: arrays, not objects, as an export streams a million of them.
   */
  async csvRows(invoiceId: string, afterId: number, limit: number): Promise<unknown[][]> {
    return queryRowArrays(
      this.tx.manager,
      `SELECT l.id, i.number, i.seller_id, s.name,
              to_char(i.period_start AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD'),
              to_char((i.period_end - interval '1 microsecond') AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD'),
              l.shipment_id, l.awb, l.courier, l.kind, l.amount
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id JOIN sellers s ON s.id = i.seller_id
        WHERE l.invoice_id = $1 AND l.id > $2 ORDER BY l.id LIMIT $3`,
      [invoiceId, afterId, limit],
    );
  }

  async startRun(period: { start: Date; end: Date }, asOf: Date, now: Date): Promise<string> {
    const id = randomUUID();
    await this.tx.manager.query(
      `INSERT INTO invoice_runs (id, period_start, period_end, as_of, started_at) VALUES ($1, $2, $3, $4, $5)`,
      [id, period.start, period.end, asOf, now],
    );
    return id;
  }

  async finishRun(id: string, issued: number, error: string | null, now: Date): Promise<void> {
    await this.tx.manager.query(
      'UPDATE invoice_runs SET finished_at = $2, invoices_issued = $3, error = $4 WHERE id = $1',
      [id, now, issued, error?.slice(0, 1000) ?? null],
    );
  }

  /** The periods among those starting in [from, to) marked invoiced, as `periodKey`s. */
  async invoicedPeriods(from: Date, to: Date): Promise<Set<string>> {
    const rows = await this.tx.manager.query<{ period_start: Date; period_end: Date }[]>(
      'SELECT period_start, period_end FROM invoiced_periods WHERE period_start >= $1 AND period_start < $2',
      [from, to],
    );
    return new Set(rows.map((r) => periodKey({ start: r.period_start, end: r.period_end })));
  }

  /**
   * Marks a closed period invoiced: each of its `sellers` (those with charged shipments in it) has its
   * invoice. Many instances may mark it; the first mark stays.
   */
  async markInvoiced(period: { start: Date; end: Date }, sellers: number, now: Date): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO invoiced_periods (period_start, period_end, sellers, invoiced_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (period_start, period_end) DO NOTHING`,
      [period.start, period.end, sellers, now],
    );
  }
}
