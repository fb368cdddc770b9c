/**
 * How sellers write Indonesian places, turned into the words the area directory is searched by: one
 * normal form (lower case, no accents or punctuation), the abbreviations everyone uses ("jaksel", "jogja",
 * "kab."), and the administrative words that say which kind of place is meant ("kota", "kabupaten") or
 * nothing at all ("kecamatan", "provinsi").
 */

/**
 * Lower case, accents, apostrophes and invisible characters dropped (a zero-width space pasted from a chat
 * would otherwise split a word), every other mark a single space.
 */
export function normalizePlace(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u00ad\u200b-\u200d\u2060\ufeff]/g, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Short forms → the directory's words. Province nicknames too, since sellers write "bekasi jabar". */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  jaksel: 'jakarta selatan',
  jakut: 'jakarta utara',
  jakbar: 'jakarta barat',
  jaktim: 'jakarta timur',
  jakpus: 'jakarta pusat',
  jkt: 'jakarta',
  dki: 'jakarta',
  jogja: 'yogyakarta',
  jogjakarta: 'yogyakarta',
  jogya: 'yogyakarta',
  djogja: 'yogyakarta',
  yogya: 'yogyakarta',
  diy: 'yogyakarta',
  tangsel: 'tangerang selatan',
  solo: 'surakarta',
  bdg: 'bandung',
  sby: 'surabaya',
  smg: 'semarang',
  mlg: 'malang',
  bks: 'bekasi',
  dpk: 'depok',
  tng: 'tangerang',
  mks: 'makassar',
  plg: 'palembang',
  // The short forms places are written with (Tj. Priok, Ps. Minggu, Klp. Gading, Kby. Baru, Pd. Gede).
  tj: 'tanjung',
  tg: 'tanjung',
  ps: 'pasar',
  klp: 'kelapa',
  kby: 'kebayoran',
  pd: 'pondok',
  pst: 'pusat',
  sel: 'selatan',
  slt: 'selatan',
  utr: 'utara',
  brt: 'barat',
  tmr: 'timur',
  kep: 'kepulauan',
  kepri: 'kepulauan riau',
  babel: 'bangka belitung',
  sumatra: 'sumatera',
  jabar: 'jawa barat',
  jateng: 'jawa tengah',
  jatim: 'jawa timur',
  sumut: 'sumatera utara',
  sumbar: 'sumatera barat',
  sumsel: 'sumatera selatan',
  kalbar: 'kalimantan barat',
  kalteng: 'kalimantan tengah',
  kalsel: 'kalimantan selatan',
  kaltim: 'kalimantan timur',
  kaltara: 'kalimantan utara',
  sulut: 'sulawesi utara',
  sulteng: 'sulawesi tengah',
  sulsel: 'sulawesi selatan',
  sultra: 'sulawesi tenggara',
  sulbar: 'sulawesi barat',
  malut: 'maluku utara',
  ntb: 'nusa tenggara barat',
  ntt: 'nusa tenggara timur',
  nad: 'aceh',
  irian: 'papua',
  // As a map application writes places in English ("Bandung City, West Java").
  north: 'utara',
  south: 'selatan',
  east: 'timur',
  west: 'barat',
  central: 'tengah',
  southeast: 'tenggara',
  southwest: 'barat daya',
  highland: 'pegunungan',
  java: 'jawa',
  islands: 'kepulauan',
};

/** The old (Van Ophuijsen) spelling's letters, still on old addresses: Soerabaja, Tjilatjap, Djokjakarta. */
const OLD_LETTERS: Readonly<Record<string, string>> = {
  oe: 'u',
  dj: 'j',
  tj: 'c',
  sj: 'sy',
  nj: 'ny',
  ch: 'kh',
  j: 'y',
};

/** A word in today's spelling if it was written in the old one ("soerabaja" → "surabaya"); else itself. */
export function modernSpelling(word: string): string {
  return word.replace(/oe|dj|tj|sj|nj|ch|j/g, (letters) => OLD_LETTERS[letters]);
}

export type RegencyKind = 'kabupaten' | 'kota';

/** Words naming the kind of regency the seller means. */
const KIND_WORDS: Readonly<Record<string, RegencyKind>> = {
  regency: 'kabupaten',
  city: 'kota',
  kab: 'kabupaten',
  kabupaten: 'kabupaten',
  kabupatan: 'kabupaten',
  kota: 'kota',
  kodya: 'kota',
  kotamadya: 'kota',
  kotamadia: 'kota',
};

/** The kind of regency a typed word names ("kab" → kabupaten, "kodya" → kota), if it names one. */
export function kindOfWord(word: string): RegencyKind | undefined {
  return ownWord(KIND_WORDS, word);
}

/**
 * Administrative words that name no place ("kec. Tebet", "Provinsi Jawa Barat", "Kota Administrasi …"),
 * and the country a pasted address ends with ("…, Jawa Barat, Indonesia").
 */
