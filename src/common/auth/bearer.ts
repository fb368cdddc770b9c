/**
 * The token of an `Authorization: Bearer <token>` header, or null: the scheme in any case, then one token and
 * nothing after it (RFC 6750 §2.1). Text after the token is refused, not ignored.
 */
export function bearerToken(authorization: string | undefined): string | null {
  return (authorization && BEARER.exec(authorization)?.[1]) || null;
}

const BEARER = /^bearer +(\S+)$/i;
