// Starts the real all-in-one FaceObject host (the built Release DLL of src/FaceObject.AllInOne, in-memory storage, in-process workers for every
// model queue) on 127.0.0.1 and a free port, the way tests/FaceObject.Testing/ServiceProcess.cs does, and stops it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** ../shared beside the repository (FACEOBJECT_SHARED overrides it): the real models and test images. */
export const shared = process.env.FACEOBJECT_SHARED
  ? path.resolve(process.env.FACEOBJECT_SHARED)
  : path.resolve(repositoryRoot, '..', 'shared');

export const image = (name) => path.join(shared, 'testdata', 'images', name);
export const video = (name) => path.join(shared, 'testdata', 'videos', name);

const model = (name) => path.join(shared, 'models', name);

export const apiDll = path.join(repositoryRoot, 'src', 'FaceObject.AllInOne', 'bin', 'Release', 'net10.0', 'FaceObject.AllInOne.dll');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The API process; `settings` are extra environment variables (configuration keys with `__`). `stop()` is idempotent; the process is also killed if this test process exits without calling
 * it, so a crashed run leaves nothing behind.
 */
export async function startApi({ timeoutMs = 90_000, settings = {} } = {}) {
  if (!existsSync(apiDll)) {
    throw new Error(`${apiDll} is not built: run "dotnet build FaceObject.sln -c Release" first (scripts/test.sh does).`);
  }
  for (const file of [model('yolox_nano.onnx'), model('version-RFB-640.onnx'), image('dog.jpg')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: the tests need the shared models and images beside the repository.`);
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn('dotnet', [apiDll, '--urls', baseUrl], {
    cwd: path.dirname(apiDll),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DOTNET_ENVIRONMENT: 'Production',
      ASPNETCORE_ENVIRONMENT: 'Production',
      Logging__Console__FormatterName: 'simple',
      ConnectionStrings__Redis: '',
      Models__face__Path: model('version-RFB-640.onnx'),
      Models__object__Path: model('yolox_nano.onnx'),
      Models__object__Labels: model('coco.names'),
      Worker__WorkerCount: '1',
      ...settings,
    },
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => output.push(text));
  }
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const killOnExit = () => { if (exited === null) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

  const api = {
    baseUrl,
    output: () => output.join(''),
    async stop() {
      process.off('exit', killOnExit);
      if (exited !== null) return;
      const ended = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await ended;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      throw new Error(`The API exited (${exited.code ?? exited.signal}) before it answered:\n${api.output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/livez`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return api;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await api.stop();
      throw new Error(`The API did not answer ${baseUrl}/livez within ${timeoutMs / 1000} s:\n${api.output()}`);
    }
    await sleep(200);
  }
}
