import { apiErrorFrom, networkError } from './errors';
import { tokenStore } from './client';

/**
 * Downloads a file the API serves only with the bearer token (an invoice's PDF or CSV): fetched as a
 * blob, then saved under `filename` through a temporary link. Throws ApiError when the API refuses.
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const token = tokenStore.get();
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (e) {
    throw networkError(e);
  }
  if (!response.ok) throw apiErrorFrom(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the blob once the click is handled; freeing it at once can cancel the save.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
