import { setImmediate } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Clock } from 'src/common/clock';
import { AppError, FieldProblem, ValidationFailedError } from 'src/common/errors/app-error';
import { fieldProblems, VALIDATOR_OPTIONS } from 'src/common/errors/validation';
import { inspectJson, MAX_JSON_DEPTH, unlistedProblem } from 'src/common/hostile-input';
import { Transactions } from 'src/database/transaction';
import { AreaUnresolvedError } from 'src/areas/areas.errors';
import { AddressesService } from 'src/sellers/addresses.service';
import { CreateShipmentDto, ShipmentDto } from '../shipments.dto';
import type { Shipment } from '../shipment.entity';
import { ShipmentsRepository } from '../shipments.repository';
import { shipmentView, ShipmentsService } from '../shipments.service';
import { MAX_BULK_ROWS, parseShipmentsCsv, shipmentsCsvTemplate } from './shipments-csv';

const INSERT_CHUNK = 500;
/**
 * Milliseconds of checking or building rows between two turns of the event loop: checking 5,000 rows at once
 * held every other request for over half a second, and rows differ in cost (a place named nowhere costs a
 * search of the directory), so the turns go by time, not by a count of rows.
 */
const TURN_MS = 10;
/**
 * Rows of one import whose place names no district that get suggestions: each costs a typo search of the
 * whole directory (about 2 ms), and a file of 5,000 such rows held the service for seconds. The rest are
 * named without suggestions (fixing the first ones usually shows what is wrong with all).
 */
export const MAX_SUGGESTED_ROWS = 50;

export interface BulkImportResult {
  created: ShipmentDto[];
  /**
   * One entry per rejected row (1-based, data rows only), with every offending field; a place that names
   * no district or several has `recipient.district` (or `.city`) with its suggestions. From a CSV, also
   * its `line`: the row as a spreadsheet numbers it (the header is 1, blank lines count).
   */
  errors: { row: number; line?: number; details: FieldProblem[] }[];
}

