// The OpenAPI document the real API serves (/openapi/v1.json), linted by the Redocly CLI with its `recommended`
// ruleset (redocly.yaml), with and without API keys configured: no errors, and no operationId or security warnings,
// so client generators (Kiota, NSwag) get a name for every operation and know which ones need a key.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { startApi } from './support/api-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const redocly = path.join(here, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');

/** Warnings from these rules fail the test too; other warnings are printed. */
const strictWarnings = /^(operation-operationId|security-defined|no-unused-components)/;

async function fetchDocument(settings) {
  const api = await startApi({ settings });
  try {
    const response = await fetch(`${api.baseUrl}/openapi/v1.json`);
    const text = await response.text();
    assert.equal(response.status, 200, `GET /openapi/v1.json answered ${response.status}:\n${text}\n${api.output()}`);
    return text;
  } finally {
    await api.stop();
  }
}

function lint(document) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'faceobject-openapi-'));
  try {
    const file = path.join(folder, 'openapi.json');
    writeFileSync(file, document);
    const run = spawnSync(process.execPath, [redocly, 'lint', file, `--config=${path.join(here, 'redocly.yaml')}`, '--format=json'], {
      encoding: 'utf8',
      // No usage telemetry or update check: the test must not reach out of the machine.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    assert.ok(run.stdout.trim().startsWith('{'), `redocly lint printed no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** HS256 tokens (Auth:Jwt:SigningKey): nothing to reach at start, unlike an Authority. */
const jwtSettings = {
  Auth__Jwt__SigningKey: 'lint-signing-key-that-is-at-least-32-bytes',
  Auth__Jwt__Issuer: 'https://id.example.test',
  Auth__Jwt__Audience: 'faceobject-api',
};

const describeProblem = (p) => `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`;

for (const [name, settings] of [
  ['with Api:Keys', { Api__Keys__0: 'lint-key' }],
  ['without keys', {}],
  ['with Auth:Jwt and Api:Keys', { Api__Keys__0: 'lint-key', ...jwtSettings }],
]) {
  describe(`OpenAPI document ${name}`, () => {
    test('passes the Redocly recommended ruleset: no errors, no operationId or security warnings', { timeout: 180_000 }, async () => {
      const report = lint(await fetchDocument(settings));

      const failing = report.problems.filter((p) => p.severity === 'error' || strictWarnings.test(p.ruleId));
      const other = report.problems.filter((p) => !failing.includes(p));
      if (other.length > 0) console.log(`Other warnings (${name}):\n${other.map(describeProblem).join('\n')}`);
      assert.deepEqual(failing.map(describeProblem), [], `Redocly found ${report.totals.errors} error(s) and ${report.totals.warnings} warning(s)`);
    });
  });
}

test('with Api:Keys, exactly the /api operations, the seeds\' /camera alias, /info and /process, and the seed 001 routes carry the key schemes', { timeout: 120_000 }, async () => {
  const document = JSON.parse(await fetchDocument({ Api__Keys__0: 'lint-key' }));

  assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['ApiKey', 'Bearer']);
  assert.deepEqual(document.components.securitySchemes.ApiKey, {
    type: 'apiKey', description: "One of the server's Api:Keys.", name: 'X-Api-Key', in: 'header',
  });
  for (const [route, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const protectedRoute = route.startsWith('/api/') || route.startsWith('/camera/') || route === '/info' || route === '/process' || (operation.tags ?? []).includes('Seed 001 compatibility');
      const expected = protectedRoute ? [{ ApiKey: [] }, { Bearer: [] }] : [];
      assert.deepEqual(operation.security, expected, `${method.toUpperCase()} ${route}`);
      if (protectedRoute) assert.ok(operation.responses['401'], `${method.toUpperCase()} ${route} declares its 401`);
    }
  }
});

test('with Auth:Jwt beside Api:Keys, the /api operations accept a key or a JWT, and the JWT scheme is declared', { timeout: 120_000 }, async () => {
  const document = JSON.parse(await fetchDocument({ Api__Keys__0: 'lint-key', ...jwtSettings }));

  assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['ApiKey', 'Bearer', 'Jwt']);
  assert.equal(document.components.securitySchemes.Jwt.bearerFormat, 'JWT');
  assert.deepEqual(document.paths['/api/detect/{model}/image'].post.security, [{ ApiKey: [] }, { Bearer: [] }, { Jwt: [] }]);
  assert.deepEqual(document.paths['/health/live']?.get?.security ?? [], []);
});

test('the seed 001 routes are listed under their own tag, each with an operationId', { timeout: 120_000 }, async () => {
  const document = JSON.parse(await fetchDocument({}));

  const seed = [['post', '/upload'], ['get', '/status/{job_id}'], ['post', '/batch-upload'], ['get', '/stats'], ['get', '/queue-status'], ['get', '/health']];
  for (const [method, route] of seed) {
    const operation = document.paths[route]?.[method];
    assert.ok(operation, `${method.toUpperCase()} ${route} is documented`);
    assert.deepEqual(operation.tags, ['Seed 001 compatibility'], `${method.toUpperCase()} ${route}`);
    assert.ok(operation.operationId, `${method.toUpperCase()} ${route} has an operationId`);
  }
  assert.ok(document.paths['/status/{job_id}'].get.responses['404'], 'GET /status/{job_id} declares its 404');
});

test('the JSON body of an image submit is documented as JSON, beside the multipart upload', { timeout: 120_000 }, async () => {
  const document = JSON.parse(await fetchDocument({}));

  const body = document.paths['/api/detect/{model}/image'].post.requestBody.content;
  assert.deepEqual(Object.keys(body).sort(), ['application/json', 'multipart/form-data']);
  assert.deepEqual(body['application/json'].schema.oneOf.map((s) => s.$ref),
    ['#/components/schemas/ImageUrlRequest', '#/components/schemas/ImageKeyRequest']);
  assert.deepEqual(document.components.schemas.ImageUploadForm.properties.file, { type: 'string', format: 'binary' });
  assert.deepEqual(document.components.schemas.ImageUrlRequest.required, ['image_url']);
});
