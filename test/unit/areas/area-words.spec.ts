import fc from 'fast-check';
import {
  modernSpelling,
  ABBREVIATIONS,
  editDistance,
  normalizePlace,
  parsePlaceQuery,
  typoAllowance,
} from 'src/areas/area-words';

describe('normalizePlace', () => {
  it.each([
    ['  Kebayoran   BARU ', 'kebayoran baru'],
    ['Kec. Tebet, Jakarta-Selatan', 'kec tebet jakarta selatan'],
    ["Ma'u", 'mau'],
    ['O’o’u', 'oou'],
    ['Tiro/Truseb', 'tiro truseb'],
    ['Sérang', 'serang'],
    ['\u0000tebet\t', 'tebet'],
    // Invisible characters pasted with a name do not split it.
    ['te\u200bbet', 'tebet'],
    ['\ufeffKebayoran\u00adBaru', 'kebayoranbaru'],
    ['Te\u2060bet Jakarta\u200dSelatan', 'tebet jakartaselatan'],
  ])('%j → %j', (input, expected) => expect(normalizePlace(input)).toBe(expected));

  it('is idempotent and leaves only lower-case letters, digits and single spaces', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const once = normalizePlace(s);
        expect(normalizePlace(once)).toBe(once);
        expect(once).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
      }),
    );
  });
});

describe('parsePlaceQuery', () => {
  it.each([
    ['jaksel', ['jakarta', 'selatan'], null],
    ['jakut', ['jakarta', 'utara'], null],
    ['jakbar', ['jakarta', 'barat'], null],
    ['jaktim', ['jakarta', 'timur'], null],
    ['jakpus', ['jakarta', 'pusat'], null],
    ['jkt pusat', ['jakarta', 'pusat'], null],
    ['tebet jaksel', ['tebet', 'jakarta', 'selatan'], null],
    ['jogja', ['yogyakarta'], null],
    ['yogya', ['yogyakarta'], null],
    ['sleman yogya', ['sleman', 'yogyakarta'], null],
    ['solo', ['surakarta'], null],
    ['kab. bogor', ['bogor'], 'kabupaten'],
    ['Kabupaten Bogor', ['bogor'], 'kabupaten'],
    ['kota bandung', ['bandung'], 'kota'],
    ['Kodya Malang', ['malang'], 'kota'],
    ['Kec. Tebet', ['tebet'], null],
    ['Kota Administrasi Jakarta Selatan', ['jakarta', 'selatan'], 'kota'],
    ['Provinsi Jawa Barat', ['jawa', 'barat'], null],
    ['bekasi jabar', ['bekasi', 'jawa', 'barat'], null],
    ['tebet 12810', ['tebet'], null],
    ['jakarta jkt', ['jakarta'], null],
  ])('%j → words %j, kind %j', (text, words, kind) => {
    const q = parsePlaceQuery(text);
    expect(q.words).toEqual(words);
    expect(q.kind).toBe(kind);
  });

  it('keeps a dropped kind word as optional ("kota baru" may be the district Kota Baru)', () => {
    expect(parsePlaceQuery('kota baru')).toEqual({ words: ['baru'], kind: 'kota', optionalWords: ['kota'] });
  });

  it('counts a word typed more than once, abbreviations written out ("praya tengah, lombok tengah")', () => {
    expect(parsePlaceQuery('Praya Tengah, Lombok Tengah').repeated).toEqual(new Map([['tengah', 2]]));
    expect(parsePlaceQuery('tebet jaksel jakarta').repeated).toEqual(new Map([['jakarta', 2]]));
    expect(parsePlaceQuery('una una tojo una una').repeated).toEqual(new Map([['una', 4]]));
    expect(parsePlaceQuery('tebet jakarta selatan').repeated).toBeUndefined();
  });

  it('reads words an object inherits ("constructor", "hasownproperty") as words to find, never as a kind or an abbreviation', () => {
    for (const word of ['constructor', 'hasownproperty', 'isprototypeof', 'tostring', 'valueof']) {
      const q = parsePlaceQuery(`${word} bandung`);
      expect([word, q.kind, q.words]).toEqual([word, null, [word, 'bandung']]);
    }
  });

  it('answers no words for administrative words alone, digits or marks', () => {
    for (const text of ['kecamatan', 'kota', 'kab.', '12345', ' - / ', ''])
      expect(parsePlaceQuery(text).words).toEqual([]);
  });

  it('expands every abbreviation to words that are not themselves abbreviations (one step is enough)', () => {
    for (const [short, long] of Object.entries(ABBREVIATIONS)) {
      expect(long).toBe(normalizePlace(long));
      for (const word of long.split(' ')) if (word !== short) expect(ABBREVIATIONS[word]).toBeUndefined();
    }
  });
});

