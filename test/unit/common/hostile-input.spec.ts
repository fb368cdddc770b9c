import fc from 'fast-check';
import {
  storableJson,
  storableText,
  inspectJson,
  MAX_JSON_DEPTH,
  MAX_JSON_FIELDS,
  MAX_JSON_FIELDS_IN_ALL,
  MAX_JSON_ITEMS,
  nestsDeeperThan,
  unsafeTextReason,
} from 'src/common/hostile-input';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Text without NUL or surrogates of any kind (so no lone one either). */
const safeText = fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !s.includes('\u0000'));
const safeJson: fc.Arbitrary<Json> = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    safeText,
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(
      fc.string({ minLength: 1, maxLength: 5 }).filter((k) => unsafeTextReason(k) === null),
      tie('json'),
      {
        maxKeys: 3,
      },
    ),
  ),
})).json;

/** Paths to every leaf of a value, as the segments inspectJson names them by. */
function leaves(v: Json, path: string[] = []): string[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, String(i)]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [path];
}

function setLeaf(v: Json, path: string[], leaf: Json): Json {
  if (!path.length) return leaf;
  const copy = structuredClone(v) as Record<string, Json>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, Json>;
  parent[path[path.length - 1]] = leaf;
  return copy;
}

const nest = (levels: number): Json => {
  let v: Json = 'x';
  for (let i = 0; i < levels; i += 1) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('hostile input', () => {
  it('finds nothing in text PostgreSQL can hold, whatever the shape', () => {
    fc.assert(
      fc.property(safeJson, (v) =>
        expect(inspectJson(v)).toEqual({
          problems: [],
          inherited: [],
          unlisted: 0,
          tooDeep: false,
          tooWide: null,
        }),
      ),
    );
  });

  it('names the exact path of a NUL or a lone surrogate put anywhere', () => {
    fc.assert(
      fc.property(
        safeJson.chain((v) =>
          fc.tuple(fc.constant(v), fc.constantFrom(...(leaves(v).length ? leaves(v) : [[]]))),
        ),
        fc.constantFrom('a\u0000b', '\ud800', 'x\udfffy'),
        ([v, path], bad) => {
          const { problems } = inspectJson(setLeaf(v, path, bad));
          expect(problems).toEqual([{ field: path.join('.') || 'body', message: unsafeTextReason(bad) }]);
        },
      ),
    );
  });

  it('tells a well-formed surrogate pair (an emoji) from a lone surrogate', () => {
    expect(unsafeTextReason('Toko 😀 Batik')).toBeNull();
    expect(unsafeTextReason('Toko \ud83d Batik')).toBe(
      'must be valid Unicode text (it has a lone surrogate)',
    );
    expect(unsafeTextReason('Toko\u0000')).toBe('must not contain a NUL character (\\u0000)');
  });

  it('names a hostile field name by its escaped spelling, under its parent', () => {
    expect(inspectJson({ recipient: { 'na\u0000me': 'Budi' } }).problems).toEqual([
      { field: 'recipient.na\\u0000me', message: 'name must not contain a NUL character (\\u0000)' },
    ]);
  });

  it('names a field whose key every object inherits (class-transformer drops it unsaid), under its parent', () => {
    expect(
      inspectJson(
        JSON.parse('{"constructor":1,"recipient":{"toString":"x","name":"Budi"},"rows":[{"valueOf":2}]}'),
      ).inherited,
    ).toEqual([
      { field: 'constructor', message: 'property constructor should not exist' },
      { field: 'recipient.toString', message: 'property toString should not exist' },
      { field: 'rows.0.valueOf', message: 'property valueOf should not exist' },
    ]);
    expect(inspectJson({ recipient: { name: 'Budi', string: 'x' } }).inherited).toEqual([]);
  });

  it('stops at the depth limit without walking further (thousands of levels are safe)', () => {
    expect(inspectJson(nest(MAX_JSON_DEPTH)).tooDeep).toBe(false);
    expect(inspectJson(nest(MAX_JSON_DEPTH + 1)).tooDeep).toBe(true);
    expect(inspectJson(nest(50_000)).tooDeep).toBe(true);
  });

  it('walks on past a value too deep, so what lies beside it is still counted and checked', () => {
    const wide = Object.fromEntries(Array.from({ length: MAX_JSON_FIELDS + 1 }, (_, i) => [`k${i}`, 1]));
    // A bulk import's deep row does not hide a later row's width (before, the walk stopped at the deep one).
    expect(inspectJson([nest(MAX_JSON_DEPTH + 5), wide]).tooWide).toEqual({
      field: '1',
      message: `has more than ${MAX_JSON_FIELDS} fields`,
    });
    expect(inspectJson([nest(MAX_JSON_DEPTH + 5), { name: 'a\u0000' }])).toEqual({
      problems: [{ field: '1.name', message: expect.stringContaining('NUL') }],
      inherited: [],
      unlisted: 0,
      tooDeep: true,
      tooWide: null,
    });
  });

  it('tells nesting deeper than a bound without recursion, however deep (a million levels)', () => {
    expect(nestsDeeperThan(nest(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nest(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan([{ a: 1 }, nest(300)], 256)).toBe(true);
    expect(nestsDeeperThan([{ a: 1 }, nest(200)], 256)).toBe(false);
    expect(nestsDeeperThan(nest(1_000_000), 2_000_000)).toBe(false);
    expect(nestsDeeperThan(nest(1_000_000), 256)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 80 }), (levels, limit) => {
        expect(nestsDeeperThan(nest(levels), limit)).toBe(inspectJson(nest(levels), '', limit).tooDeep);
      }),
    );
  });

  it('refuses an object with too many fields, or a value with too many in all, naming where', () => {
    const wide = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));
    expect(inspectJson({ recipient: wide(MAX_JSON_FIELDS) }).tooWide).toBeNull();
    expect(inspectJson({ recipient: wide(MAX_JSON_FIELDS + 1) })).toEqual({
      problems: [],
      inherited: [],
      unlisted: 0,
      tooDeep: false,
      tooWide: { field: 'recipient', message: `has more than ${MAX_JSON_FIELDS} fields` },
    });
    expect(inspectJson(wide(MAX_JSON_FIELDS + 1)).tooWide?.field).toBe('body');
    // Rows each within the limit, too many in all (a bulk import has about 25 a row, 5,000 rows at most).
    const rows = (count: number, each: number) => Array.from({ length: count }, () => wide(each));
    expect(inspectJson({ rows: rows(5000, 25) }).tooWide).toBeNull();
    const tooMany = Math.ceil((MAX_JSON_FIELDS_IN_ALL + 1) / MAX_JSON_FIELDS);
    expect(inspectJson({ rows: rows(tooMany, MAX_JSON_FIELDS) }).tooWide).toEqual({
      field: 'body',
      message: `has more than ${MAX_JSON_FIELDS_IN_ALL} fields in all`,
    });
  });

  it('refuses an array with too many items, naming where, however small they are', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(inspectJson({ shipmentIds: ids(MAX_JSON_ITEMS) }).tooWide).toBeNull();
    expect(inspectJson({ shipmentIds: ids(MAX_JSON_ITEMS + 1) })).toEqual({
      problems: [],
      inherited: [],
      unlisted: 0,
      tooDeep: false,
      tooWide: { field: 'shipmentIds', message: `has more than ${MAX_JSON_ITEMS} items` },
    });
    expect(inspectJson(ids(150_000)).tooWide?.field).toBe('body');
    expect(inspectJson({ a: [{ b: ids(MAX_JSON_ITEMS + 1) }] }).tooWide?.field).toBe('a.0.b');
  });
});

