import {
  ABBREVIATIONS,
  editDistance,
  expandAbbreviations,
  kindOfWord,
  modernSpelling,
  normalizePlace,
  parsePlaceQuery,
  type PlaceQuery,
  type RegencyKind,
  typoAllowance,
} from './area-words';

/** One district of the directory with its regency and province, as the repository loads it. */
export interface DirectoryRow {
  code: string;
  name: string;
  searchName: string;
  regencyCode: string;
  regencyName: string;
  regencyKind: RegencyKind;
  /** The regency's name without its Kabupaten/Kota prefix, in normal form ("jakarta selatan"). */
  regencySearchName: string;
  provinceCode: string;
  provinceName: string;
  provinceOfficialName: string;
}

/** A village (kelurahan or desa) and the district it lies in. */
export interface VillageRow {
  districtCode: string;
  name: string;
}

/** A district as answered: codes and canonical names. */
export interface AreaMatch {
  code: string;
  name: string;
  regency: { code: string; name: string };
  province: { code: string; name: string };
}

/** What a typed place resolves to: one district, a regency only (no district typed), or a question. */
export type Resolution =
  | { kind: 'district'; area: AreaMatch }
  | { kind: 'regency'; regency: { code: string; name: string }; province: { code: string; name: string } }
  | {
      kind: 'unresolved';
      field: 'district' | 'city';
      reason: 'unknown' | 'ambiguous';
      suggestions: AreaMatch[];
    };

export interface PlaceToResolve {
  district?: string | null;
  city: string;
  province: string;
}

interface Regency {
  code: string;
  name: string;
  kind: RegencyKind;
  words: string[];
  joined: string;
  /** The name's words written together ("pangkalpinang"), when it has several; else null. */
  glued: string | null;
  province: number;
  first: number;
  end: number;
}

interface Province {
  code: string;
  name: string;
  words: string[];
  first: number;
  end: number;
}

interface Postings {
  districts: number[];
  regencies: number[];
  provinces: number[];
}

/** Relative worth of a query word found in each part of a place, and of each way of finding it. */
const WEIGHT = { province: 0.6, exact: 1, prefix: 0.8, typo1: 0.6, typo2: 0.45 } as const;
/** Extra for a part of the place named in full: a named regency outranks a district of the same name. */
const COVERED = {
  district: 1,
  regency: 1.2,
  province: 0.4,
  someDistrictWord: 0.2,
  /** Per word of the district's name the query names: "praya tengah" is Praya Tengah before Praya. */
  eachDistrictWord: 0.1,
  /** In the province the query names in full: "jawa barat" lists districts of Jawa Barat. */
  namedProvince: 1,
} as const;
// A city's name typed alone means the city: before a district of the regency around it that bears the name
// ("kupang" is Kota Kupang before Kupang Barat in Kabupaten Kupang).
const KIND = { asked: 0.6, contradicted: -0.6, cityFirst: 0.25, optionalWordInDistrict: 0.5 } as const;
const SEAT = 0.1;

/** Province words that name no place on their own. */
const PROVINCE_TITLE_WORDS = new Set(['dki', 'daerah', 'istimewa', 'di']);

/**
 * The area directory in memory, built once from its tables: search as you type ranked by how much of
 * each place the words name, and resolution of a typed address to one district (or a question).
 * Pure: no I/O, the same rows always answer the same.
 */
export class AreaIndex {
  private readonly districts: {
    code: string;
    name: string;
    words: string[];
    joined: string;
    glued: string | null;
    regency: number;
  }[] = [];
  private readonly regencies: Regency[] = [];
  private readonly provinces: Province[] = [];
  private readonly postings = new Map<string, Postings>();
  private readonly sortedWords: string[];
  private readonly wordsByLength = new Map<number, string[]>();
  private readonly provinceByName = new Map<string, number>();
  /** Districts named by the same words as one other district, in another order, each to the other. */
  private readonly twins = new Map<number, number>();
  /** Every regency's name as words in any order (`wordKey`), and written together: a query naming one. */
  private readonly regencyKeys = new Set<string>();
  private readonly regencyGlued = new Set<string>();
  /** District indexes by their name's search form ("rancabali"), across the country. */
  private readonly byName = new Map<string, number[]>();
  /** District indexes by the search form of a village they hold, written together ("jakasampurna"). */
  private readonly byVillage = new Map<string, number[]>();
  /** byVillage's keys, sorted: the villages a typed beginning names. */
  private readonly villageKeysSorted: string[];

