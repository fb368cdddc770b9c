import { Logger, LoggerService } from '@nestjs/common';

type Level = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

export interface CapturedLog {
  level: Level;
  /** The Logger's context (`new Logger('CourierStatus')`), when it has one. */
  context?: string;
  message: unknown;
  params: unknown[];
}

const captured: CapturedLog[] = [];

function capture(level: Level) {
  return (message: unknown, ...params: unknown[]) => {
    const last = params[params.length - 1];
    captured.push({ level, message, params, context: typeof last === 'string' ? last : undefined });
  };
}

const capturing: LoggerService = {
  log: capture('log'),
  error: capture('error'),
  warn: capture('warn'),
  debug: capture('debug'),
  verbose: capture('verbose'),
  fatal: capture('fatal'),
};

/**
 * What Nest's logger said during the current test. Outside an app (unit tests, adapters called
 * directly) Nest logs to the console; in tests that is noise that hides a failure in CI output, so it is
 * kept here instead (jest `setupFilesAfterEnv`), and a test that cares about a warning asserts on it.
 * Apps started by tests log through their own (silent) pino logger.
 */
export const nestLogs = {
  all: (): CapturedLog[] => [...captured],
  warnings: (context?: string): CapturedLog[] =>
    captured.filter((l) => l.level === 'warn' && (context === undefined || l.context === context)),
};

Logger.overrideLogger(capturing);
beforeEach(() => {
  captured.length = 0;
});
