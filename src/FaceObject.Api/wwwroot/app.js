// FaceObject try-it page. Plain ES module, no build step, talks only to its own origin.
// Safety rule for this file: text from the server or from a file name is only ever set with textContent or as an
// attribute value, never parsed as HTML (the page's Content-Security-Policy backs this up).

const $ = (id) => document.getElementById(id);

const RECENT_KEY = 'faceobject.recent.v1';
const API_KEY = 'faceobject.apiKey';
const RECENT_MAX = 20;
const THUMB_MAX_SIDE = 480;
const THUMB_MAX_CHARS = 80_000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
// Long-poll lengths: an image task ends in well under a second, so one request usually sees it through; a video
// task is asked more often so its progress moves, still at most once every few seconds.
const WAIT_IMAGE = '10s';
const WAIT_VIDEO = '3s';
const MIN_POLL_GAP_MS = 1000;
const REQUEST_TIMEOUT_MS = 30_000;
const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#e65100', '#00838f', '#c2185b', '#5d4037',
  '#455a64', '#6a1b9a', '#827717', '#0d47a1', '#b71c1c', '#1b5e20', '#4527a0', '#ad1457'];

const state = {
  models: [],
  file: null,
  fileUrl: null,
  thresholdTouched: false,
  follow: null, // AbortController of the task being followed
  shown: null, // { id, imageSource, videoUrl } of the task on screen
  serverImageUrl: null, // object URL of the server's output image on screen
};

// ---------------------------------------------------------------- HTTP

/** An HTTP or network failure, with words a person can act on. */
class ApiError extends Error {
  constructor(title, detail, status = 0) {
    super(detail);
    this.title = title;
    this.detail = detail;
    this.status = status;
  }
}

/** The API key the person typed, if any: sent with every call, since a server with Api:Keys refuses /api without it. */
function authHeaders() {
  const key = $('api-key').value.trim();
  return key ? { 'X-Api-Key': key } : {};
}

/** fetch + JSON; a non-2xx answer becomes an ApiError carrying the problem+json title and detail. */
async function api(path, { signal, ...options } = {}) {
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
    if (response.status === 401) $('access').open = true;
    throw new ApiError(title, detail, response.status);
  }
  return body;
}

function fallbackDetail(status) {
  if (status === 413) return 'The file is larger than this server accepts.';
  if (status === 429) return 'The server is busy with too much work; try again in a moment.';
  if (status >= 500) return `The server had a problem (HTTP ${status}); try again in a moment.`;
  return `The server refused the request (HTTP ${status}).`;
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return; }
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

const isAbort = (error) => error?.name === 'AbortError';

// ---------------------------------------------------------------- messages

function showError(title, detail, status) {
  const alert = $('alert');
  alert.replaceChildren();
  const strong = document.createElement('strong');
  strong.textContent = status ? `${title} (${status})` : title;
  const text = document.createElement('span');
  text.className = 'alert-detail';
  text.textContent = detail;
  alert.append(strong, ' ', text);
  alert.hidden = false;
}

function showApiError(error, prefix) {
  if (error instanceof ApiError) {
    showError(prefix ? `${prefix}: ${error.title}` : error.title, error.detail, error.status);
  } else {
    showError(prefix || 'Something went wrong', String(error?.message ?? error));
  }
}

function clearError() {
  $('alert').hidden = true;
  $('alert').replaceChildren();
}

function setStatus(text, status, progress) {
  $('status-text').textContent = text;
  const steps = $('steps');
  steps.hidden = !status;
  const order = ['queued', 'processing', 'done'];
  const current = TERMINAL.has(status) ? 'done' : status;
  for (const li of steps.children) {
    const step = li.dataset.step;
    li.classList.toggle('past', order.indexOf(step) < order.indexOf(current));
    li.classList.toggle('failed', step === 'done' && (status === 'failed' || status === 'cancelled'));
    if (step === current) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
    if (step === 'done') li.textContent = TERMINAL.has(status) ? status : 'done';
  }
  const bar = $('progress');
  if (typeof progress === 'number') {
    bar.hidden = false;
    bar.value = Math.max(0, Math.min(1, progress));
  } else {
    bar.hidden = true;
  }
}

