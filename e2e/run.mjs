#!/usr/bin/env node
// End-to-end tests of the wizard in headless Chromium (Debian's chromium,
// driven by playwright-core). Builds and starts the self-hosted server,
// walks every topology by keyboard and by mouse, with JavaScript and
// without, checks downloads against `server generate`, round-trips share
// links and exported plans, runs axe-core, writes screenshots of every step
// at 1280 and 390 px, and measures speed. The tests are node:test's; the
// run exits non-zero on any failure.
//
//   node e2e/run.mjs          (CI=true: a missing chromium is a failure)
//   node --test-reporter=spec e2e/run.mjs   (what make e2e-server runs)
//   E2E_ONLY=walk node e2e/run.mjs   only the walks (every topology; with the share and export round trips)
//   E2E_ONLY=speed node e2e/run.mjs   only the timings
//   E2E_ONLY=register node e2e/run.mjs   only Check and Register (serve -allow-register)
//   E2E_ONLY=subscription node e2e/run.mjs   only the subscription id's rename rules
//   E2E_ONLY=fleet node e2e/run.mjs   only the fleet CSV and the change review
//   E2E_ONLY=pages node e2e/run.mjs   only the 403/access pages, Check groups, setup steps and paste, Register cancel
//   E2E_ONLY=ux node e2e/run.mjs   only the guidance: share links, live errors, drafts, presets (e2e/ux.mjs)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { axe } from './a11y.mjs';
import { readZip } from './lib/archive.mjs';
import { haveChromium, launch } from './lib/browser.mjs';
import { buildServer, startServer } from './lib/server.mjs';
import { sub } from './lib/subtest.mjs';
import { loadAverage, measureReady, measureTyping, openForEdits, typingLines } from './perf.mjs';
import { fleetSuite } from './fleet.mjs';
import { pagesSuite } from './pages.mjs';
import { registerSuite } from './register.mjs';
import { subscriptionSuite } from './subscription.mjs';
import { uxSuite } from './ux.mjs';
import { exportImportRoundTrip, shareRoundTrip } from './roundtrip.mjs';
import { walk } from './walk.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'e2e', 'out');
const shots = join(out, 'screenshots');
const only = process.env.E2E_ONLY;
// Each suite's deadline: a walk takes seconds, the whole server suite a
// few minutes on two shared cores.
const MINUTES = 60_000;

// Script errors, CSP violations and requests that leave the wizard's
// origin, from every page; the last test fails on any.
const trouble = [];
function watch(context, base) {
  context.on('page', (page) => {
    page.on('pageerror', (e) => trouble.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') trouble.push(`console error on ${page.url()}: ${m.text()}`); });
  });
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) trouble.push(`request outside the origin: ${url}`);
  });
}

if (!haveChromium()) {
  const msg = 'e2e: /usr/bin/chromium is not installed (make deps installs it)';
  test('chromium', { skip: process.env.CI === 'true' ? false : msg }, () => assert.fail(msg));
} else {
  serverSuite();
}

