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

/**
 * fetch + JSON (or, with `blob`, the body as a Blob); a non-2xx answer becomes an ApiError carrying the problem+json
 * title and detail.
 */
async function request(path, { signal, headers, blob = false, ...options } = {}) {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response;
  try {
    response = await fetch(path, {
      ...options,
      signal: combined,
      headers: { Accept: blob ? '*/*' : 'application/json, application/problem+json', ...headers, ...authHeaders() },
    });
    if (blob && response.ok) return await response.blob();
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

/** An image of this server as a Blob, fetched with the API key (which an <img> could not send). */
export const fetchImage = (path, { signal } = {}) => request(path, { signal, blob: true });

/** The server's output image of a task as a Blob. */
export async function fetchOutputImage(url) {
  try {
    return await fetchImage(url);
  } catch (error) {
    if (error instanceof ApiError && error.status) throw new Error(error.status === 404 ? 'it has expired' : `HTTP ${error.status}`);
    throw error;
  }
}

/** POST /api/streams with the JSON body { url, model, fps, kind }: the stream (201 new, 200 joined). */
export const createStream = (body) =>
  request('/api/streams', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

/** GET /api/streams: every stream with its state and figures. */
export const listStreams = () => request('/api/streams');

/** GET /api/streams/{id}. */
export const getStream = (id, { signal } = {}) => request(`/api/streams/${encodeURIComponent(id)}`, { signal });

/** DELETE /api/streams/{id}: stops reading the camera. */
export const deleteStream = (id) => request(`/api/streams/${encodeURIComponent(id)}`, { method: 'DELETE' });

/**
 * An EventSource on this server's `path`. A browser cannot set headers on an EventSource, so the API key (if any) goes
 * in the `api_key` query parameter, which the API accepts for event streams and WebSockets only.
 */
export function openEvents(path) {
  const key = hooks.apiKey();
  return new EventSource(key ? `${path}${path.includes('?') ? '&' : '?'}api_key=${encodeURIComponent(key)}` : path);
}
