// The submit form: the model picker, the chosen file (input or drop), the threshold and output options, and Detect.
import { ApiError, listModels, submitDetection } from './api.js';
import { $, option } from './dom.js';
import { makeThumbnail } from './draw.js';
import { follow, stopFollowing } from './follow.js';
import { addRecent } from './history.js';
import { describe, findModel, isFaceModel, optionLabel, setModels } from './models.js';
import { hideResult, onScreen, setOnScreen } from './result.js';
import { clearError, setStatus, showApiError } from './status.js';

let file = null;
/** Object URL of the chosen file; kept while the task on screen draws over it. */
let fileUrl = null;
/** Whether the person moved the threshold slider: only then is score_threshold sent. */
let thresholdTouched = false;

const selectedModel = () => findModel($('model').value);

/** Fills a model <select> with `models`, keeping the chosen one when it is still offered. */
export function fillModelSelect(select, models) {
  const previous = select.value;
  select.replaceChildren(...models.map((model) => option(model.key, optionLabel(model))));
  if (models.some((m) => m.key === previous)) select.value = previous;
}

/** GET /api/models into the model pickers (this form's, and every listener of models.js). */
export async function loadModels() {
  const select = $('model');
  $('model-info').textContent = 'Loading the models…';
  try {
    const models = setModels(await listModels());
    fillModelSelect(select, models);
    if (models.length === 0) {
      $('model-info').textContent = 'The server has no models configured.';
    }
    onModelChange();
  } catch (error) {
    $('model-info').textContent = 'The models could not be loaded; press Reload to try again.';
    showApiError(error, 'Loading the models');
  }
  updateSubmit();
}

function onModelChange() {
  const model = selectedModel();
  if (!model) {
    updateSubmit();
    return;
  }

  $('model-info').textContent = describe(model);
  $('class-names').replaceChildren(...model.classes.map((name) => option(name)));

  if (!thresholdTouched) {
    const threshold = model.scoreThreshold;
    $('threshold').value = threshold !== null ? String(threshold) : '0.5';
    $('threshold-value').textContent = threshold !== null ? `${threshold.toFixed(2)} (model default)` : 'model default';
  }
  updateBlurClasses();
  updateSubmit();
}

function updateBlurClasses() {
  $('blur-classes-field').hidden = !($('blur').checked && !isFaceModel(selectedModel()));
}

function updateSubmit() {
  $('submit').disabled = !(file && selectedModel()) || $('submit').dataset.busy === 'true';
}

function isVideo(chosen) {
  if (chosen.type) return chosen.type.startsWith('video/');
  return /\.(mp4|m4v|mov|avi|mkv|webm)$/i.test(chosen.name);
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function chooseFile(chosen) {
  const shown = onScreen();
  if (fileUrl && fileUrl !== shown?.imageSource && fileUrl !== shown?.videoUrl) {
    URL.revokeObjectURL(fileUrl);
  }
  file = chosen ?? null;
  fileUrl = chosen ? URL.createObjectURL(chosen) : null;
  const preview = $('drop-preview');
  if (chosen && !isVideo(chosen)) {
    preview.src = fileUrl;
    preview.hidden = false;
    preview.onerror = () => { preview.hidden = true; };
  } else {
    preview.hidden = true;
    preview.removeAttribute('src');
  }
  $('drop-name').textContent = chosen ? `${chosen.name} · ${isVideo(chosen) ? 'video' : 'image'} · ${formatBytes(chosen.size)}` : '';
  $('drop-text').hidden = false;
  $('drop').classList.toggle('has-file', Boolean(chosen));
  $('video-field').hidden = !(chosen && isVideo(chosen));
  updateSubmit();
}

function wireDropZone() {
  const drop = $('drop');
  const input = $('file');
  input.addEventListener('change', () => chooseFile(input.files?.[0]));
  // Dropping a file anywhere else would navigate away from the page.
  for (const type of ['dragover', 'drop']) {
    window.addEventListener(type, (event) => event.preventDefault());
  }
  drop.addEventListener('dragenter', (event) => { event.preventDefault(); drop.classList.add('dragging'); });
  drop.addEventListener('dragover', (event) => { event.preventDefault(); event.dataTransfer.dropEffect = 'copy'; });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('dragging');
    const files = event.dataTransfer?.files;
    if (files?.length) {
      try { input.files = files; } catch { /* older browsers: the state below is what is sent */ }
      chooseFile(files[0]);
    }
  });
}

async function submit(event) {
  event.preventDefault();
  const model = selectedModel();
  const chosen = file;
  const chosenUrl = fileUrl;
  if (!model || !chosen) return;
  clearError();

  const video = isVideo(chosen);
  const form = new FormData();
  form.append('file', chosen, chosen.name);
  if (thresholdTouched) form.append('score_threshold', $('threshold').value);
  if ($('annotate').checked) form.append('annotate', 'true');
  if ($('blur').checked) {
    form.append('blur', 'true');
    const classes = $('blur-classes').value.trim();
    if (classes && !isFaceModel(model)) form.append('blur_classes', classes);
  }
  if (video) form.append('sample_fps', $('sample-fps').value);

  const button = $('submit');
  button.dataset.busy = 'true';
  button.textContent = 'Sending…';
  updateSubmit();
  stopFollowing();
  hideResult();
  setStatus(`Uploading ${chosen.name}…`, null);
  // On a narrow screen the result is below the form: bring it into view.
  if (window.matchMedia('(max-width: 820px)').matches) $('result-heading').scrollIntoView({ block: 'start' });
  try {
    const accepted = await submitDetection(model.key, video ? 'video' : 'image', form);
    const id = String(accepted?.task_id ?? '');
    if (!id) throw new ApiError('Unexpected answer', 'The server accepted the file but sent no task id.');
    const thumb = video ? null : await makeThumbnail(chosenUrl);
    addRecent({ id, model: model.key, kind: video ? 'video' : 'image', file: chosen.name, time: accepted.created_at ?? new Date().toISOString(), status: 'queued', thumb });
    setOnScreen({ id, imageSource: video ? null : chosenUrl, videoUrl: video ? chosenUrl : null });
    follow(id, video ? 'video' : 'image');
  } catch (error) {
    setStatus('Not submitted.', null);
    showApiError(error, 'Not submitted');
  } finally {
    button.dataset.busy = 'false';
    button.textContent = 'Detect';
    updateSubmit();
  }
}

/** Wires the form's controls; call once. */
export function wireForm() {
  $('form').addEventListener('submit', submit);
  $('model').addEventListener('change', onModelChange);
  $('reload-models').addEventListener('click', () => { clearError(); loadModels(); });
  $('threshold').addEventListener('input', () => {
    thresholdTouched = true;
    $('threshold-value').textContent = Number($('threshold').value).toFixed(2);
    $('threshold-reset').hidden = false;
  });
  $('threshold-reset').addEventListener('click', () => {
    thresholdTouched = false;
    $('threshold-reset').hidden = true;
    onModelChange();
    $('threshold').focus();
  });
  $('blur').addEventListener('change', updateBlurClasses);
  wireDropZone();
}
