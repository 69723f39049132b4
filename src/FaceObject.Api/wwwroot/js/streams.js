// The live camera section: start a stream (POST /api/streams), follow one (its state and figures from
// GET /api/streams/{id}, its latest annotated frame about once a second, its events as Server-Sent Events), stop it
// (DELETE), and the list of running streams to open. One stream is followed at a time: opening another stops following
// the first (the server keeps reading it until it is stopped).
// A stream as the API shows it (src/FaceObject.Api/Streams/StreamContracts.cs), snake_case: id, url (password
// redacted), kind, model, fps, origin, created_at, frame_url, events_url, and status: state (connecting, live, stalled,
// reconnecting, failed), camera_fps, processed_fps, skipped_fps, last_frame_at, reconnects, last_error, frame_width,
// frame_height, updated_at. Events (src/FaceObject.Api/Streams/StreamEventsFeed.cs): state (a status as above, the
// current one first), detection (sequence, captured_at, detected_at, detections), track (kind new, update or end,
// track_id, class_name, best_score, bbox) and deleted.
import { ApiError, createStream, deleteStream, fetchImage, getStream, isAbort, listStreams, openEvents } from './api.js';
import { countByClass, detectionsOf, num, percent, plural } from './detections.js';
import { $, fillDefinitions, listItem } from './dom.js';
import { sleep } from './follow.js';
import { fillModelSelect } from './form.js';
import { isFaceModel, onModelsChange } from './models.js';
import { clearError, showApiError } from './status.js';

const ALERT = 'stream-alert';
const FRAME_EVERY_MS = 1000;
/** The stream's figures are asked for every this many frame refreshes (the server stores them once a second). */
const STATUS_EVERY = 2;
const EVENTS_REOPEN_MS = 5000;
const EVENTS_MAX = 100;

const STATE_TEXT = {
  connecting: 'Connecting to the camera…',
  live: 'Live: frames are read and detected.',
  stalled: 'Stalled: no frames came for a while; the reader is being restarted.',
  reconnecting: 'Reconnecting to the camera…',
  failed: 'Failed: the camera cannot be streamed as given.',
};

/** The stream followed: { id, resource, controller, source, counts }, or null. */
let watched = null;
/** Object URL of the frame on screen, revoked when a newer one replaces it. */
let frameUrl = null;

const streamPath = (id) => `/api/streams/${encodeURIComponent(id)}`;

const clock = (value) => {
  const when = value ? new Date(value) : new Date();
  return Number.isNaN(when.getTime()) ? '–' : when.toLocaleTimeString();
};

const fps = (value) => (num(value) === null ? '–' : `${num(value).toFixed(1)} fps`);

function parse(event) {
  try {
    const body = JSON.parse(event.data);
    return body && typeof body === 'object' ? body : null;
  } catch {
    return null;
  }
}

function updateStart() {
  const button = $('stream-start');
  button.disabled = !($('stream-url').value.trim() && $('stream-model').value) || button.dataset.busy === 'true';
}

async function start(event) {
  event.preventDefault();
  clearError(ALERT);
  const body = { url: $('stream-url').value.trim(), model: $('stream-model').value };
  if ($('stream-fps').value !== '') body.fps = Number($('stream-fps').value);
  if ($('stream-kind').value) body.kind = $('stream-kind').value;

  const button = $('stream-start');
  button.dataset.busy = 'true';
  button.textContent = 'Starting…';
  updateStart();
  try {
    const stream = await createStream(body);
    if (typeof stream?.id !== 'string') throw new ApiError('Unexpected answer', 'The server accepted the stream but sent no stream id.');
    openStream(stream);
  } catch (error) {
    showApiError(error, 'Stream not started', ALERT);
    // A 409 names the stream already reading this camera: the list shows it, ready to open.
    if (error instanceof ApiError && error.status === 409) loadStreams();
  } finally {
    button.dataset.busy = 'false';
    button.textContent = 'Start stream';
    updateStart();
  }
}

/** Stops following the stream on screen (the server keeps reading it). */
function unwatch() {
  if (!watched) return;
  watched.controller.abort();
  watched.source?.close();
  watched = null;
}

/** Follows `stream` (a stream from the API): its figures, frame and events until it ends or another is opened. */
export function openStream(stream) {
  unwatch();
  clearError(ALERT);
  const w = { id: stream.id, resource: stream, controller: new AbortController(), source: null, counts: { state: 0, detection: 0, track: 0 } };
  watched = w;
  const image = $('stream-frame');
  image.hidden = true;
  image.removeAttribute('src');
  if (frameUrl) URL.revokeObjectURL(frameUrl);
  frameUrl = null;
  $('stream-frame-caption').textContent = 'Waiting for the first frame…';
  $('stream-detections').textContent = '';
  $('stream-events').replaceChildren();
  $('stream-events-count').textContent = 'Connecting to the events…';
  $('stream-heading').textContent = `Stream ${stream.id}`;
  $('stream-view').dataset.streamId = stream.id;
  $('stream-live').hidden = false;
  $('stream-stop').hidden = false;
  renderStream(stream);
  listen(w);
  poll(w);
  markOpen();
  loadStreams();
  // On a narrow screen the stream is below the form and the list: bring it into view.
  if (window.matchMedia('(max-width: 820px)').matches) $('stream-heading').scrollIntoView({ block: 'start' });
}

