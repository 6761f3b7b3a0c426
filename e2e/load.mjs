#!/usr/bin/env node
// Load figures of the self-hosted server on loopback (make load), printed,
// never asserted: wrk against GET / beside nginx serving the very same
// bytes (three interleaved pairs, median ratio), then POST /preview,
// /api/v1/validate and /api/v1/bundle: requests/s, p50/p99 latency,
// errors, the server's peak RSS (VmHWM) and the load average. The machine
// is shared: read the ratios, measured in one run, not the absolute
// figures. Aims, printed with the figures: no errors, GET / at least half
// nginx's requests/s, peak RSS under 64 MiB.
//
//   node e2e/load.mjs   (LOAD_SECONDS=20 LOAD_CONNECTIONS=64 by default)
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from 'node:http';
import { buildServer, freePort, startServer, untilAnswers } from './lib/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.LOAD_SECONDS ?? 20);
const conns = Number(process.env.LOAD_CONNECTIONS ?? 64);
const tmp = mkdtempSync(join(tmpdir(), 'tentacle-load-'));
chmodSync(tmp, 0o755); // nginx's workers read the page from here

// wrk runs one measurement; lua, when given, sets the method and body.
function wrk(url, lua) {
  // --timeout 10s: wrk's default of 2 s counts a slow answer (a bundle, 64
  // at once on a shared 2-core machine) as an error; its latency shows in
  // p99 instead, and only an answer slower than 10 s is an error.
  const args = ['-t2', `-c${conns}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-H', 'Accept-Encoding: gzip'];
  if (lua) args.push('-s', lua);
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8' });
  const num = (re) => { const m = out.match(re); return m ? m[1] : null; };
  const ms = (s) => (s === null ? NaN : s.endsWith('us') ? parseFloat(s) / 1000 : s.endsWith('ms') ? parseFloat(s) : parseFloat(s) * 1000);
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rps: Number(num(/Requests\/sec:\s+([\d.]+)/)),
    p50: ms(num(/\s50%\s+([\d.]+\w+)/)),
    p99: ms(num(/\s99%\s+([\d.]+\w+)/)),
    errors: Number(num(/Non-2xx or 3xx responses: (\d+)/) ?? 0) + (sock ? sock.slice(1).reduce((s, x) => s + Number(x), 0) : 0),
    // wrk gives up on an answer after --timeout and counts a timeout.
    timeouts: sock ? Number(sock[4]) : 0,
  };
}

function postScript(name, path, type, body) {
  const file = join(tmp, `${name}.lua`);
  writeFileSync(file, `wrk.method = "POST"\nwrk.path = ${JSON.stringify(path)}\nwrk.headers["Content-Type"] = ${JSON.stringify(type)}\nwrk.body = ${JSON.stringify(body)}\n`);
  return file;
}

async function nginx(body) {
  const port = await freePort();
  writeFileSync(join(tmp, 'index.html.gz'), body);
  writeFileSync(join(tmp, 'index.html'), '');
  const conf = join(tmp, 'nginx.conf');
  writeFileSync(conf, `daemon off; worker_processes auto; pid ${tmp}/nginx.pid; error_log ${tmp}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp}; uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp};
  server { listen 127.0.0.1:${port}; root ${tmp}; gzip_static always; gunzip off;
    location = / { default_type "text/html; charset=utf-8"; try_files /index.html =404; add_header Vary Accept-Encoding; } } }
`);
  const child = spawn('nginx', ['-c', conf, '-p', tmp], { stdio: 'ignore', detached: true });
  const base = `http://127.0.0.1:${port}`;
  await untilAnswers(`${base}/`, { child });
  return { base, stop: () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } } };
}

// rawGet reads an answer's bytes as sent (fetch would decode gzip).
function rawGet(url) {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.headers['content-encoding'] === 'gzip' ? resolve(Buffer.concat(chunks)) : reject(new Error('GET / was not gzip'))));
    }).on('error', reject);
  });
}

const peakRSS = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/)[1] / 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name, r) => `  ${name.padEnd(30)} ${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  errors ${r.errors}${r.timeouts ? ` (${r.timeouts} wrk timeouts, > 10 s)` : ''}`;

let server, ng;
try {
  const bin = buildServer(root, tmp);
  server = await startServer(bin);
  // nginx serves the very bytes the server sends (gzip).
  const page = await rawGet(`${server.base}/`);
  ng = await nginx(page);
  const load0 = loadavg();
  const pairs = [];
  for (let i = 0; i < 3; i++) pairs.push({ nginx: wrk(`${ng.base}/`), wizard: wrk(`${server.base}/`) });
  const plan = readFileSync(join(root, 'web', 'bundle', 'testdata', 'cases', 'multi-node.json'), 'utf8');
  const form = new URLSearchParams({ step: '3', plan, 'tentacle.name': 'web02', 'tentacle.subscriptionId': 'poll://g3662re9njtelsyfhm7t/' }).toString();
  const posts = [
    ['POST /preview', postScript('preview', '/preview', 'application/x-www-form-urlencoded', form)],
    ['POST /api/v1/validate', postScript('validate', '/api/v1/validate', 'application/json', plan)],
    ['POST /api/v1/bundle (zip)', postScript('bundle', '/api/v1/bundle?format=zip', 'application/json', plan)],
  ].map(([name, lua]) => [name, wrk(`${server.base}/`, lua)]);
  const load1 = loadavg();

  console.log(`load on loopback: wrk -t2 -c${conns} -d${seconds}s --timeout 10s, Accept-Encoding: gzip; ${page.length} bytes of GET / (gzip); ${new Date().toISOString()}`);
  pairs.forEach((p, i) => {
    console.log(row(`nginx GET / (pair ${i + 1})`, p.nginx));
    console.log(row(`wizard GET / (pair ${i + 1})`, p.wizard));
  });
  const ratios = pairs.map((p) => p.wizard.rps / p.nginx.rps);
  console.log(`  GET / wizard/nginx requests/s: ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)} (aim >= 0.5)`);
  for (const [name, r] of posts) console.log(row(name, r));
  const rss = peakRSS(server.pid);
  console.log(`  server peak RSS (VmHWM) ${rss.toFixed(1)} MiB; load average before ${load0.map((x) => x.toFixed(2)).join(' ')}, after ${load1.map((x) => x.toFixed(2)).join(' ')} (${cpus().length} cores, shared)`);
  const errors = [...pairs.map((p) => p.wizard), ...posts.map(([, r]) => r)].reduce((s, r) => s + r.errors, 0);
  const met = (ok) => (ok ? 'met' : 'NOT met');
  console.log(`  aims: 0 errors (${errors}, ${met(errors === 0)}); GET / >= 0.5x nginx (${median(ratios).toFixed(2)}x, ${met(median(ratios) >= 0.5)}); peak RSS < 64 MiB (${rss.toFixed(1)}, ${met(rss < 64)})`);
} finally {
  ng?.stop();
  server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
