#!/usr/bin/env node
// End-to-end test of the static site (make static): the wizard's Go app
// compiled to WebAssembly and run by a service worker, hosted by a plain
// file server (python3 -m http.server). It runs the same walk as the
// self-hosted server's suite, fails on any request outside the page's
// origin, walks again offline after the first load, checks that features
// needing a host say so, and prints the timings.
//
//   make static && node --test-reporter=spec e2e/static.mjs   (tests are node:test's)
//   E2E_ONLY=ux node e2e/static.mjs   only the guidance of e2e/ux.mjs (a first-time
//     visitor opening a share link, before any service worker, first of all)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readZip } from './lib/archive.mjs';
import { haveChromium, launch } from './lib/browser.mjs';
import { buildServer, freePort, startServer, untilAnswers } from './lib/server.mjs';
import { coldPair, loadAverage, measureTyping, openForEdits, typingLines } from './perf.mjs';
import { uxSuite } from './ux.mjs';
import { walk } from './walk.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const site = join(root, 'dist', 'static');
const out = join(root, 'e2e', 'out', 'static');
const MINUTES = 60_000;
const only = process.env.E2E_ONLY;

// fileServer serves the site with Python's plain file server.
async function fileServer(port) {
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => child.kill('SIGTERM');
  try {
    await untilAnswers(`${base}/index.html`, { child });
  } catch (err) {
    stop();
    throw err;
  }
  return { base, stop };
}

// Script errors and requests that leave the page's origin; the last test
// fails on any.
const trouble = [];
function watch(context, base) {
  context.on('page', (page) => page.on('pageerror', (e) => trouble.push(`page error: ${e.message}`)));
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) trouble.push(`request outside the origin: ${url}`);
  });
  // The service worker's own fetches are requests too.
  context.on('serviceworker', (w) => w.on('console', () => {}));
}

// readiness measures, from navigation start, when the first step is usable
// (its HTML is pre-rendered) and when the Go app is running in the worker.
async function readiness(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.wizardReady !== undefined, null, { timeout: 30000 });
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { usable: nav.domInteractive, wasm: window.__wizardReadyAt ?? 0 };
  });
}

if (!haveChromium()) {
  const msg = 'static e2e: chromium not installed';
  test('chromium', { skip: process.env.CI === 'true' ? false : msg }, () => assert.fail(msg));
} else {
  staticSuite();
}