  constructor(rows: readonly DirectoryRow[], villages: readonly VillageRow[] = []) {
    const sorted = [...rows].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const row of sorted) {
      let p = this.provinces.length - 1;
      if (this.provinces[p]?.code !== row.provinceCode) {
        const words = normalizePlace(row.provinceOfficialName)
          .split(' ')
          .filter((w) => !PROVINCE_TITLE_WORDS.has(w));
        this.provinces.push({ code: row.provinceCode, name: row.provinceName, words, first: 0, end: 0 });
        p += 1;
        this.provinces[p].first = this.districts.length;
        this.provinceByName.set(row.provinceName, p);
        words.forEach((w) => this.post(w).provinces.push(p));
      }
      let r = this.regencies.length - 1;
      if (this.regencies[r]?.code !== row.regencyCode) {
        const words = expandAbbreviations(row.regencySearchName.split(' '));
        this.regencies.push({
          code: row.regencyCode,
          name: row.regencyName,
          kind: row.regencyKind,
          words,
          joined: row.regencySearchName,
          glued: gluedOf(words),
          province: p,
          first: this.districts.length,
          end: 0,
        });
        r += 1;
        new Set(words).forEach((w) => this.post(w).regencies.push(r));
        // Written together too: "Pangkalpinang", "Baubau", "Tanjungpinang" are one word to many sellers.
        const glued = this.regencies[r].glued;
        if (glued) this.post(glued).regencies.push(r);
      }
      const d = this.districts.length;
      // Searched by the words a query is turned into: "Kep. Masaloka Raya" is found by "kep masaloka raya",
      // which a query reads as "kepulauan masaloka raya" (its exact name found nothing).
      const words = expandAbbreviations(row.searchName.split(' '));
      const glued = gluedOf(words);
      this.districts.push({
        code: row.code,
        name: row.name,
        words,
        joined: row.searchName,
        glued,
        regency: r,
      });
      if (glued) this.post(glued).districts.push(d);
      const named = this.byName.get(row.searchName);
      if (named) named.push(d);
      else this.byName.set(row.searchName, [d]);
      new Set(words).forEach((w) => this.post(w).districts.push(d));
      this.regencies[r].end = d + 1;
      this.provinces[p].end = d + 1;
    }
    const byWordSet = new Map<string, number[]>();
    this.districts.forEach((d, i) => {
      if (d.words.length < 2) return;
      const key = [...d.words].sort().join(' ');
      byWordSet.set(key, [...(byWordSet.get(key) ?? []), i]);
    });
    for (const same of byWordSet.values())
      if (same.length === 2) {
        this.twins.set(same[0], same[1]);
        this.twins.set(same[1], same[0]);
      }
    for (const r of this.regencies) {
      this.regencyKeys.add(wordKey(r.words));
      if (r.glued) this.regencyGlued.add(r.glued);
    }
    for (const v of villages) {
      const d = this.findCode(v.districtCode);
      if (d < 0) continue;
      const key = normalizePlace(v.name).replace(/ /g, '');
      const holding = this.byVillage.get(key);
      if (!holding) this.byVillage.set(key, [d]);
      else if (!holding.includes(d)) holding.push(d);
    }
    this.sortedWords = [...this.postings.keys()].sort();
    this.villageKeysSorted = [...this.byVillage.keys()].sort();
    for (const w of this.sortedWords) {
      const list = this.wordsByLength.get(w.length) ?? [];
      list.push(w);
      this.wordsByLength.set(w.length, list);
    }
  }

  get counts(): { provinces: number; regencies: number; districts: number } {
    return {
      provinces: this.provinces.length,
      regencies: this.regencies.length,
      districts: this.districts.length,
    };
  }

  /** Every regency and city with its province's name, in code order. */
  regencyList(): { code: string; name: string; province: string }[] {
    return this.regencies.map((r) => ({
      code: r.code,
      name: r.name,
      province: this.provinces[r.province].name,
    }));
  }

  /** Every district, in code order (generating a courier's complete mapping reads them all). */
  all(): AreaMatch[] {
    return this.districts.map((_, i) => this.match(i));
  }

  /** The district with this code, or null. */
  byCode(code: string): AreaMatch | null {
    const i = this.findCode(code);
    return i < 0 ? null : this.match(i);
  }

  /**
   * Districts for what a seller typed, best first: every word must name part of the place (its district,
   * regency or province; abbreviations expanded, prefixes accepted as the seller types). Typos are
   * tolerated when the words as typed find nothing.
   */
  search(text: string, limit: number): AreaMatch[] {
    const query = limitWords(kindWordsAsWords(parsePlaceQuery(text)));
    if (!query.words.length) return [];
    let hits = this.rank(query, false);
    // A village (kelurahan/desa) typed alone ("Bintaro", "Kel. Cibubur"): the districts holding one so named,
    // as an address typed so resolves, else ones holding a village it begins ("Sunter": Sunter Agung, Sunter
    // Jaya), before a typo's guess at a district ("Bintoro", "Unter Iwes").
    if (!hits.length) {
      const keys = villageKeys(text);
      hits = keys.map((k) => this.byVillage.get(k)).find(Boolean) ?? [];
      if (!hits.length) hits = this.villagesBeginning(keys[keys.length - 1]);
    }
    if (!hits.length) hits = this.rank(query, true);
    return hits.slice(0, limit).map((i) => this.match(i));
  }

  /**
   * The one district a typed address names. The province (canonical) bounds the search; the city must
   * name one of its regencies (with or without "Kota"/"Kabupaten"), unless it names no regency anywhere
   * ("Jakarta", "Solo", a village), when the district alone must be unique in the province. With
   * `suggest: false`, a place named nowhere comes back without suggestions (the ambiguous still have theirs).
   */
  resolve(place: PlaceToResolve, options: { suggest?: boolean } = {}): Resolution {
    const p = this.provinceByName.get(place.province);
    const district = place.district?.trim() ? place.district : null;
    // Suggestions for a place named nowhere cost a typo search of the whole directory (a few ms).
    const suggest = () => (options.suggest === false ? [] : this.suggestions(place, p));
    if (p === undefined)
      return { kind: 'unresolved', field: 'city', reason: 'unknown', suggestions: suggest() };
    const province = this.provinces[p];
    const city = parsePlaceQuery(place.city);
    // As typed first ("Kota Batu" is the city of Batu), then with "kota" read as part of the name.
    const cities = city.optionalWords.includes('kota') ? [city, parsePlaceQuery(place.city, true)] : [city];
    const inProvince = this.regencies.filter((r) => r.province === p);
    const ofProvince = (i: number) => this.regencies[this.districts[i].regency].province === p;
    // A town of the province typed as the city ("Bawang") names no regency a typo away (Batang): the seller
    // meant the town, and the district must then be unique in the province.
    const townTyped = (this.byName.get(districtName(place.city)) ?? []).some(ofProvince);
    let regencies = this.regenciesNamed(cities, inProvince, !townTyped);
    let cityDecides = true;
    if (!regencies.length) {
      // Elsewhere only as typed: "Kota Baru" typed in Jambi (a district of Kota Jambi) is no Kotabaru.
      if (this.regenciesNamed([city], this.regencies, !townTyped).length || !district)
        return { kind: 'unresolved', field: 'city', reason: 'unknown', suggestions: suggest() };
      regencies = inProvince;
      cityDecides = false;
    }
    if (!district) {
      if (regencies.length === 1) {
        const r = regencies[0];
        return {
          kind: 'regency',
          regency: { code: r.code, name: r.name },
          province: { code: province.code, name: province.name },
        };
      }
      return {
        kind: 'unresolved',
        field: 'city',
        reason: 'ambiguous',
        suggestions: [...regencies]
          .sort((a, b) => Number(b.kind === 'kota') - Number(a.kind === 'kota'))
          .slice(0, 5)
          .map((r) => this.match(r.first)),
      };
    }
    const candidates = regencies.flatMap((r) => range(r.first, r.end));
    // As typed, else with its short forms written out ("Ps. Minggu", "Kby. Baru", "Tj. Priok").
    const asTyped = districtName(district);
    const expanded = asTyped
      .split(' ')
      .map((w) => (Object.hasOwn(ABBREVIATIONS, w) ? ABBREVIATIONS[w] : w))
      .join(' ');
    // Its name as the directory writes it, or with its words written together ("tanjungpinangtimur") or apart
    // ("Ujung Berung" is Ujungberung, "Jati Negara" Jatinegara): the same name, not a typo of it.
    const named = (name: string) => {
      const together = name.replace(/ /g, '');
      return candidates.filter((i) => (this.districts[i].glued ?? this.districts[i].joined) === together);
    };
    let typed = asTyped;
    let found = named(asTyped);
    if (!found.length && expanded !== asTyped && named(expanded).length) {
      typed = expanded;
      found = named(expanded);
    }
    if (!found.length) {
      const elsewhere = this.byName.get(typed) ?? [];
      // A village typed where the district is asked ("Cigadung, Kota Bandung"): the district that holds it,
      // when the city holds one village so named and no district elsewhere bears the name; else a question.
      const inCity = new Set(candidates);
      const villages =
        villageKeys(district)
          .map((k) => this.byVillage.get(k))
          .find(Boolean) ?? [];
      const holding = villages.filter((i) => inCity.has(i));
      const allowance = typoAllowance(typed);
      found = candidates.filter((i) => editDistance(this.districts[i].joined, typed, allowance) <= allowance);
      // One letter off another of the city's districts, a village's name may be that district mistyped: asked.
      // Two letters off, the village is the better reading ("Cigadung" is no Cimaung).
      const typoOf = found.filter(
        (i) => !holding.includes(i) && editDistance(this.districts[i].joined, typed, 1) <= 1,
      );
      // The first words of other districts of the city ("Cibeunying, Bandung": Cibeunying Kaler and Kidul of
      // Kota Bandung), the name may mean one of them more than a village of the same name: asked.
      const begun = candidates.filter(
        (i) => !holding.includes(i) && this.districts[i].joined.startsWith(`${typed} `),
      );
      if (holding.length === 1 && !elsewhere.length && !typoOf.length && !begun.length)
        return { kind: 'district', area: this.match(holding[0]) };
      if (holding.length)
        return {
          kind: 'unresolved',
          field: 'district',
          reason: 'ambiguous',
          suggestions: [...new Set([...holding, ...elsewhere, ...typoOf, ...begun])]
            .slice(0, 5)
            .map((i) => this.match(i)),
        };
      // A district named exactly so elsewhere ("Rancabali" typed with Kota Bandung, where Rancasari is one
      // letter off), or a village of the province ("Timbulharjo" typed with Kota Yogyakarta, where
      // Umbulharjo is one letter off; it is in Bantul), may be what the seller meant, with the wrong city:
      // ask, never take the near miss.
      const villagesInProvince = villages.filter(ofProvince);
      if (found.length && (elsewhere.length || villagesInProvince.length)) {
        const exact = [
          ...new Set([
            ...elsewhere.filter(ofProvince),
            ...villagesInProvince,
            ...elsewhere.filter((i) => !ofProvince(i)),
          ]),
        ];
        return {
          kind: 'unresolved',
          field: 'district',
          reason: 'ambiguous',
          suggestions: [...exact.slice(0, 3), ...found].slice(0, 5).map((i) => this.match(i)),
        };
      }
    }
    // A city typed as its province's own name too, without "Kota" ("Yogyakarta", "Bengkulu", "Jambi"), may mean
    // the province, as sellers in Sleman or Bantul write it: a district of that name in another of its
    // regencies ("Jetis": Kota Yogyakarta's and Bantul's) is asked about, not taken as the city's.
    if (found.length && cityDecides && !city.kind && this.namesProvince(city, p)) {
      const namesakes = (this.byName.get(typed) ?? []).filter((i) => ofProvince(i) && !found.includes(i));
      if (namesakes.length)
        return {
          kind: 'unresolved',
          field: 'district',
          reason: 'ambiguous',
          suggestions: [...found, ...namesakes].slice(0, 5).map((i) => this.match(i)),
        };
    }
    if (found.length === 1) return { kind: 'district', area: this.match(found[0]) };
    if (found.length > 1)
      return {
        kind: 'unresolved',
        field: 'district',
        reason: 'ambiguous',
        suggestions: found.slice(0, 5).map((i) => this.match(i)),
      };
    return {
      kind: 'unresolved',
      field: cityDecides || this.placeOfProvince(place.city, p) ? 'district' : 'city',
      reason: 'unknown',
      suggestions: suggest(),
    };
  }

  /** Whether every word of a typed city is of province `p`'s name ("Jakarta" of DKI Jakarta). */
  private namesProvince(city: PlaceQuery, p: number): boolean {
    return city.words.length > 0 && city.words.every((w) => this.provinces[p].words.includes(w));
  }

  /**
   * Whether a city that names no regency still names a place of province `p`: its own name ("Jakarta" of DKI
   * Jakarta), a district or a village of it. The city is then not what is wrong with an address whose
   * district it holds none of: the district is.
   */
  private placeOfProvince(typedCity: string, p: number): boolean {
    if (this.namesProvince(parsePlaceQuery(typedCity), p)) return true;
    const inProvince = (i: number) => this.regencies[this.districts[i].regency].province === p;
    return [
      ...(this.byName.get(districtName(typedCity)) ?? []),
      ...villageKeys(typedCity).flatMap((k) => this.byVillage.get(k) ?? []),
    ].some(inProvince);
  }

  /**
   * Regencies whose name (without Kota/Kabupaten) is the typed city, read each way of `readings` in turn (the
   * first that names one decides): exactly, or with its words written together or apart ("Pematang Siantar"
   * for Pematangsiantar, "Pare Pare" for Parepare); else (with `typos`) the first reading with a typo per word.
   */
  private regenciesNamed(readings: PlaceQuery[], among: Regency[], typos = true): Regency[] {
    for (const reading of readings) {
      const exact = this.regenciesExactlyNamed(reading, among);
      if (exact.length) return exact;
    }
    const city = readings[0];
    if (!typos || !city.words.length) return [];
    return among.filter(
      (r) =>
        kindFits(city, r) &&
        wordsOnce(r).length === city.words.length &&
        wordsOnce(r).every(
          (w, i) =>
            editDistance(w, city.words[i], typoAllowance(city.words[i])) <= typoAllowance(city.words[i]),
        ),
    );
  }

  /** Regencies whose name (without Kota/Kabupaten) is `city` exactly, or with its words together or apart. */
  private regenciesExactlyNamed(city: PlaceQuery, among: Regency[]): Regency[] {
    const joined = city.words.join(' ');
    if (!joined) return [];
    // Typed twice, a word is glued twice ("Pare Pare": "parepare").
    const glued = city.words.map((w) => w.repeat(city.repeated?.get(w) ?? 1)).join('');
    const modern = city.words.map(modernSpelling).join(' ');
    return among.filter(
      (r) =>
        kindFits(city, r) &&
        (wordsOnce(r).join(' ') === joined ||
          r.words.join('') === glued ||
          wordsOnce(r).join(' ') === modern),
    );
  }

  /**
   * Up to five districts a seller may have meant: for the district and city together, then the district
   * alone (where else it is), then the city alone; those in the typed province first.
   */
  private suggestions(place: PlaceToResolve, province: number | undefined): AreaMatch[] {
    const inProvince = (i: number) => this.regencies[this.districts[i].regency].province === province;
    const hitsOf = (text: string) => {
      const query = limitWords(parsePlaceQuery(text));
      if (!query.words.length) return [];
      const hits = this.rank(query, false);
      const top = (hits.length ? hits : this.rank(query, true)).slice(0, 50);
      return [...top.filter(inProvince), ...top.filter((j) => !inProvince(j))].slice(0, 5);
    };
    // The district and city together first: where they name a place, it is the best guess even in
    // another province. Then the district alone and the city alone, those in the typed province first
    // whichever found them: Bandung's own districts before a Sukamaju in Sulawesi for "Sukamaju, Bandung".
    const together = hitsOf(`${place.district ?? ''} ${place.city}`);
    const apart = [...hitsOf(place.district ?? ''), ...hitsOf(place.city)];
    // A district of exactly the typed name comes next, wherever it is, when the name is all but unique:
    // "Tebet, Bandung" means Tebet in Jakarta Selatan more likely than any of Bandung's own districts,
    // which filled every place before it. A common name (a Sukamaju in many provinces) says nothing so.
    const sameName = place.district ? (this.byName.get(districtName(place.district)) ?? []) : [];
    const named = sameName.length <= 2 ? sameName : [];
    const found = [...new Set([...together, ...named, ...apart.filter(inProvince), ...apart])];
    return found.slice(0, 5).map((i) => this.match(i));
  }

  /**
   * District indexes that every query word names part of, best first (ties by code). Two words the
   * directory writes as one are joined where they do not both name places; where they do and nothing has
   * both ("gunung kidul", "kramat jati": Gunungkidul, Kramatjati), they are joined after all.
   */
  private rank(typed: PlaceQuery, typos: boolean): number[] {
    const hits = this.rankWords(this.gluedQuery(typed), typos);
    if (hits.length) return hits;
    const joined = this.gluedQuery(typed, true);
    return joined.words.length < this.gluedQuery(typed).words.length ? this.rankWords(joined, typos) : hits;
  }

  private rankWords(query: PlaceQuery, typos: boolean): number[] {
    const n = this.districts.length;
    // Typo search scans the directory's words per misspelled word: a query of many is junk, not a place.
    if (typos && query.words.filter((w) => !this.postings.has(w)).length > MAX_TYPO_WORDS) return [];
    // Every word must find something: the first that finds nothing ends the search (a typo scan each).
    const found: Map<string, number>[] = [];
    for (const w of query.words) {
      const words = this.lookup(w, typos);
      if (!words.size) return [];
      found.push(words);
    }
    // The words of a province the query names in full ("jawa barat", "ntt") are taken for that province
    // first, not for a district or regency sharing one: "Barat" in Magetan is not what "jawa barat" asks
    // for, nor is "Kupang Timur" what "kupang ntt" does. The named province's districts come first.
    const named = new Set(this.namedProvinces(query.words));
    const provinceWords = new Set([...named].flatMap((p) => this.provinces[p].words));
    const matched = new Map<string, number>();
    // Per district, how many query words name a whole word of it (its district, regency or province).
    const whole = new Uint8Array(n);
    const best: Float32Array[] = found.map((words, k) => {
      const q = new Float32Array(n);
      const named = new Uint8Array(n);
      // A named province's word finds a district or regency that shares it no better than the province.
      const cap = provinceWords.has(query.words[k]) ? WEIGHT.province : WEIGHT.exact;
      for (const [word, quality] of words) {
        const prior = matched.get(word) ?? 0;
        if (quality > prior) matched.set(word, quality);
        const post = this.postings.get(word)!;
        const local = Math.min(quality, cap);
        for (const d of post.districts) if (local > q[d]) q[d] = local;
        for (const r of post.regencies) fill(q, this.regencies[r].first, this.regencies[r].end, local);
        for (const p of post.provinces)
          fill(q, this.provinces[p].first, this.provinces[p].end, quality * WEIGHT.province);
        if (quality === WEIGHT.exact) {
          for (const d of post.districts) named[d] = 1;
          for (const r of post.regencies) named.fill(1, this.regencies[r].first, this.regencies[r].end);
          for (const p of post.provinces) named.fill(1, this.provinces[p].first, this.provinces[p].end);
        }
      }
      for (let i = 0; i < n; i += 1) whole[i] += named[i];
      return q;
    });
    const optional = new Set(query.optionalWords);
    // How many times each word was typed, kind words included: a copy the regency's name or kind takes is
    // not the district's too ("Mandrehe, Nias Barat" names Mandrehe, not Mandrehe Barat).
    const typed = new Map<string, number>();
    for (const w of query.words) typed.set(w, query.repeated?.get(w) ?? 1);
    for (const w of query.optionalWords) typed.set(w, (typed.get(w) ?? 0) + 1);
    // A dropped kind word still completes a district's name ("kota baru" → Kota Baru), never required.
    for (const word of optional)
      if (this.postings.has(word) && !matched.has(word)) matched.set(word, WEIGHT.exact);
    const coverage = (words: string[], skip?: Set<string>) => {
      let least = 1;
      for (const w of words) least = Math.min(least, skip?.has(w) ? 0 : (matched.get(w) ?? 0));
      return least;
    };
    // A name written as one word covers it when typed whole (or misspelled), not when it merely begins it:
    // "kupang" begins "kupangbarat" but does not name Kupang Barat.
    const gluedCoverage = (glued: string | null) => {
      const quality = glued ? (matched.get(glued) ?? 0) : 0;
      return quality === WEIGHT.prefix ? 0 : quality;
    };
    const typedKey = wordKey(query.words);
    const typedGlued = query.words.join('');
    // The regencies the typed words name whole ("Bandung Barat", "Kabupaten Minahasa Utara", "Lima Puluh Kota"
    // with its kind word, "Pangkalpinang" written together): their districts come first, before those of a
    // regency named by fewer of the words with a district sharing the rest (Kota Bandung of Jawa Barat,
    // Tondano Utara of Kabupaten Minahasa) and before a district of that name elsewhere ("Depok").
    const regencyNamed = (r: Regency) => {
      // Each word as many times as the name has it ("Kapuas Hulu, Kapuas" is a district of Kapuas), and a
      // kind word beyond the name's own only for the regency's kind ("Kota Utara, Gorontalo" is Kota Utara).
      const kindWordsOk = query.optionalWords.every((w) => {
        const spare = (typed.get(w) ?? 0) - countOf(r.words, w, r.words.length);
        return spare === 0 || (spare === 1 && kindOfWord(w) === r.kind);
      });
      if (r.glued === typedGlued) return !query.repeated && kindWordsOk;
      return (
        kindWordsOk &&
        query.words.every((w) => typed.get(w) === countOf(r.words, w, r.words.length)) &&
        r.words.every((w) => typed.has(w))
      );
    };
    const namedRegencies = new Set(
      [
        ...(this.postings.get(query.words[0])?.regencies ?? []),
        ...(this.postings.get(typedGlued)?.regencies ?? []),
      ].filter((r) => regencyNamed(this.regencies[r])),
    );
    // The typed words are one district's whole name, and no regency's: that district is what was asked for,
    // before a regency named by one word with a district sharing another ("Banggai Utara" is no Balantak
    // Utara of Kabupaten Banggai). A regency's name typed keeps the city first ("Tebing Tinggi", "Depok").
    const namesRegency =
      namedRegencies.size > 0 || this.regencyKeys.has(typedKey) || this.regencyGlued.has(typedGlued);
    // A name both a Kota and a Kabupaten bear means the city ("bandung"): its districts before the regency's,
    // whose district of that very name ("Sukabumi", "Madiun") outscored them.
    const cityNamed = [...namedRegencies].some((r) => this.regencies[r].kind === 'kota');
    const regencyNamedToo = [...namedRegencies].some((r) => this.regencies[r].kind === 'kabupaten');
    const namedTier = (r: number) =>
      !namedRegencies.has(r) ? 0 : cityNamed && regencyNamedToo && this.regencies[r].kind === 'kota' ? 3 : 2;
    const namedWhole = (i: number) =>
      !namesRegency &&
      (wordKey(this.districts[i].words) === typedKey || this.districts[i].glued === typedGlued);
    const scored: { i: number; score: number; exact: number }[] = [];
    for (let i = 0; i < n; i += 1) {
      let score = 0;
      let all = true;
      for (const q of best) {
        if (!q[i]) {
          all = false;
          break;
        }
        score += q[i];
      }
      if (!all) continue;
      const d = this.districts[i];
      const r = this.regencies[d.regency];
      const p = this.provinces[r.province];
      const regencyCoverage = Math.max(coverage(r.words), gluedCoverage(r.glued));
      const districtCoverage = Math.max(coverage(d.words, provinceWords), gluedCoverage(d.glued));
      // A word naming the regency in full ("tengah" of Lombok Tengah in "praya lombok tengah"), or its kind
      // ("kota" of "sorong kota sorong"), earns a district the bonus of using more of the query only for a
      // copy typed beyond those: "praya tengah lombok tengah" is Praya Tengah. A district word whose every
      // typed copy the regency took costs the district as much: the place holds the word more times than
      // typed ("mandrehe nias barat" is Mandrehe before Mandrehe Barat).
      const regencyNamed = regencyCoverage === WEIGHT.exact;
      // The kind is the regency's only when its name is typed besides the district's: "sorong kota" is
      // Sorong Kota, "sorong kota sorong" Sorong of Kota Sorong.
      const kindTaken =
        query.kind === r.kind &&
        regencyNamed &&
        r.words.every((w) => (typed.get(w) ?? 0) > countOf(d.words, w, d.words.length));
      let spareKindWord = true;
      if (districtCoverage) {
        let own = 0;
        for (let j = 0; j < d.words.length; j += 1) {
          const w = d.words[j];
          if (matched.get(w) !== WEIGHT.exact) continue;
          const taken =
            (regencyNamed ? countOf(r.words, w, r.words.length) : 0) + (w === r.kind && kindTaken ? 1 : 0);
          const spare = (typed.get(w) ?? 0) - taken - countOf(d.words, w, j) > 0;
          own += !taken || spare ? 1 : -1;
          if (optional.has(w) && !spare) spareKindWord = false;
        }
        score += COVERED.district * districtCoverage + COVERED.eachDistrictWord * own;
      } else if (d.words.some((w) => matched.has(w) && !provinceWords.has(w)))
        score += COVERED.someDistrictWord;
      score += COVERED.regency * regencyCoverage + COVERED.province * coverage(p.words);
      if (named.has(r.province)) score += COVERED.namedProvince;
      if (query.kind) score += query.kind === r.kind ? KIND.asked : KIND.contradicted;
      else if (r.kind === 'kota') score += KIND.cityFirst;
      if (spareKindWord && d.words.some((w) => optional.has(w))) score += KIND.optionalWordInDistrict;
      if (d.joined === r.joined) score += SEAT;
      scored.push({
        i,
        score,
        exact: whole[i] === best.length ? Math.max(namedWhole(i) ? 2 : 1, namedTier(d.regency)) : 0,
      });
    }
    // A place every word names whole comes before those a word only begins: "Bangkala" typed in full is
    // Bangkala (Jeneponto), not Bangkalan, which the regency bonus put first.
    scored.sort((a, b) => b.exact - a.exact || b.score - a.score || a.i - b.i);
    this.typedOrderFirst(scored, query.words);
    return scored.map((s) => s.i);
  }

  /**
   * Of two districts named by the same words in another order ("Ulu Rawas" and "Rawas Ulu", "Koto VII" and
   * "VII Koto"), which score alike, puts the one whose order was typed first: the score cannot tell them apart.
   */
  private typedOrderFirst(scored: { i: number; score: number }[], typed: string[]): void {
    const text = ` ${typed.join(' ')} `;
    const inOrder = (i: number) => text.includes(` ${this.districts[i].joined} `);
    for (let k = 0; k < scored.length; k += 1) {
      const twin = this.twins.get(scored[k].i);
      if (twin === undefined || inOrder(scored[k].i) || !inOrder(twin)) continue;
      const at = scored.findIndex((s, j) => j > k && s.i === twin);
      if (at > k && Math.abs(scored[at].score - scored[k].score) < 1e-9)
        [scored[k], scored[at]] = [scored[at], scored[k]];
    }
  }

  /** The provinces whose every word the query has, the longest names only ("papua barat", not "papua"). */
  private namedProvinces(words: string[]): number[] {
    const typed = new Set(words);
    const full = this.provinces.flatMap((p, i) =>
      p.words.length && p.words.every((w) => typed.has(w)) ? [i] : [],
    );
    const longest = Math.max(0, ...full.map((i) => this.provinces[i].words.length));
    return full.filter((i) => this.provinces[i].words.length === longest);
  }

  /**
   * Directory words a query word stands for, with how well: itself, what it begins, or (typos) a near miss;
   * a word written in the old spelling ("soerabaja") as today's when it finds nothing as typed.
   */
  private lookup(word: string, typos: boolean): Map<string, number> {
    const out = this.wordsBeginning(word);
    const modern = modernSpelling(word);
    if (!out.size && modern !== word) for (const [w, q] of this.wordsBeginning(modern)) out.set(w, q);
    if (typos && !this.postings.has(word))
      for (const form of modern === word ? [word] : [word, modern]) {
        const allowance = typoAllowance(form);
        for (let len = form.length - allowance; len <= form.length + allowance; len += 1) {
          for (const candidate of this.wordsByLength.get(len) ?? []) {
            if (out.has(candidate)) continue;
            const distance = editDistance(form, candidate, allowance);
            if (distance <= allowance) out.set(candidate, distance === 1 ? WEIGHT.typo1 : WEIGHT.typo2);
          }
        }
      }
    return out;
  }

  /** Districts holding villages whose search form `key` begins (four letters typed at least), by village. */
  private villagesBeginning(key: string): number[] {
    if (key.length < 4) return [];
    const found = new Set<number>();
    for (
      let i = firstAtLeast(this.villageKeysSorted, key);
      i < this.villageKeysSorted.length && this.villageKeysSorted[i].startsWith(key) && found.size < 50;
      i += 1
    )
      for (const d of this.byVillage.get(this.villageKeysSorted[i])!) found.add(d);
    return [...found];
  }

  /** The directory's word itself (exact) and those it begins (prefix, as the seller is still typing). */
  private wordsBeginning(word: string): Map<string, number> {
    const out = new Map<string, number>();
    if (this.postings.has(word)) out.set(word, WEIGHT.exact);
    if (word.length >= 2) {
      for (
        let i = firstAtLeast(this.sortedWords, word);
        i < this.sortedWords.length && this.sortedWords[i].startsWith(word);
        i += 1
      )
        if (this.sortedWords[i] !== word) out.set(this.sortedWords[i], WEIGHT.prefix);
    }
    return out;
  }

  /**
   * The query with two words written apart that the directory writes as one ("palangka raya" is
   * Palangkaraya) joined, where the two do not both name places on their own (`always`: even then).
   */
  private gluedQuery(query: PlaceQuery, always = false): PlaceQuery {
    const words: string[] = [];
    for (let i = 0; i < query.words.length; i += 1) {
      const [a, b] = [query.words[i], query.words[i + 1]];
      if (
        b !== undefined &&
        this.postings.has(a + b) &&
        (always || !(this.postings.has(a) && this.postings.has(b)))
      ) {
        words.push(a + b);
        i += 1;
      } else words.push(a);
    }
    return words.length === query.words.length ? query : { ...query, words };
  }

  private post(word: string): Postings {
    let p = this.postings.get(word);
    if (!p) {
      p = { districts: [], regencies: [], provinces: [] };
      this.postings.set(word, p);
    }
    return p;
  }

  private findCode(code: string): number {
    let lo = 0;
    let hi = this.districts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.districts[mid].code < code) lo = mid + 1;
      else hi = mid;
    }
    return this.districts[lo]?.code === code ? lo : -1;
  }

  private match(i: number): AreaMatch {
    const d = this.districts[i];
    const r = this.regencies[d.regency];
    const p = this.provinces[r.province];
    return {
      code: d.code,
      name: d.name,
      regency: { code: r.code, name: r.name },
      province: { code: p.code, name: p.name },
    };
  }
}

