/**
 * Data a page will ask for, requested as the user follows a link to it rather than after the page has
 * rendered and mounted (render-as-you-fetch): the request then overlaps React's work instead of
 * following it. A preloaded answer is taken once, and only while fresh.
 */
const FRESH_MS = 2_000;

const pending = new Map<string, { at: number; data: Promise<unknown> }>();

/** Starts `load` now for the page that will ask for `key`. */
export function preload<T>(key: string, load: () => Promise<T>): void {
  const data = load();
  // Nobody may take it (the user went elsewhere): its failure must not go unhandled.
  data.catch(() => undefined);
  pending.set(key, { at: Date.now(), data });
}

/** The answer preloaded for `key`, if one is fresh; each is handed out once. */
export function takePreloaded<T>(key: string): Promise<T> | undefined {
  const entry = pending.get(key);
  pending.delete(key);
  return entry && Date.now() - entry.at < FRESH_MS ? (entry.data as Promise<T>) : undefined;
}