// ---------------------------------------------------------------- models

/** Accepts today's and tomorrow's /api/models shapes: objects with a key, or bare keys. */
function normaliseModels(body) {
  const list = Array.isArray(body) ? body
    : Array.isArray(body?.models) ? body.models
      : body && typeof body === 'object' ? Object.entries(body).map(([key, value]) => ({ key, ...(typeof value === 'object' ? value : {}) }))
        : [];
  return list
    .map((entry) => (typeof entry === 'string' ? { key: entry } : entry))
    .filter((entry) => entry && typeof entry.key === 'string' && entry.key.length > 0);
}

function classNames(model) {
  return Array.isArray(model?.classes) ? model.classes.filter((c) => typeof c === 'string') : [];
}

function isFaceModel(model) {
  if (!model) return false;
  const classes = classNames(model);
  if (classes.length > 0) return classes.length === 1 && classes[0] === 'face';
  if (typeof model.type === 'string') return model.type === 'ultraface';
  return model.key === 'face';
}

function selectedModel() {
  return state.models.find((m) => m.key === $('model').value);
}

async function loadModels() {
  const select = $('model');
  $('model-info').textContent = 'Loading the models…';
  try {
    const previous = select.value;
    state.models = normaliseModels(await api('/api/models'));
    select.replaceChildren(...state.models.map((model) => {
      const option = document.createElement('option');
      option.value = model.key;
      const details = [model.type, model.device].filter((x) => typeof x === 'string' && x.length > 0);
      option.textContent = model.key + (details.length ? ` (${details.join(', ')})` : '') + (model.served === false ? ', no worker' : '');
      return option;
    }));
    if (state.models.some((m) => m.key === previous)) select.value = previous;
    if (state.models.length === 0) {
      $('model-info').textContent = 'The server has no models configured.';
    }
    onModelChange();
  } catch (error) {
    $('model-info').textContent = 'The models could not be loaded; press Reload to try again.';
    showApiError(error, 'Loading the models');
  }
  updateSubmit();
}

function onModelChange() {
  const model = selectedModel();
  const info = $('model-info');
  if (!model) {
    updateSubmit();
    return;
  }

  const parts = [];
  if (typeof model.type === 'string') parts.push(`type ${model.type}`);
  if (typeof model.device === 'string') parts.push(`device ${model.device}`);
  if (typeof model.queue === 'string' && model.queue !== model.key) parts.push(`queue ${model.queue}`);
  const classes = classNames(model);
  if (classes.length === 1) parts.push(`finds ${classes[0]}`);
  else if (classes.length > 1) parts.push(`${classes.length} classes`);
  else if (typeof model.classes === 'number') parts.push(`${model.classes} classes`);
  let text = parts.length ? parts.join(', ') + '.' : `Model ${model.key}.`;
  if (model.served === false) text += ' No worker serves its queue right now: tasks wait until one starts.';
  info.textContent = text;

  const datalist = $('class-names');
  datalist.replaceChildren(...classes.map((name) => {
    const option = document.createElement('option');
    option.value = name;
    return option;
  }));

  const threshold = Number(model.score_threshold);
  if (!state.thresholdTouched) {
    $('threshold').value = Number.isFinite(threshold) && threshold > 0 ? String(threshold) : '0.5';
    $('threshold-value').textContent = Number.isFinite(threshold) && threshold > 0 ? `${threshold.toFixed(2)} (model default)` : 'model default';
  }
  updateBlurClasses();
  updateSubmit();
}

function updateBlurClasses() {
  $('blur-classes-field').hidden = !($('blur').checked && !isFaceModel(selectedModel()));
}

// ---------------------------------------------------------------- choosing a file

