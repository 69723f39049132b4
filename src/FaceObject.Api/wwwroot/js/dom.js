// Small DOM helpers shared by the page's modules.
// Safety rule for every module of this page: text from the server or from a file name is only ever set with
// textContent or as an attribute value, never parsed as HTML (the page's Content-Security-Policy backs this up).

export const $ = (id) => document.getElementById(id);

export function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function headerCell(text, className) {
  const th = document.createElement('th');
  th.scope = 'col';
  th.textContent = text;
  if (className) th.className = className;
  return th;
}

/** An <option>; with no `text` it only carries a value (as in a <datalist>). */
export function option(value, text) {
  const element = document.createElement('option');
  element.value = value;
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Fills a <dl> with [term, value] rows. */
export function fillDefinitions(list, rows) {
  list.replaceChildren(...rows.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }));
}

/**
 * One entry of a "recent" style list: a button with a name, a meta line and a status badge, that runs `onOpen`.
 * `data` becomes the button's data attributes (e.g. { taskId }) for tests and styling.
 */
export function listItem({ name, meta, status, data = {}, onOpen }) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'recent-item';
  Object.assign(button.dataset, data);
  const nameSpan = document.createElement('span');
  nameSpan.className = 'recent-name';
  nameSpan.textContent = name;
  const metaSpan = document.createElement('span');
  metaSpan.className = 'recent-meta';
  metaSpan.textContent = meta;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.status = status;
  badge.textContent = status || 'unknown';
  button.append(nameSpan, metaSpan, badge);
  button.addEventListener('click', onOpen);
  li.append(button);
  return li;
}
