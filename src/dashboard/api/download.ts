import { call } from './client';

/**
 * Saves a file the API answers only with the bearer token (a PDF, a CSV): the request (an `api.GET(…, {
 * parseAs: 'blob' })`, so the token and a 401 are handled as for any call) is read as a blob and handed to
 * the browser through a temporary object URL and `<a download>`.
 * @throws ApiError when the API refuses or does not answer.
 */
export async function downloadFile(
  request: Promise<{ data?: Blob; error?: unknown; response: Response }>,
  filename: string,
): Promise<void> {
  const blob = await call(request);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download by the next task; then the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
