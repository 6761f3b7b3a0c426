#!/usr/bin/env node
// End-to-end test of the Cloudflare Worker build (make worker) under
// `wrangler dev` (workerd, locally): pages and files are static assets that
// never start Go; with JavaScript the service worker runs the app, so a
// walk sends the Worker nothing after the first load; without JavaScript
// the Worker's Go answers the form posts; the HTTP API answers like the
// self-hosted server's, byte for byte for bundles; and the CPU time workerd
// spends per request is measured from /proc and printed.
//
//   make worker && node --test-reporter=spec e2e/worker.mjs   (tests are node:test's)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readZip } from './lib/archive.mjs';
import { haveChromium, launch } from './lib/browser.mjs';
import { countingProxy } from './lib/proxy.mjs';
import { buildServer, freePort, startServer, untilAnswers } from './lib/server.mjs';
import { loadAverage, measureTyping, openForEdits, typingLines } from './perf.mjs';
import { walk } from './walk.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'e2e', 'out', 'worker');
const cases = join(root, 'web', 'bundle', 'testdata', 'cases');
const MINUTES = 60_000;

// wranglerDev starts `wrangler dev --local` under Node 22 from node_modules,
// in its own process group (pid), with config (wrangler.jsonc by default).
async function wranglerDev(port, config = 'wrangler.jsonc') {
  const node22 = join(root, 'node_modules', 'node', 'bin');
  const env = { ...process.env, PATH: `${node22}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false', CI: 'true' };
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort()), '-c', config];
  const child = spawn(join(root, 'node_modules', '.bin', 'wrangler'), args,
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  try {
    await untilAnswers(`${base}/`, { deadline: 60_000, child, log: () => log });
  } catch (err) {
    stop();
    throw err;
  }
  return { base, stop, log: () => log, pid: child.pid };
}

// workerdPids are the workerd processes of one wrangler dev (its process
// group).
function workerdPids(group) {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const pgrp = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
      return cmd.includes('workerd') && cmd.includes('serve') && pgrp === group;
    } catch { return false; }
  });
}
function cpuMs(pids) {
  const tick = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  return pids.reduce((sum, p) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      return sum + (Number(f[11]) + Number(f[12])) * tick;
    } catch { return sum; }
  }, 0);
}

async function post(url, body, type = 'application/json') {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

// Requests that leave the Worker's origin; the last test fails on any.
const trouble = [];

let tmp, bin, server, worker, floor, cpu, edits;
before(async () => {
  if (!existsSync(join(root, 'wasm', 'build', 'app.wasm'))) throw new Error('wasm/build/app.wasm missing: run make worker first');
  if (!existsSync(join(root, 'node_modules', 'node', 'bin', 'node'))) throw new Error('node_modules/node (Node 22 for wrangler) missing: run make deps-npm');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'tentacle-worker-'));
  bin = buildServer(root, tmp);
  server = await startServer(bin);
  worker = await wranglerDev(await freePort());
  if (!existsSync(join(root, 'wasm', 'build-floor', 'app.wasm'))) throw new Error('wasm/build-floor/app.wasm missing: run make worker-floor first');
  floor = await wranglerDev(await freePort(), 'wasm/floor/wrangler.jsonc');
});
after(() => {
  worker?.stop();
  floor?.stop();
  server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (cpu) printCPU(cpu);
  if (edits) {
    console.log(`Worker host with JavaScript, the app in the service worker (loopback; load average ${loadAverage()}):`);
    for (const l of typingLines(edits)) console.log(l);
  }
});

test('validate: 200 for a valid plan, 422 with problems for an invalid one, 400 for bad JSON', { timeout: MINUTES }, async () => {
  const ok = await post(`${worker.base}/api/v1/validate`, readFileSync(join(cases, 'multi-node.json')));
  // Valid: 200 and no error (a warning may stand, e.g. f5-bigip with a balancer given by name).
  assert.ok(ok.status === 200 && !JSON.parse(ok.body).problems.some((p) => p.severity === 'error'), `valid plan: ${ok.status} ${ok.body}`);
  const bad = await post(`${worker.base}/api/v1/validate`, '{"version":1,"topology":"unique-port","nodes":[]}');
  assert.ok(bad.status === 422 && JSON.parse(bad.body).problems.some((p) => p.field === 'nodes'), `invalid plan: ${bad.status} ${bad.body}`);
  const broken = await post(`${worker.base}/api/v1/validate`, '{nope');
  assert.equal(broken.status, 400, 'malformed JSON');
  const same = await post(`${server.base}/api/v1/validate`, '{"version":1,"topology":"unique-port","nodes":[]}');
  assert.ok(same.body.equals(bad.body), 'the Worker and the server word problems differently');
});

for (const f of readdirSync(cases).filter((name) => name.endsWith('.json'))) {
  test(`bundle ${f}: zip and tar.gz byte-identical to the self-hosted server`, { timeout: MINUTES }, async () => {
    const body = readFileSync(join(cases, f));
    for (const format of ['zip', 'tar.gz']) {
      const w = await post(`${worker.base}/api/v1/bundle?format=${format}`, body);
      const s = await post(`${server.base}/api/v1/bundle?format=${format}`, body);
      assert.ok(w.status === 200 && s.status === 200, `status ${w.status} / ${s.status}`);
      assert.ok(w.body.equals(s.body), `${format}: ${w.body.length} bytes from the Worker, ${s.body.length} from the server, contents differ`);
    }
    const files = await post(`${worker.base}/api/v1/files`, body);
    assert.ok(files.status === 200 && JSON.parse(files.body).files.length > 5, `files: ${files.status}`);
  });
}

test('pages and files are static assets: GET / and a file do not start Go; the API does', { timeout: MINUTES }, async () => {
  for (const path of ['/', '/static/app.css', '/app.wasm', '/sw.js']) {
    const res = await fetch(`${worker.base}${path}`);
    await res.arrayBuffer();
    assert.equal(res.status, 200, `GET ${path}`);
    assert.equal(res.headers.get('x-wizard-go'), null, `GET ${path} was answered by Go`);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/, `GET ${path} lacks the app's headers (_headers)`);
  }
  const api = await post(`${worker.base}/api/v1/validate`, '{"version":1}');
  assert.equal(api.status, 422);
  const res = await fetch(`${worker.base}/api/v1/validate`, { method: 'POST', body: '{}' });
  await res.arrayBuffer();
  assert.equal(res.headers.get('x-wizard-go'), '1', 'the API was not answered by Go');
});

