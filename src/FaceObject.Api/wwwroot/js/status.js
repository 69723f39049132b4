// The alerts (what went wrong, in the server's words) and the status line with its steps and progress bar.
// `alertId` names the alert box: the page's own (#alert, by default) or a section's, such as the live camera's.
import { ApiError, TERMINAL } from './api.js';
import { $ } from './dom.js';

const STEPS = ['queued', 'processing', 'done'];

export function showError(title, detail, status, alertId = 'alert') {
  const alert = $(alertId);
  alert.replaceChildren();
  const strong = document.createElement('strong');
  strong.textContent = status ? `${title} (${status})` : title;
  const text = document.createElement('span');
  text.className = 'alert-detail';
  text.textContent = detail;
  alert.append(strong, ' ', text);
  alert.hidden = false;
}

export function showApiError(error, prefix, alertId = 'alert') {
  if (error instanceof ApiError) {
    showError(prefix ? `${prefix}: ${error.title}` : error.title, error.detail, error.status, alertId);
  } else {
    showError(prefix || 'Something went wrong', String(error?.message ?? error), undefined, alertId);
  }
}

export function clearError(alertId = 'alert') {
  $(alertId).hidden = true;
  $(alertId).replaceChildren();
}

/** `status` is a task status (or null to hide the steps); `progress` 0..1 shows the bar, undefined hides it. */
export function setStatus(text, status, progress) {
  $('status-text').textContent = text;
  const steps = $('steps');
  steps.hidden = !status;
  const current = TERMINAL.has(status) ? 'done' : status;
  for (const li of steps.children) {
    const step = li.dataset.step;
    li.classList.toggle('past', STEPS.indexOf(step) < STEPS.indexOf(current));
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