function isVideo(file) {
  if (file.type) return file.type.startsWith('video/');
  return /\.(mp4|m4v|mov|avi|mkv|webm)$/i.test(file.name);
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function chooseFile(file) {
  if (state.fileUrl && state.fileUrl !== state.shown?.imageSource && state.fileUrl !== state.shown?.videoUrl) {
    URL.revokeObjectURL(state.fileUrl);
  }
  state.file = file ?? null;
  state.fileUrl = file ? URL.createObjectURL(file) : null;
  const preview = $('drop-preview');
  if (file && !isVideo(file)) {
    preview.src = state.fileUrl;
    preview.hidden = false;
    preview.onerror = () => { preview.hidden = true; };
  } else {
    preview.hidden = true;
    preview.removeAttribute('src');
  }
  $('drop-name').textContent = file ? `${file.name} · ${isVideo(file) ? 'video' : 'image'} · ${formatBytes(file.size)}` : '';
  $('drop-text').hidden = false;
  $('drop').classList.toggle('has-file', Boolean(file));
  $('video-field').hidden = !(file && isVideo(file));
  updateSubmit();
}

function updateSubmit() {
  $('submit').disabled = !(state.file && selectedModel()) || $('submit').dataset.busy === 'true';
}

function wireDropZone() {
  const drop = $('drop');
  const input = $('file');
  input.addEventListener('change', () => chooseFile(input.files?.[0]));
  // Dropping a file anywhere else would navigate away from the page.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => event.preventDefault());
  }
  drop.addEventListener('dragenter', (event) => { event.preventDefault(); drop.classList.add('dragging'); });
  drop.addEventListener('dragover', (event) => { event.preventDefault(); event.dataTransfer.dropEffect = 'copy'; });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    const files = event.dataTransfer?.files;
    if (files?.length) {
      try { input.files = files; } catch { /* older browsers: the state below is what is sent */ }
      chooseFile(files[0]);
    }
  });
}

// ---------------------------------------------------------------- submitting and following

async function submit(event) {
  event.preventDefault();
  const model = selectedModel();
  const file = state.file;
  if (!model || !file) return;
  clearError();

  const video = isVideo(file);
  const form = new FormData();
  form.append('file', file, file.name);
  if (state.thresholdTouched) form.append('score_threshold', $('threshold').value);
  if ($('annotate').checked) form.append('annotate', 'true');
  if ($('blur').checked) {
    form.append('blur', 'true');
    const classes = $('blur-classes').value.trim();
    if (classes && !isFaceModel(model)) form.append('blur_classes', classes);
  }
  if (video) form.append('sample_fps', $('sample-fps').value);

  const button = $('submit');
  button.dataset.busy = 'true';
  button.textContent = 'Sending…';
  updateSubmit();
  stopFollowing();
  hideResult();
  setStatus(`Uploading ${file.name}…`, null);
  // On a narrow screen the result is below the form: bring it into view.
  if (window.matchMedia('(max-width: 820px)').matches) $('result-heading').scrollIntoView({ block: 'start' });
  try {
    const accepted = await api(`/api/detect/${encodeURIComponent(model.key)}/${video ? 'video' : 'image'}`, { method: 'POST', body: form });
    const id = String(accepted?.task_id ?? '');
    if (!id) throw new ApiError('Unexpected answer', 'The server accepted the file but sent no task id.');
    const thumb = video ? null : await makeThumbnail(state.fileUrl);
    addRecent({ id, model: model.key, kind: video ? 'video' : 'image', file: file.name, time: accepted.created_at ?? new Date().toISOString(), status: 'queued', thumb });
    state.shown = { id, imageSource: video ? null : state.fileUrl, videoUrl: video ? state.fileUrl : null };
    follow(id, video ? 'video' : 'image');
  } catch (error) {
    setStatus('Not submitted.', null);
    showApiError(error, 'Not submitted');
  } finally {
    button.dataset.busy = 'false';
    button.textContent = 'Detect';
    updateSubmit();
  }
}

function stopFollowing() {
  state.follow?.abort();
  state.follow = null;
}