describe('editDistance (Damerau–Levenshtein, capped)', () => {
  it.each([
    ['bogor', 'bogr', 1],
    ['baru', 'bru', 1],
    ['surabaya', 'surbaya', 1],
    ['tebet', 'tbeet', 1],
    ['kebayoran', 'kebayoran', 0],
    ['sleman', 'selman', 1],
    ['bandung', 'bundang', 2],
  ])('%s ~ %s = %i', (a, b, d) => expect(editDistance(a, b, 2)).toBe(d));

  const word = fc.stringMatching(/^[a-z]{0,10}$/);

  it('is zero only for equal words, symmetric, and never above max + 1', () => {
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        const d = editDistance(a, b, max);
        expect(d === 0).toBe(a === b);
        expect(editDistance(b, a, max)).toBe(d);
        expect(d).toBeLessThanOrEqual(max + 1);
      }),
    );
  });

  it('answers as the plain table does, whatever the letters (its quick bounds change no answer)', () => {
    /** The whole table, no shortcuts: the definition the capped distance must agree with. */
    const plain = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i += 1)
        for (let j = 1; j <= b.length; j += 1) {
          d[i][j] = Math.min(
            d[i - 1][j] + 1,
            d[i][j - 1] + 1,
            d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      return d[a.length][b.length];
    };
    // Few letters, so near words are common; digits and letters sharing a bound's bit ("a" and "q" do not).
    const near = fc.stringMatching(/^[abcpq019]{0,9}$/);
    fc.assert(
      fc.property(near, near, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        expect(editDistance(a, b, max)).toBe(Math.min(plain(a, b), max + 1));
      }),
      { numRuns: 2000 },
    );
    // Longer words than any before, in one call after another (the table is kept between calls).
    const long = 'kepulauanseribuutara'.repeat(3);
    expect(editDistance(long, long.slice(1), 2)).toBe(1);
    expect(editDistance('bogor', 'bogr', 1)).toBe(1);
  });

  it('counts one deleted, inserted, replaced or swapped letter as one', () => {
    fc.assert(
      fc.property(
        word.filter((w) => w.length >= 2),
        fc.nat(),
        fc.constantFrom('a', 'z'),
        (w, at, ch) => {
          const i = at % w.length;
          const j = Math.min(i + 1, w.length - 1);
          const edits = [
            w.slice(0, i) + w.slice(i + 1),
            w.slice(0, i) + ch + w.slice(i),
            w.slice(0, i) + (w[i] === ch ? 'q' : ch) + w.slice(i + 1),
            i === j ? w : w.slice(0, i) + w[j] + w[i] + w.slice(j + 1),
          ];
          for (const e of edits) expect(editDistance(w, e, 2)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('allows no typo in a 1–2 letter word, one from 3 letters, two from 8', () => {
    expect(['ab', 'abc', 'abcdefg', 'abcdefgh'].map(typoAllowance)).toEqual([0, 1, 1, 2]);
  });
});

describe('modernSpelling (the old Van Ophuijsen letters)', () => {
  it.each([
    ['soerabaja', 'surabaya'],
    ['tjilatjap', 'cilacap'],
    ['tjimahi', 'cimahi'],
    ['djokjakarta', 'jokyakarta'], // then two letters from yogyakarta: search tolerates that
    ['bandung', 'bandung'],
  ])('%s → %s', (old, today) => expect(modernSpelling(old)).toBe(today));
});