/** No place name needs more words; more would only make a hostile query slow. */
const MAX_QUERY_WORDS = 8;
/** Misspelled words a search looks for near misses of (each costs a scan of the directory's words). */
const MAX_TYPO_WORDS = 3;

function limitWords(query: PlaceQuery): PlaceQuery {
  return query.words.length > MAX_QUERY_WORDS
    ? { ...query, words: query.words.slice(0, MAX_QUERY_WORDS) }
    : query;
}

/**
 * A query of kind words alone ("kota") as words to find: they name nothing else, and a district is named so
 * (Kota, in Kota Kediri), which answered nothing.
 */
function kindWordsAsWords(query: PlaceQuery): PlaceQuery {
  return query.words.length || !query.optionalWords.length
    ? query
    : { words: [...new Set(query.optionalWords)], kind: null, optionalWords: [] };
}

/** A name's words as a set, to compare names typed in any order. */
function wordKey(words: readonly string[]): string {
  return [...new Set(words)].sort().join(' ');
}

/** A name's words written as one, when it has more than one. */
/** A regency's name words each once: a query keeps each typed word once ("Kota Bau Bau" is typed words "bau"). */
const wordsOnce = (r: Regency) => [...new Set(r.words)];

/** Whether a regency is of the kind a typed city names ("kota …", "kab. …"), when it names one. */
const kindFits = (city: PlaceQuery, r: Regency) => !city.kind || r.kind === city.kind;

