import { defaults } from 'config/defaults';
import { COURIER_CODES } from 'src/couriers/courier-adapter';
import { Candidate, rankCandidates, ScoreContext } from 'src/scoring/scoring.model';
import { Benchmark } from '../harness';

/** One shipment's candidates: every service of every courier (13), with varied terms. */
function candidates(): Candidate[] {
  return COURIER_CODES.flatMap((courier, ci) =>
    defaults.couriers.catalogue[courier].services.map((s, si) => ({
      courier,
      service: s.code,
      serviceName: s.name,
      price: 9000 + ci * 1500 + si * 4000,
      codFee: s.cod ? 4500 + ci * 100 : 0,
      cashback: 900 + ci * 50,
      returnFee: 9000 + ci * 1000,
      failureRate: 0.05 + ci * 0.03 + si * 0.01,
      pickupFailureRate: 0.01 + si * 0.005,
      transitDays: { p50: 1 + si + (ci % 2), p90: 2 + si + ci },
      ...(s.cod ? {} : { ineligibleReason: 'cod_not_supported' as const }),
    })),
  );
}

/** Ranking one shipment across every courier service, in process, on one core (target ≥ 100,000/s). */
export const ranking: Benchmark = {
  name: 'ranking',
  description: 'ranking one shipment across all courier services in process (one core)',
  run(ctx) {
    const cs = candidates();
    const context: ScoreContext = {
      weights: defaults.scoring.presets.balanced,
      lostMarginPerFailure: 15_000,
      pickupFailureCost: 10_000,
    };
    for (let i = 0; i < 20_000; i += 1) rankCandidates(cs, context); // warm up the JIT
    let n = 0;
    let sink = 0;
    const started = performance.now();
    const until = started + ctx.durationSec * 1000;
    while (performance.now() < until) {
      for (let i = 0; i < 1000; i += 1) sink += rankCandidates(cs, context).winner!.score;
      n += 1000;
    }
    const seconds = (performance.now() - started) / 1000;
    if (!sink) throw new Error('no winner');
    return Promise.resolve([
      {
        name: `rank ${cs.length} services (balanced preset)`,
        unit: 'ops/s',
        value: n / seconds,
        note: 'target ≥ 100,000 rankings/s',
      },
    ]);
  },
};
