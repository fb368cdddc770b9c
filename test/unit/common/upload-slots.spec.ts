import { UploadSlots, UploadsBusyError } from 'src/common/upload-slots';

describe('UploadSlots', () => {
  it('takes half the pool in all, at least one', () => {
    expect(UploadSlots.forPool(10).inAll).toBe(5);
    expect(UploadSlots.forPool(3).inAll).toBe(1);
    expect(UploadSlots.forPool(1).inAll).toBe(1);
  });

  it('refuses a caller past its own, then anyone past the instance, and frees each slot once', () => {
    const slots = new UploadSlots(3, 2);
    slots.take('a');
    slots.take('a');
    expect(() => slots.take('a')).toThrow(/You already have 2 uploads/);
    slots.take('b');
    expect(() => slots.take('c')).toThrow(UploadsBusyError);
    expect(() => slots.take('c')).toThrow(/^Too many uploads/);
    expect(slots.taken).toBe(3);
    slots.giveBack('a');
    slots.take('c');
    slots.giveBack('a');
    slots.giveBack('b');
    slots.giveBack('c');
    expect(slots.taken).toBe(0);
    expect(() => slots.giveBack('a')).toThrow(/did not hold/);
    expect(slots.taken).toBe(0);
  });
});