/** Long-polls the task until it ends; backs off on network errors; never more than one request per second. */
async function follow(id, kind) {
  stopFollowing();
  const controller = new AbortController();
  state.follow = controller;
  const { signal } = controller;
  let failures = 0;
  let lastRequest = 0;
  let waitFor = kind === 'video' ? WAIT_VIDEO : WAIT_IMAGE;
  let lastStatus = 'queued';
  try {
    for (;;) {
      const gap = performance.now() - lastRequest;
      if (gap < MIN_POLL_GAP_MS) await sleep(MIN_POLL_GAP_MS - gap, signal);
      lastRequest = performance.now();
      let task;
      try {
        task = await api(`/api/task/${encodeURIComponent(id)}?wait=${waitFor}`, { signal });
        failures = 0;
      } catch (error) {
        if (isAbort(error)) return;
        if (error instanceof ApiError && error.status === 404) {
          expired(id);
          return;
        }
        // Other client errors will not change by asking again; busy (429), timeouts and network errors may.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) {
          showApiError(error, 'Following the task');
          return;
        }
        failures += 1;
        const delay = Math.min(10_000, 1000 * 2 ** failures);
        setStatus(`No answer about the task (${error.detail ?? error.message}); asking again in ${Math.round(delay / 1000)} s.`, lastStatus);
        await sleep(delay, signal);
        continue;
      }
      if (task.kind === 'video') waitFor = WAIT_VIDEO;
      lastStatus = task.status;
      updateRecent(id, { status: task.status });
      if (TERMINAL.has(task.status)) {
        renderTask(task);
        return;
      }
      showRunning(task);
    }
  } catch (error) {
    if (!isAbort(error)) showApiError(error);
  } finally {
    if (state.follow === controller) state.follow = null;
  }
}

function showRunning(task) {
  const isVideoTask = task.kind === 'video';
  const progress = Number(task.progress);
  const done = Number.isFinite(progress) && isVideoTask ? ` ${Math.round(progress * 100)} %` : '';
  const where = task.status === 'queued' ? ` on queue ${task.queue ?? task.model}` : '';
  setStatus(`Task ${task.task_id}: ${task.status}${done}${where}…`, task.status, isVideoTask && Number.isFinite(progress) ? progress : undefined);
}

function expired(id) {
  updateRecent(id, { status: 'expired' });
  setStatus('Task not found.', null);
  showError('Task expired', `Task ${id} is no longer on the server: it expired (tasks are kept for a limited time, 24 hours by default) or was deleted. Submit the file again to see its result.`, 404);
}

async function reopen(entry) {
  stopFollowing();
  clearError();
  hideResult();
  setStatus(`Opening task ${entry.id}…`, null);
  state.shown = { id: entry.id, imageSource: entry.thumb ?? null, videoUrl: null };
  const controller = new AbortController();
  state.follow = controller;
  try {
    const task = await api(`/api/task/${encodeURIComponent(entry.id)}`, { signal: controller.signal });
    updateRecent(entry.id, { status: task.status });
    if (TERMINAL.has(task.status)) renderTask(task);
    else follow(entry.id, task.kind);
  } catch (error) {
    if (isAbort(error)) return;
    if (error instanceof ApiError && error.status === 404) expired(entry.id);
    else {
      setStatus('Could not open the task.', null);
      showApiError(error, 'Opening the task');
    }
  }
}

// ---------------------------------------------------------------- rendering a finished task

function hideResult() {
  $('result').hidden = true;
}

