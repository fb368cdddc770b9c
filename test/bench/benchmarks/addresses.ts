import { validAddress } from '../../support/factories/sellers';
import { Benchmark } from '../harness';

/** POST /v1/addresses: JWT auth (user looked up), validation and normalization, one insert. */
export const addresses: Benchmark = {
  name: 'addresses',
  description: 'POST /v1/addresses (auth + validation + one insert)',
  async run(ctx) {
    const base = await ctx.startApp(await ctx.newDatabase());
    const signup = await fetch(`${base}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sellerName: 'Bench', email: 'bench@example.id', password: 'bench password 1' }),
    });
    const { accessToken } = (await signup.json()) as { accessToken: string };
    const r = await ctx.load({
      url: `${base}/v1/addresses`,
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(validAddress()),
    });
    if (r.non2xx || r.errors) throw new Error(`addresses bench: ${r.non2xx} non-2xx and ${r.errors} errors`);
    return [
      { name: 'POST /v1/addresses', unit: 'req/s', value: r.requestsPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms },
    ];
  },
};
