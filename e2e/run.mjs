#!/usr/bin/env node
// End-to-end tests of the wizard in headless Chromium (Debian's chromium,
// driven by playwright-core). Builds and starts the self-hosted server,
// walks all three topologies by keyboard and by mouse, with JavaScript and
// without, checks downloads against `server generate`, round-trips share
// links and exported plans, runs axe-core, writes screenshots of every step
// at 1280 and 390 px, and measures speed. Exits non-zero on any failure.
//
//   node e2e/run.mjs          (CI=true: a missing chromium is a failure)
//   E2E_ONLY=speed node e2e/run.mjs   only the timings
//   E2E_ONLY=register node e2e/run.mjs   only Check and Register (serve -allow-register)
//   E2E_ONLY=subscription node e2e/run.mjs   only the subscription id's rename rules
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { axe } from './a11y.mjs';
import { readZip } from './lib/archive.mjs';
import { harness } from './lib/harness.mjs';
import { haveChromium, launch } from './lib/browser.mjs';
import { buildServer, startServer } from './lib/server.mjs';
import { measureEdits, measureReady, openForEdits } from './perf.mjs';
import { registerSuite } from './register.mjs';
import { subscriptionSuite } from './subscription.mjs';
import { exportImportRoundTrip, shareRoundTrip } from './roundtrip.mjs';
import { walk } from './walk.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'e2e', 'out');
const shots = join(out, 'screenshots');
const { test, failures, finish } = harness('server');

// watch fails the run on script errors, CSP violations and any request
// that leaves the wizard's origin.
function watch(context, base) {
  context.on('page', (page) => {
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') failures.push(`console error on ${page.url()}: ${m.text()}`); });
  });
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) failures.push(`request outside the origin: ${url}`);
  });
}

// walks runs every walk and round trip, with JavaScript and without.
async function walks(common, base) {
  const js = await launch();
  watch(js.context, base);
  await js.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = js.context.pages()[0] ?? await js.context.newPage();
  await test('js: unique-address by keyboard', () => walk(page, { ...common, topology: 'unique-address', keyboard: true, js: true }));
  const up = await test('js: unique-port by mouse', () => walk(page, { ...common, topology: 'unique-port', keyboard: false, js: true }));
  if (up) {
    await test('js: share link round trip', () => shareRoundTrip(up, js.context, base, { js: true }));
    await test('js: export and import round trip', () => exportImportRoundTrip(up, js.context, base, common.out, { js: true, name: 'js' }));
  }
  await test('js: multi-node by keyboard', () => walk(page, { ...common, topology: 'multi-node', keyboard: true, js: true }));
  await js.close();

  const nojs = await launch({ javaScriptEnabled: false });
  const jsForLinks = await launch();
  watch(nojs.context, base);
  const p2 = nojs.context.pages()[0] ?? await nojs.context.newPage();
  await test('nojs: unique-address by keyboard', () => walk(p2, { ...common, topology: 'unique-address', keyboard: true, js: false }));
  await test('nojs: multi-node by mouse', () => walk(p2, { ...common, topology: 'multi-node', keyboard: false, js: false }));
  const up2 = await test('nojs: unique-port by mouse', () => walk(p2, { ...common, topology: 'unique-port', keyboard: false, js: false }));
  if (up2) {
    await test('nojs: share link (opened with JavaScript)', () => shareRoundTrip(up2, jsForLinks.context, base, { js: false }));
    await test('nojs: export and import round trip', () => exportImportRoundTrip(up2, nojs.context, base, common.out, { js: false, name: 'nojs' }));
  }
  await nojs.close();
  await jsForLinks.close();
}

async function main() {
  if (!haveChromium()) {
    const msg = 'e2e: /usr/bin/chromium is not installed (make deps installs it)';
    if (process.env.CI === 'true') throw new Error(msg);
    console.log(`${msg}; skipped`);
    return;
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(shots, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'tentacle-e2e-'));
  const bin = buildServer(root, tmp);
  const server = await startServer(bin);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      server.stop();
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  }
  const a11y = [];
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
  const common = { base: server.base, shot, out, generate };
  let metrics;
  try {
    const only = process.env.E2E_ONLY;
    if (!only) await walks(common, server.base);
    if (!only || only === 'subscription') await subscriptionSuite({ base: server.base, test, watch, shot });
    if (!only || only === 'register') await registerSuite({ root, bin, tmp, test, watch, shot });

    // Speed, in a new profile.
    if (!only || only === 'speed') metrics = await test('speed', async () => {
      const perf = await launch();
      const ready = await measureReady(perf.context, server.base);
      const page = await openForEdits(perf.context, server.base);
      const files = await page.$$eval('#preview [role=tab]', (t) => t.length);
      const edits = { ...(await measureEdits(page, '#f-tentacle-name', 100)), files };
      await perf.close();
      return { ready, edits };
    });
  } finally {
    server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  if (a11y.length > 0) failures.push(...a11y.map((v) => `axe serious: ${v}`));
  console.log(`\nscreenshots: ${shots}`);
  if (metrics) {
    const { ready, edits } = metrics;
    const ms = (x) => `${x.toFixed(1)} ms`;
    console.log('speed (in-page timings from navigation start, loopback):');
    console.log(`  ready (first field usable, preview rendered): cold ${ms(ready.coldReady)} (first load of a new profile ${ms(ready.first.ready)}), warm ${ms(ready.warmReady)}`);
    console.log(`  first contentful paint: cold ${ms(ready.coldFCP)}, warm ${ms(ready.warmFCP)}`);
    console.log(`  first page transfer: ${(ready.transfer / 1024).toFixed(1)} KB cold (${(ready.first.decoded / 1024).toFixed(1)} KB decoded), ${(ready.warmTransfer / 1024).toFixed(1)} KB warm`);
    for (const r of ready.first.resources) console.log(`    ${r}`);
    if (edits) console.log(`  edit -> preview (100 edits, input event to preview text, ${edits.files} files): median ${ms(edits.median)}, p95 ${ms(edits.p95)}, min ${ms(edits.min)}, max ${ms(edits.max)}`);
  }
  finish();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
