import type { TrackResult } from './courier-adapter';

const PARALLELISM = 4;

/**
 * Tracking for couriers without a batch endpoint: one call per airway bill, a few at a time (so one
 * batch neither crawls nor floods the courier), results in the order asked.
 */
export async function trackEach(
  awbs: string[],
  trackOne: (awb: string) => Promise<TrackResult>,
  parallelism = PARALLELISM,
): Promise<TrackResult[]> {
  const results = new Array<TrackResult>(awbs.length);
  let next = 0;
  const worker = async () => {
    while (next < awbs.length) {
      const i = next++;
      results[i] = await trackOne(awbs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, awbs.length) }, worker));
  return results;
}
