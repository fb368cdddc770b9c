import { Injectable } from '@nestjs/common';
import type { Rupiah } from 'src/common/money';
import { advisoryKey } from 'src/database/locks';
import { Transactions } from 'src/database/transaction';
import type {
  MatchedLine,
  RemittanceOutcome,
  RemittanceResolution,
  UnmatchedReason,
} from './remittance-matching';

export interface RemittanceRecord {
  id: string;
  courier: string;
  uploadedBy: string;
  fileSha256: string;
  /** Of its lines (`remittanceContentSha256`): the same report in other bytes has the same. */
  contentSha256: string;
  lines: number;
  total: Rupiah;
  byOutcome: Record<RemittanceOutcome, { count: number; amount: Rupiah }>;
  createdAt: Date;
  /** Set when finance voided the report: its cash reversed, its lines settling nothing. */
  voided?: { at: Date; by: string; reason: string } | null;
}

export interface LineRecord {
  remittanceId: string;
  row: number;
  courier: string;
  awb: string;
  amount: Rupiah;
  remittedOn: string;
  outcome: RemittanceOutcome;
  reason: UnmatchedReason | null;
  shipmentId: string | null;
  expectedAmount: Rupiah | null;
  deliveredAt: Date | null;
  createdAt: Date;
  /** How finance resolved it, once, if it did. */
  resolved?: LineResolution | null;
}

/** Finance's resolution of a line waiting in suspense: what, why (as written), who and when. */
export interface LineResolution {
  resolution: RemittanceResolution;
  note: string;
  by: string;
  at: Date;
}

interface RemittanceRow {
  id: string;
  courier: string;
  uploaded_by: string;
  file_sha256: string;
  content_sha256: string;
  line_count: number;
  total_amount: string;
  matched_count: number;
  matched_amount: string;
  mismatch_count: number;
  mismatch_amount: string;
  unmatched_count: number;
  unmatched_amount: string;
  duplicate_count: number;
  duplicate_amount: string;
  created_at: Date;
  voided_at: Date | null;
  voided_by: string | null;
  void_reason: string | null;
}

