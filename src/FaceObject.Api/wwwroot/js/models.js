// The models the server offers, read from GET /api/models: an array of the API's ModelView
// (src/FaceObject.Api/Endpoints/Contracts.cs), snake_case. Fields this page uses:
//   key, queue, type: strings, always present
//   served: whether a worker has reported the model; when false, device, classes and class_count are null
//   device: the execution provider the workers really use (cpu, cuda or mixed), or null
//   classes: class names by class id, or null
//   score_threshold: 0..1, or null when neither a worker nor the configuration sets one
import { ApiError } from './api.js';

let models = [];
const listeners = [];

const text = (value) => (typeof value === 'string' ? value : null);

/** One ModelView as this page uses it; throws when the server's answer is not the documented shape. */
function readModel(view) {
  if (!view || typeof view !== 'object' || typeof view.key !== 'string' || view.key.length === 0) {
    throw new ApiError('Unexpected answer', 'The server\'s model list has an entry without a model key.');
  }
  const threshold = Number(view.score_threshold);
  return {
    key: view.key,
    queue: text(view.queue) ?? view.key,
    type: text(view.type),
    device: text(view.device),
    served: view.served === true,
    classes: Array.isArray(view.classes) ? view.classes.filter((c) => typeof c === 'string') : [],
    scoreThreshold: Number.isFinite(threshold) && threshold > 0 ? threshold : null,
  };
}

/** Replaces the known models with the body of GET /api/models, and returns them. */
export function setModels(body) {
  if (!Array.isArray(body)) {
    throw new ApiError('Unexpected answer', 'The server\'s model list is not a JSON array.');
  }
  models = body.map(readModel);
  for (const listener of listeners) listener(models);
  return models;
}

/** `listener(models)` runs each time the model list is replaced. */
export function onModelsChange(listener) {
  listeners.push(listener);
}

export const allModels = () => models;

export const findModel = (key) => models.find((m) => m.key === key);

/** A face model finds one class, "face"; before any worker reports its classes, its type says so. */
export function isFaceModel(model) {
  if (!model) return false;
  if (model.classes.length > 0) return model.classes.length === 1 && model.classes[0] === 'face';
  return model.type === 'ultraface';
}

/** The picker's label: key, type and device, and whether any worker serves it. */
export function optionLabel(model) {
  const details = [model.type, model.device].filter((x) => typeof x === 'string' && x.length > 0);
  return model.key + (details.length ? ` (${details.join(', ')})` : '') + (model.served ? '' : ', no worker');
}

/** The sentence under the picker. */
export function describe(model) {
  const parts = [];
  if (model.type) parts.push(`type ${model.type}`);
  if (model.device) parts.push(`device ${model.device}`);
  if (model.queue !== model.key) parts.push(`queue ${model.queue}`);
  if (model.classes.length === 1) parts.push(`finds ${model.classes[0]}`);
  else if (model.classes.length > 1) parts.push(`${model.classes.length} classes`);
  let sentence = parts.length ? parts.join(', ') + '.' : `Model ${model.key}.`;
  if (!model.served) sentence += ' No worker serves its queue right now: tasks wait until one starts.';
  return sentence;
}
