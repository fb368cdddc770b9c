import { apiErrorFrom, networkError } from './errors';
import { tokenStore } from './client';

/**
 * Downloads a file the API serves only with the bearer token (an invoice PDF, a CSV export): fetched as a
 * blob, then saved through an object URL and a temporary `<a download>`. Throws ApiError when refused.
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const token = tokenStore.get();
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (e) {
    throw networkError(e);
  }
  if (!response.ok) throw apiErrorFrom(response.status, await response.json().catch(() => undefined));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