const NOISE_WORDS = new Set([
  'kec',
  'kecamatan',
  'kel',
  'kelurahan',
  'desa',
  'ds',
  'prov',
  'provinsi',
  'propinsi',
  'adm',
  'administrasi',
  // A pasted address often ends with the country, which no place of the directory is named after.
  'indonesia',
  // A province's title, in Indonesian and as map applications write it in English.
  'daerah',
  'istimewa',
  'khusus',
  'ibukota',
  'special',
  'capital',
  'region',
  'of',
]);

export interface PlaceQuery {
  /** The words to find, after abbreviations, without kind or noise words, each once, in typed order. */
  words: string[];
  /** "kota …" or "kab. …" typed: which kind of regency is meant. */
  kind: RegencyKind | null;
  /** Kind words that were dropped: they may still be part of a district's name ("Kota Baru"). */
  optionalWords: string[];
  /**
   * How many times each word typed more than once was typed ("praya tengah lombok tengah": tengah, 2),
   * absent when none was: a district sharing a word with its regency is told apart by it.
   */
  repeated?: ReadonlyMap<string, number>;
}

/** `table`'s own entry for a typed word: "constructor" is a word too, not the object's inherited function. */
const ownWord = <T>(table: Readonly<Record<string, T>>, word: string): T | undefined =>
  Object.hasOwn(table, word) ? table[word] : undefined;

/** Words with each short form written out ("kep" → "kepulauan"), as a query's are. */
export function expandAbbreviations(words: readonly string[]): string[] {
  return words.flatMap((w) => ownWord(ABBREVIATIONS, w)?.split(' ') ?? [w]);
}

/**
 * A typed place as search words: normalized, abbreviations expanded, kind and noise words set apart. With
 * `kotaInName`, "kota" is a word of the name, as regencies' own names hold it ("Lima Puluh Kota", "Kota Baru"
 * for Kotabaru, "Kota Waringin Barat"), and only the other kind words say which kind is meant.
 */
export function parsePlaceQuery(text: string, kotaInName = false): PlaceQuery {
  const words: string[] = [];
  const optionalWords: string[] = [];
  let kind: RegencyKind | null = null;
  let repeated: Map<string, number> | undefined;
  for (const token of normalizePlace(text).split(' ')) {
    if (!token || /^\d+$/.test(token)) continue; // postal codes and house numbers name no area here
    const k = kotaInName && token === 'kota' ? undefined : ownWord(KIND_WORDS, token);
    if (k) {
      kind ??= k;
      optionalWords.push(token);
      continue;
    }
    if (NOISE_WORDS.has(token)) continue;
    for (const word of (ownWord(ABBREVIATIONS, token) ?? token).split(' ')) {
      if (!words.includes(word)) words.push(word);
      else (repeated ??= new Map()).set(word, (repeated.get(word) ?? 1) + 1);
    }
  }
  return repeated ? { words, kind, optionalWords, repeated } : { words, kind, optionalWords };
}

/**
 * Damerau–Levenshtein distance capped at `max` (returns max + 1 when farther): typos are one letter
 * missing, extra, wrong or two swapped.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Each character one has and the other lacks altogether costs an edit of its own: a bound that turns
  // most of the directory's words away before any table is filled (a typo scan compares thousands).
  const inA = characterSet(a);
  const inB = characterSet(b);
  if (bitCount(inA & ~inB) > max || bitCount(inB & ~inA) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  if (table.length < rows * cols) table = new Int32Array(rows * cols * 2);
  const d = table;
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    const ai = a.charCodeAt(i - 1);
    let rowMin = d[i * cols];
    for (let j = 1; j < cols; j += 1) {
      const bj = b.charCodeAt(j - 1);
      let v = d[(i - 1) * cols + j - 1] + (ai === bj ? 0 : 1);
      const up = d[(i - 1) * cols + j] + 1;
      const left = d[i * cols + j - 1] + 1;
      if (up < v) v = up;
      if (left < v) v = left;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        const swap = d[(i - 2) * cols + j - 2] + 1;
        if (swap < v) v = swap;
      }
      d[i * cols + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
  }
  return Math.min(d[rows * cols - 1], max + 1);
}

/** editDistance's table, kept between calls (it is called thousands of times a scan). */
let table = new Int32Array(1024);

/** The characters of `text` as bits (by code modulo 32: two sharing a bit only make the bound looser). */
function characterSet(text: string): number {
  let set = 0;
  for (let i = 0; i < text.length; i += 1) set |= 1 << (text.charCodeAt(i) & 31);
  return set;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** How many typos a word of this length may carry and still be recognised. */
export function typoAllowance(word: string): number {
  return word.length >= 8 ? 2 : word.length >= 3 ? 1 : 0;
}
