// Starting what the suites test: the self-hosted server built once, on a
// free loopback port, and the one wait for anything to answer HTTP.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function buildServer(root, dir) {
  const bin = join(dir, 'tentacle-ha');
  execFileSync('go', ['build', '-o', bin, './server'], { cwd: root, stdio: 'inherit' });
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// untilAnswers polls url until it answers with a status accept takes (any
// 2xx by default), and fails at the deadline, or at once when child, the
// process that should answer, has exited. log() adds its output to the
// error.
export async function untilAnswers(url, { deadline = 15_000, accept = (res) => res.ok, child = null, log = () => '' } = {}) {
  const end = Date.now() + deadline;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode} before it answered: ${log()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(100, end - Date.now())) });
      await res.arrayBuffer();
      if (accept(res)) return res;
    } catch { /* not listening yet */ }
    if (Date.now() > end) throw new Error(`${url} did not answer within ${deadline} ms: ${log()}`);
    await sleep(100);
  }
}

// startServer runs `bin serve -addr 127.0.0.1:PORT` and waits until it answers.
export async function startServer(bin) {
  const port = await freePort();
  const child = spawn(bin, ['serve', '-addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => child.kill('SIGTERM');
  try {
    await untilAnswers(`${base}/`, { child, log: () => log });
  } catch (err) {
    stop();
    throw err;
  }
  return { base, stop, log: () => log, pid: child.pid };
}
