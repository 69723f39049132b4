// Reading detections out of a task result, and the words and numbers the page shows for them.

const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#e65100', '#00838f', '#c2185b', '#5d4037',
  '#455a64', '#6a1b9a', '#827717', '#0d47a1', '#b71c1c', '#1b5e20', '#4527a0', '#ad1457'];

export const num = (value) => {
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

export const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const percent = (confidence) => `${Math.round(confidence * 100)}%`;

export function formatMs(value) {
  const n = num(value);
  if (n === null) return '–';
  return n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;
}

function labelOf(detection) {
  if (typeof detection.class_name === 'string' && detection.class_name) return detection.class_name;
  return num(detection.class_id) !== null ? `class ${detection.class_id}` : 'object';
}

/** One colour per class id (the same class has the same colour in every task); by name when there is no id. */
function colourFor(detection) {
  const id = num(detection.class_id);
  if (id !== null && id >= 0) return PALETTE[id % PALETTE.length];
  let hash = 0;
  for (const ch of labelOf(detection)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** The box in original image pixels, or null when it is missing or not numeric. */
function boxOf(detection) {
  const b = detection.bbox;
  const values = Array.isArray(b) ? b : [b?.x1, b?.y1, b?.x2, b?.y2];
  const [x1, y1, x2, y2] = values.map(num);
  return [x1, y1, x2, y2].every((v) => v !== null) ? { x1, y1, x2, y2 } : null;
}

/** { label, confidence, box, colour } for each detection, strongest first. */
export function detectionsOf(list) {
  return (Array.isArray(list) ? list : [])
    .filter((d) => d && typeof d === 'object')
    .map((d) => ({ label: labelOf(d), confidence: num(d.confidence) ?? 0, box: boxOf(d), colour: colourFor(d) }))
    .sort((a, b) => b.confidence - a.confidence);
}

/** [label, count] pairs, most frequent first, then by name. */
export function countByClass(detections) {
  const counts = new Map();
  for (const d of detections) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
