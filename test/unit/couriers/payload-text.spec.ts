import fc from 'fast-check';
import { payloadText } from 'src/couriers/payload-text';

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