const num = (value) => {
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

function formatMs(value) {
  const n = num(value);
  if (n === null) return '–';
  return n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;
}

function colourFor(detection) {
  const id = num(detection.class_id);
  if (id !== null && id >= 0) return PALETTE[id % PALETTE.length];
  let hash = 0;
  for (const ch of labelOf(detection)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

function labelOf(detection) {
  if (typeof detection.class_name === 'string' && detection.class_name) return detection.class_name;
  return num(detection.class_id) !== null ? `class ${detection.class_id}` : 'object';
}

function boxOf(detection) {
  const b = detection.bbox;
  const values = Array.isArray(b) ? b : [b?.x1, b?.y1, b?.x2, b?.y2];
  const [x1, y1, x2, y2] = values.map(num);
  return [x1, y1, x2, y2].every((v) => v !== null) ? { x1, y1, x2, y2 } : null;
}

function detectionsOf(list) {
  return (Array.isArray(list) ? list : [])
    .filter((d) => d && typeof d === 'object')
    .map((d) => ({ label: labelOf(d), confidence: num(d.confidence) ?? 0, box: boxOf(d), colour: colourFor(d) }))
    .sort((a, b) => b.confidence - a.confidence);
}

function countByClass(detections) {
  const counts = new Map();
  for (const d of detections) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const percent = (confidence) => `${Math.round(confidence * 100)}%`;

function renderTask(task) {
  const result = task.result && typeof task.result === 'object' ? task.result : null;
  $('raw').textContent = JSON.stringify(task, null, 2);
  renderTimings(task, result);
  renderServerImage(task);
  $('boxes').hidden = true;
  $('video-view').hidden = true;
  $('detections-view').hidden = true;
  $('summary').textContent = '';
  $('result').hidden = false;

  if (task.status === 'failed') {
    setStatus(`Task ${task.task_id}: failed.`, 'failed');
    showError('The task failed', typeof task.error === 'string' && task.error ? task.error : 'The worker gave no reason.');
  } else if (task.status === 'cancelled') {
    setStatus(`Task ${task.task_id}: cancelled.`, 'cancelled');
  } else {
    setStatus(`Task ${task.task_id}: completed.`, 'completed', task.kind === 'video' ? 1 : undefined);
    if (task.kind === 'video' || Array.isArray(result?.frames)) renderVideo(task, result);
    else renderImage(task, result);
  }
}

function renderImage(task, result) {
  const detections = detectionsOf(result?.detections);
  const face = detections.length > 0 && detections.every((d) => d.label === 'face');
  const model = state.models.find((m) => m.key === task.model);
  const noun = face || (detections.length === 0 && isFaceModel(model)) ? 'face' : 'object';
  const counts = countByClass(detections);
  const breakdown = noun === 'object' && counts.length ? `: ${counts.map(([name, n]) => `${n} ${name}`).join(', ')}` : '';
  $('summary').textContent = `${plural(detections.length, noun)} found${breakdown}.`;
  renderDetectionsTable(detections);
  drawImage(result, detections);
}

function renderDetectionsTable(detections) {
  const body = $('detections').tBodies[0];
  body.replaceChildren(...detections.map((d, index) => {
    const row = document.createElement('tr');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.setProperty('--colour', d.colour);
    const name = document.createElement('td');
    name.append(swatch, d.label);
    const box = d.box ? [d.box.x1, d.box.y1, d.box.x2, d.box.y2].map((v) => Math.round(v)).join(', ') : '–';
    row.append(cell(String(index + 1)), name, cell(`${(d.confidence * 100).toFixed(1)} %`, 'num'), cell(box, 'mono'));
    return row;
  }));
  $('detections-view').hidden = detections.length === 0;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function loadImage(src) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('image did not load'));
    image.src = src;
  });
}

/** Draws the boxes over the picture: the chosen file, else the saved thumbnail, else a blank of the image's size. */
async function drawImage(result, detections) {
  const width = num(result?.image?.width);
  const height = num(result?.image?.height);
  const source = state.shown?.imageSource;
  let image = null;
  if (source) image = await loadImage(source).catch(() => null);
  const w = width ?? image?.naturalWidth ?? 640;
  const h = height ?? image?.naturalHeight ?? 480;
  const scale = Math.min(1, 1600 / Math.max(w, h));
  const canvas = $('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const context = canvas.getContext('2d');
  if (image) {
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
  } else {
    context.fillStyle = '#8a8f98';
    context.fillRect(0, 0, canvas.width, canvas.height);
  }
  $('boxes').hidden = false;
  const shownWidth = Math.min(canvas.width, $('boxes').clientWidth || canvas.width);
  drawBoxes(context, detections, scale, canvas.width, canvas.height, Math.max(1, canvas.width / shownWidth));

  const labels = detections.map((d) => d.label);
  $('boxes').dataset.labels = labels.join(',');
  canvas.setAttribute('aria-label', detections.length
    ? `${plural(detections.length, 'box')} drawn: ${detections.map((d) => `${d.label} ${percent(d.confidence)}`).join(', ')}`
    : 'No detections drawn');
  $('boxes-caption').textContent = image
    ? (source?.startsWith('data:') ? 'Boxes drawn over the saved thumbnail of your image.' : 'Boxes drawn in your browser over your image.')
    : 'The original image is not kept in this browser; boxes are drawn on a blank of its size.';
}

/**
 * Draws boxes and their labels in canvas pixels. `displayScale` is canvas pixels per screen pixel, so lines and
 * labels keep a readable size however much the picture is shrunk to fit. Labels are placed strongest first and
 * moved (above, inside, below the box) to avoid covering a stronger one; they are painted last, strongest on top.
 */
function drawBoxes(context, detections, scale, canvasWidth, canvasHeight, displayScale = 1) {
  const line = Math.max(2, Math.round(2 * displayScale));
  const fontSize = Math.round(13 * displayScale);
  const pad = Math.round(3 * displayScale);
  context.font = `600 ${fontSize}px system-ui, sans-serif`;
  context.textBaseline = 'top';

  const placed = [];
  const items = [];
  for (const d of detections) {
    if (!d.box) continue;
    const x = d.box.x1 * scale;
    const y = d.box.y1 * scale;
    const w = (d.box.x2 - d.box.x1) * scale;
    const h = (d.box.y2 - d.box.y1) * scale;
    const text = `${d.label} ${percent(d.confidence)}`;
    const tw = Math.ceil(context.measureText(text).width) + pad * 2;
    const th = fontSize + pad * 2;
    const tx = Math.min(Math.max(0, x - line / 2), Math.max(0, canvasWidth - tw));
    const fits = [y - th, y, y + h, y + h - th].filter((ty) => ty >= 0 && ty + th <= canvasHeight);
    const candidates = fits.length ? fits : [Math.max(0, Math.min(y - th, canvasHeight - th))];
    const free = (ty) => !placed.some((p) => tx < p.x + p.w && p.x < tx + tw && ty < p.y + p.h && p.y < ty + th);
    const ty = candidates.find(free) ?? candidates[0];
    const label = { x: tx, y: ty, w: tw, h: th };
    placed.push(label);
    items.push({ d, x, y, w, h, text, label });
  }

  const weakestFirst = [...items].reverse();
  context.lineWidth = line;
  for (const item of weakestFirst) {
    context.strokeStyle = item.d.colour;
    context.strokeRect(item.x, item.y, item.w, item.h);
  }
  for (const { d, text, label } of weakestFirst) {
    context.fillStyle = d.colour;
    context.fillRect(label.x, label.y, label.w, label.h);
    context.fillStyle = '#fff';
    context.fillText(text, label.x + pad, label.y + pad);
  }
}

function renderTimings(task, result) {
  const rows = [
    ['Queue time', formatMs(task.queue_time_ms)],
    ['Processing time', formatMs(task.processing_time_ms)],
  ];
  rows.push(['Model', String(task.model ?? '–')]);
  if (typeof result?.device === 'string') rows.push(['Device', result.device]);
  if (num(result?.image?.width) !== null) rows.push(['Image', `${result.image.width} × ${result.image.height} px`]);
  if (typeof task.file_name === 'string') rows.push(['File', task.file_name]);
  rows.push(['Task id', String(task.task_id ?? '–')]);
  $('timings').replaceChildren(...rows.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }));
}

