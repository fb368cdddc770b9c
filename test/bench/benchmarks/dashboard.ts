import { Benchmark } from '../harness';

/* eslint-disable @typescript-eslint/no-require-imports -- the build's own CommonJS size check */
const { dashboardSizes } = require('../../../config/dashboard-size.cjs') as {
  dashboardSizes: () => {
    firstPageJsGzipBytes: number;
    budgetBytes: number;
    firstPageCss: { gzipBytes: number }[];
  };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const kb = (bytes: number) => bytes / 1024;

/**
 * The dashboard's first page: the gzipped JavaScript it loads (budget 200 KB, issue 11; the same check as
 * `npm run dashboard:size`) and how fast the app serves its index.html.
 */
export const dashboard: Benchmark = {
  name: 'dashboard',
  description: 'The dashboard: first-page JavaScript (gzipped) and GET / (index.html)',
  async run(ctx) {
    const sizes = dashboardSizes();
    const css = sizes.firstPageCss.reduce((sum, f) => sum + f.gzipBytes, 0);
    const base = await ctx.startApp(await ctx.newDatabase());
    const r = await ctx.load({ url: `${base}/`, headers: { accept: 'text/html' } });
    if (r.non2xx || r.errors) throw new Error(`dashboard bench: ${r.non2xx} non-2xx and ${r.errors} errors`);
    return [
      {
        name: 'first page JavaScript, gzipped',
        unit: 'KB',
        value: kb(sizes.firstPageJsGzipBytes),
        note: `budget ${kb(sizes.budgetBytes)} KB; CSS ${kb(css).toFixed(1)} KB`,
      },
      { name: 'GET / (index.html)', unit: 'req/s', value: r.requestsPerSec, p50Ms: r.p50Ms, p99Ms: r.p99Ms },
    ];
  },
};
