// The recent tasks of this browser, kept in localStorage: { id, model, kind, file, time, status, thumb }, newest first.

const RECENT_KEY = 'faceobject.recent.v1';
const RECENT_MAX = 20;

const listeners = [];

/** `listener` runs after every change to the list. */
export function onRecentChange(listener) {
  listeners.push(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

export function loadRecent() {
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

export function addRecent(entry) {
  saveRecent([entry, ...loadRecent().filter((e) => e.id !== entry.id)]);
  changed();
}

/** Merges `changes` into the entry of task `id`, if there is one and anything differs. */
export function updateRecent(id, changes) {
  const list = loadRecent();
  const entry = list.find((e) => e.id === id);
  if (!entry || Object.entries(changes).every(([k, v]) => entry[k] === v)) return;
  Object.assign(entry, changes);
  saveRecent(list);
  changed();
}

export function clearRecent() {
  saveRecent([]);
  changed();
}
