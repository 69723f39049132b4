// The result panel for a finished task: summary, boxes over the picture, detections table, timings, the server's
// output image and the raw JSON. Video results are drawn by video.js.
import { fetchOutputImage } from './api.js';
import { countByClass, detectionsOf, formatMs, num, percent, plural } from './detections.js';
import { $, cell, fillDefinitions } from './dom.js';
import { drawBoxes, loadImage } from './draw.js';
import { findModel, isFaceModel } from './models.js';
import { setStatus, showError } from './status.js';
import { renderVideo } from './video.js';

/** { id, imageSource, videoUrl } of the task on screen: the picture or video the boxes are drawn over, if known. */
let shown = null;
/** Object URL of the server's output image on screen, revoked when another replaces it. */
let serverImageUrl = null;

export const onScreen = () => shown;

export function setOnScreen(task) {
  shown = task;
}

export function hideResult() {
  $('result').hidden = true;
}

export function renderTask(task) {
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
    if (task.kind === 'video' || Array.isArray(result?.frames)) renderVideo(result, shown?.videoUrl);
    else renderImage(task, result);
  }
}

function renderImage(task, result) {
  const detections = detectionsOf(result?.detections);
  const face = detections.length > 0 && detections.every((d) => d.label === 'face');
  const noun = face || (detections.length === 0 && isFaceModel(findModel(task.model))) ? 'face' : 'object';
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

/** Draws the boxes over the picture: the chosen file, else the saved thumbnail, else a blank of the image's size. */
async function drawImage(result, detections) {
  const width = num(result?.image?.width);
  const height = num(result?.image?.height);
  const source = shown?.imageSource;
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
  fillDefinitions($('timings'), rows);
}

/**
 * The server's annotated or blurred image. Fetched (with the API key, which an <img> could not send) into an object
 * URL; only same-origin paths are followed.
 */
async function renderServerImage(task) {
  const figure = $('server-image');
  const url = typeof task.image_url === 'string' ? task.image_url : '';
  if (serverImageUrl) URL.revokeObjectURL(serverImageUrl);
  serverImageUrl = null;
  $('server-img').removeAttribute('src');
  $('server-note').textContent = '';
  figure.hidden = !(url.startsWith('/') && !url.startsWith('//'));
  if (figure.hidden) return;
  figure.dataset.source = url;
  try {
    const objectUrl = URL.createObjectURL(await fetchOutputImage(url));
    if (figure.dataset.source !== url) {
      URL.revokeObjectURL(objectUrl);
      return;
    }
    serverImageUrl = objectUrl;
    $('server-img').src = objectUrl;
    $('server-link').href = objectUrl;
    $('server-link').download = `${task.task_id}.jpg`;
  } catch (error) {
    $('server-note').textContent = `The server's image could not be loaded: ${error.message}.`;
  }
}
