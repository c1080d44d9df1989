// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) opens a page served
// from another origin, which pages through every public cloud of a standin started with
// `--fixtures docs`, by fetch() with a bearer token and by JSON-P; this checks what it read.
//
// Usage: node ci/marketplace_browser_check.mjs <page URL> <marketplace URL> <token> <screenshot path>
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [pageUrl, apiUrl, token, screenshot] = process.argv.slice(2);
const expectedTotal = 20;

function fail(message) {
  console.error('marketplace-browser: ' + message);
  process.exitCode = 1;
}

const userDataDir = mkdtempSync(join(tmpdir(), 'standin-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  const requests = [];
  page.on('request', (r) => { if (r.url().startsWith(apiUrl)) requests.push(r.method() + ' ' + r.url()); });
  // The token-less fetch's 400 is expected; anything else the page logs is shown.
  page.on('console', (m) => { if (!m.text().includes('status of 400')) console.log('page console: ' + m.text()); });
  const url = `${pageUrl}?api=${encodeURIComponent(apiUrl)}&token=${encodeURIComponent(token)}`;
  await page.goto(url);
  await page.waitForFunction(() => window.standinResult !== undefined, null, { timeout: 30000 });
  const result = await page.evaluate(() => window.standinResult);
  await page.screenshot({ path: screenshot, fullPage: true });

  if (result.origin === new URL(apiUrl).origin) fail('the page is not on another origin');
  if (result.errors.length) fail('the page reported: ' + result.errors.join('; '));
  const ids = (pages) => (pages ?? []).flatMap((p) => p.data.map((c) => c.ID));
  const fetched = ids(result.fetch);
  const jsonp = ids(result.jsonp);
  for (const [how, list] of [['fetch', fetched], ['JSON-P', jsonp]]) {
    if (list.length !== expectedTotal) fail(`${how} read ${list.length} clouds, expected ${expectedTotal}`);
    if (new Set(list).size !== list.length) fail(`${how} read a cloud twice`);
  }
  if (JSON.stringify(fetched) !== JSON.stringify(jsonp)) fail('fetch and JSON-P read different clouds');
  const first = result.fetch?.[0];
  if (first && (first.total !== expectedTotal || first.last_page !== 2 || first.data[0].Name !== 'Next-Generation AgileCLOUD')) {
    fail('the first page is not the documented page: ' + JSON.stringify(first).slice(0, 200));
  }
  if (result.denied?.status !== 400 || result.denied?.body?.error !== 'invalid_request') {
    fail('a fetch without a token was not a readable 400 invalid_request: ' + JSON.stringify(result.denied));
  }
  if (!requests.some((r) => r.startsWith('GET ') && r.includes('callback=standinJsonp.page2'))) {
    fail('no JSON-P request for page 2 was seen');
  }
  if (!process.exitCode) {
    console.log(`marketplace-browser: ${result.origin} read ${fetched.length} public clouds from ${apiUrl}` +
      ` by fetch (${result.fetch.length} pages) and by JSON-P (${result.jsonp.length} pages), and a token-less fetch` +
      ` read its 400; screenshot ${screenshot}`);
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