/** Shows a stream's state and figures (from GET /api/streams/{id}, or a state event merged into the last one). */
function renderStream(stream) {
  const status = stream.status && typeof stream.status === 'object' ? stream.status : {};
  const state = typeof status.state === 'string' ? status.state : 'unknown';
  showState(state, state === 'failed' && status.last_error ? `Failed: ${status.last_error}` : STATE_TEXT[state] ?? `State: ${state}.`);
  const size = num(status.frame_width) !== null ? `${status.frame_width} × ${status.frame_height} px` : '–';
  fillDefinitions($('stream-figures'), [
    ['Camera', String(stream.url ?? '–')],
    ['Model', String(stream.model ?? '–')],
    ['Detection asked', fps(stream.fps)],
    ['Camera delivers', fps(status.camera_fps)],
    ['Detected', fps(status.processed_fps)],
    ['Skipped', fps(status.skipped_fps)],
    ['Frame size', size],
    ['Last frame', status.last_frame_at ? clock(status.last_frame_at) : '–'],
    ['Reconnects', String(num(status.reconnects) ?? 0)],
    ['Last error', typeof status.last_error === 'string' && status.last_error ? status.last_error : '–'],
    ['Started', stream.created_at ? new Date(stream.created_at).toLocaleString() : '–'],
    ['Stream id', String(stream.id)],
  ]);
  const badge = document.querySelector(`#streams button[data-stream-id="${CSS.escape(String(stream.id))}"] .badge`);
  if (badge) {
    badge.dataset.status = state;
    badge.textContent = state;
  }
}

function showState(state, text) {
  const pill = $('stream-state');
  pill.hidden = false;
  pill.dataset.state = state;
  pill.textContent = state;
  $('stream-status-text').textContent = text;
}

/** The stream is gone (stopped here, deleted elsewhere, or failed and removed): stop following it. */
function ended(w, text) {
  if (w !== watched) return;
  unwatch();
  showState('stopped', text);
  $('stream-stop').hidden = true;
  $('stream-frame-caption').textContent = 'The last frame shown; the stream no longer runs.';
  loadStreams();
}

/** Refreshes the annotated frame about once a second, and the figures every STATUS_EVERY refreshes. */
async function poll(w) {
  const { signal } = w.controller;
  try {
    for (let tick = 0; ; tick += 1) {
      const began = performance.now();
      // A hidden tab asks for nothing; it catches up when shown again.
      if (!document.hidden) await Promise.all([refreshFrame(w), tick % STATUS_EVERY === 0 ? refreshStatus(w) : null]);
      await sleep(Math.max(200, FRAME_EVERY_MS - (performance.now() - began)), signal);
    }
  } catch (error) {
    if (!isAbort(error)) showApiError(error, 'Following the stream', ALERT);
  }
}

async function refreshFrame(w) {
  try {
    const blob = await fetchImage(`${streamPath(w.id)}/frame?annotate=true`, { signal: w.controller.signal });
    if (w !== watched) return;
    const previous = frameUrl;
    frameUrl = URL.createObjectURL(blob);
    const image = $('stream-frame');
    image.src = frameUrl;
    image.hidden = false;
    if (previous) URL.revokeObjectURL(previous);
    $('stream-frame-caption').textContent = `The latest frame at ${clock()}, annotated by the server (boxes and track ids); refreshed every second.`;
  } catch (error) {
    if (isAbort(error) || w !== watched) return;
    if (error instanceof ApiError && error.status === 404) {
      ended(w, 'The stream is gone: it was stopped or removed.');
    } else if (error instanceof ApiError && error.status === 503) {
      // Normal until the reader has a frame: the server says so with 503 and Retry-After.
      $('stream-frame-caption').textContent = 'No frame yet: the server has not read one from the camera.';
    } else {
      $('stream-frame-caption').textContent = `The frame could not be loaded: ${error.detail ?? error.message}`;
    }
  }
}

async function refreshStatus(w) {
  try {
    const stream = await getStream(w.id, { signal: w.controller.signal });
    if (w !== watched) return;
    w.resource = stream;
    renderStream(stream);
  } catch (error) {
    if (isAbort(error) || w !== watched) return;
    if (error instanceof ApiError && error.status === 404) ended(w, 'The stream is gone: it was stopped or removed.');
  }
}

