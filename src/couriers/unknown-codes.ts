import { Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { classifyStatusWords, WordsMeaning } from './status-words';

/** Distinct (courier, code) label pairs the counter keeps before it lumps new codes under `other`. */
export const MAX_UNMAPPED_LABELS = 500;
/** Codes are courier text (SAP and ID Express codes are phrases): a label keeps this many characters. */
const MAX_CODE_LENGTH = 64;

/**
 * `kirim_courier_unmapped_codes_total{courier,code}`: how often a courier answer carried a status code no
 * status table knows (every decoding counts, so a code seen on every poll of a parcel grows with the polls).
 * The adapters are plain classes without Nest's injector, so the counter lives here, process-wide, and the
 * couriers module registers it into MetricsService's registry (registerUnmappedCodeMetric).
 */
const METRIC = 'kirim_courier_unmapped_codes_total';
const unmappedCodes = new Counter({
  name: METRIC,
  help: 'Courier status codes no status table knows, by courier and code (at most 500 codes, then "other")',
  labelNames: ['courier', 'code'] as const,
  registers: [],
});

const labelled = new Set<string>();
const seen = new Set<string>();
const logger = new Logger('CourierStatus');

/** Adds the counter to a registry (once per registry: the couriers module calls it for its app's). */
export function registerUnmappedCodeMetric(registry: Registry): void {
  if (!registry.getSingleMetric(METRIC)) registry.registerMetric(unmappedCodes);
}

/** The code on one line, cut short. */
const shortCode = (code: string) => code.replace(/\s+/g, ' ').trim().slice(0, MAX_CODE_LENGTH) || '(empty)';

/** The code as a label: trimmed, cut short, and `other` once the label budget is spent. */
function codeLabel(courier: string, code: string): string {
  const label = shortCode(code);
  const key = `${courier}\u0000${label}`;
  if (labelled.has(key)) return label;
  if (labelled.size >= MAX_UNMAPPED_LABELS) return 'other';
  labelled.add(key);
  return label;
}

/**
 * A courier code no status table knows: counted every time, logged once per process. The event is kept
 * with its raw code and text, flagged `unmapped`, and given the status its words say, if any.
 */
export function reportUnknownCode(courier: string, code: string): void {
  const label = codeLabel(courier, code);
  unmappedCodes.inc({ courier, code: label });
  // Once per label, as counted: keyed by the whole code, the set grew with every new code for the life of
  // the process (a signed push may carry a thousand, each of any length), and each was logged whole.
  const key = `${courier}\u0000${label}`;
  if (seen.has(key)) return;
  seen.add(key);
  logger.warn(
    { courier, code: label === 'other' ? shortCode(code) : label },
    'unknown courier status code: kept raw, classified by its words',
  );
}

/**
 * The meaning of a line whose code no status table knows, or that carries none: read by its words
 * (status-words.ts). A code is counted and flagged `unmapped`; a line without one is not (there is no
 * code to list).
 */
export function unknownLine(
  courier: string,
  code: string,
  words: string,
): { meaning: WordsMeaning | null; unmapped?: true } {
  const meaning = classifyStatusWords(words);
  if (!code.trim()) return { meaning };
  reportUnknownCode(courier, code);
  return { meaning, unmapped: true };
}
