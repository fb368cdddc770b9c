export const ROLES = ['seller_owner', 'seller_staff', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a dashboard user (JWT) or a seller integration (API key), resolved by the auth guard. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** The user, or for an API key the user who created it. */
  userId: string;
  apiKeyId?: string;
  role: Role;
  sellerId: string | null;
}
