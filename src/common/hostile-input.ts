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

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/**
 * Every string (and object key) in a parsed JSON value that is not safe text, by dotted path (`recipient.name`,
 * `shipmentIds.0`). Iterative, so a hostile nesting depth cannot overflow the stack; `tooDeep` is set when
 * the value nests deeper than `maxDepth` (nothing below that depth is looked at).
 */
export function inspectJson(
  value: unknown,
  root = '',
  maxDepth = MAX_JSON_DEPTH,
): { problems: FieldProblem[]; tooDeep: boolean } {
  const problems: FieldProblem[] = [];
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unsafeTextReason(v);
      if (reason) problems.push({ field: path || 'body', message: reason });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { problems, tooDeep: true };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push([v[i], join(path, String(i)), depth + 1]);
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i];
      const reason = unsafeTextReason(key);
      if (reason)
        problems.push({ field: join(path, JSON.stringify(key).slice(1, -1)), message: `name ${reason}` });
      else stack.push([(v as Record<string, unknown>)[key], join(path, key), depth + 1]);
    }
  }
  return { problems, tooDeep: false };
}
