import { useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n-context';
import { useErrorMessage, useLoad, type Loaded } from './async';

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T, P extends ListPage<T> = ListPage<T>> {
  /** The first page's load (loading, error, ready): what `Async` shows, with all the first answer holds. */
  first: Loaded<P> & { reload: () => void; refreshFailed: unknown };
  /** Every item loaded so far for the current first page, in order. */
  items: T[];
  /** Where the next page starts; null when there is none. */
  nextCursor: string | null;
  loadMore: () => void;
  /**
   * Loads again as many as are shown, what is shown left in place meanwhile (a change to one row can change
   * others): the reader keeps their place past the first page. A failure is `first.refreshFailed`.
   */
  refresh: () => void;
  loadingMore: boolean;
  moreError: unknown;
}

/**
 * A cursor-paged list: the first page loads with `deps`, "Muat lagi" appends the next one. Later pages
 * belong to the first page they followed, so a reload or a change of `deps` drops them.
 */
export function usePagedList<T, P extends ListPage<T> = ListPage<T>>(
  load: (cursor?: string) => Promise<P>,
  deps: readonly unknown[],
): PagedList<T, P> {
  /** How many items a refresh loads again (0: the first page alone, as on a change of `deps`). */
  const wanted = useRef(0);
  const first = useLoad(async () => {
    const want = wanted.current;
    wanted.current = 0;
    const page = await load();
    let items = page.items;
    let cursor = page.nextCursor;
    while (cursor && items.length < want) {
      const next = await load(cursor);
      items = [...items, ...next.items];
      cursor = next.nextCursor;
    }
    return items === page.items ? page : { ...page, items, nextCursor: cursor };
  }, deps);
  const [more, setMore] = useState<{ after: ListPage<T>; items: T[]; nextCursor: string | null }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  const base = first.status === 'ready' ? first.data : undefined;
  const extra = base && more?.after === base ? more : undefined;
  const nextCursor = extra ? extra.nextCursor : (base?.nextCursor ?? null);
  const items = base ? (extra ? [...base.items, ...extra.items] : base.items) : [];
  return {
    first,
    items,
    nextCursor,
    loadingMore,
    moreError,
    refresh() {
      wanted.current = items.length;
      first.refresh();
    },
    loadMore() {
      if (!base || !nextCursor || loadingMore) return;
      setLoadingMore(true);
      setMoreError(undefined);
      load(nextCursor)
        .then((page) =>
          setMore({
            after: base,
            items: [...(extra?.items ?? []), ...page.items],
            nextCursor: page.nextCursor,
          }),
        )
        .catch((e: unknown) => setMoreError(e))
        .finally(() => setLoadingMore(false));
    },
  };
}

/** Under a paged list: how many are shown, a failed "Muat lagi"'s message, and the button while more remain. */
export function ListFooter<T>({
  list,
  shown,
  more,
}: {
  list: PagedList<T, ListPage<T>>;
  shown: string;
  more?: string;
}) {
  const { t } = useI18n();
  const message = useErrorMessage();
  return (
    <div className="list-footer">
      <p className="muted" role="status">
        {shown}
      </p>
      {list.moreError !== undefined && (
        <p className="form-error" role="alert">
          {message(list.moreError)}
        </p>
      )}
      {list.nextCursor && (
        <button
          type="button"
          className="button secondary"
          disabled={list.loadingMore}
          aria-busy={list.loadingMore}
          onClick={list.loadMore}
        >
          {list.loadingMore ? t('state.loading') : (more ?? t('pengiriman.more'))}
        </button>
      )}
    </div>
  );
}
