// The "Recent tasks" list: one button per saved task, which opens it again.
import { $, listItem } from './dom.js';
import { loadRecent } from './history.js';

/** Renders the saved tasks; `open(entry)` runs when one is chosen. */
export function renderRecent(open) {
  const list = loadRecent();
  $('recent').replaceChildren(...list.map((entry) => {
    const when = new Date(entry.time);
    return listItem({
      name: typeof entry.file === 'string' && entry.file ? entry.file : '(no file name)',
      meta: `${entry.model ?? '?'} · ${entry.kind ?? 'image'} · ${Number.isNaN(when.getTime()) ? '' : when.toLocaleString()}`,
      status: String(entry.status ?? ''),
      data: { taskId: entry.id },
      onOpen: () => open(entry),
    });
  }));
  $('recent-empty').hidden = list.length > 0;
  $('recent-clear').hidden = list.length === 0;
}
