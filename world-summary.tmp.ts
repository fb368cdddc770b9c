import { readFileSync } from 'node:fs';
import { defaultWorldFile, worldSummary } from 'src/couriers/sandbox/world-model';
const codes = readFileSync('node_modules/idn-area-data/data/regencies.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
for (const seed of (process.argv[2] ?? 'kirim-sandbox,a,b').split(',')) {
  const s = worldSummary(defaultWorldFile(), seed, '32.73', codes);
  console.log(seed, 'best', s.best.toFixed(3), 'avg', s.average.toFixed(3), 'worst5%', s.worstLanes.toFixed(3));
  for (const c of s.couriers) console.log('  ', c.courier, c.delivered.toFixed(3), c.bestShare.toFixed(3), c.firstAttempt.min.toFixed(2), c.firstAttempt.max.toFixed(2));
}