/** Many shipments at once: every row checked like a single create; valid rows kept, bad rows named. */
@Injectable()
export class BulkImportService {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly addresses: AddressesService,
    private readonly repository: ShipmentsRepository,
    private readonly tx: Transactions,
    private readonly clock: Clock,
  ) {}

  /** The bulk CSV template, its example row from the seller's newest pickup address (none: left empty). */
  async template(sellerId: string): Promise<string> {
    const page = await this.addresses.list(sellerId, { limit: 1 });
    return shipmentsCsvTemplate(page.items[0]?.id ?? null);
  }

  /**
   * Imports a JSON array or CSV text of shipments; valid rows are created in one transaction.
   * @throws ValidationFailedError (field `body`) when the body is not an array/CSV or has 0 or more than 5,000 rows.
   */
  async import(sellerId: string, body: unknown, format: 'json' | 'csv'): Promise<BulkImportResult> {
    const csv = format === 'csv' ? parseShipmentsCsv(typeof body === 'string' ? body : '') : null;
    const rows = csv ? csv.rows : body;
    if (!Array.isArray(rows))
      throw new ValidationFailedError([
        { field: 'body', message: 'must be a JSON array of shipments or text/csv' },
      ]);
    if (!rows.length) throw new ValidationFailedError([{ field: 'body', message: 'has no rows' }]);
    if (rows.length > MAX_BULK_ROWS)
      throw new ValidationFailedError([
        { field: 'body', message: `has ${rows.length} rows; at most ${MAX_BULK_ROWS} per request` },
      ]);

    const errors: BulkImportResult['errors'] = [];
    const valid: { row: number; dto: CreateShipmentDto }[] = [];
    const firstRowOf = new Map<string, number>();
    const turn = new EventLoopTurn(TURN_MS);
    for (const [i, raw] of (rows as unknown[]).entries()) {
      const row = i + 1;
      await turn.yieldIfDue();
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        errors.push({ row, details: [{ field: 'row', message: 'must be an object' }] });
        continue;
      }
      const unaligned = csv?.problems[i];
      if (unaligned) {
        errors.push({ row, details: unaligned });
        continue;
      }
      // Text PostgreSQL cannot hold is this row's error (the edge left bulk rows to be checked one by one),
      // and so is a field named as one every object inherits (`constructor`, `__proto__`, kept by the edge's
      // parser as an own field): validation never sees it, and class-transformer must never copy it.
      const inspected = inspectJson(raw);
      const unsafe = [
        ...inspected.problems,
        ...inspected.inherited,
        ...unlistedProblem(inspected.unlisted, 'row'),
      ];
      // Nesting deeper than a single create takes, named by the row's field it is under: the edge let it
      // through (within MAX_ROWS_JSON_DEPTH) for this row alone to be refused.
      if (inspected.tooDeep) unsafe.push(...tooDeepFields(raw as Record<string, unknown>));
      if (unsafe.length) {
        errors.push({ row, details: unsafe });
        continue;
      }
      const dto = plainToInstance(CreateShipmentDto, raw);
      const problems = validateSync(dto, VALIDATOR_OPTIONS);
      if (problems.length) {
        const details = fieldProblems(problems);
        // A bad row's reference, when it is a good one, is still its first use in the file: a later row
        // with it is the duplicate, not the shipment (fixed and sent again, this row would be "already used").
        const reference = typeof dto.reference === 'string' ? dto.reference : null;
        if (reference && !firstRowOf.has(reference) && !details.some((d) => d.field === 'reference'))
          firstRowOf.set(reference, row);
        errors.push({ row, details });
        continue;
      }
      const first = firstRowOf.get(dto.reference);
      if (first) {
        errors.push({
          row,
          details: [{ field: 'reference', message: `appears again (first in row ${first})` }],
        });
        continue;
      }
      firstRowOf.set(dto.reference, row);
      valid.push({ row, dto });
    }

    const taken = await this.repository.takenReferences(
      sellerId,
      valid.map((v) => v.dto.reference),
    );
    const origins = await this.addresses.findMany(sellerId, [
      ...new Set(valid.map((v) => v.dto.originAddressId)),
    ]);

    const now = this.clock.now();
    const built: Shipment[] = [];
    /** The row of each built shipment. */
    const builtRows: number[] = [];
    let unknownPlaces = 0;
    for (const { row, dto } of valid) {
      await turn.yieldIfDue();
      if (taken.has(dto.reference)) {
        errors.push({
          row,
          details: [{ field: 'reference', message: 'is already used by another shipment' }],
        });
        continue;
      }
      // Keyed as stored: an id in capitals is the same address, as a single create takes it.
      const origin = origins.get(dto.originAddressId.toLowerCase());
      if (!origin) {
        errors.push({
          row,
          details: [{ field: 'originAddressId', message: 'is not one of your pickup addresses' }],
        });
        continue;
      }
      try {
        const place = await this.shipments.resolveRecipient(dto.recipient, 'recipient', {
          suggest: unknownPlaces < MAX_SUGGESTED_ROWS,
        });
        built.push(await this.shipments.build(sellerId, dto, origin, now, place));
        builtRows.push(row);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (e instanceof AreaUnresolvedError && e.reason === 'unknown') unknownPlaces += 1;
        errors.push({ row, details: e.details.length ? e.details : [{ field: 'row', message: e.message }] });
      }
    }

    // A reference free when looked up above can be taken before the insert by a request running alongside
    // (another import, a single create): that row is then "already used", like one taken before.
    const inserted = await this.tx.run(() => this.repository.insertNew(built, INSERT_CHUNK));
    for (const [i, b] of built.entries())
      if (!inserted.has(b.id))
        errors.push({
          row: builtRows[i],
          details: [{ field: 'reference', message: 'is already used by another shipment' }],
        });
    errors.sort((a, b) => a.row - b.row);
    return {
      created: built.filter((b) => inserted.has(b.id)).map(shipmentView),
      errors: csv ? errors.map(({ row, details }) => ({ row, line: csv.lines[row - 1], details })) : errors,
    };
  }
}

/** The row's fields that nest deeper than MAX_JSON_DEPTH counted from the row, as a single create's body. */
function tooDeepFields(row: Record<string, unknown>): FieldProblem[] {
  return Object.keys(row)
    .filter((key) => inspectJson(row[key], key, MAX_JSON_DEPTH - 1).tooDeep)
    .map((key) => ({ field: key, message: `nests deeper than ${MAX_JSON_DEPTH} levels` }));
}

/** Gives the event loop a turn once `ms` have gone by since the last: long work that other requests share. */
class EventLoopTurn {
  private since = performance.now();

  constructor(private readonly ms: number) {}

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.since < this.ms) return;
    await setImmediate();
    this.since = performance.now();
  }
}
