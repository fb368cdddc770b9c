import { Logger } from '@nestjs/common';

const seen = new Set<string>();
const logger = new Logger('CourierStatus');

/** Logs a courier code no status table knows, once per process; the event is kept raw and changes nothing. */
export function reportUnknownCode(courier: string, code: string): void {
  const key = `${courier}:${code}`;
  if (seen.has(key)) return;
  seen.add(key);
  logger.warn({ courier, code }, 'unknown courier status code: kept raw, no status change');
}
