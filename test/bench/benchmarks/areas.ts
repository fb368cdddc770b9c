import { validAddress } from '../../support/factories/sellers';
import { Benchmark, Figure, pairedRounds } from '../harness';

/** What sellers type, keystroke by keystroke included: rotated so the search sees many different queries. */
const QUERIES = [
  'te',
  'teb',
  'tebet',
  'tebet jaksel',
  'kebayoran baru',
  'kebayoran bru',
  'jaksel',
  'jakbar',
  'jkt pusat',
  'menteng jakpus',
  'kota bandung',
  'bandung',
  'sumur bandung',
  'kab. bogor',
  'cibinong bogr',
  'bogor',
  'sleman yogya',
  'jogja',
  'surabaya',
  'surbaya',
  'wonokromo sby',
  'serpong tangsel',
  'laweyan solo',
  'kuta badung',
  'medan',
  'makassar',
  'sukajadi',
  'kota baru',
];

/**
 * GET /v1/areas against GET /v1/addresses in the same run (paired rounds): the target is warm
 * area search at ≥ 50 % of the address list's requests/s. "warm" rotates the queries above (each answered
 * from the result cache after its first time, as repeated keystrokes are); "uncached" adds a number to
 * every query (numbers name no place, but the cache key differs), so every request runs the search.
 */
export const areas: Benchmark = {
  name: 'areas',
  description: 'GET /v1/areas search as you type, paired with GET /v1/addresses',
  async run(ctx) {
    const base = await ctx.startApp(await ctx.newDatabase());
    const signup = await fetch(`${base}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sellerName: 'Bench', email: 'bench@example.id', password: 'bench password 1' }),
    });
    const { accessToken } = (await signup.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    for (let i = 0; i < 10; i += 1) {
      await fetch(`${base}/v1/addresses`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(validAddress(`Gudang ${i}`)),
      });
    }
    let n = 0;
    const path =
      (unique: boolean) => (req: { headers?: Record<string, string>; body?: string; path?: string }) => {
        n += 1;
        const q = QUERIES[n % QUERIES.length] + (unique ? ` ${n}` : '');
        return { ...req, path: `/v1/areas?q=${encodeURIComponent(q)}&limit=10` };
      };
    for (const q of QUERIES) await fetch(`${base}/v1/areas?q=${encodeURIComponent(q)}&limit=10`, { headers });

    const addresses = async (durationSec: number) => {
      const r = await ctx.load({ url: `${base}/v1/addresses`, headers, durationSec });
      if (r.non2xx || r.errors) throw new Error(`areas bench: GET /v1/addresses had ${r.non2xx} non-2xx`);
      return r.requestsPerSec;
    };
    const search = (unique: boolean) => async (durationSec: number) => {
      const r = await ctx.load({
        url: `${base}/v1/areas?q=tebet`,
        headers,
        durationSec,
        setupRequest: path(unique),
      });
      if (r.non2xx || r.errors) throw new Error(`areas bench: GET /v1/areas had ${r.non2xx} non-2xx`);
      return r;
    };
    const figures: Figure[] = [];
    for (const [label, unique] of [
      ['warm', false],
      ['uncached', true],
    ] as const) {
      const paired = await pairedRounds(3, ctx.durationSec, addresses, search(unique));
      figures.push({
        name: `GET /v1/areas (${label})`,
        unit: 'req/s',
        value: paired.result.requestsPerSec,
        p50Ms: paired.result.p50Ms,
        p99Ms: paired.result.p99Ms,
        note: `${paired.median.toFixed(0)} % of GET /v1/addresses in the same rounds (${paired.ratios.map((r) => r.toFixed(0)).join(', ')} %)`,
      });
    }
    return figures;
  },
};