const noChromium = !haveChromium() && (process.env.CI === 'true' ? false : 'chromium is not installed');
const generate = (planPath, zipPath) => {
  execFileSync(bin, ['generate', '-plan', planPath, '-out', zipPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readZip(readFileSync(zipPath));
};
const shot = async (p, name) => p.screenshot({ path: join(out, `${name}.png`), fullPage: true });

test('with JavaScript: after the first load a walk sends the Worker no request', { timeout: 3 * MINUTES, skip: noChromium }, async () => {
  assert.ok(haveChromium(), 'chromium missing');
  const proxy = await countingProxy(worker.base);
  const b = await launch();
  try {
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: proxy.base });
    b.context.on('request', (r) => { if (!r.url().startsWith(proxy.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) trouble.push(`request outside the origin: ${r.url()}`); });
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await page.goto(`${proxy.base}/`);
    await page.waitForFunction(() => document.documentElement.dataset.wizardReady !== undefined, null, { timeout: 30000 });
    const first = proxy.seen();
    assert.ok(first.every((r) => !r.go), `the first load started Go: ${JSON.stringify(first.filter((r) => r.go))}`);
    proxy.reset();
    await walk(page, { base: proxy.base, shot, out, generate, topology: 'unique-port', keyboard: false, js: true });
    // The browser may check the service worker for an update at any time:
    // it asks for sw.js and the script sw.js imports (wasm_exec.js), static
    // assets either way. Nothing else may reach the Worker.
    const sent = proxy.seen().filter((r) => r.path !== '/sw.js' && !(r.path === '/wasm_exec.js' && !r.go));
    assert.deepEqual(sent, [], 'the walk sent these requests to the Worker');
    console.log(`first load: ${first.length} requests, all static assets; walk: ${proxy.seen().length} requests (${proxy.seen().map((r) => r.path).join(', ') || 'none'})`);
    // Typing speed where the app runs in the service worker (figures,
    // printed at the end; the typing sends the Worker nothing either).
    const p = await openForEdits(b.context, proxy.base);
    edits = await measureTyping(p);
    await p.close();
  } finally {
    await b.close();
    await proxy.stop();
  }
});

test('without JavaScript: the Worker\'s Go answers the form posts (walk unique-address by keyboard)', { timeout: 3 * MINUTES, skip: noChromium }, async () => {
  const proxy = await countingProxy(worker.base);
  const b = await launch({ javaScriptEnabled: false });
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await walk(page, { base: proxy.base, shot, out, generate, topology: 'unique-address', keyboard: true, js: false });
    const seen = proxy.seen();
    assert.ok(seen.some((r) => r.method === 'POST' && r.go), 'no form post reached Go');
    assert.ok(seen.filter((r) => r.method === 'GET' && (r.path === '/' || r.path.startsWith('/static/'))).every((r) => !r.go), 'a page or file GET started Go');
  } finally {
    await b.close();
    await proxy.stop();
  }
});

