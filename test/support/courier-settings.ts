import { COURIER_ENV } from 'config';

/**
 * Every courier's required settings given, as placeholders a start takes (`baseUrl` for each courier's
 * address): no courier runs against its sandbox.
 */
export function everyCourierConfigured(baseUrl: string): Record<string, string> {
  return Object.fromEntries(
    Object.values(COURIER_ENV)
      .flat()
      .map((name) => [name, placeholder(name, baseUrl)]),
  );
}

function placeholder(name: string, baseUrl: string): string {
  if (name.endsWith('_BASE_URL')) return baseUrl;
  // A prefix is checked for its shape: an account without one says so.
  if (name === 'NINJA_TRACKING_PREFIX') return 'none';
  return `configured-${name.toLowerCase()}`;
}
