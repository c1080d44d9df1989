// The docs site as a reader sees it, in headless Chromium (Debian's chromium, driven by
// playwright-core). Against a running standin it opens the landing page and each API's /docs page,
// checks that every operation of the contract is listed, runs one "Try it out" request per API and
// expects a 200, and fails on any console error. Then it opens the static site (ci/build-docs) from
// disk, offline, and checks the same listing. Screenshots go to target/docs-screenshots/.
//
// usage: node ci/docs-browser.mjs <site-dir>   (BARBICAN_URL, MARKETPLACE_URL, ORCHESTRATOR_URL set)

import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const siteDir = resolve(process.argv[2] ?? 'target/site');
const shots = resolve('target/docs-screenshots');
mkdirSync(shots, { recursive: true });

// One "Try it out" per API: an operation that answers 200 with the credentials the page pre-fills.
const apis = [
  { name: 'barbican', url: process.env.BARBICAN_URL, tryIt: 'listOrders' },
  { name: 'marketplace', url: process.env.MARKETPLACE_URL, tryIt: 'listPublicClouds' },
  // Swagger UI fills parameters from the documented example (another user's deployments, which
  // only an administrator may list): the filters are cleared to list the caller's own.
  { name: 'orchestrator', url: process.env.ORCHESTRATOR_URL, tryIt: 'listDeployments', clear: ['createdBy', 'userGroup'] },
];

let failures = 0;
let passes = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  ok ? passes++ : failures++;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  // playwright gives every launch a fresh, empty profile of its own.
});

async function openPage(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  // Nothing may leave the machine: a docs page that needs a CDN would fail here.
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!['file:', 'data:', 'blob:'].includes(u.protocol) && !['127.0.0.1', 'localhost'].includes(u.hostname)) {
      errors.push(`request to the network: ${req.url()}`);
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

function operations(contract) {
  const ops = [];
  for (const item of Object.values(contract.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method)) ops.push(op.operationId);
    }
  }
  return ops;
}

async function listedOperations(page) {
  await page.waitForSelector('.opblock', { timeout: 20000 });
  return page.$$eval('.opblock[id^="operations-"]', (els) => els.map((e) => e.id));
}

async function checkListing(page, name, contract) {
  const ids = await listedOperations(page);
  const missing = operations(contract).filter((op) => !ids.some((id) => id.endsWith(`-${op}`)));
  check(missing.length === 0, `${name}: all ${operations(contract).length} operations listed${missing.length ? ` (missing ${missing.join(', ')})` : ''}`);
}

// The landing page names every API, its docs and a curl command.
{
  const { page, errors } = await openPage(`${apis[0].url}/_standin/`);
  for (const api of apis) {
    const section = page.locator(`section#${api.name}`);
    check(await section.count() === 1, `landing page has a section for ${api.name}`);
    const docs = await section.locator('a.docs').getAttribute('href');
    check(docs === `${api.url}/docs`, `landing page links ${api.name}'s docs (${docs})`);
    check((await section.locator('pre code').innerText()).startsWith('curl '), `landing page gives a curl command for ${api.name}`);
  }
  await page.screenshot({ path: join(shots, 'landing.png'), fullPage: true });
  check(errors.length === 0, `landing page: no console errors ${errors.join(' | ')}`);
  await page.close();
}

for (const api of apis) {
  const contract = await (await fetch(`${api.url}/openapi.json`)).json();
  const { page, errors } = await openPage(`${api.url}/docs`);
  await checkListing(page, `${api.name} /docs`, contract);
  await page.screenshot({ path: join(shots, `${api.name}.png`) });
  if (api.tryIt) {
    const block = page.locator(`.opblock[id$="-${api.tryIt}"]`).first();
    await block.locator('.opblock-summary').click();
    await block.locator('button.try-out__btn').click();
    for (const param of api.clear ?? []) {
      await block.locator(`tr[data-param-name="${param}"] input`).fill('');
    }
    await block.locator('button.execute').click();
    const status = block.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 20000 });
    const code = (await status.innerText()).trim();
    check(code === '200', `${api.name}: "Try it out" on ${api.tryIt} answered ${code}`);
    await block.screenshot({ path: join(shots, `${api.name}-try-it.png`) });
  } else {
    check(false, `${api.name}: no "Try it out" operation configured`);
  }
  check(errors.length === 0, `${api.name} /docs: no console errors ${errors.join(' | ')}`);
  await page.close();
}

// The control plane's own reference, on every listener.
{
  const controlOps = [...readFileSync('openapi/control.yaml', 'utf8').matchAll(/^\s+operationId: (\w+)$/gm)].map((m) => m[1]);
  const { page, errors } = await openPage(`${apis[2].url}/_standin/docs`);
  const ids = await listedOperations(page);
  const missing = controlOps.filter((op) => !ids.some((id) => id.endsWith(`-${op}`)));
  check(controlOps.length > 10 && missing.length === 0, `control /_standin/docs: all ${controlOps.length} operations listed${missing.length ? ` (missing ${missing.join(', ')})` : ''}`);
  const block = page.locator('.opblock[id$="-getHealth"]').first();
  await block.locator('.opblock-summary').click();
  await block.locator('button.try-out__btn').click();
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 20000 });
  check((await status.innerText()).trim() === '200', 'control: "Try it out" on getHealth answered 200');
  await page.screenshot({ path: join(shots, 'control.png') });
  check(errors.length === 0, `control /_standin/docs: no console errors ${errors.join(' | ')}`);
  await page.close();
}

// The static site opens from disk with no server and no network.
{
  const { page, errors } = await openPage(`file://${siteDir}/index.html`);
  check(await page.locator('section').count() === apis.length, 'static landing page lists every API');
  await page.close();
  check(errors.length === 0, `static landing page: no console errors ${errors.join(' | ')}`);
  for (const api of apis) {
    const contract = await (await fetch(`${api.url}/openapi.json`)).json();
    const { page: ref, errors: refErrors } = await openPage(`file://${siteDir}/${api.name}.html`);
    await checkListing(ref, `static ${api.name}.html`, contract);
    await ref.screenshot({ path: join(shots, `static-${api.name}.png`) });
    check(refErrors.length === 0, `static ${api.name}.html: no console errors ${refErrors.join(' | ')}`);
    await ref.close();
  }
}

await browser.close();
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
