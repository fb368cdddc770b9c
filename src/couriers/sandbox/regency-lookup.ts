/**
 * A parcel's regency code from the place names the sandbox keeps (canonical "Kota Bandung" / "Jawa Barat";
 * a bare "Surabaya" is found too when only one regency of the province has that name). Pure; built once
 * from the area directory.
 */
export class RegencyLookup {
  private readonly codes = new Map<string, string | null>();

  constructor(regencies: readonly { code: string; name: string; province: string }[]) {
    for (const r of regencies) {
      this.codes.set(key(r.province, r.name), r.code);
      const bare = key(r.province, r.name.replace(/^(kota|kabupaten)\s+/i, ''));
      // A bare name two regencies share ("Bandung": the city and the regency) names neither.
      this.codes.set(bare, this.codes.has(bare) && this.codes.get(bare) !== r.code ? null : r.code);
    }
  }

  /** The regency code of a city in a province, or null when the names do not name exactly one. */
  codeOf(city: string, province: string): string | null {
    return this.codes.get(key(province, city)) ?? null;
  }
}

const key = (province: string, city: string) =>
  `${province.trim().toLowerCase()}|${city.trim().toLowerCase().replace(/\s+/g, ' ')}`;
