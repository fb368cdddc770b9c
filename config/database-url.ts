/**
 * Why a DATABASE_URL that passed its pattern cannot be used (a port that is no number, a `%` or `#` not
 * percent-encoded in the user or password), or null. Never repeats the URL: it holds the password.
 */
export function unreadableUrl(url: string): string | null {
  try {
    const u = new URL(url);
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
    if (!u.hostname && !u.searchParams.get('host')) return 'names no host';
    return null;
  } catch {
    return 'is not a URL that can be read: its port must be a number, and %, #, @, / and : in the user name or password must be percent-encoded';
  }
}
