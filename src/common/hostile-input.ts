import type { FieldProblem } from './errors/app-error';

/** Deeper than any request Kirim takes (a bulk row's recipient is at depth 3); far below a stack overflow. */
export const MAX_JSON_DEPTH = 32;

/** In a `u` regex a well-formed pair is one code point, so only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text PostgreSQL and every later reader can hold: no NUL character (PostgreSQL refuses it in text) and
 * no lone UTF-16 surrogate (it cannot be encoded as UTF-8, so it would be silently replaced on the way).
 */
export function unsafeTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it has a lone surrogate)';
  return null;
}

/**
 * Every string (and object key) in a parsed JSON value that is not safe text, by dotted path (`recipient.name`,
 * `shipmentIds.0`); `tooDeep` is set when the value nests deeper than `maxDepth` (nothing below that depth is
 * looked at). The walk recurses at most `maxDepth` levels, so a hostile nesting cannot overflow the stack, and
 * builds a path only for a problem it reports (every request body passes here).
 */
export function inspectJson(
  value: unknown,
  root = '',
  maxDepth = MAX_JSON_DEPTH,
): { problems: FieldProblem[]; tooDeep: boolean } {
  const problems: FieldProblem[] = [];
  const path: string[] = root ? [root] : [];
  const at = (last?: string) => [...path, ...(last === undefined ? [] : [last])].join('.') || 'body';
  const walk = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v);
      if (reason) problems.push({ field: at(), message: reason });
      return true;
    }
    if (v === null || typeof v !== 'object') return true;
    if (depth >= maxDepth) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        path.push(String(i));
        const ok = walk(v[i], depth + 1);
        path.pop();
        if (!ok) return false;
      }
      return true;
    }
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      const reason = unsafeTextReason(key);
      if (reason) {
        problems.push({ field: at(JSON.stringify(key).slice(1, -1)), message: `name ${reason}` });
        continue;
      }
      path.push(key);
      const ok = walk((v as Record<string, unknown>)[key], depth + 1);
      path.pop();
      if (!ok) return false;
    }
    return true;
  };
  const tooDeep = !walk(value, 0);
  return { problems, tooDeep };
}
