import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import defaultWorld from './worlds/default.json';

/**
 * The sandbox world file (docs/sandbox-world.md): the DISTRIBUTIONS the seed draws the hidden courier world
 * from — not per-lane tables — so a world nobody tuned for is another file or another seed. Parsed and
 * validated here because SANDBOX_WORLD_FILE is read at start-up like every other setting; the model that
 * draws lanes from it is src/couriers/sandbox/world-model.ts.
 */
export interface WorldFile {
  version: 1;
  /** Per courier: its national base odds before any lane deviation. */
  couriers: Record<WorldCourier, CourierBase>;
  /** Standard deviations, in log-odds, of each courier's seeded deviation per island group, province and regency. */
  lanes: { islandGroupSpread: number; provinceSpread: number; regencySpread: number };
  transit: {
    /** Chance a lane's parcel runs late: median over lanes, its log-odds spread, and a cap. */
    lateChance: { median: number; spread: number; max: number };
    /** Days a late parcel runs over its SLA, uniform whole days. */
    lateDays: { min: number; max: number };
    /** Long tails: a share of lanes where a parcel, with `chance`, runs minDays–maxDays extra days. */
    tail: { laneShare: number; chance: number; minDays: number; maxDays: number };
  };
  pickups: {
    /** Log spread of a courier's pickup miss per origin regency, the share of bad origins and their factor, a cap. */
    originSpread: number;
    badOriginShare: number;
    badOriginFactor: number;
    max: number;
  };
  recipients: {
    refuserShare: number;
    refuserRefusesCod: number;
    hardToReachShare: number;
    hardToReachPenalty: number;
  };
  actions: { reattemptConfirmed: number };
  /** Explicit lanes: these odds replace the drawn ones for `courier` to a regency ("35.78") or province ("35"). */
  overrides: WorldOverride[];
}

export type WorldCourier = 'jne' | 'jnt' | 'sap' | 'ninja' | 'idexpress';
export const WORLD_COURIERS: readonly WorldCourier[] = ['jne', 'jnt', 'sap', 'ninja', 'idexpress'];

export interface CourierBase {
  firstAttempt: number;
  reattempt: number;
  maxAttempts: number;
  pickupMiss: number;
}

export interface WorldOverride {
  courier: WorldCourier;
  /** A regency code ("35.78") or a province code ("35"); a regency's override wins over its province's. */
  area: string;
  firstAttempt: number;
  reattempt: number;
}

/** A number field's accepted range (inclusive) and whether it must be whole. */
type Range = [min: number, max: number, integer?: boolean];
const CHANCE: Range = [0, 1];
const SPREAD: Range = [0, 3];
const COURIER_FIELDS: Record<keyof CourierBase, Range> = {
  firstAttempt: [0.01, 0.99],
  reattempt: [0, 0.99],
  maxAttempts: [1, 5, true],
  pickupMiss: [0, 0.9],
};
const SECTIONS: Record<string, Record<string, Range | Record<string, Range>>> = {
  lanes: { islandGroupSpread: SPREAD, provinceSpread: SPREAD, regencySpread: SPREAD },
  transit: {
    lateChance: { median: [0, 0.9], spread: SPREAD, max: CHANCE },
    lateDays: { min: [0, 30, true], max: [0, 30, true] },
    tail: { laneShare: CHANCE, chance: CHANCE, minDays: [0, 60, true], maxDays: [0, 60, true] },
  },
  pickups: { originSpread: SPREAD, badOriginShare: CHANCE, badOriginFactor: [1, 50], max: [0, 0.95] },
  recipients: {
    refuserShare: [0, 0.5],
    refuserRefusesCod: CHANCE,
    hardToReachShare: [0, 0.5],
    hardToReachPenalty: [0, 0.9],
  },
  actions: { reattemptConfirmed: [0, 0.9] },
};

/** A world file that is not one: `field` is the JSON path of the first offending field. */
export class WorldFileError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'WorldFileError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, path: string, keys: string[]): Record<string, unknown> {
  if (!isObject(v)) throw new WorldFileError(path, 'must be an object');
  for (const k of keys) if (!(k in v)) throw new WorldFileError(`${path}.${k}`, 'is missing');
  const unknown = Object.keys(v).find((k) => !keys.includes(k) && k !== '$comment');
  if (unknown) throw new WorldFileError(`${path}.${unknown}`, 'is not a world file field');
  return v;
}

function number(v: unknown, path: string, [min, max, integer]: Range): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WorldFileError(path, 'must be a number');
  if (integer && !Number.isInteger(v)) throw new WorldFileError(path, 'must be a whole number');
  if (v < min || v > max) throw new WorldFileError(path, `must be between ${min} and ${max}`);
  return v;
}

function section(v: unknown, path: string, spec: Record<string, Range | Record<string, Range>>) {
  const o = object(v, path, Object.keys(spec));
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(spec))
    out[k] = Array.isArray(s) ? number(o[k], `${path}.${k}`, s) : section(o[k], `${path}.${k}`, s);
  return out;
}

