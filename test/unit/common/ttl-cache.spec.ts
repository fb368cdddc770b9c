import { TtlCache } from 'src/common/ttl-cache';

describe('TtlCache', () => {
  it('serves a value until its TTL has passed, then loads again', async () => {
    let now = 1000;
    const cache = new TtlCache<string, number>(20, 10_000, () => now);
    let loads = 0;
    const load = () => Promise.resolve(++loads);
    expect(await cache.getOr('k', load)).toBe(1);
    now += 19;
    expect(await cache.getOr('k', load)).toBe(1);
    now += 1;
    expect(await cache.getOr('k', load)).toBe(2);
    expect(cache.get('k')).toBe(2);
    now += 20;
    expect(cache.get('k')).toBeUndefined();
  });

  it('does not keep null or undefined (absence is not cached by getOr)', async () => {
    const cache = new TtlCache<string, number | null>(10_000);
    let loads = 0;
    await cache.getOr('k', () => Promise.resolve((loads++, null)));
    await cache.getOr('k', () => Promise.resolve((loads++, null)));
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

  it('drops expired entries as new ones come, so keys never asked again do not pile up to the limit', () => {
    let now = 0;
    const cache = new TtlCache<number, string>(100, 10_000, () => now);
    for (let i = 0; i < 1000; i += 1) {
      cache.set(i, `v${i}`);
      now += 1;
    }
    // One TTL's worth was live at the last set (set at 900…999); everything older went as later ones came.
    expect(cache.size).toBe(100);
    expect(cache.get(900)).toBeUndefined(); // expired as the clock reached 1000
    expect(cache.get(901)).toBe('v901');
    // A key set again moves to the back: it outlives the keys set once before it.
    cache.set(950, 'again');
    now += 60;
    cache.set(2000, 'new');
    expect([cache.get(960), cache.get(961), cache.get(950)]).toEqual([undefined, 'v961', 'again']);
  });

  it('does not keep what a load read while a writer deleted the key (the old value, read before the commit)', async () => {
    const cache = new TtlCache<string, string>(10_000);
    let answer!: (v: string) => void;
    const reading = cache.getOr('settings', () => new Promise<string>((resolve) => (answer = resolve)));
    cache.delete('settings'); // the writer commits and drops the key while the read is under way
    answer('old');
    expect(await reading).toBe('old'); // that caller gets what it read…
    expect(cache.get('settings')).toBeUndefined(); // …but it is not served to anyone after the change
    expect(await cache.getOr('settings', () => Promise.resolve('new'))).toBe('new');
    expect(cache.get('settings')).toBe('new');
  });

  it('drops by value the entries a key does not name, and a load running meanwhile is not kept', async () => {
    const cache = new TtlCache<string, { id: string }>(10_000);
    cache.set('hash-a', { id: 'a' });
    cache.set('hash-b', { id: 'b' });
    let finish!: (v: { id: string }) => void;
    const loading = cache.getOr('hash-c', () => new Promise((r) => (finish = r)));
    cache.deleteWhere((k) => k.id === 'a');
    finish({ id: 'c' });
    expect(await loading).toEqual({ id: 'c' });
    expect(cache.keys()).toEqual(['hash-b']);
  });
});
