import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { failureText, fieldErrorText } from '../i18n/api-messages';
import { useI18n } from '../i18n/i18n-context';

export type Loaded<T> =
  { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/**
 * Loads data for a page: `load` runs on mount and whenever `deps` change; `reload` runs it again (the
 * error state's retry button). A stale answer (deps changed meanwhile) is dropped.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
): Loaded<T> & { reload: () => void; refresh: () => void; refreshFailed: unknown } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  /** Why the last refresh failed (what is shown is then older than it should be); undefined once one works. */
  const [refreshFailed, setRefreshFailed] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  /** Bumped as what is loaded changes: a refresh started before answers nothing after. */
  const generation = useRef(0);
  useEffect(() => {
    generation.current += 1;
    let current = true;
    setRefreshFailed(undefined);
    setState((s) => (s.status === 'loading' ? s : { status: 'loading' }));
    load().then(
      (data) => current && setState({ status: 'ready', data }),
      (error: unknown) => current && setState({ status: 'error', error }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names what `load` depends on
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // Loads again with what is shown left in place (typed text, a message beside it): a failure keeps it.
  /** Refreshes started so far: one overtaken by a later refresh answers nothing (its figures are older). */
  const refreshes = useRef(0);
  const refresh = useCallback(() => {
    const started = generation.current;
    const nth = ++refreshes.current;
    const current = () => generation.current === started && refreshes.current === nth;
    latest.current().then(
      (data) => {
        if (!current()) return;
        setRefreshFailed(undefined);
        setState({ status: 'ready', data });
      },
      // Said beside what is shown (StaleNotice): kept silent, a page could show a status an action had ended.
      (error: unknown) => {
        if (current()) setRefreshFailed(error ?? new Error('refresh failed'));
      },
    );
  }, []);
  return { ...state, reload, refresh, refreshFailed };
}

/** The message to show for a failed request: the API's, in the reader's language where known, or the network's. */
export function useErrorMessage(): (error: unknown) => string {
  const { t, language } = useI18n();
  return (error) => {
    const said = failureText(language, error);
    return 'key' in said ? t(said.key) : said.text;
  };
}

/** Each refused field's problem (by its path in the body), in the reader's language where known. */
export function useFieldMessages(): (error: unknown) => Record<string, string> {
  const { language } = useI18n();
  return (error) =>
    error instanceof ApiError
      ? Object.fromEntries(
          Object.entries(error.fieldMessages()).map(([field, m]) => [field, fieldErrorText(language, m)]),
        )
      : {};
}

export function LoadingState() {
  const { t } = useI18n();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {t('state.loading')}
    </p>
  );
}

/**
 * Whether asking the same again may go otherwise: after a network failure, a busy or failing service, or a
 * rate limit; not after a refusal of the request itself (a 404, a bad date range), which only repeats.
 */
function worthRetrying(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.status === 0 || error.status >= 500 || error.status === 408 || error.status === 429;
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  const message = useErrorMessage();
  return (
    <div className="state state-error" role="alert">
      <p>
        {t('state.error')} {message(error)}
      </p>
      {retry && worthRetrying(error) && (
        <button type="button" className="button secondary" onClick={retry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

/** Says that what is shown could not be brought up to date, and offers to try again. Nothing when it was. */
export function StaleNotice({ failed, retry }: { failed: unknown; retry: () => void }) {
  const { t } = useI18n();
  const message = useErrorMessage();
  if (failed === undefined) return null;
  return (
    <div className="form-error" role="alert">
      <p>
        {t('state.stale')} {message(failed)}
      </p>
      <button type="button" className="button secondary" onClick={retry}>
        {t('state.retry')}
      </button>
    </div>
  );
}

export function EmptyState({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <p className="state state-empty">{children ?? t('state.empty')}</p>;
}

/**
 * Loading, error (with retry) or the content: `empty` is shown instead of the content when `isEmpty`
 * says the data has nothing to show.
 */
export function Async<T>({
  loaded,
  isEmpty,
  empty,
  children,
}: {
  loaded: Loaded<T> & { reload?: () => void };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (loaded.status === 'loading') return <LoadingState />;
  if (loaded.status === 'error') return <ErrorState error={loaded.error} retry={loaded.reload} />;
  if (isEmpty?.(loaded.data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(loaded.data)}</>;
}