let directoryAreas: ReadonlySet<string> | null = null;

/**
 * The province ("35") and regency ("35.78") codes of the area directory: the pinned `idn-area-data` regencies
 * the service's directory and the sandbox's places are loaded from (each row's code and its province's).
 */
function areaCodes(): ReadonlySet<string> {
  if (directoryAreas) return directoryAreas;
  const file = join(dirname(require.resolve('idn-area-data/package.json')), 'data', 'regencies.csv');
  const codes = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/).slice(1)) {
    const [code, province] = line.split(',');
    if (code && province) codes.add(code.trim()).add(province.trim());
  }
  return (directoryAreas = codes);
}

/**
 * Validates a parsed world file and returns it typed (unknown fields refused, `$comment` allowed anywhere).
 * An override must name a province or regency of the directory, once per courier: one for a place no lane
 * goes to, or repeated (only the first is used), would change nothing and is refused rather than ignored.
 * @throws WorldFileError naming the JSON path of the first bad field (e.g. `couriers.jne.firstAttempt`).
 */
export function parseWorldFile(json: unknown): WorldFile {
  const root = object(json, '$', ['version', 'couriers', ...Object.keys(SECTIONS), 'overrides']);
  if (root.version !== 1) throw new WorldFileError('version', 'must be 1');
  const couriers = object(root.couriers, 'couriers', [...WORLD_COURIERS]);
  const bases = {} as Record<WorldCourier, CourierBase>;
  for (const c of WORLD_COURIERS)
    bases[c] = section(couriers[c], `couriers.${c}`, COURIER_FIELDS) as unknown as CourierBase;
  const parsed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SECTIONS)) parsed[name] = section(root[name], name, spec);
  const transit = parsed.transit as WorldFile['transit'];
  if (transit.lateDays.min > transit.lateDays.max)
    throw new WorldFileError('transit.lateDays.min', 'must not exceed transit.lateDays.max');
  if (transit.tail.minDays > transit.tail.maxDays)
    throw new WorldFileError('transit.tail.minDays', 'must not exceed transit.tail.maxDays');
  if (!Array.isArray(root.overrides)) throw new WorldFileError('overrides', 'must be an array');
  // Each courier and area's first override, by index.
  const seen = new Map<string, number>();
  const overrides = root.overrides.map((o, i) => {
    const path = `overrides[${i}]`;
    const x = object(o, path, ['courier', 'area', 'firstAttempt', 'reattempt']);
    if (!WORLD_COURIERS.includes(x.courier as WorldCourier))
      throw new WorldFileError(`${path}.courier`, `must be one of ${WORLD_COURIERS.join(', ')}`);
    if (typeof x.area !== 'string' || !/^\d{2}(\.\d{2})?$/.test(x.area))
      throw new WorldFileError(`${path}.area`, 'must be a province code ("35") or a regency code ("35.78")');
    if (!areaCodes().has(x.area))
      throw new WorldFileError(`${path}.area`, `no province or regency "${x.area}" in the area directory`);
    const lane = `${String(x.courier)} to ${x.area}`;
    const first = seen.get(lane);
    if (first !== undefined) throw new WorldFileError(path, `repeats overrides[${first}] (${lane})`);
    seen.set(lane, i);
    return {
      courier: x.courier as WorldCourier,
      area: x.area,
      firstAttempt: number(x.firstAttempt, `${path}.firstAttempt`, CHANCE),
      reattempt: number(x.reattempt, `${path}.reattempt`, CHANCE),
    };
  });
  return {
    version: 1,
    couriers: bases,
    ...(parsed as Omit<WorldFile, 'version' | 'couriers' | 'overrides'>),
    overrides,
  };
}

/** A world file is a page of JSON (the default is about 1 kB); anything far larger is the wrong file. */
export const MAX_WORLD_FILE_BYTES = 1024 * 1024;

/**
 * Reads and validates a world file.
 * @throws WorldFileError (field `$` when unreadable, no regular file, over MAX_WORLD_FILE_BYTES or not JSON)
 */
export function readWorldFile(path: string): WorldFile {
  let text: string;
  let fd: number | undefined;
  try {
    // Read through one descriptor up to the limit: a device such as /dev/zero or a pipe states no size and
    // would be read without end.
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) throw new WorldFileError('$', 'is not a regular file');
    const buffer = Buffer.alloc(MAX_WORLD_FILE_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_WORLD_FILE_BYTES)
      throw new WorldFileError('$', `is larger than ${MAX_WORLD_FILE_BYTES} bytes: not a world file`);
    text = buffer.toString('utf8', 0, length);
  } catch (e) {
    if (e instanceof WorldFileError) throw e;
    throw new WorldFileError('$', `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WorldFileError('$', `is not JSON (${(e as Error).message})`);
  }
  return parseWorldFile(json);
}

/** The default world (config/worlds/default.json), used when SANDBOX_WORLD_FILE is not set. */
export function defaultWorldFile(): WorldFile {
  return parseWorldFile(structuredClone(defaultWorld));
}
