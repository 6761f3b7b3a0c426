#!/usr/bin/env node
// Soak of the self-hosted server (make soak), printed, never asserted:
// SOAK_SECONDS (300) of mixed traffic from SOAK_CLIENTS (8) keep-alive
// clients on loopback: pages and static files, previews, bundle downloads
// (form and API), share links made and opened, and now and then a hostile
// request (an oversized body, a damaged form, a plan that is not JSON, a
// made-up path). The server's resident memory and goroutines are read from
// its -debug-addr expvar: at the start (cold); as the baseline, after
// SOAK_WARMUP seconds (30) of the same traffic and SOAK_SETTLE seconds (30)
// with the clients' connections closed; every minute of the soak; when its
// traffic stops; and SOAK_SETTLE seconds after that, idle again. Aims:
// both back within 10% of the baseline (idle against idle: the first
// requests fill caches and grow the heap once, which is not a leak); no
// answer but the hostile requests' 4xx outside 2xx/3xx.
//
//   node e2e/soak.mjs   (SOAK_SECONDS=60 SOAK_WARMUP=10 SOAK_SETTLE=10 for a short run)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { inflateRawSync } from 'node:zlib';
import { buildServer, freePort, untilAnswers } from './lib/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.SOAK_SECONDS ?? 300);
const clients = Number(process.env.SOAK_CLIENTS ?? 8);
const settle = Number(process.env.SOAK_SETTLE ?? 30);
const warmup = Number(process.env.SOAK_WARMUP ?? 30);
const tmp = mkdtempSync(join(tmpdir(), 'tentacle-soak-'));
const cases = join(root, 'web', 'bundle', 'testdata', 'cases');
const plans = ['multi-node.json', 'unique-port-all-kinds.json', 'unique-port-windows-worker.json', 'fleet-mixed.json']
  .map((f) => readFileSync(join(cases, f), 'utf8'));

let agent = new Agent({ keepAlive: true, maxSockets: clients });
let base;

// send makes one request and reads the whole answer.
function send(method, path, { body, type, headers = {} } = {}) {
  return new Promise((res, rej) => {
    const req = request(`${base}${path}`, { method, agent, headers: { ...(type ? { 'content-type': type } : {}), ...headers } }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      r.on('error', rej);
    });
    req.on('error', rej);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}
const form = (v) => ({ body: new URLSearchParams(v).toString(), type: 'application/x-www-form-urlencoded' });
const json = (s) => ({ body: s, type: 'application/json' });
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];

