// Canvas work: loading a picture, drawing labelled boxes over it, and the small thumbnail kept with a recent task.
import { percent } from './detections.js';

const THUMB_MAX_SIDE = 480;
const THUMB_MAX_CHARS = 80_000;

export function loadImage(src) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('image did not load'));
    image.src = src;
  });
}

/**
 * Draws boxes and their labels in canvas pixels. `displayScale` is canvas pixels per screen pixel, so lines and
 * labels keep a readable size however much the picture is shrunk to fit. Labels are placed strongest first and
 * moved (above, inside, below the box) to avoid covering a stronger one; they are painted last, strongest on top.
 */
export function drawBoxes(context, detections, scale, canvasWidth, canvasHeight, displayScale = 1) {
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

/** A small JPEG data URL of the image, kept with the recent task so a reopened task shows its picture; null if too big. */
export async function makeThumbnail(url) {
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
