#!/usr/bin/env node
// End-to-end test of the static site (make static): the wizard's Go app
// compiled to WebAssembly and run by a service worker, hosted by a plain
// file server (python3 -m http.server). It runs the same walk as the
// self-hosted server's suite, fails on any request outside the page's
// origin, walks again offline after the first load, checks that features
// needing a host say so, and prints the timings.
//
//   make static && node e2e/static.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip } from './lib/archive.mjs';
import { harness } from './lib/harness.mjs';
import { haveChromium, launch } from './lib/browser.mjs';
import { buildServer, freePort } from './lib/server.mjs';
import { measureEdits, openForEdits } from './perf.mjs';
import { walk } from './walk.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const site = join(root, 'dist', 'static');
const out = join(root, 'e2e', 'out', 'static');
const { test, failures, finish } = harness('static');


// fileServer serves the site with Python's plain file server.
async function fileServer(port) {
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/index.html`)).ok) return { base, stop: () => child.kill('SIGTERM') }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('python3 -m http.server did not start');
}

function watch(context, base) {
  context.on('page', (page) => page.on('pageerror', (e) => failures.push(`page error: ${e.message}`)));
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) failures.push(`request outside the origin: ${url}`);
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

async function main() {
  if (!haveChromium()) {
    if (process.env.CI === 'true') throw new Error('e2e: /usr/bin/chromium is not installed');
    console.log('static e2e: chromium not installed; skipped');
    return;
  }
  if (!existsSync(join(site, 'app.wasm'))) throw new Error(`${site} has no app.wasm: run make static first`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'tentacle-static-'));
  const bin = buildServer(root, tmp);
  const generate = (planPath, zipPath) => {
    execFileSync(bin, ['generate', '-plan', planPath, '-out', zipPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readZip(readFileSync(zipPath));
  };
  const shot = async (page, name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
  const port = await freePort();
  let server = await fileServer(port);
  const b = await launch();
  watch(b.context, server.base);
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  const timings = {};
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    timings.cold = await test('first load: step 1 usable, then the wasm app in control', () => readiness(page, `${server.base}/`));
    timings.warm = await test('later loads (cached, worker in control), median of 7', async () => {
      const runs = [];
      for (let i = 0; i < 7; i++) runs.push(await readiness(page, `${server.base}/`));
      const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[3];
      return { usable: med('usable'), wasm: med('wasm'), all: runs.map((r) => Math.round(r.usable)) };
    });
    const common = { base: server.base, shot, out, generate };
    for (const [topology, keyboard] of [['unique-address', true], ['unique-port', false], ['multi-node', true]]) {
      await test(`walk ${topology} by ${keyboard ? 'keyboard' : 'mouse'}`, () => walk(page, { ...common, topology, keyboard, js: true }));
    }
    await test('host-only features say how to get them', async () => {
      const text = await page.evaluate(() => document.body.innerText);
      if (!/self-hosted/i.test(text)) throw new Error('the review step does not say preflight/registration need the self-hosted server');
    });
    timings.edits = await test('edit -> preview, 100 edits', async () => {
      const p = await openForEdits(b.context, server.base);
      const r = await measureEdits(p, '#f-tentacle-name', 100);
      await p.close();
      return r;
    });

    await test('without JavaScript the first page says what it needs', async () => {
      const nojs = await launch({ javaScriptEnabled: false });
      try {
        const p = nojs.context.pages()[0] ?? await nojs.context.newPage();
        await p.goto(`${server.base}/`);
        const note = await p.$('[data-testid="static-needs-js"]');
        if (!note || !(await note.isVisible())) throw new Error('no visible notice that the static wizard needs JavaScript');
      } finally {
        await nojs.close();
      }
    });

    server.stop();
    server = null;
    await test('offline after the first load: a new tab walks unique-port', async () => {
      const p = await b.context.newPage();
      await walk(p, { ...common, topology: 'unique-port', keyboard: false, js: true });
      await p.close();
    });
  } finally {
    server?.stop();
    await b.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log('static site timings (in-page, from navigation start, loopback, python3 -m http.server):');
  if (timings.cold) console.log(`  cold: first step usable ${ms(timings.cold.usable)}, wasm app in control ${ms(timings.cold.wasm)}`);
  if (timings.warm) console.log(`  warm: first step usable ${ms(timings.warm.usable)}, wasm app in control ${ms(timings.warm.wasm)} (usable per load: ${timings.warm.all.join(', ')} ms)`);
  if (timings.edits) console.log(`  edit -> preview (100 edits): median ${ms(timings.edits.median)}, p95 ${ms(timings.edits.p95)}`);
  finish();
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
