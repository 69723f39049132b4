// A finished video task: counts per class, the sampled frames, and the video with the nearest frame's boxes over it.
import { countByClass, detectionsOf, num, plural } from './detections.js';
import { $, cell, headerCell } from './dom.js';
import { drawBoxes } from './draw.js';

/** `videoUrl` is the object URL of the video chosen in this tab, or null (a reopened task has no video to play). */
export function renderVideo(result, videoUrl) {
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
