import { Session } from 'node:inspector/promises';
import { writeFileSync, mkdtempSync, chmodSync } from 'node:fs';
import { CourierRegistry } from 'src/couriers/courier-registry';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { startTestApp } from './test/support/test-app';
import { createTestDatabase } from './test/support/test-db';
import { startEmbeddedPostgres } from 'src/database/embedded-postgres';
import { quoteTo, jakarta, order } from './test/integration/couriers/fixtures';
(async () => {
  const dir = mkdtempSync('/tmp/cb-'); chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres' });
  process.env.KIRIM_TEST_PG_URL = pg.url;
  const t = await startTestApp({}, await createTestDatabase(null));
  const reg = t.app.get(CourierRegistry);
  const n = Number(process.env.N ?? 500);
  const session = new Session(); session.connect();
  const awbs: Record<string, string> = {};
  for (const c of COURIER_CODES) {
    const q = await reg.get(c).quote(quoteTo(jakarta));
    awbs[c] = (await reg.get(c).createOrder(order(q[0].service))).awb;
  }
  const only = process.env.ONLY;
  for (const round of [0, 1]) {
    if (round === 1 && process.env.PROF) { await session.post('Profiler.enable'); await session.post('Profiler.start'); }
    for (const c of COURIER_CODES) for (const what of (process.env.WHAT ? [process.env.WHAT] : ['quote', 'track'])) {
      if (only && only !== c) continue;
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++)
        if (what === 'quote') await reg.get(c).quote(quoteTo(jakarta, 150_000, 1000 + (i % 7) * 1000)); else await reg.get(c).track([awbs[c]]);
      const cu = process.cpuUsage(c0);
      if (round) console.log(c, what, 'cpu µs per op', ((cu.user + cu.system) / n).toFixed(0), 'sys', (cu.system / n).toFixed(0));
    }
  }
  if (process.env.PROF) { const { profile } = await session.post('Profiler.stop'); writeFileSync('/tmp/cb2.cpuprofile', JSON.stringify(profile)); }
  await t.close(); await pg.stop();
  process.exit(0);
})();