// The traffic: name, weight, whether it is hostile, and the request.
const kinds = [
  ['page', 20, false, async () => {
    const page = await send('GET', '/');
    const assets = [...page.body.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    const more = await Promise.all(assets.slice(0, 2).map((a) => send('GET', a)));
    return [page, ...more];
  }],
  ['preview', 30, false, () => send('POST', '/preview', form({ step: '3', plan: pick(plans), 'tentacle.name': `web${Math.floor(Math.random() * 100)}` }))],
  ['download', 10, false, () => send('POST', '/download', form({ step: '4', plan: pick(plans), format: pick(['zip', 'tar.gz']) }))],
  ['api bundle', 10, false, () => send('POST', `/api/v1/bundle?format=${pick(['zip', 'tar.gz'])}`, json(pick(plans)))],
  ['api validate', 10, false, () => send('POST', '/api/v1/validate', json(pick(plans)))],
  ['share link', 8, false, async () => {
    const made = await send('POST', '/share', form({ step: '4', plan: pick(plans) }));
    const m = /#plan=([A-Za-z0-9_-]+)/.exec(made.body);
    if (!m) return [{ status: 599, body: 'no share link in the answer' }];
    const planJSON = inflateRawSync(Buffer.from(m[1], 'base64url')).toString('utf8');
    return [made, await send('POST', '/wizard', form({ step: '1', plan: planJSON, op: 'load' }))];
  }],
  ['hostile: oversized', 1, true, () => send('POST', '/api/v1/validate', json('{"x":"' + 'A'.repeat(2 << 20) + '"}'))],
  ['hostile: damaged form', 1, true, () => send('POST', '/wizard', form({ step: '3', plan: '{"nodes": [', 'x': '<script>' }))],
  ['hostile: not JSON', 1, true, () => send('POST', '/api/v1/bundle', json('$(id); DROP TABLE plans'))],
  ['hostile: unknown path', 1, true, () => send('GET', '/../../etc/passwd')],
];
const total = kinds.reduce((s, k) => s + k[1], 0);
function draw() {
  let r = Math.random() * total;
  for (const k of kinds) if ((r -= k[1]) < 0) return k;
  return kinds[0];
}

const tally = new Map(); // name -> {n, bad: Map(status -> count)}
function count(name, hostile, answers) {
  const t = tally.get(name) ?? { n: 0, bad: new Map() };
  tally.set(name, t);
  for (const a of answers) {
    t.n++;
    const ok = hostile ? a.status >= 400 && a.status < 500 : a.status < 400;
    if (!ok) t.bad.set(a.status, (t.bad.get(a.status) ?? 0) + 1);
  }
}

let debugURL, server;
async function vars() {
  const v = await (await fetch(debugURL)).json();
  return { rss: v.rss_bytes / 2 ** 20, goroutines: v.goroutines, heap: v.memstats.HeapInuse / 2 ** 20 };
}
const fmt = (label, v) => `  ${label.padEnd(26)} RSS ${v.rss.toFixed(1).padStart(6)} MiB  heap in use ${v.heap.toFixed(1).padStart(6)} MiB  goroutines ${String(v.goroutines).padStart(4)}  load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;

try {
  const bin = buildServer(root, tmp);
  const port = await freePort();
  const debugPort = await freePort();
  base = `http://127.0.0.1:${port}`;
  debugURL = `http://127.0.0.1:${debugPort}/debug/vars`;
  server = spawn(bin, ['serve', '-addr', `127.0.0.1:${port}`, '-debug-addr', `127.0.0.1:${debugPort}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  await untilAnswers(debugURL, { child: server, log: () => log });
  await untilAnswers(`${base}/static/app.css`, { child: server, log: () => log, accept: (r) => r.status < 500 });

  console.log(`soak on loopback: ${warmup} s warm-up, then ${seconds} s of mixed traffic from ${clients} keep-alive clients; ${new Date().toISOString()}, ${cpus().length} cores (shared)`);
  console.log(fmt('start (cold)', await vars()));
  let failures = 0;
  // traffic runs the clients for secs, calling tick(n) after each full minute.
  const traffic = async (secs, tick = async () => {}) => {
    agent = new Agent({ keepAlive: true, maxSockets: clients });
    const begin = Date.now();
    const end = begin + secs * 1000;
    let minute = 1;
    const ticker = (async () => {
      while (Date.now() < end) {
        await sleep(Math.min(1000, Math.max(1, end - Date.now())));
        if (Date.now() < end && Date.now() - begin >= minute * 60_000) await tick(minute++);
      }
    })();
    await Promise.all(Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const [name, , hostile, go] = draw();
        try {
          const out = await go();
          count(name, hostile, Array.isArray(out) ? out : [out]);
        } catch (err) {
          failures++;
          count(name, hostile, [{ status: `${err.code ?? err.message}` }]);
        }
      }
    }));
    await ticker;
  };
  const idle = async () => {
    agent.destroy(); // the clients hang up: their connections' goroutines end
    await sleep(settle * 1000);
    return vars();
  };
  await traffic(warmup);
  const baseline = await idle();
  console.log(fmt('baseline (warm, idle)', baseline));
  tally.clear();
  await traffic(seconds, async (m) => console.log(fmt(`minute ${m}`, await vars())));
  console.log(fmt('traffic stopped', await vars()));
  const after = await idle();
  console.log(fmt(`${settle} s later (idle)`, after));

  console.log(`  requests of the ${seconds} s soak (answers outside 2xx/3xx, or outside 4xx for hostile ones):`);
  let unexpected = 0;
  for (const [name, t] of tally) {
    const bad = [...t.bad].map(([s, n]) => `${s}×${n}`).join(', ');
    unexpected += [...t.bad.values()].reduce((s, n) => s + n, 0);
    console.log(`    ${name.padEnd(24)} ${String(t.n).padStart(7)}  ${bad || 'none unexpected'}`);
  }
  const within = (a, b) => a <= b * 1.1;
  console.log(`  aims: RSS ${after.rss.toFixed(1)} vs ${baseline.rss.toFixed(1)} MiB baseline (${within(after.rss, baseline.rss) ? 'within' : 'NOT within'} 10%); goroutines ${after.goroutines} vs ${baseline.goroutines} (${within(after.goroutines, baseline.goroutines) ? 'within' : 'NOT within'} 10%); ${unexpected} unexpected answers, ${failures} failed requests`);
  if (/panic|internal error/i.test(log)) console.log(`  the server's log has errors:\n${log.split('\n').filter((l) => /panic|internal error/i.test(l)).slice(0, 10).join('\n')}`);
} finally {
  agent.destroy();
  server?.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
