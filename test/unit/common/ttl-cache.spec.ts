import { TtlCache } from 'src/common/ttl-cache';

describe('TtlCache', () => {
  it('serves a value until it expires, then loads again', async () => {
    const cache = new TtlCache<string, number>(20);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.getOr('k', load)).toBe(1);
    expect(await cache.getOr('k', load)).toBe(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(await cache.getOr('k', load)).toBe(2);
  });

  it('does not keep null or undefined (absence is not cached by getOr)', async () => {
    const cache = new TtlCache<string, number | null>(10_000);
    let loads = 0;
    await cache.getOr('k', async () => (loads++, null));
    await cache.getOr('k', async () => (loads++, null));
    expect(loads).toBe(2);
  });

  it('drops a deleted key and the oldest entry when full', () => {
    const cache = new TtlCache<string, number>(10_000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
  });
});
