import { Injectable } from '@nestjs/common';
import { AppConfig } from 'config';
import { AreasService } from 'src/areas/areas.service';
import { Transactions } from 'src/database/transaction';
import type { Area, CourierCode } from './courier-adapter';
import { CourierLocationsShrinkError, CourierRejectedError } from './courier.errors';
import {
  CourierLocationsRepository,
  LocationLoadCounts,
  LocationSet,
  LocationSource,
} from './courier-locations.repository';
import type { LocationRow } from './location-file';

export type { LocationRow } from './location-file';

/**
 * The couriers whose APIs take their own location codes: a place they have no code for cannot be sent to
 * them. Ninja takes free-text names (ninja.md §3.2): its mapping, when loaded, only gives its own spelling.
 */
export const COURIERS_NEEDING_CODES: ReadonlySet<CourierCode> = new Set(['jne', 'jnt', 'sap', 'idexpress']);

/** A courier's codes for each end of a route (what the mappers are given). */
export interface RouteCodes {
  from: LocationRow;
  to: LocationRow;
}

/** Which of a row's values a sandbox reads a request's code back by. */
export type LocationField = 'code' | 'cityCode' | 'label' | 'cityLabel';

/** A district read back from a courier's code: the directory's names. */
export interface MappedPlace {
  districtCode: string;
  district: string;
  city: string;
  province: string;
}

interface CourierMap {
  source: LocationSource;
  version: number;
  byDistrict: Map<string, LocationRow>;
  /** Per field, its value (upper case) → the first district carrying it. */
  byValue: Record<LocationField, Map<string, string>>;
}

function courierMap(set: LocationSet, rows: LocationRow[]): CourierMap {
  const byValue: CourierMap['byValue'] = {
    code: new Map(),
    cityCode: new Map(),
    label: new Map(),
    cityLabel: new Map(),
  };
  const sorted = [...rows].sort((a, b) => (a.districtCode < b.districtCode ? -1 : 1));
  for (const row of sorted)
    for (const field of Object.keys(byValue) as LocationField[]) {
      const value = row[field];
      if (value && !byValue[field].has(value.toUpperCase()))
        byValue[field].set(value.toUpperCase(), row.districtCode);
    }
  return {
    source: set.source,
    version: set.version,
    byDistrict: new Map(rows.map((r) => [r.districtCode, r])),
    byValue,
  };
}

/**
 * Each courier's own location codes (JNE tariff codes, J&T city and area codes, SAP district codes, ID
 * Express ids, Ninja's names), keyed by the area directory's district code: loaded from the operator's
 * CSV (`couriers:locations`), or generated for a sandbox courier. Held in memory: read once, then asked
 * again only whether a courier's version moved, at most every `couriers.locationsRefreshSeconds` (a load
 * in this process applies at once), so quotes add no query. A courier with real credentials uses only an
 * operator's mapping; the sandbox's generated one is ignored for it.
 */
@Injectable()
export class CourierLocations {
  private maps = new Map<CourierCode, CourierMap>();
  private loading: Promise<void> | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;
  /** Moves whenever a mapping in memory changes, so rankings made before are not reused. */
  generation = 0;

  constructor(
    private readonly repository: CourierLocationsRepository,
    private readonly tx: Transactions,
    private readonly config: AppConfig,
    private readonly areas: AreasService,
  ) {}

  /** The courier's codes for a district; null when it has none (or no district is known). */
  async codeFor(courier: CourierCode, districtCode: string | null | undefined): Promise<LocationRow | null> {
    if (!districtCode) return null;
    await this.current();
    return this.maps.get(courier)?.byDistrict.get(districtCode) ?? null;
  }

  /**
   * Which mapping of the courier's is in use here (`none` without one), to key what the courier answered
   * for its codes: a rate quoted for a district's old code is not its price under the new one.
   */
  async versionOf(courier: CourierCode): Promise<string> {
    await this.current();
    const map = this.maps.get(courier);
    return map ? `${map.source}:${map.version}` : 'none';
  }

  /**
   * Whether the courier can be sent every one of these places: it needs no codes, or it has a code for
   * each place's district. A place without a district code (an old address) is not mapped.
   */
  async covers(courier: CourierCode, ...places: Pick<Area, 'districtCode'>[]): Promise<boolean> {
    if (!COURIERS_NEEDING_CODES.has(courier)) return true;
    for (const p of places) if (!(await this.codeFor(courier, p.districtCode))) return false;
    return true;
  }

  /**
   * The courier's codes for both ends, for an adapter about to call it.
   * @throws CourierRejectedError unserviceable_route (AREA_NOT_MAPPED) when either end has none: never a
   *   made-up code.
   */
  async route(courier: CourierCode, from: Area, to: Area): Promise<RouteCodes> {
    return { from: await this.required(courier, from), to: await this.required(courier, to) };
  }

