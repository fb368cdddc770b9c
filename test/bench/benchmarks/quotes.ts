import { validAddress } from '../../support/factories/sellers';
import { Benchmark } from '../harness';

/** POST /v1/quotes with the rate cache warm (target ≥ 30 % of the bare-Fastify baseline). */
export const quotes: Benchmark = {
  name: 'quotes',
  description: 'POST /v1/quotes, warm (auth + address + statistics + ranking 12 services, no courier call)',
  async run(ctx) {
    const base = await ctx.startApp(await ctx.newDatabase());
    const signup = await fetch(`${base}/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sellerName: 'Bench', email: 'quotes@example.id', password: 'bench password 1' }),
    });
    const { accessToken } = (await signup.json()) as { accessToken: string };
    const address = await fetch(`${base}/v1/addresses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(validAddress()),
    });
    const { id } = (await address.json()) as { id: string };
    const body = JSON.stringify({
      originAddressId: id,
      destination: {
        district: 'Menteng',
        city: 'Jakarta Pusat',
        province: 'DKI Jakarta',
        postalCode: '10340',
      },
      parcel: { weightGrams: 1200 },
      codAmount: 150_000,
    });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` };
    const warm = await fetch(`${base}/v1/quotes`, { method: 'POST', headers, body });
    if (warm.status !== 200) throw new Error(`quote answered ${warm.status}`);
    const paired = await ctx.paired('bare Fastify', (durationSec) =>
      ctx.load({
        url: `${base}/v1/quotes`,
        method: 'POST',
        headers: { authorization: headers.authorization },
        body,
        durationSec,
      }),
    );
    const r = paired.result;
    if (r.non2xx || r.errors) throw new Error(`quotes bench: ${r.non2xx} non-2xx and ${r.errors} errors`);
    // The same route and rates, but a COD amount never asked before on every request: the ranking is made
    // afresh each time (nothing reused but the cached rates and statistics).
    let cod = 100_000;
    const fresh = await ctx.load({
      url: `${base}/v1/quotes`,
      method: 'POST',
      headers: { authorization: headers.authorization },
      setupRequest: (req) => ({
        ...req,
        body: body.replace('"codAmount":150000', `"codAmount":${(cod += 1)}`),
      }),
    });
    if (fresh.non2xx || fresh.errors)
      throw new Error(`quotes bench (fresh rankings): ${fresh.non2xx} non-2xx and ${fresh.errors} errors`);
    return [
      {
        name: 'POST /v1/quotes (warm, same quote again)',
        unit: 'req/s',
        value: r.requestsPerSec,
        p50Ms: r.p50Ms,
        p99Ms: r.p99Ms,
        note: `paired with bare Fastify round by round: median ${paired.median.toFixed(1)} % (rounds ${paired.ratios.map((x) => x.toFixed(1)).join(', ')}); target ≥ 30 % of bare Fastify`,
      },
      {
        name: 'POST /v1/quotes (warm rates, new COD amount each time)',
        unit: 'req/s',
        value: fresh.requestsPerSec,
        p50Ms: fresh.p50Ms,
        p99Ms: fresh.p99Ms,
        note: 'ranking made afresh per request',
      },
    ];
  },
};
