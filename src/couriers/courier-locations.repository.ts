import { Injectable } from '@nestjs/common';
import { advisoryKey } from 'src/database/locks';
import { Transactions } from 'src/database/transaction';
import type { CourierCode } from './courier-adapter';
import { insertLocationRowsSql, locationRowArrays, type LocationRow } from './location-file';

export type LocationSource = 'operator' | 'sandbox';

export interface LocationSet {
  courier: CourierCode;
  source: LocationSource;
  version: number;
}

/** What replacing a courier's mapping changed, by district. */
export interface LocationLoadCounts {
  inserted: number;
  updated: number;
  removed: number;
  unchanged: number;
}

const sameRow = (a: LocationRow, b: LocationRow) =>
  a.code === b.code &&
  a.label === b.label &&
  a.cityCode === b.cityCode &&
  a.cityLabel === b.cityLabel &&
  a.provinceLabel === b.provinceLabel;

interface DbRow {
  district_code: string;
  code: string;
  label: string | null;
  city_code: string | null;
  city_label: string | null;
  province_label: string | null;
}

const rowOf = (r: DbRow): LocationRow => ({
  districtCode: r.district_code,
  code: r.code,
  label: r.label,
  cityCode: r.city_code,
  cityLabel: r.city_label,
  provinceLabel: r.province_label,
});

/** The courier location tables (`courier_location_sets`, `courier_location_codes`). */
@Injectable()
export class CourierLocationsRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Holds the courier's mapping lock until the transaction ends: two loads for one courier decide one after
   * the other, so the second checks itself against what the first loaded. A lock on the set's row could not
   * do it: before a courier's first load there is no row, and FOR UPDATE locks nothing.
   */
  async lockCourier(courier: CourierCode): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock($1::bigint)', [
      advisoryKey(`courier-locations:${courier}`),
    ]);
  }

  sets(): Promise<LocationSet[]> {
    return this.tx.manager.query<LocationSet[]>(
      'SELECT courier, source, version FROM courier_location_sets ORDER BY courier',
    );
  }

  /** How many districts the courier's mapping holds now, and from which source; null without one. */
  async size(courier: CourierCode): Promise<{ source: LocationSource; districts: number } | null> {
    const [row] = await this.tx.manager.query<{ source: LocationSource; districts: number }[]>(
      `SELECT s.source, (SELECT count(*)::int FROM courier_location_codes c WHERE c.courier = s.courier) AS districts
         FROM courier_location_sets s WHERE s.courier = $1`,
      [courier],
    );
    return row ?? null;
  }

  async rows(courier: CourierCode): Promise<LocationRow[]> {
    const rows = await this.tx.manager.query<DbRow[]>(
      `SELECT district_code, code, label, city_code, city_label, province_label
         FROM courier_location_codes WHERE courier = $1`,
      [courier],
    );
    return rows.map(rowOf);
  }

  /**
   * Makes `rows` the courier's whole mapping, in the caller's transaction (which holds lockCourier, so two
   * loads of one courier queue): only what differs is written. The version moves when anything
   * changed, the source included.
   */
  async replace(
    courier: CourierCode,
    rows: readonly LocationRow[],
    source: LocationSource,
  ): Promise<LocationLoadCounts & { version: number; previousSource: LocationSource | null }> {
    const m = this.tx.manager;
    await m.query(
      `INSERT INTO courier_location_sets (courier, source, version) VALUES ($1, $2, 0) ON CONFLICT (courier) DO NOTHING`,
      [courier, source],
    );
    const [set] = await m.query<{ source: LocationSource; version: number }[]>(
      'SELECT source, version FROM courier_location_sets WHERE courier = $1 FOR UPDATE',
      [courier],
    );
    const before = new Map((await this.rows(courier)).map((r) => [r.districtCode, r]));
    const counts: LocationLoadCounts = { inserted: 0, updated: 0, removed: 0, unchanged: 0 };
    const changed: LocationRow[] = [];
    for (const row of rows) {
      const old = before.get(row.districtCode);
      if (!old) counts.inserted += 1;
      else if (sameRow(old, row)) counts.unchanged += 1;
      else counts.updated += 1;
      if (!old || !sameRow(old, row)) changed.push(row);
    }
    const kept = new Set(rows.map((r) => r.districtCode));
    const removed = [...before.keys()].filter((d) => !kept.has(d));
    counts.removed = removed.length;
    if (changed.length) await m.query(insertLocationRowsSql, [courier, ...locationRowArrays(changed)]);
    if (removed.length)
      await m.query(
        'DELETE FROM courier_location_codes WHERE courier = $1 AND district_code = ANY($2::text[])',
        [courier, removed],
      );
    let version = set.version;
    if (changed.length || removed.length || set.source !== source || version === 0) {
      // An UPDATE answers [rows, count] through TypeORM's query().
      const [updated] = await m.query<[{ version: number }[], number]>(
        `UPDATE courier_location_sets SET source = $2, version = version + 1, loaded_at = now()
          WHERE courier = $1 RETURNING version`,
        [courier, source],
      );
      version = updated[0].version;
    }
    return { ...counts, version, previousSource: set.version === 0 ? null : set.source };
  }
}