/** Server-Sent Events of the stream; the browser reconnects by itself after a network error, this after a refusal. */
function listen(w) {
  const source = openEvents(`${streamPath(w.id)}/events`);
  w.source = source;
  source.addEventListener('open', () => showCounts(w));
  source.addEventListener('state', (event) => {
    const status = parse(event);
    if (!status || w !== watched) return;
    w.counts.state += 1;
    w.resource = { ...w.resource, status };
    renderStream(w.resource);
    logEvent('state', status.updated_at, status.last_error ? `${status.state}: ${status.last_error}` : String(status.state));
    showCounts(w);
  });
  source.addEventListener('detection', (event) => {
    const frame = parse(event);
    if (!frame || w !== watched) return;
    w.counts.detection += 1;
    const counts = countByClass(detectionsOf(frame.detections));
    const latency = Date.parse(frame.detected_at) - Date.parse(frame.captured_at);
    $('stream-detections').textContent = `${counts.length ? `In view: ${counts.map(([name, n]) => `${n} ${name}`).join(', ')}` : 'Nothing in view'}`
      + ` (frame ${frame.sequence ?? '?'}${Number.isFinite(latency) ? `, detected ${latency} ms after capture` : ''}).`;
    showCounts(w);
  });
  source.addEventListener('track', (event) => {
    const track = parse(event);
    if (!track || w !== watched) return;
    w.counts.track += 1;
    const what = { new: 'appeared', update: 'seen again', end: 'left' }[track.kind] ?? String(track.kind);
    const best = num(track.best_score) !== null ? `, best ${percent(track.best_score)}` : '';
    logEvent('track', track.last_seen, `${track.class_name ?? 'object'} #${track.track_id} ${what}${best}`);
    showCounts(w);
  });
  source.addEventListener('deleted', () => {
    if (w !== watched) return;
    logEvent('deleted', null, 'the stream was deleted');
    ended(w, 'Stopped: the server no longer reads this camera.');
  });
  source.addEventListener('error', () => {
    if (w !== watched) return;
    if (source.readyState === EventSource.CLOSED) {
      // Refused (the stream is gone, or the API key is wrong): the figures' polling finds out which; try again later.
      $('stream-events-count').textContent = 'The events were refused; trying again in a few seconds.';
      sleep(EVENTS_REOPEN_MS, w.controller.signal).then(() => { if (w === watched) listen(w); }, () => {});
    } else {
      $('stream-events-count').textContent = 'The events were cut; reconnecting…';
    }
  });
}

function showCounts(w) {
  const { state, detection, track } = w.counts;
  $('stream-events-count').textContent = `Received ${plural(state, 'state')}, ${plural(detection, 'detected frame')} and ${plural(track, 'track event')}.`;
}

/** Adds an event to the top of the log (state, track and deleted events; detected frames are summed up above it). */
function logEvent(name, time, text) {
  const li = document.createElement('li');
  li.dataset.event = name;
  const when = document.createElement('time');
  when.textContent = clock(time);
  const kind = document.createElement('span');
  kind.className = 'event-name';
  kind.textContent = name;
  const what = document.createElement('span');
  what.textContent = text;
  li.append(when, kind, what);
  const list = $('stream-events');
  list.prepend(li);
  while (list.children.length > EVENTS_MAX) list.lastElementChild.remove();
}

async function stop() {
  const w = watched;
  if (!w) return;
  clearError(ALERT);
  $('stream-stop').disabled = true;
  try {
    await deleteStream(w.id);
    ended(w, 'Stopped: the server no longer reads this camera.');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) ended(w, 'The stream was already gone.');
    else showApiError(error, 'Stream not stopped', ALERT);
  } finally {
    $('stream-stop').disabled = false;
  }
}

function markOpen() {
  for (const button of document.querySelectorAll('#streams button[data-stream-id]')) {
    if (button.dataset.streamId === watched?.id) button.setAttribute('aria-current', 'true'); else button.removeAttribute('aria-current');
  }
}

/** GET /api/streams into the list of running streams; each opens on click. */
export async function loadStreams() {
  let list;
  try {
    list = await listStreams();
  } catch (error) {
    $('streams-empty').hidden = false;
    $('streams-empty').textContent = `The streams could not be listed: ${error.detail ?? error.message}`;
    return;
  }
  const streams = (Array.isArray(list) ? list : []).filter((s) => s && typeof s.id === 'string');
  $('streams').replaceChildren(...streams.map((stream) => listItem({
    name: String(stream.url ?? stream.id),
    meta: `${stream.model ?? '?'} · ${fps(stream.fps)} · ${stream.kind ?? '?'} · ${stream.origin === 'subscription' ? 'WebSocket' : 'REST'}`,
    status: String(stream.status?.state ?? 'unknown'),
    data: { streamId: stream.id },
    onOpen: () => openStream(stream),
  })));
  $('streams-empty').hidden = streams.length > 0;
  $('streams-empty').textContent = 'No stream runs on this server. Start one above.';
  markOpen();
}

/** Wires the live camera section; call once. */
export function wireStreams() {
  onModelsChange((models) => {
    const select = $('stream-model');
    const first = select.options.length === 0;
    fillModelSelect(select, models);
    // Cameras mostly show objects: start on an object model when there is one.
    if (first) select.value = models.find((m) => !isFaceModel(m))?.key ?? select.value;
    updateStart();
  });
  $('stream-form').addEventListener('submit', start);
  $('stream-url').addEventListener('input', updateStart);
  $('stream-model').addEventListener('change', updateStart);
  $('stream-stop').addEventListener('click', stop);
  $('streams-refresh').addEventListener('click', loadStreams);
  window.addEventListener('pagehide', unwatch);
}