function serverSuite() {
  let tmp, bin, server, metrics;
  const a11y = [];
  before(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'tentacle-e2e-'));
    bin = buildServer(root, tmp);
    server = await startServer(bin);
  });
  after(() => {
    server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    console.log(`\nscreenshots: ${shots}`);
    if (metrics) printSpeed(metrics);
  });
  const generate = (planPath, zipPath) => {
    execFileSync(bin, ['generate', '-plan', planPath, '-out', zipPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readZip(readFileSync(zipPath));
  };
  // shot writes a step at 1280 and 390 px (and dark at 1280) and runs axe on each.
  const shot = async (page, name) => {
    for (const [width, scheme] of [[1280, 'light'], [1280, 'dark'], [390, 'light']]) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.setViewportSize({ width, height: 900 });
      const label = `${name}-${width}${scheme === 'dark' ? '-dark' : ''}`;
      await page.screenshot({ path: join(shots, `${label}.png`), fullPage: true });
      // axe needs timers, which do not run in a page without JavaScript;
      // those pages have the same markup as the checked ones.
      if (!name.includes('-nojs-')) a11y.push(...await axe(page, label));
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  const common = () => ({ base: server.base, shot, out, generate });

  if (!only || only === 'walk') {
    test('with JavaScript', { timeout: 8 * MINUTES }, async (t) => {
      const { base } = server;
      const js = await launch();
      watch(js.context, base);
      try {
        await js.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
        const page = js.context.pages()[0] ?? await js.context.newPage();
        await sub(t, 'unique-address by keyboard', () => walk(page, { ...common(), topology: 'unique-address', keyboard: true, js: true }));
        const up = await sub(t, 'unique-port by mouse', () => walk(page, { ...common(), topology: 'unique-port', keyboard: false, js: true }));
        const skip = !up && 'the unique-port walk failed';
        await t.test('share link round trip', { skip }, () => shareRoundTrip(up, js.context, base, { js: true }));
        await t.test('export and import round trip', { skip }, () => exportImportRoundTrip(up, js.context, base, out, { js: true, name: 'js' }));
        await sub(t, 'multi-node by keyboard', () => walk(page, { ...common(), topology: 'multi-node', keyboard: true, js: true }));
        await sub(t, 'unique-hostname by mouse', () => walk(page, { ...common(), topology: 'unique-hostname', keyboard: false, js: true }));
      } finally {
        await js.close();
      }
    });

    test('without JavaScript', { timeout: 8 * MINUTES }, async (t) => {
      const { base } = server;
      const nojs = await launch({ javaScriptEnabled: false });
      const jsForLinks = await launch();
      watch(nojs.context, base);
      try {
        const page = nojs.context.pages()[0] ?? await nojs.context.newPage();
        await sub(t, 'unique-address by keyboard', () => walk(page, { ...common(), topology: 'unique-address', keyboard: true, js: false }));
        await sub(t, 'multi-node by mouse', () => walk(page, { ...common(), topology: 'multi-node', keyboard: false, js: false }));
        await sub(t, 'unique-hostname by keyboard', () => walk(page, { ...common(), topology: 'unique-hostname', keyboard: true, js: false }));
        const up = await sub(t, 'unique-port by mouse', () => walk(page, { ...common(), topology: 'unique-port', keyboard: false, js: false }));
        const skip = !up && 'the unique-port walk failed';
        await t.test('share link (opened with JavaScript)', { skip }, () => shareRoundTrip(up, jsForLinks.context, base, { js: false }));
        await t.test('export and import round trip', { skip }, () => exportImportRoundTrip(up, nojs.context, base, out, { js: false, name: 'nojs' }));
      } finally {
        await nojs.close();
        await jsForLinks.close();
      }
    });
  }

  if (!only || only === 'subscription') {
    test('subscription id', { timeout: 4 * MINUTES }, (t) =>
      subscriptionSuite({ base: server.base, test: (name, fn) => sub(t, name, fn), watch, shot }));
  }

  if (!only || only === 'fleet') {
    test('fleet and change', { timeout: 6 * MINUTES }, (t) =>
      fleetSuite({ base: server.base, test: (name, fn) => sub(t, name, fn), watch, shot, out }));
  }

  if (!only || only === 'register') {
    test('check and register', { timeout: 6 * MINUTES }, (t) =>
      registerSuite({ root, bin, tmp, test: (name, fn) => sub(t, name, fn), watch, shot }));
  }

  if (!only || only === 'pages') {
    test('pages', { timeout: 6 * MINUTES }, (t) =>
      pagesSuite({ root, bin, tmp, test: (name, fn) => sub(t, name, fn), watch, shot }));
  }

  if (!only || only === 'ux') {
    test('guidance', { timeout: 6 * MINUTES }, (t) =>
      uxSuite({ base: server.base, launch, watch, test: (name, fn) => sub(t, name, fn), shot }));
  }

  // Speed, in a new profile.
  if (!only || only === 'speed') {
    test('speed', { timeout: 5 * MINUTES }, async () => {
      const perf = await launch();
      try {
        const ready = await measureReady(perf.context, server.base);
        const page = await openForEdits(perf.context, server.base);
        metrics = { ready, edits: await measureTyping(page) };
      } finally {
        await perf.close();
      }
    });
  }

  test('no page errors, CSP violations or requests outside the origin', () => {
    assert.deepEqual(trouble, []);
  });
  test('axe: no serious or critical violations', () => {
    assert.deepEqual(a11y, []);
  });
}

function printSpeed({ ready, edits }) {
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(`speed (in-page timings from navigation start, loopback; load average ${loadAverage()}):`);
  console.log(`  ready (first field usable, preview rendered): cold ${ms(ready.coldReady)} (first load of a new profile ${ms(ready.first.ready)}), warm ${ms(ready.warmReady)}`);
  console.log(`  first contentful paint: cold ${ms(ready.coldFCP)}, warm ${ms(ready.warmFCP)}`);
  console.log(`  first page transfer: ${(ready.transfer / 1024).toFixed(1)} KB cold (${(ready.first.decoded / 1024).toFixed(1)} KB decoded), ${(ready.warmTransfer / 1024).toFixed(1)} KB warm`);
  for (const r of ready.first.resources) console.log(`    ${r}`);
  if (edits) for (const l of typingLines(edits)) console.log(l);
}