/**
 * The server's annotated or blurred image. Fetched (with the API key, which an <img> could not send) into an object
 * URL; only same-origin paths are followed.
 */
async function renderServerImage(task) {
  const figure = $('server-image');
  const url = typeof task.image_url === 'string' ? task.image_url : '';
  if (state.serverImageUrl) URL.revokeObjectURL(state.serverImageUrl);
  state.serverImageUrl = null;
  $('server-img').removeAttribute('src');
  $('server-note').textContent = '';
  figure.hidden = !(url.startsWith('/') && !url.startsWith('//'));
  if (figure.hidden) return;
  figure.dataset.source = url;
  try {
    const response = await fetch(url, { headers: authHeaders() });
    if (!response.ok) throw new Error(response.status === 404 ? 'it has expired' : `HTTP ${response.status}`);
    const objectUrl = URL.createObjectURL(await response.blob());
    if (figure.dataset.source !== url) {
      URL.revokeObjectURL(objectUrl);
      return;
    }
    state.serverImageUrl = objectUrl;
    $('server-img').src = objectUrl;
    $('server-link').href = objectUrl;
    $('server-link').download = `${task.task_id}.jpg`;
  } catch (error) {
    $('server-note').textContent = `The server's image could not be loaded: ${error.message}.`;
  }
}

