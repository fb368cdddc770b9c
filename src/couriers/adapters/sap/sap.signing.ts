import { sameSecret } from '../../signatures';

/** SAP signs nothing: a static key header on every call (sap.md §1; older integrations send `api-key`). */
export function sapAuthHeaders(apiKey: string): Record<string, string> {
  return { api_key: apiKey, 'content-type': 'application/json' };
}

/** SAP documents no push authentication; integrators agree a shared token header with SAP (sap.md §3.7). */
export function verifySapToken(given: string | string[] | undefined, expected: string): boolean {
  return typeof given === 'string' && sameSecret(given, expected);
}
