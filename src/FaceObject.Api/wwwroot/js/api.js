// Calls to this page's own server: fetch with the API key, a timeout, and problem+json turned into words.

const REQUEST_TIMEOUT_MS = 30_000;

/** The task statuses after which nothing changes. */
export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** An HTTP or network failure, with words a person can act on. */
export class ApiError extends Error {
  constructor(title, detail, status = 0) {
    super(detail);
    this.title = title;
    this.detail = detail;
    this.status = status;
  }
}

export const isAbort = (error) => error?.name === 'AbortError';

const hooks = {
  apiKey: () => '',
  onUnauthorized: () => {},
};

/**
 * `apiKey` returns the key the person typed, if any: sent with every call, since a server with Api:Keys refuses /api
 * without it. `onUnauthorized` runs on every 401, so the page can offer the key field.
 */
export function configureApi({ apiKey, onUnauthorized }) {
  if (apiKey) hooks.apiKey = apiKey;
  if (onUnauthorized) hooks.onUnauthorized = onUnauthorized;
}

function authHeaders() {
  const key = hooks.apiKey();
  return key ? { 'X-Api-Key': key } : {};
}

function fallbackDetail(status) {
  if (status === 413) return 'The file is larger than this server accepts.';
  if (status === 429) return 'The server is busy with too much work; try again in a moment.';
  if (status >= 500) return `The server had a problem (HTTP ${status}); try again in a moment.`;
  return `The server refused the request (HTTP ${status}).`;
}

/** fetch + JSON; a non-2xx answer becomes an ApiError carrying the problem+json title and detail. */
async function request(path, { signal, ...options } = {}) {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response;
  try {
    response = await fetch(path, {
      ...options,
      signal: combined,
      headers: { Accept: 'application/json, application/problem+json', ...authHeaders() },
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted) {
      throw new ApiError('No answer', 'The server did not answer within 30 seconds.');
    }
    throw new ApiError('Network error', 'Cannot reach the FaceObject server. Check that it is still running, then try again.');
  }

  const text = await response.text().catch(() => '');
  let body = null;
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (!response.ok) {
    const title = typeof body?.title === 'string' ? body.title : (response.statusText || 'Request failed');
    const detail = typeof body?.detail === 'string' ? body.detail : fallbackDetail(response.status);
    if (response.status === 401) hooks.onUnauthorized();
    throw new ApiError(title, detail, response.status);
  }
  return body;
}

/** GET /api/models: the raw JSON (models.js reads it). */
export const listModels = () => request('/api/models');

/** POST /api/detect/{model}/{image|video}: the 202 body with the task id. */
export const submitDetection = (modelKey, kind, form) =>
  request(`/api/detect/${encodeURIComponent(modelKey)}/${kind}`, { method: 'POST', body: form });

/** GET /api/task/{id}; with `wait` (such as '10s') the server holds the answer until the task ends or that time passes. */
export const getTask = (id, { wait, signal } = {}) =>
  request(`/api/task/${encodeURIComponent(id)}${wait ? `?wait=${wait}` : ''}`, { signal });

/** The server's output image as a Blob, fetched with the API key (which an <img> could not send). */
export async function fetchOutputImage(url) {
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) throw new Error(response.status === 404 ? 'it has expired' : `HTTP ${response.status}`);
  return response.blob();
}
