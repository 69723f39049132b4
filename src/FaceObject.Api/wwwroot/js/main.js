// FaceObject try-it page: the entry module. Plain ES modules, no build step, talks only to its own origin.
import { configureApi } from './api.js';
import { $ } from './dom.js';
import { reopen } from './follow.js';
import { loadModels, wireForm } from './form.js';
import { clearRecent, onRecentChange } from './history.js';
import { allModels } from './models.js';
import { renderRecent } from './recent.js';
import { clearError } from './status.js';
import { loadStreams, wireStreams } from './streams.js';

const API_KEY = 'faceobject.apiKey';

function start() {
  configureApi({
    apiKey: () => $('api-key').value.trim(),
    onUnauthorized: () => { $('access').open = true; },
  });
  wireForm();
  wireStreams();

  // Kept for this tab only (sessionStorage), so a key typed on a shared machine does not outlive the session.
  $('api-key').value = sessionStorage.getItem(API_KEY) ?? '';
  $('access').open = $('api-key').value.length > 0;
  $('api-key').addEventListener('change', () => {
    const key = $('api-key').value.trim();
    if (key) sessionStorage.setItem(API_KEY, key); else sessionStorage.removeItem(API_KEY);
    if (allModels().length === 0) {
      clearError();
      loadModels();
    }
    loadStreams();
  });

  const showRecent = () => renderRecent(reopen);
  onRecentChange(showRecent);
  $('recent-clear').addEventListener('click', clearRecent);
  showRecent();
  loadModels();
  loadStreams();
}

start();
