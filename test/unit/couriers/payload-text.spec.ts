import fc from 'fast-check';
import { cutLine, cutText, payloadFlag, payloadText, payloadRecords } from 'src/couriers/payload-text';

describe('payloadText', () => {
  it('reads strings and finite numbers as String() does', () => {
    fc.assert(fc.property(fc.string(), (s) => payloadText(s) === s));
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => payloadText(n) === String(n)),
    );
    expect(payloadText(0)).toBe('0');
    expect(payloadText(150_000)).toBe('150000');
    expect(payloadText('')).toBe('');
  });

  it('spells out booleans and bigints', () => {
    expect(payloadText(true)).toBe('true');
    expect(payloadText(false)).toBe('false');
    expect(payloadText(12n)).toBe('12');
  });

  it('treats absent and wrongly shaped fields as the fallback', () => {
    for (const v of [undefined, null, {}, { a: 1 }, ['JKT'], NaN, Infinity, Symbol('x'), () => 'x'])
      expect(payloadText(v)).toBe('');
    expect(payloadText(undefined, 'EZ')).toBe('EZ');
    expect(payloadText({ code: 'REG' }, 'ID')).toBe('ID');
  });

  it('keeps a present value over the fallback, even an empty one', () => {
    expect(payloadText('', 'ID')).toBe('');
    expect(payloadText(3, 'x')).toBe('3');
  });
});

describe('payloadFlag', () => {
  it.each([
    [true, true],
    ['true', true],
    [' TRUE ', true],
    [1, true],
    ['1', true],
    ['yes', true],
    [false, false],
    ['false', false],
    [0, false],
    ['no', false],
    [undefined, undefined],
    [null, undefined],
    ['  ', undefined],
    [{ value: true }, undefined],
  ])('%j → %j', (value, flag) => {
    expect(payloadFlag(value)).toBe(flag);
  });
});

describe('texts cut to a courier field’s limit', () => {
  it('never end inside a character, and leave text within the limit alone', () => {
    expect(cutText('a😀😀', 2)).toBe('a');
    expect(cutText('a😀😀', 3)).toBe('a😀');
    expect(cutText('Budi Santoso', 4)).toBe('Budi');
    expect(cutText('Budi', 10)).toBe('Budi');
    expect(cutLine('  Jl.\n Tebet   Raya 😀😀 ', 16)).toBe('Jl. Tebet Raya ');
    expect(cutLine('  Jl.\n Tebet   Raya 😀😀 ', 17)).toBe('Jl. Tebet Raya 😀');
    for (let max = 1; max <= 12; max += 1) expect(cutText('x😀'.repeat(6), max)).not.toMatch(/\p{Cs}/u);
  });
});

describe('payloadRecords', () => {
  it('keeps the objects of a list and drops anything else; no list is an empty one', () => {
    const a = { code: 'D01' };
    const b = { code: 'U14' };
    expect(payloadRecords([null, a, 'x', 42, [], b, undefined, true])).toEqual([a, b]);
    for (const notAList of [undefined, null, 'history', 7, {}]) expect(payloadRecords(notAList)).toEqual([]);
  });

  it('reads a list PHP serialized as an object: one entry as itself, others keyed by index, in order', () => {
    const a = { code: 'D01' };
    const b = { code: 'IP3' };
    expect(payloadRecords(a)).toEqual([a]);
    expect(payloadRecords({ 1: b, 0: a })).toEqual([a, b]);
    expect(payloadRecords({ 10: b, 2: a, 3: 'x' })).toEqual([a, b]);
  });
});
