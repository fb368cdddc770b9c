import fc from 'fast-check';
import { ValidationFailedError } from 'src/common/errors/app-error';
import {
  decodeCursor,
  decodeKeyset,
  encodeCursor,
  encodeKeyset,
  toKeysetPage,
  toPage,
} from 'src/common/pagination';

describe('cursors', () => {
  it('round-trip any position', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.uuid(),
        (createdAt, id) => {
          const back = decodeCursor(encodeCursor({ createdAt, id }));
          return back.createdAt.getTime() === createdAt.getTime() && back.id === id;
        },
      ),
    );
  });

  it.each([
    'garbage',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["not a date","x"]').toString('base64url'),
    // A well-formed time with an id that is not a UUID, and a time PostgreSQL cannot read: were 500s.
    Buffer.from('["2026-12-07T22:12:12.832Z","zzz"]').toString('base64url'),
    Buffer.from('["-200000-01-01T00:00:00.000Z","4d4da120-1097-493e-95d6-fa789223bdd2"]').toString(
      'base64url',
    ),
    Buffer.from('["2026-12-07T22:12:12.832Z","4d4da120-1097-493e-95d6-fa789223bdd2",1]').toString(
      'base64url',
    ),
    '',
  ])('rejects %j naming the cursor field', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ValidationFailedError);
    try {
      decodeCursor(cursor);
    } catch (e) {
      expect((e as ValidationFailedError).details).toEqual([
        { field: 'cursor', message: 'is not a valid cursor' },
      ]);
    }
  });

  it('toPage keeps `limit` rows and points the cursor at the last one kept', () => {
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n * 1000), id: id(n) }));
    const page = toPage(rows, 2, (r) => r.id);
    expect(page.items).toEqual([id(3), id(2)]);
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAt: new Date(2000), id: id(2) });
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull();
  });
});

describe('keyset cursors of any order', () => {
  it('round-trip their sort values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.uuid(),
        (rank, at, id) => {
          const back = decodeKeyset(encodeKeyset('o', [rank, at, id]), 'o', ['int', 'date', 'uuid']);
          expect(back).toEqual([rank, at, id]);
        },
      ),
    );
  });

  const id = '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60';
  it.each([
    ['another order', encodeKeyset('other', [1, new Date(0), id])],
    ['too few values', encodeKeyset('o', [1, new Date(0)])],
    ['a fraction', encodeKeyset('o', [1.5, new Date(0), id])],
    ['an id that is no uuid', encodeKeyset('o', [1, new Date(0), "x' OR 1=1"])],
    ['a date PostgreSQL would not read', encodeKeyset('o', [1, '+275760-09-13T00:00:00.000Z', id])],
    ['year zero', encodeKeyset('o', [1, '0000-01-01T00:00:00.000Z', id])],
    ['not JSON', 'garbage'],
    ['empty', ''],
  ])('rejects %s, naming the cursor field', (_what, cursor) => {
    try {
      decodeKeyset(cursor, 'o', ['int', 'date', 'uuid']);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailedError);
      expect((e as ValidationFailedError).details).toEqual([
        { field: 'cursor', message: 'is not a valid cursor' },
      ]);
    }
  });

  it('toKeysetPage points the cursor at the last row kept', () => {
    const rows = [9, 8, 7].map((n) => ({ n }));
    const page = toKeysetPage(
      rows,
      2,
      (r) => r.n,
      'o',
      (r) => [r.n],
    );
    expect(page.items).toEqual([9, 8]);
    expect(decodeKeyset(page.nextCursor!, 'o', ['int'])).toEqual([8]);
    expect(
      toKeysetPage(
        rows,
        3,
        (r) => r.n,
        'o',
        (r) => [r.n],
      ).nextCursor,
    ).toBeNull();
  });
});