  /**
   * The courier's codes for one place.
   * @throws CourierRejectedError unserviceable_route (AREA_NOT_MAPPED) when it has none
   */
  async required(courier: CourierCode, place: Area): Promise<LocationRow> {
    const row = await this.codeFor(courier, place.districtCode);
    if (row) return row;
    throw new CourierRejectedError(
      courier,
      'unserviceable_route',
      'AREA_NOT_MAPPED',
      `no ${courier} location code for ${place.districtCode ?? `${place.district}, ${place.city} (no district code)`}`,
    );
  }

  /** The district a courier's value stands for (a sandbox reading a request), with the directory's names. */
  async placeOf(courier: CourierCode, field: LocationField, value: string): Promise<MappedPlace | null> {
    await this.current();
    const districtCode = this.maps.get(courier)?.byValue[field].get(value.trim().toUpperCase());
    if (!districtCode) return null;
    const area = await this.areas.byCode(districtCode);
    return (
      area && { districtCode, district: area.name, city: area.regency.name, province: area.province.name }
    );
  }

  /**
   * How many districts the courier's mapping in use holds now, and from which source; null without one in
   * use (none, or a sandbox's, which a courier with real credentials ignores).
   */
  async mapping(courier: CourierCode): Promise<{ source: LocationSource; districts: number } | null> {
    const size = await this.repository.size(courier);
    return size && this.usable({ courier, source: size.source, version: 0 }) ? size : null;
  }

  /**
   * Makes `rows` the courier's whole mapping, in one transaction (joins an open one), and applies it here
   * at once. Loading the same rows again changes nothing (all `unchanged`, version kept).
   * @throws CourierLocationsShrinkError when `rows` map fewer than half the districts of the mapping in use,
   *   unless `shrink` says that is meant; nothing is changed. Loads of one courier queue for the check, so
   *   two at once cannot each pass it against the mapping neither has replaced yet.
   */
  async load(
    courier: CourierCode,
    rows: readonly LocationRow[],
    source: LocationSource,
    { shrink = false }: { shrink?: boolean } = {},
  ): Promise<LocationLoadCounts & { replaced: LocationSource | null }> {
    const { version, previousSource, ...counts } = await this.tx.run(async () => {
      await this.repository.lockCourier(courier);
      const now = await this.mapping(courier);
      if (now && rows.length < now.districts / 2 && !shrink)
        throw new CourierLocationsShrinkError(courier, rows.length, now);
      return this.repository.replace(courier, rows, source);
    });
    const set: LocationSet = { courier, source, version };
    const have = this.maps.get(courier);
    if (!this.usable(set)) {
      if (have) this.forget(courier);
    } else if (have?.version !== version || have.source !== source) {
      this.maps.set(courier, courierMap(set, [...rows]));
      this.generation += 1;
    }
    // Another source's mapping that this one replaced (a sandbox's by the operator's, which puts it in use).
    return {
      ...counts,
      replaced: previousSource !== null && previousSource !== source ? previousSource : null,
    };
  }

  /**
   * Loads `generate`'s rows, as a `sandbox` mapping, for each of `couriers` that has no mapping at all (the
   * sandboxes' complete mappings: the migration made them; this covers a database where one was removed).
   * Never touches a courier that has a mapping, whatever its source.
   */
  async ensureSandboxMappings(
    couriers: readonly CourierCode[],
    generate: (courier: CourierCode) => Promise<LocationRow[]>,
  ): Promise<void> {
    const have = new Set((await this.repository.sets()).map((s) => s.courier));
    for (const courier of couriers.filter((c) => !have.has(c))) {
      const rows = await generate(courier);
      // Looked at again under the courier's lock: a load since the look above (an operator's file, another
      // instance starting) stays, and is never replaced by the sandbox's.
      await this.tx.run(async () => {
        await this.repository.lockCourier(courier);
        if (!(await this.repository.size(courier))) await this.load(courier, rows, 'sandbox');
      });
    }
  }

  private usable(set: LocationSet): boolean {
    return set.source === 'operator' || !this.config.couriers.credentials[set.courier];
  }

  /** The maps, loaded on first use and checked for other instances' loads now and then. */
  private async current(): Promise<void> {
    const now = performance.now();
    if (now - this.checkedAt < this.config.business.couriers.locationsRefreshSeconds * 1000) return;
    this.loading ??= this.refresh().finally(() => (this.loading = null));
    await this.loading;
  }

  private async refresh(): Promise<void> {
    const sets = await this.repository.sets();
    const seen = new Set<CourierCode>();
    for (const set of sets) {
      seen.add(set.courier);
      const have = this.maps.get(set.courier);
      if (!this.usable(set)) {
        if (have) this.forget(set.courier);
        continue;
      }
      if (have && have.version === set.version && have.source === set.source) continue;
      this.maps.set(set.courier, courierMap(set, await this.repository.rows(set.courier)));
      this.generation += 1;
    }
    for (const courier of [...this.maps.keys()]) if (!seen.has(courier)) this.forget(courier);
    this.checkedAt = performance.now();
  }

  private forget(courier: CourierCode): void {
    this.maps.delete(courier);
    this.generation += 1;
  }
}