describe('what Kirim keeps though it came unfit (a courier’s signed text)', () => {
  it('turns each NUL and lone surrogate into U+FFFD and leaves good text, pairs included, alone', () => {
    expect(storableText('Gudang\u0000Jakarta')).toBe('Gudang\uFFFDJakarta');
    expect(storableText('a\ud800b\udc00c')).toBe('a\uFFFDb\uFFFDc');
    expect(storableText('Surabaya 😀 \\u0000')).toBe('Surabaya 😀 \\u0000');
  });

  it('writes JSON PostgreSQL takes: strings and keys cleaned at any depth, the rest as JSON.stringify writes it', () => {
    const value = { a: ['x\u0000', { 'k\ud800': 'v', n: 1, ok: 'Tebet 😀' }], b: null, literal: '\\u0000' };
    expect(JSON.parse(storableJson(value))).toEqual({
      a: ['x\uFFFD', { 'k\uFFFD': 'v', n: 1, ok: 'Tebet 😀' }],
      b: null,
      literal: '\\u0000',
    });
    expect(storableJson({ s: 'x\u0000\ud800' })).toBe('{"s":"x\uFFFD\uFFFD"}');
    const clean = { awb: 'JT1', history: [{ at: '2026-12-04 10:00', code: '100' }] };
    expect(storableJson(clean)).toBe(JSON.stringify(clean));
  });
});
