import { Injectable } from '@nestjs/common';
import { TtlCache } from 'src/common/ttl-cache';
import { AreaIndex, type AreaMatch, type PlaceToResolve, type Resolution } from './area-index';
import { normalizePlace } from './area-words';
import { AreaDto, AreaSuggestionDto } from './areas.dto';
import { AreaUnresolvedError } from './areas.errors';
import { AreasRepository } from './areas.repository';

/** The regency (kabupaten/kota) of a Kemendagri district code: its "xx.xx" prefix. */
export const regencyOf = (districtCode: string) => districtCode.slice(0, 5);

/** A typed place as Kirim stores it: canonical names, and the district's code when one was named. */
export interface ResolvedPlace {
  /** Kemendagri district code; null when no district was typed (the city alone named one regency). */
  districtCode: string | null;
  /** The district as the directory spells it ('' when none was typed). */
  district: string;
  /** The regency or city, as the directory names it ("Kota Bandung", "Kabupaten Bogor"). */
  city: string;
  /** Kirim's canonical province name (common/indonesia.ts). */
  province: string;
}

/** Results kept per query: the directory changes only by migration, and typing repeats prefixes. */
const CACHE_MS = 60 * 60 * 1000;
/** The longest list of districts a search keeps: a search box's (the default, 10). */
const CACHED_LIMIT = 10;

/**
 * Indonesia's administrative areas (idn-area-data, in the area_* tables): search as the seller types, and
 * the resolution of typed addresses to districts that other modules store. The directory is read once into
 * memory (7,277 districts and the 83,763 villages they hold, a few MB) on first use; searches and resolutions touch no database.
 * Chosen by measurement over pg_trgm (`word_similarity` with a GIN index over district, regency and
 * province): about 6 ms a query through the pool, with wrong firsts for "kota bandung", "surabaya" and
 * "sleman yogya"; the index here answers in 0.03–0.8 ms warm and ranks by which part of a place each word names.
 */
@Injectable()
export class AreasService {
  private index: Promise<AreaIndex> | null = null;
  private readonly results = new TtlCache<string, AreaDto[]>(CACHE_MS, 5_000);
  /** Resolutions by what was typed: a seller quotes and ships to the same places again and again. */
  private readonly resolutions = new TtlCache<string, Resolution>(CACHE_MS, 10_000);

  constructor(private readonly repository: AreasRepository) {}

  /** Districts for what a seller typed, best first (at most `limit`). Reads no database once loaded. */
  async search(q: string, limit = 10): Promise<AreaDto[]> {
    // Only the lists a search box asks for are kept: 5,000 lists of 50, made of "jawa barat 1", "… 2" (one
    // list under many keys), held tens of MB for an hour. A longer list is searched each time (under 1 ms).
    if (limit > CACHED_LIMIT) return (await this.directory()).search(q, limit).map(areaView);
    const key = `${limit}|${normalizePlace(q)}`;
    const hit = this.results.get(key);
    if (hit) return hit;
    const index = await this.directory();
    return this.results.set(key, index.search(q, limit).map(areaView));
  }

  /**
   * Every regency and city (514) with its code and its province's canonical name, in code order (the
   * sandbox world's places). Reads no database once loaded.
   */
  async regencies(): Promise<{ code: string; name: string; province: string }[]> {
    return (await this.directory()).regencyList();
  }

  /** The district with this Kemendagri code, or null. */
  async byCode(code: string): Promise<AreaDto | null> {
    const found = (await this.directory()).byCode(code);
    return found && areaView(found);
  }

  /** Every district with its regency and province, in code order. Reads no database once loaded. */
  async districts(): Promise<AreaDto[]> {
    return (await this.directory()).all().map(areaView);
  }

  /**
   * The district a typed address names, with canonical names. `path` prefixes the error's field
   * (`recipient` → `recipient.district`; '' → `district`). The postal code is not used: the directory has none.
   * Reads no database once loaded; needs no transaction.
   * @throws AreaUnresolvedError AREA_UNRESOLVED (422) when the place names no district or several (with
   *   up to five suggestions; none for a place named nowhere with `suggest: false`), or when no district is
   *   typed and the city names no single regency.
   */
  async resolve(
    place: PlaceToResolve & { postalCode?: string },
    path = '',
    options: { suggest?: boolean } = {},
  ): Promise<ResolvedPlace> {
    const key = JSON.stringify([place.district ?? null, place.city, place.province]);
    let result = this.resolutions.get(key);
    if (!result) {
      result = (await this.directory()).resolve(place, options);
      // An answer left without its suggestions is not the one a later caller asking for them should get.
      if (options.suggest !== false || result.kind !== 'unresolved') this.resolutions.set(key, result);
    }
    switch (result.kind) {
      case 'district':
        return {
          districtCode: result.area.code,
          district: result.area.name,
          city: result.area.regency.name,
          province: result.area.province.name,
        };
      case 'regency':
        return {
          districtCode: null,
          district: '',
          city: result.regency.name,
          province: result.province.name,
        };
      default:
        throw new AreaUnresolvedError(
          path ? `${path}.${result.field}` : result.field,
          result.reason,
          result.suggestions.map(suggestionView),
          Boolean(place.district?.trim()),
        );
    }
  }

  /** The in-memory directory, loaded once (a failed load is retried by the next call). */
  private directory(): Promise<AreaIndex> {
    this.index ??= Promise.all([this.repository.directory(), this.repository.villages()]).then(
      ([rows, villages]) => new AreaIndex(rows, villages),
      (e: unknown) => {
        this.index = null;
        throw e;
      },
    );
    return this.index;
  }
}

function areaView(a: AreaMatch): AreaDto {
  return { code: a.code, name: a.name, regency: { ...a.regency }, province: { ...a.province } };
}

function suggestionView(a: AreaMatch): AreaSuggestionDto {
  return { code: a.code, district: a.name, regency: a.regency.name, province: a.province.name };
}
