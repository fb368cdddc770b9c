export const ROLES = ['seller_owner', 'seller_staff', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling: a dashboard user (JWT), a seller integration (API key), or on the sandbox routes the
 * sandbox operator token (an admin without a user), resolved by the auth guard.
 */
export interface Principal {
  kind: 'user' | 'api_key' | 'sandbox_operator';
  /** The user, or for an API key the user who created it; empty for the sandbox operator token. */
  userId: string;
  apiKeyId?: string;
  role: Role;
  sellerId: string | null;
  /** A user's token from a login: the session it is, which logging out ends (absent in older tokens). */
  session?: { id: string; expiresAt: Date };
  /** A user's token: the session generation it was issued in (logging out everywhere or a new password ends it). */
  sessionGeneration?: number;
}
