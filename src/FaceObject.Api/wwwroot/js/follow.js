// Following one task to its end by long-polling GET /api/task/{id}, and opening a saved task again.
// At most one task is followed at a time: following another stops the first.
import { ApiError, getTask, isAbort, TERMINAL } from './api.js';
import { updateRecent } from './history.js';
import { hideResult, renderTask, setOnScreen } from './result.js';
import { clearError, setStatus, showApiError, showError } from './status.js';

// Long-poll lengths: an image task ends in well under a second, so one request usually sees it through; a video
// task is asked more often so its progress moves, still at most once every few seconds.
const WAIT_IMAGE = '10s';
const WAIT_VIDEO = '3s';
const MIN_POLL_GAP_MS = 1000;

/** The AbortController of the task being followed, or null. */
let following = null;

/** Waits `ms`; rejects with the signal's reason when it aborts first. */
export const sleep = (ms, signal) => new Promise((resolve, reject) => {
  if (signal?.aborted) { reject(signal.reason); return; }
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
});

export function stopFollowing() {
  following?.abort();
  following = null;
}

/** Long-polls the task until it ends; backs off on network errors; never more than one request per second. */
export async function follow(id, kind) {
  stopFollowing();
  const controller = new AbortController();
  following = controller;
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
        task = await getTask(id, { wait: waitFor, signal });
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
    if (following === controller) following = null;
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

/** Opens a task from the recent list: shows it if it has ended, else follows it. */
export async function reopen(entry) {
  stopFollowing();
  clearError();
  hideResult();
  setStatus(`Opening task ${entry.id}…`, null);
  setOnScreen({ id: entry.id, imageSource: entry.thumb ?? null, videoUrl: null });
  const controller = new AbortController();
  following = controller;
  try {
    const task = await getTask(entry.id, { signal: controller.signal });
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