// ---------------------------------------------------------------- video

function renderVideo(task, result) {
  const frames = (Array.isArray(result?.frames) ? result.frames : [])
    .filter((f) => f && typeof f === 'object')
    .map((f) => ({ index: num(f.index), time: num(f.time_s), detections: detectionsOf(f.detections) }));
  const summary = result?.summary && typeof result.summary === 'object' ? result.summary : {};

  let counts = summary.counts && typeof summary.counts === 'object'
    ? Object.entries(summary.counts).map(([name, n]) => [name, num(n) ?? 0])
    : countByClass(frames.flatMap((f) => f.detections));
  counts = counts.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const framesProcessed = num(summary.frames_processed) ?? frames.length;
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  const maxInFrame = summary.max_in_frame;
  const perClassMax = maxInFrame && typeof maxInFrame === 'object' ? maxInFrame : null;
  const most = num(maxInFrame) ?? (perClassMax ? null : Math.max(0, ...frames.map((f) => f.detections.length)));

  $('summary').textContent = `${plural(framesProcessed, 'frame')} sampled, ${plural(total, 'detection')}.`;
  $('video-summary').textContent = most !== null ? `At most ${plural(most, 'detection')} in one frame.` : '';

  const table = $('counts-table');
  const head = table.tHead.rows[0];
  head.replaceChildren(headerCell('Class'), headerCell('Detections', 'num'));
  if (perClassMax) head.append(headerCell('Most in one frame', 'num'));
  table.tBodies[0].replaceChildren(...counts.map(([name, n]) => {
    const row = document.createElement('tr');
    row.append(cell(name), cell(String(n), 'num'));
    if (perClassMax) row.append(cell(String(num(perClassMax[name]) ?? '–'), 'num'));
    return row;
  }));

  const videoUrl = state.shown?.videoUrl;
  const strip = $('frames');
  strip.replaceChildren(...frames.map((frame) => {
    const li = document.createElement('li');
    const body = document.createElement(videoUrl ? 'button' : 'div');
    body.className = 'frame';
    if (videoUrl) {
      body.type = 'button';
      body.addEventListener('click', () => seekVideo(frame.time));
    }
    const time = document.createElement('span');
    time.className = 'frame-time';
    time.textContent = frame.time !== null ? `${frame.time.toFixed(1)} s` : `#${frame.index ?? '?'}`;
    const classes = document.createElement('span');
    classes.className = 'frame-classes';
    const frameCounts = countByClass(frame.detections);
    classes.textContent = frameCounts.length ? frameCounts.map(([name, n]) => `${n} ${name}`).join(', ') : 'nothing';
    body.append(time, classes);
    li.append(body);
    return li;
  }));

  setUpVideo(videoUrl, frames);
  $('video-view').hidden = false;
}

function headerCell(text, className) {
  const th = document.createElement('th');
  th.scope = 'col';
  th.textContent = text;
  if (className) th.className = className;
  return th;
}

function setUpVideo(url, frames) {
  const video = $('video');
  const figure = $('video-figure');
  if (!url) {
    figure.hidden = true;
    video.removeAttribute('src');
    video.load();
    return;
  }
  figure.hidden = false;
  video.src = url;
  const draw = () => {
    const canvas = $('video-canvas');
    if (!video.videoWidth) return;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d');
    context.clearRect(0, 0, canvas.width, canvas.height);
    const t = video.currentTime;
    let nearest = null;
    for (const frame of frames) {
      if (frame.time !== null && frame.time <= t + 0.05) nearest = frame;
    }
    if (nearest) drawBoxes(context, nearest.detections, 1, canvas.width, canvas.height, Math.max(1, canvas.width / (video.clientWidth || canvas.width)));
  };
  video.onloadedmetadata = draw;
  video.onseeked = draw;
  video.ontimeupdate = draw;
}

