import { useMemo, useRef } from 'react';
import { outcomeUnknown } from './errors';

/**
 * A fresh `Idempotency-Key` for one press of a button that creates something, so a retried request is
 * answered with the first one's result instead of doing it twice.
 */
export function idempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The Idempotency-Key of what a form is creating; `settle` after each request. */
export interface FormIdempotencyKey {
  readonly current: string;
  /**
   * After a request: a new key once the API answered (done, or refused and to be corrected), the same one
   * while its outcome is unknown, so pressing again is answered with the first request's result rather
   * than doing it twice (a withdrawal paid out twice).
   */
  settle(error?: unknown): void;
}

export function useIdempotencyKey(): FormIdempotencyKey {
  const key = useRef(idempotencyKey());
  return useMemo(
    () => ({
      get current() {
        return key.current;
      },
      settle(error?: unknown) {
        if (!outcomeUnknown(error)) key.current = idempotencyKey();
      },
    }),
    [],
  );
}