function staticSuite() {
  let tmp, bin, server, b, page;
  const timings = {};
  before(async () => {
    if (!existsSync(join(site, 'app.wasm'))) throw new Error(`${site} has no app.wasm: run make static first`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'tentacle-static-'));
    bin = buildServer(root, tmp);
    server = await fileServer(await freePort());
    b = await launch();
    watch(b.context, server.base);
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    page = b.context.pages()[0] ?? await b.context.newPage();
  });
  after(async () => {
    server?.stop();
    await b?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    printTimings(timings);
  });
  const generate = (planPath, zipPath) => {
    execFileSync(bin, ['generate', '-plan', planPath, '-out', zipPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readZip(readFileSync(zipPath));
  };
  const shot = async (p, name) => p.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  const common = () => ({ base: server.base, shot, out, generate });

  // Each launch is a new profile: the first visit opens a share link with
  // no service worker registered yet.
  const ux = (t) => uxSuite({ base: server.base, launch, watch, test: (name, fn) => t.test(name, fn), shot: null });
  if (only === 'ux') {
    test('guidance', { timeout: 8 * MINUTES }, ux);
    test('no page errors or requests outside the origin', () => {
      assert.deepEqual(trouble, []);
    });
    return;
  }
  test('app.wasm.br and app.wasm.gz decode to app.wasm; the service worker lists neither', () => {
    const wasm = readFileSync(join(site, 'app.wasm'));
    assert.ok(brotliDecompressSync(readFileSync(join(site, 'app.wasm.br'))).equals(wasm), 'app.wasm.br is not app.wasm');
    assert.ok(gunzipSync(readFileSync(join(site, 'app.wasm.gz'))).equals(wasm), 'app.wasm.gz is not app.wasm');
    const sw = readFileSync(join(site, 'sw.js'), 'utf8');
    assert.ok(sw.includes('"./app.wasm"') && !/app\.wasm\.(br|gz)/.test(sw), 'sw.js lists a precompressed copy, or not app.wasm');
  });
  test('first load: step 1 usable, then the wasm app in control', { timeout: MINUTES }, async () => {
    timings.cold = await readiness(page, `${server.base}/`);
  });
  test('later loads (cached, worker in control), median of 7', { timeout: 2 * MINUTES }, async () => {
    const runs = [];
    for (let i = 0; i < 7; i++) runs.push(await readiness(page, `${server.base}/`));
    const med = (k) => runs.map((r) => r[k]).sort((x, y) => x - y)[3];
    timings.warm = { usable: med('usable'), wasm: med('wasm'), all: runs.map((r) => Math.round(r.usable)) };
  });
  test('cold start in new profiles beside the server host, 3 interleaved rounds', { timeout: 3 * MINUTES }, async () => {
    const host = await startServer(bin);
    try {
      timings.pair = await coldPair(server.base, host.base);
    } finally {
      host.stop();
    }
  });
  for (const [topology, keyboard] of [['unique-address', true], ['unique-port', false], ['multi-node', true]]) {
    test(`walk ${topology} by ${keyboard ? 'keyboard' : 'mouse'}`, { timeout: 3 * MINUTES }, () => walk(page, { ...common(), topology, keyboard, js: true }));
  }
  test('share link: the page\'s own address, the plan in the fragment, on the clipboard', { timeout: MINUTES }, async () => {
    await page.click('[data-testid="share"]');
    await page.waitForFunction(() => document.getElementById('share-status')?.textContent !== '', null, { timeout: 10000 });
    const link = await page.inputValue('[data-testid="share-url"]');
    assert.ok(link.startsWith(`${server.base}/#plan=`), `share link ${link.slice(0, 60)}`);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  });
  test('host-only features say how to get them', async () => {
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /self-hosted/i, 'the review step does not say preflight/registration need the self-hosted server');
  });
  test('edit -> preview, 100 edits', { timeout: 3 * MINUTES }, async () => {
    const p = await openForEdits(b.context, server.base);
    timings.edits = await measureTyping(p);
    await p.close();
  });
  test('without JavaScript the first page says what it needs', { timeout: MINUTES }, async () => {
    const nojs = await launch({ javaScriptEnabled: false });
    try {
      const p = nojs.context.pages()[0] ?? await nojs.context.newPage();
      await p.goto(`${server.base}/`);
      const note = await p.$('[data-testid="static-needs-js"]');
      assert.ok(note && await note.isVisible(), 'no visible notice that the static wizard needs JavaScript');
    } finally {
      await nojs.close();
    }
  });
  test('guidance', { timeout: 8 * MINUTES }, ux);
  test('offline after the first load: a new tab walks unique-port', { timeout: 3 * MINUTES }, async () => {
    server.stop();
    const p = await b.context.newPage();
    await walk(p, { ...common(), topology: 'unique-port', keyboard: false, js: true });
    await p.close();
  });
  test('no page errors or requests outside the origin', () => {
    assert.deepEqual(trouble, []);
  });
}

function printTimings(timings) {
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`static site timings (in-page, from navigation start, loopback, python3 -m http.server; load average ${loadAverage()}):`);
  if (timings.cold) console.log(`  cold: first step usable ${ms(timings.cold.usable)}, wasm app in control ${ms(timings.cold.wasm)}`);
  if (timings.warm) console.log(`  warm: first step usable ${ms(timings.warm.usable)}, wasm app in control ${ms(timings.warm.wasm)} (usable per load: ${timings.warm.all.join(', ')} ms)`);
  if (timings.pair) {
    console.log(`  cold, new profiles (median of 3): static first step ready ${ms(timings.pair.staticReady)}, wasm app in control ${ms(timings.pair.staticControl)}; server host first step ready ${ms(timings.pair.serverReady)}`);
    console.log(`    per round, static ready/control vs server ready: ${timings.pair.all.join('; ')} ms`);
  }
  if (timings.edits) for (const l of typingLines(timings.edits)) console.log(`${l} (the app in the service worker)`);
}
