import fc from 'fast-check';
import { ValidationFailedError } from 'src/common/errors/app-error';
import { decodeCursor, encodeCursor, toPage } from 'src/common/pagination';

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
    const rows = [3, 2, 1].map((n) => ({ createdAt: new Date(n * 1000), id: `id-${n}` }));
    const page = toPage(rows, 2, (r) => r.id);
    expect(page.items).toEqual(['id-3', 'id-2']);
    expect(decodeCursor(page.nextCursor!)).toEqual({ createdAt: new Date(2000), id: 'id-2' });
    expect(toPage(rows, 3, (r) => r.id).nextCursor).toBeNull();
  });
});