interface LineRow {
  remittance_id: string;
  row_no: number;
  courier: string;
  awb: string;
  amount: string;
  remitted_on: string;
  outcome: RemittanceOutcome;
  reason: UnmatchedReason | null;
  shipment_id: string | null;
  expected_amount: string | null;
  delivered_at: Date | null;
  created_at: Date;
  resolution: RemittanceResolution | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

const remittanceOf = (r: RemittanceRow): RemittanceRecord => ({
  id: r.id,
  courier: r.courier,
  uploadedBy: r.uploaded_by,
  fileSha256: r.file_sha256,
  contentSha256: r.content_sha256,
  lines: r.line_count,
  total: Number(r.total_amount),
  byOutcome: {
    matched: { count: r.matched_count, amount: Number(r.matched_amount) },
    amount_mismatch: { count: r.mismatch_count, amount: Number(r.mismatch_amount) },
    unmatched: { count: r.unmatched_count, amount: Number(r.unmatched_amount) },
    duplicate: { count: r.duplicate_count, amount: Number(r.duplicate_amount) },
  },
  createdAt: r.created_at,
  voided: r.voided_at ? { at: r.voided_at, by: r.voided_by!, reason: r.void_reason! } : null,
});

const lineOf = (r: LineRow): LineRecord => ({
  remittanceId: r.remittance_id,
  row: r.row_no,
  courier: r.courier,
  awb: r.awb,
  amount: Number(r.amount),
  remittedOn: r.remitted_on,
  outcome: r.outcome,
  reason: r.reason,
  shipmentId: r.shipment_id,
  expectedAmount: r.expected_amount === null ? null : Number(r.expected_amount),
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
  resolved: r.resolution
    ? { resolution: r.resolution, note: r.resolution_note!, by: r.resolved_by!, at: r.resolved_at! }
    : null,
});

const LINE_COLUMNS = `remittance_id, row_no, courier, awb, amount, to_char(remitted_on, 'YYYY-MM-DD') AS remitted_on,
  outcome, reason, shipment_id, expected_amount, delivered_at, created_at, resolution, resolution_note,
  resolved_by, resolved_at`;
/** Lines written per statement (a report may hold hundreds of thousands). */
const INSERT_CHUNK = 5000;

/** Remittance reports and their lines; nothing else writes these tables. */
@Injectable()
export class RemittancesRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Holds the courier's remittance lock until the transaction ends: two uploads for one courier decide
   * one after the other, so the second sees what the first settled (the unique indexes are the backstop).
   */
  async lockCourier(courier: string): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [
      advisoryKey(`remittances:${courier}`),
    ]);
  }

  /** The courier's report uploaded before with these bytes or these lines, if any. */
  async idBySameReport(courier: string, fileSha256: string, contentSha256: string): Promise<string | null> {
    const rows = await this.tx.manager.query<{ id: string }[]>(
      `SELECT id FROM remittances WHERE courier = $1 AND (file_sha256 = $2 OR content_sha256 = $3)
          AND voided_at IS NULL
        ORDER BY created_at LIMIT 1`,
      [courier, fileSha256, contentSha256],
    );
    return rows[0]?.id ?? null;
  }

  /** Those of the AWBs whose COD cash a line has already settled at the courier. */
  async settledAwbs(courier: string, awbs: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < awbs.length; i += INSERT_CHUNK) {
      const rows = await this.tx.manager.query<{ awb: string }[]>(
        `SELECT awb FROM remittance_lines
          WHERE courier = $1 AND awb = ANY($2::text[]) AND outcome = 'matched' AND NOT voided`,
        [courier, awbs.slice(i, i + INSERT_CHUNK)],
      );
      for (const r of rows) found.add(r.awb);
    }
    return found;
  }

  async insert(r: RemittanceRecord, lines: MatchedLine[]): Promise<void> {
    const o = r.byOutcome;
    await this.tx.manager.query(
      `INSERT INTO remittances (id, courier, uploaded_by, file_sha256, line_count, total_amount, matched_count,
         matched_amount, mismatch_count, mismatch_amount, unmatched_count, unmatched_amount, duplicate_count,
         duplicate_amount, created_at, content_sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        r.id,
        r.courier,
        r.uploadedBy,
        r.fileSha256,
        r.lines,
        r.total,
        o.matched.count,
        o.matched.amount,
        o.amount_mismatch.count,
        o.amount_mismatch.amount,
        o.unmatched.count,
        o.unmatched.amount,
        o.duplicate.count,
        o.duplicate.amount,
        r.createdAt,
        r.contentSha256,
      ],
    );
    for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
      const chunk = lines.slice(i, i + INSERT_CHUNK);
      await this.tx.manager.query(
        `INSERT INTO remittance_lines (remittance_id, row_no, courier, awb, amount, remitted_on, outcome, reason,
           shipment_id, expected_amount, delivered_at, created_at)
         SELECT $1, l.row_no, $2, l.awb, l.amount, l.remitted_on, l.outcome, l.reason, l.shipment_id,
                l.expected_amount, l.delivered_at, $3
           FROM unnest($4::int[], $5::text[], $6::bigint[], $7::date[], $8::text[], $9::text[], $10::uuid[],
                       $11::bigint[], $12::timestamptz[])
             AS l(row_no, awb, amount, remitted_on, outcome, reason, shipment_id, expected_amount, delivered_at)`,
        [
          r.id,
          r.courier,
          r.createdAt,
          chunk.map((l) => l.row),
          chunk.map((l) => l.awb),
          chunk.map((l) => l.amount),
          chunk.map((l) => l.remittedOn),
          chunk.map((l) => l.outcome),
          chunk.map((l) => l.reason),
          chunk.map((l) => l.shipmentId),
          chunk.map((l) => l.expectedAmount),
          chunk.map((l) => l.deliveredAt),
        ],
      );
    }
  }

  /**
   * The courier's unmatched lines uploaded since `since`, oldest first, after the keyset position
   * (created_at, remittance, row).
   */
  async unmatchedLines(
    courier: string,
    since: Date,
    after: { createdAt: Date; remittanceId: string; row: number } | null,
    limit: number,
  ): Promise<LineRecord[]> {
    const rows = await this.tx.manager.query<LineRow[]>(
      `SELECT ${LINE_COLUMNS} FROM remittance_lines
        WHERE outcome = 'unmatched' AND NOT voided AND resolution IS NULL AND courier = $1 AND created_at >= $2
          AND ($3::timestamptz IS NULL OR (created_at, remittance_id, row_no) > ($3::timestamptz, $4::uuid, $5::int))
        ORDER BY created_at, remittance_id, row_no LIMIT $6`,
      [courier, since, after?.createdAt ?? null, after?.remittanceId ?? null, after?.row ?? 0, limit],
    );
    return rows.map(lineOf);
  }

  /**
   * Decides a line again (`line` as matchRemittance decided it now): an unmatched one once its AWB names a
   * delivered parcel, or a duplicate once the line that settled its parcel was voided. Moves its report's
   * counts from the line's outcome (`from`) to the new one, in one statement; `resolved`: finance's resolution
   * that decided it (a line credited to a seller). False when the line was no longer `from`, was resolved, or
   * its report was voided.
   */
  async redecide(
    remittanceId: string,
    line: MatchedLine,
    from: RemittanceOutcome,
    resolved: LineResolution | null = null,
  ): Promise<boolean> {
    const moved = (column: string, outcome: RemittanceOutcome, amount: boolean) =>
      `${column} = r.${column} - CASE WHEN $7 = '${outcome}' THEN ${amount ? 'l.amount' : '1'} ELSE 0 END
         + CASE WHEN $3 = '${outcome}' THEN ${amount ? 'l.amount' : '1'} ELSE 0 END`;
    const [, changed] = await this.tx.manager.query<[unknown, number]>(
      `WITH l AS (
         UPDATE remittance_lines SET outcome = $3, reason = $8, shipment_id = $4, expected_amount = $5,
                delivered_at = $6, resolution = $9, resolution_note = $10, resolved_by = $11, resolved_at = $12
          WHERE remittance_id = $1 AND row_no = $2 AND outcome = $7 AND NOT voided AND resolution IS NULL
          RETURNING remittance_id, amount
       )
       UPDATE remittances r SET
         ${[
           moved('unmatched_count', 'unmatched', false),
           moved('unmatched_amount', 'unmatched', true),
           moved('matched_count', 'matched', false),
           moved('matched_amount', 'matched', true),
           moved('mismatch_count', 'amount_mismatch', false),
           moved('mismatch_amount', 'amount_mismatch', true),
           moved('duplicate_count', 'duplicate', false),
           moved('duplicate_amount', 'duplicate', true),
         ].join(',\n         ')}
        FROM l WHERE r.id = l.remittance_id`,
      [
        remittanceId,
        line.row,
        line.outcome,
        line.shipmentId,
        line.expectedAmount,
        line.deliveredAt,
        from,
        line.outcome === 'unmatched' ? line.reason : null,
        resolved?.resolution ?? null,
        resolved?.note ?? null,
        resolved?.by ?? null,
        resolved?.at ?? null,
      ],
    );
    return changed === 1;
  }

  /** Of these lines, those still unmatched in a report not voided (`<report>:<row>`), read under the lock. */
  async stillUnmatched(lines: { remittanceId: string; row: number }[]): Promise<Set<string>> {
    if (!lines.length) return new Set();
    const rows = await this.tx.manager.query<{ key: string }[]>(
      `SELECT l.remittance_id || ':' || l.row_no AS key
         FROM remittance_lines l JOIN unnest($1::uuid[], $2::int[]) AS k(remittance_id, row_no)
           ON l.remittance_id = k.remittance_id AND l.row_no = k.row_no
        WHERE l.outcome = 'unmatched' AND NOT l.voided AND l.resolution IS NULL`,
      [lines.map((l) => l.remittanceId), lines.map((l) => l.row)],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * The courier's duplicate lines naming these AWBs (of reports not voided), oldest first: what a void leaves
   * to decide again, its parcels owed once more.
   */
  async duplicateLines(courier: string, awbs: string[]): Promise<LineRecord[]> {
    if (!awbs.length) return [];
    const rows = await this.tx.manager.query<LineRow[]>(
      `SELECT ${LINE_COLUMNS} FROM remittance_lines
        WHERE courier = $1 AND awb = ANY($2::text[]) AND outcome = 'duplicate' AND NOT voided
          AND resolution IS NULL
        ORDER BY created_at, remittance_id, row_no`,
      [courier, awbs],
    );
    return rows.map(lineOf);
  }

  /** The parcels (AWB and shipment) a report's lines settled. */
  async settledBy(remittanceId: string): Promise<{ awb: string; shipmentId: string }[]> {
    const rows = await this.tx.manager.query<{ awb: string; shipment_id: string }[]>(
      `SELECT awb, shipment_id FROM remittance_lines WHERE remittance_id = $1 AND outcome = 'matched'`,
      [remittanceId],
    );
    return rows.map((r) => ({ awb: r.awb, shipmentId: r.shipment_id }));
  }

  /**
   * Marks the report voided, and its lines with it (they settle nothing from now on). False when it was
   * voided already. Run under the courier's lock, so no upload or late match decides against it meanwhile.
   */
  async void(id: string, by: string, reason: string, at: Date): Promise<boolean> {
    const [, changed] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE remittances SET voided_at = $2, voided_by = $3, void_reason = $4 WHERE id = $1 AND voided_at IS NULL`,
      [id, at, by, reason],
    );
    if (changed !== 1) return false;
    await this.tx.manager.query('UPDATE remittance_lines SET voided = true WHERE remittance_id = $1', [id]);
    return true;
  }

  /** One line of a report, by its row; null when there is none. */
  async line(remittanceId: string, row: number): Promise<LineRecord | null> {
    const rows = await this.tx.manager.query<LineRow[]>(
      `SELECT ${LINE_COLUMNS} FROM remittance_lines WHERE remittance_id = $1 AND row_no = $2`,
      [remittanceId, row],
    );
    return rows[0] ? lineOf(rows[0]) : null;
  }

  /**
   * Records finance's resolution of a line left in suspense (refunded, written off): its outcome stays, and it
   * leaves the exceptions. False when it was resolved already, settles a parcel, or its report was voided.
   */
  async resolve(remittanceId: string, row: number, r: LineResolution): Promise<boolean> {
    const [, changed] = await this.tx.manager.query<[unknown, number]>(
      `UPDATE remittance_lines SET resolution = $3, resolution_note = $4, resolved_by = $5, resolved_at = $6
        WHERE remittance_id = $1 AND row_no = $2 AND outcome <> 'matched' AND NOT voided AND resolution IS NULL`,
      [remittanceId, row, r.resolution, r.note, r.by, r.at],
    );
    return changed === 1;
  }

  /** How many of a report's lines finance resolved. */
  async resolvedCount(remittanceId: string): Promise<number> {
    const [{ n }] = await this.tx.manager.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM remittance_lines WHERE remittance_id = $1 AND resolution IS NOT NULL',
      [remittanceId],
    );
    return n;
  }

  async find(id: string): Promise<RemittanceRecord | null> {
    const rows = await this.tx.manager.query<RemittanceRow[]>('SELECT * FROM remittances WHERE id = $1', [
      id,
    ]);
    return rows[0] ? remittanceOf(rows[0]) : null;
  }

  /** Newest first, before the keyset position (created_at, id). */
  async list(q: {
    courier: string | null;
    before: { createdAt: Date; id: string } | null;
    limit: number;
  }): Promise<RemittanceRecord[]> {
    const rows = await this.tx.manager.query<RemittanceRow[]>(
      `SELECT * FROM remittances
        WHERE ($1::text IS NULL OR courier = $1)
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [q.courier, q.before?.createdAt ?? null, q.before?.id ?? null, q.limit],
    );
    return rows.map(remittanceOf);
  }

  /** A report's lines in row order after `afterRow`, optionally of one outcome. */
  async lines(q: {
    remittanceId: string;
    outcome: RemittanceOutcome | null;
    afterRow: number;
    limit: number;
  }): Promise<LineRecord[]> {
    const rows = await this.tx.manager.query<LineRow[]>(
      `SELECT ${LINE_COLUMNS} FROM remittance_lines
        WHERE remittance_id = $1 AND row_no > $2::bigint AND ($3::text IS NULL OR outcome = $3)
        ORDER BY row_no LIMIT $4`,
      [q.remittanceId, q.afterRow, q.outcome, q.limit],
    );
    return rows.map(lineOf);
  }

  /** The newest lines of one outcome other than matched (what finance must explain), newest first. */
  async exceptions(outcome: RemittanceOutcome, courier: string | null, limit: number): Promise<LineRecord[]> {
    const rows = await this.tx.manager.query<LineRow[]>(
      `SELECT ${LINE_COLUMNS} FROM remittance_lines
        WHERE outcome = $1 AND outcome <> 'matched' AND NOT voided AND resolution IS NULL
          AND ($2::text IS NULL OR courier = $2)
        ORDER BY created_at DESC, remittance_id DESC, row_no DESC LIMIT $3`,
      [outcome, courier, limit],
    );
    return rows.map(lineOf);
  }

  /** Count and rupiah of every outcome other than matched, over all reports (of the courier). */
  async exceptionTotals(
    courier: string | null,
  ): Promise<Map<RemittanceOutcome, { count: number; amount: Rupiah }>> {
    const rows = await this.tx.manager.query<{ outcome: RemittanceOutcome; count: number; amount: string }[]>(
      `SELECT outcome, count(*)::int AS count, coalesce(sum(amount), 0)::text AS amount FROM remittance_lines
        WHERE outcome <> 'matched' AND NOT voided AND resolution IS NULL AND ($1::text IS NULL OR courier = $1)
        GROUP BY outcome`,
      [courier],
    );
    return new Map(rows.map((r) => [r.outcome, { count: r.count, amount: Number(r.amount) }]));
  }
}