function gluedOf(words: string[]): string | null {
  return words.length > 1 ? words.join('') : null;
}

/** How many of `words`' first `end` are `word`. */
function countOf(words: readonly string[], word: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i += 1) if (words[i] === word) n += 1;
  return n;
}

/** The index of the first of `sorted` (ascending) not before `key`. */
function firstAtLeast(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fill(q: Float32Array, from: number, to: number, quality: number): void {
  for (let i = from; i < to; i += 1) if (quality > q[i]) q[i] = quality;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/**
 * A typed village's keys, best first: its search form written together (as sellers write "Jakasampurna" for
 * the dataset's "Jaka Sampurna"), then without the words for a village ("Kel. Cigadung"), which a name
 * itself may begin with (Desa Beru).
 */
function villageKeys(typed: string): string[] {
  const name = districtName(typed);
  return [name, name.replace(/^(kelurahan|kel|desa|ds) /, '')].map((k) => k.replace(/ /g, ''));
}

/**
 * A typed district as the directory's names are kept: no "Kec." before it, no postal code after it
 * ("Tebet 12810"); other digits are the name's own ("2 x 11 Enam Lingkuang").
 */
function districtName(typed: string): string {
  return normalizePlace(typed)
    .replace(/^(kecamatan|kec) /, '')
    .replace(/ [1-9]\d{4}$/, '');
}
