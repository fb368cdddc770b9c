import { UploadSlots, UploadsBusyError } from 'src/common/upload-slots';

const seller = (id: string) => ({ key: `seller:${id}`, seller: true });
const staff = (id: string) => ({ key: `user:${id}`, seller: false });

describe('UploadSlots', () => {
  it('takes half the pool in all, at least one, and keeps one for staff when there are two or more', () => {
    expect([10, 3, 2, 1].map((pool) => UploadSlots.forPool(pool).inAll)).toEqual([5, 1, 1, 1]);
    expect(UploadSlots.forPool(10).forSellers).toBe(4);
    expect(UploadSlots.forPool(4).forSellers).toBe(1);
    expect(UploadSlots.forPool(1).forSellers).toBe(1);
  });

  it('refuses an account past its own, sellers past theirs, anyone past the instance, and frees each slot once', () => {
    const slots = new UploadSlots(4, 2);
    slots.take(seller('a'));
    slots.take(seller('a'));
    expect(() => slots.take(seller('a'))).toThrow(/already has 2 uploads/);
    slots.take(seller('b'));
    expect(() => slots.take(seller('c'))).toThrow(UploadsBusyError);
    expect(() => slots.take(seller('c'))).toThrow(/^Too many uploads/);
    slots.take(staff('f'));
    expect(() => slots.take(staff('g'))).toThrow(/^Too many uploads/);
    expect(slots.taken).toBe(4);
    slots.giveBack(staff('f'));
    // The staff slot freed is still not the sellers'.
    expect(() => slots.take(seller('c'))).toThrow(/^Too many uploads/);
    slots.giveBack(seller('a'));
    slots.take(seller('c'));
    slots.giveBack(seller('a'));
    slots.giveBack(seller('b'));
    slots.giveBack(seller('c'));
    expect(slots.taken).toBe(0);
    expect(() => slots.giveBack(seller('a'))).toThrow(/did not hold/);
    expect(slots.taken).toBe(0);
  });

  it('lets sellers and staff share the only slot of a pool of one or two', () => {
    const slots = UploadSlots.forPool(2);
    slots.take(seller('a'));
    expect(() => slots.take(staff('f'))).toThrow(/^Too many uploads/);
    slots.giveBack(seller('a'));
    slots.take(staff('f'));
    expect(slots.taken).toBe(1);
  });
});
