// The "Recent tasks" list: one button per saved task, which opens it again.
import { $ } from './dom.js';
import { loadRecent } from './history.js';

/** Renders the saved tasks; `open(entry)` runs when one is chosen. */
export function renderRecent(open) {
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
    button.addEventListener('click', () => open(entry));
    li.append(button);
    return li;
  }));
  $('recent-empty').hidden = list.length > 0;
  $('recent-clear').hidden = list.length === 0;
}