// The routes whose CPU per request is printed: the first two are static
// assets (no Go), the rest start Go.
function routes() {
  const plan = readFileSync(join(cases, 'multi-node.json'));
  const form = new URLSearchParams({ step: '1', plan: plan.toString() }).toString();
  const formType = 'application/x-www-form-urlencoded';
  return [
    ['GET / (asset)', () => fetch(`${worker.base}/`).then((r) => r.arrayBuffer())],
    ['GET /static/app.css (asset)', () => fetch(`${worker.base}/static/app.css`).then((r) => r.arrayBuffer())],
    ['POST /api/v1/validate', () => post(`${worker.base}/api/v1/validate`, plan)],
    ['POST /api/v1/files', () => post(`${worker.base}/api/v1/files`, plan)],
    ['POST /api/v1/bundle', () => post(`${worker.base}/api/v1/bundle?format=zip`, plan)],
    ['POST /wizard (no JavaScript)', () => post(`${worker.base}/wizard`, form, formType)],
    ['POST /preview', () => post(`${worker.base}/preview`, form, formType)],
  ];
}

test('CPU time per request in workerd, beside the minimal Go Worker', { timeout: 5 * MINUTES }, async () => {
  const wpids = workerdPids(worker.pid), fpids = workerdPids(floor.pid);
  assert.ok(wpids.length > 0 && fpids.length > 0, `no workerd process found (${wpids}, ${fpids})`);
  const measure = async (pids, n, fn) => { const a = cpuMs(pids); for (let i = 0; i < n; i++) await fn(); return (cpuMs(pids) - a) / n; };
  const floorReq = () => fetch(`${floor.base}/`).then((r) => r.arrayBuffer());
  // Three interleaved rounds, the floor measured in each; medians.
  const rs = routes(), got = new Map(rs.map(([name]) => [name, []])), floors = [];
  for (let round = 0; round < 3; round++) {
    floors.push(await measure(fpids, 20, floorReq));
    for (const [name, fn] of rs) got.get(name).push(await measure(wpids, 20, fn));
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[1];
  cpu = { floor: med(floors), routes: rs.map(([name]) => [name, med(got.get(name))]) };
});

function printCPU({ floor: f, routes: rs }) {
  console.log(`worker CPU per request (user+system time of workerd, mean of 20, median of 3 interleaved rounds; includes workerd's HTTP handling; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}):`);
  console.log(`  ${'minimal Go worker (floor)'.padEnd(32)} ${f.toFixed(1).padStart(6)} ms`);
  for (const [name, ms] of rs) console.log(`  ${name.padEnd(32)} ${ms.toFixed(1).padStart(6)} ms  ${(ms / f).toFixed(2)}x floor`);
}

test('no requests outside the origin', () => {
  assert.deepEqual(trouble, []);
});