function seekVideo(time) {
  const video = $('video');
  if (time !== null && Number.isFinite(time)) {
    video.pause();
    video.currentTime = time;
    video.focus();
  }
}

// ---------------------------------------------------------------- recent tasks

function loadRecent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((e) => e && typeof e.id === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

/** Saves the list; when storage is full, drops thumbnails from the oldest entries first. */
function saveRecent(list) {
  const entries = list.slice(0, RECENT_MAX);
  for (let oldest = entries.length - 1; ; oldest -= 1) {
    try {
      localStorage.setItem(RECENT_KEY, JSON.stringify(entries));
      return;
    } catch {
      if (oldest < 0) return;
      entries[oldest] = { ...entries[oldest], thumb: null };
    }
  }
}

function addRecent(entry) {
  saveRecent([entry, ...loadRecent().filter((e) => e.id !== entry.id)]);
  renderRecent();
}

function updateRecent(id, changes) {
  const list = loadRecent();
  const entry = list.find((e) => e.id === id);
  if (!entry || Object.entries(changes).every(([k, v]) => entry[k] === v)) return;
  Object.assign(entry, changes);
  saveRecent(list);
  renderRecent();
}

function renderRecent() {
  const list = loadRecent();
  $('recent').replaceChildren(...list.map((entry) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'recent-item';
    button.dataset.taskId = entry.id;
    const name = document.createElement('span');
    name.className = 'recent-name';
    name.textContent = typeof entry.file === 'string' && entry.file ? entry.file : '(no file name)';
    const meta = document.createElement('span');
    meta.className = 'recent-meta';
    const when = new Date(entry.time);
    meta.textContent = `${entry.model ?? '?'} · ${entry.kind ?? 'image'} · ${Number.isNaN(when.getTime()) ? '' : when.toLocaleString()}`;
    const status = document.createElement('span');
    status.className = 'badge';
    status.dataset.status = String(entry.status ?? '');
    status.textContent = String(entry.status ?? 'unknown');
    button.append(name, meta, status);
    button.addEventListener('click', () => reopen(entry));
    li.append(button);
    return li;
  }));
  $('recent-empty').hidden = list.length > 0;
  $('recent-clear').hidden = list.length === 0;
}

/** A small JPEG of the chosen image, kept with the recent task so a reopened task shows its picture. */
async function makeThumbnail(url) {
  try {
    const image = await loadImage(url);
    const scale = Math.min(1, THUMB_MAX_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
    const data = canvas.toDataURL('image/jpeg', 0.75);
    return data.length <= THUMB_MAX_CHARS ? data : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- start

function start() {
  $('form').addEventListener('submit', submit);
  $('model').addEventListener('change', onModelChange);
  $('reload-models').addEventListener('click', () => { clearError(); loadModels(); });
  $('threshold').addEventListener('input', () => {
    state.thresholdTouched = true;
    $('threshold-value').textContent = Number($('threshold').value).toFixed(2);
    $('threshold-reset').hidden = false;
  });
  $('threshold-reset').addEventListener('click', () => {
    state.thresholdTouched = false;
    $('threshold-reset').hidden = true;
    onModelChange();
    $('threshold').focus();
  });
  $('blur').addEventListener('change', updateBlurClasses);
  // Kept for this tab only (sessionStorage), so a key typed on a shared machine does not outlive the session.
  $('api-key').value = sessionStorage.getItem(API_KEY) ?? '';
  $('access').open = $('api-key').value.length > 0;
  $('api-key').addEventListener('change', () => {
    const key = $('api-key').value.trim();
    if (key) sessionStorage.setItem(API_KEY, key); else sessionStorage.removeItem(API_KEY);
    if (state.models.length === 0) {
      clearError();
      loadModels();
    }
  });
  $('recent-clear').addEventListener('click', () => {
    saveRecent([]);
    renderRecent();
  });
  wireDropZone();
  renderRecent();
  loadModels();
}

start();
