#!/usr/bin/env node
// End-to-end test of the Cloudflare Worker build (make worker) under
// `wrangler dev` (workerd, locally): the HTTP API answers like the
// self-hosted server's, byte for byte for bundles; the wizard walk passes in
// Chromium against the Worker; and the CPU time workerd spends per request
// is measured from /proc and printed.
//
//   make worker && node e2e/worker.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip } from './lib/archive.mjs';
import { harness } from './lib/harness.mjs';
import { haveChromium, launch } from './lib/browser.mjs';
import { buildServer, freePort, startServer } from './lib/server.mjs';
import { walk } from './walk.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'e2e', 'out', 'worker');
const { test, failures, finish } = harness('worker');

function check(cond, msg) { if (!cond) throw new Error(msg); }


// wranglerDev starts `wrangler dev --local` under Node 22 from node_modules.
async function wranglerDev(port) {
  const node22 = join(root, 'node_modules', 'node', 'bin');
  const env = { ...process.env, PATH: `${node22}:${process.env.PATH}`, WRANGLER_SEND_METRICS: 'false', CI: 'true' };
  const child = spawn(join(root, 'node_modules', '.bin', 'wrangler'), ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port)],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler exited: ${log}`);
    try { if ((await fetch(`${base}/`)).ok) return { base, stop, log: () => log, pid: child.pid }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`wrangler dev did not answer: ${log}`);
}

// workerdCPU sums user+system CPU ticks of the workerd processes.
function workerdPids() {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('workerd') && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('serve'); } catch { return false; }
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

async function main() {
  if (!existsSync(join(root, 'wasm', 'build', 'app.wasm'))) throw new Error('wasm/build/app.wasm missing: run make worker first');
  if (!existsSync(join(root, 'node_modules', 'node', 'bin', 'node'))) throw new Error('node_modules/node (Node 22 for wrangler) missing: run make deps-npm');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'tentacle-worker-'));
  const bin = buildServer(root, tmp);
  const server = await startServer(bin);
  const worker = await wranglerDev(await freePort());
  const cases = join(root, 'web', 'bundle', 'testdata', 'cases');
  const planFiles = readdirSync(cases).filter((f) => f.endsWith('.json'));
  let cpu;
  try {
    await test('validate: 200 for a valid plan, 422 with problems for an invalid one, 400 for bad JSON', async () => {
      const ok = await post(`${worker.base}/api/v1/validate`, readFileSync(join(cases, 'multi-node.json')));
      check(ok.status === 200 && JSON.parse(ok.body).problems.length === 0, `valid plan: ${ok.status} ${ok.body}`);
      const bad = await post(`${worker.base}/api/v1/validate`, '{"version":1,"topology":"unique-port","nodes":[]}');
      check(bad.status === 422 && JSON.parse(bad.body).problems.some((p) => p.field === 'nodes'), `invalid plan: ${bad.status} ${bad.body}`);
      const broken = await post(`${worker.base}/api/v1/validate`, '{nope');
      check(broken.status === 400, `malformed JSON: ${broken.status}`);
      const same = await post(`${server.base}/api/v1/validate`, '{"version":1,"topology":"unique-port","nodes":[]}');
      check(same.body.equals(bad.body), 'the Worker and the server word problems differently');
    });
    for (const f of planFiles) {
      await test(`bundle ${f}: zip and tar.gz byte-identical to the self-hosted server`, async () => {
        const body = readFileSync(join(cases, f));
        for (const format of ['zip', 'tar.gz']) {
          const w = await post(`${worker.base}/api/v1/bundle?format=${format}`, body);
          const s = await post(`${server.base}/api/v1/bundle?format=${format}`, body);
          check(w.status === 200 && s.status === 200, `status ${w.status} / ${s.status}`);
          check(w.body.equals(s.body), `${format}: ${w.body.length} bytes from the Worker, ${s.body.length} from the server, contents differ`);
        }
        const files = await post(`${worker.base}/api/v1/files`, body);
        check(files.status === 200 && JSON.parse(files.body).files.length > 5, `files: ${files.status}`);
      });
    }
    if (haveChromium()) {
      await test('walk unique-port by mouse in Chromium', async () => {
        const b = await launch();
        await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: worker.base });
        b.context.on('request', (r) => { if (!r.url().startsWith(worker.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) failures.push(`request outside the origin: ${r.url()}`); });
        const page = b.context.pages()[0] ?? await b.context.newPage();
        const generate = (planPath, zipPath) => {
          execFileSync(bin, ['generate', '-plan', planPath, '-out', zipPath], { stdio: ['ignore', 'ignore', 'pipe'] });
          return readZip(readFileSync(zipPath));
        };
        const shot = async (p, name) => p.screenshot({ path: join(out, `${name}.png`), fullPage: true });
        try {
          await walk(page, { base: worker.base, shot, out, generate, topology: 'unique-port', keyboard: false, js: true });
        } finally {
          await b.close();
        }
      });
    } else if (process.env.CI === 'true') {
      failures.push('chromium missing');
    }
    cpu = await test('CPU time per request in workerd', async () => {
      const pids = workerdPids();
      check(pids.length > 0, 'no workerd process found');
      const measure = async (n, fn) => { const a = cpuMs(pids); for (let i = 0; i < n; i++) await fn(); return (cpuMs(pids) - a) / n; };
      const body = readFileSync(join(cases, 'multi-node.json'));
      return {
        page: await measure(60, () => fetch(`${worker.base}/`).then((r) => r.arrayBuffer())),
        validate: await measure(60, () => post(`${worker.base}/api/v1/validate`, body)),
        bundle: await measure(30, () => post(`${worker.base}/api/v1/bundle?format=zip`, body)),
      };
    });
  } finally {
    worker.stop();
    server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  if (cpu) {
    console.log('worker CPU per request (user+system time of the workerd processes, mean; includes workerd\'s own HTTP handling):');
    console.log(`  GET / ${cpu.page.toFixed(1)} ms, POST /api/v1/validate ${cpu.validate.toFixed(1)} ms, POST /api/v1/bundle ${cpu.bundle.toFixed(1)} ms`);
  }
  finish();
}

main().catch((err) => { console.error(err); process.exitCode = 1; });
