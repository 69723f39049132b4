// Debian's Chromium driven by playwright-core (Playwright's own browser download does not work here).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.FACEOBJECT_CHROMIUM || '/usr/bin/chromium';

export const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (scripts/install-deps.sh --with-redis does).`);
  }
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, headless: true, args, timeout: 60_000 });
}

export const desktop = { viewport: { width: 1280, height: 900 } };
export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * A page that records every request it makes and every uncaught script error, so a test can assert the page stays
 * on its own origin and runs without errors. (Console messages are not collected: Chromium logs each refused
 * request, which some tests cause on purpose.)
 */
export async function openPage(browser, baseUrl, options = desktop) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(baseUrl + '/');
  return { context, page, requests, errors };
}

export const shot = (page, name, fullPage = true) =>
  page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
