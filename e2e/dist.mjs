#!/usr/bin/env node
// make dist, checked from the outside (make test-dist): the archives hold
// what README's install section says (the binary and README.md), SHA256SUMS
// verifies with sha256sum -c, `file` names each binary's format (ELF
// x86-64 and aarch64, statically linked; PE32+ x86-64; Mach-O arm64), and
// the binary for this machine runs version, validate, generate and serve
// from a folder holding nothing but itself and a plan: templates, static
// files and vendored JavaScript are inside it. Every tool is a real one;
// a missing one fails the test.
//
//   node --test-reporter=spec e2e/dist.mjs
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, untilAnswers } from './lib/server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'tentacle-dist-'));
const out = join(tmp, 'release');
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts });
const git = (...args) => sh('git', args, { cwd: root }).trim();

// What make dist must stamp, read here from git and go themselves.
let version, commit, goVersion;
const platforms = [
  { os: 'linux', arch: 'amd64', exe: 'tentacle-ha', archive: 'tar.gz', file: /^ELF 64-bit LSB executable, x86-64\b.*\bstatically linked\b/ },
  { os: 'linux', arch: 'arm64', exe: 'tentacle-ha', archive: 'tar.gz', file: /^ELF 64-bit LSB executable, ARM aarch64\b.*\bstatically linked\b/ },
  { os: 'windows', arch: 'amd64', exe: 'tentacle-ha.exe', archive: 'zip', file: /^PE32\+ executable \(console\) x86-64\b/ },
  { os: 'darwin', arch: 'arm64', exe: 'tentacle-ha', archive: 'tar.gz', file: /^Mach-O 64-bit arm64 executable\b/ },
];
const name = (p) => `tentacle-ha_${version}_${p.os}_${p.arch}`;
// The files beside the binary: README.md, and the licence once there is one.
const extras = ['README.md', ...['LICENSE', 'COPYING'].filter((f) => existsSync(join(root, f)))];

before(() => {
  version = git('describe', '--always', '--dirty');
  commit = git('rev-parse', 'HEAD');
  goVersion = sh('go', ['env', 'GOVERSION'], { cwd: root }).trim();
  execFileSync('make', ['--no-print-directory', 'dist', `DIST_OUT=${out}`], { cwd: root, stdio: 'inherit' });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('dist/release holds one archive per platform and SHA256SUMS, which sha256sum -c accepts', () => {
  const want = platforms.map((p) => `${name(p)}.${p.archive}`).sort();
  assert.deepEqual(readdirSync(out).sort(), [...want, 'SHA256SUMS'].sort());
  const check = sh('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out });
  assert.deepEqual(check.trim().split('\n').sort(), want.map((f) => `${f}: OK`));
});

// unpack extracts an archive with the real tar or unzip and lists what it held.
function unpack(p) {
  const dir = join(tmp, `x-${p.os}-${p.arch}`);
  mkdirSync(dir);
  const archive = join(out, `${name(p)}.${p.archive}`);
  const listing = p.archive === 'zip'
    ? sh('unzip', ['-Z1', archive]).trim().split('\n').filter((l) => !l.endsWith('/'))
    : sh('tar', ['-tzf', archive]).trim().split('\n').filter((l) => !l.endsWith('/'));
  if (p.archive === 'zip') sh('unzip', ['-q', archive, '-d', dir]);
  else sh('tar', ['-xzf', archive, '-C', dir]);
  return { dir: join(dir, name(p)), listing: listing.sort() };
}

for (const p of platforms) {
  test(`${p.os}/${p.arch}: the archive holds ${p.exe} and ${extras.join(', ')}; file says ${p.file.source}`, () => {
    const { dir, listing } = unpack(p);
    assert.deepEqual(listing, [p.exe, ...extras].map((f) => `${name(p)}/${f}`).sort());
    for (const f of extras) assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(root, f))), `${f} is the repository's`);
    const kind = sh('file', ['-b', join(dir, p.exe)]).trim();
    assert.match(kind, p.file);
    p.dir = dir;
  });
}

const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
const here = platforms.find((p) => p.os === 'linux' && p.arch === arch);

test(`linux/${arch}: the binary alone runs version, validate, generate and serve from an empty folder`, async () => {
  assert.ok(here, `no linux binary for this machine (${process.arch})`);
  assert.ok(here.dir, 'the archive test ran first');
  const work = join(tmp, 'empty');
  mkdirSync(work);
  const bin = join(work, 'tentacle-ha');
  copyFileSync(join(here.dir, 'tentacle-ha'), bin);
  execFileSync('chmod', ['+x', bin]);
  const run = (...args) => sh(bin, args, { cwd: work, env: { PATH: '/usr/bin:/bin', HOME: work } });

  for (const flag of ['version', '-version']) {
    const lines = run(flag).trim().split('\n');
    assert.equal(lines.length, 4, lines.join('\n'));
    assert.equal(lines[0], `tentacle-ha ${version}`);
    assert.equal(lines[1], `commit ${commit}`);
    assert.match(lines[2], /^built \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(lines[3], `${goVersion} linux/${arch}`);
  }

  copyFileSync(join(root, 'web', 'bundle', 'testdata', 'cases', 'multi-node.json'), join(work, 'plan.json'));
  run('validate', '-plan', 'plan.json');
  run('generate', '-plan', 'plan.json', '-out', 'bundle.zip');
  const files = sh('unzip', ['-Z1', join(work, 'bundle.zip')]).trim().split('\n');
  for (const f of ['README.md', 'plan.json', 'register.sh']) assert.ok(files.some((x) => x === f || x.endsWith(`/${f}`)), `bundle.zip has no ${f}: ${files.join(' ')}`);

  const port = await freePort();
  const child = spawn(bin, ['serve', '-addr', `127.0.0.1:${port}`], { cwd: work, env: { PATH: '/usr/bin:/bin', HOME: work }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));
  try {
    const base = `http://127.0.0.1:${port}`;
    await untilAnswers(`${base}/`, { child, log: () => log });
    const page = await (await fetch(`${base}/`)).text();
    const assets = [...page.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.includes('/static/vendor/htmx')), `GET / loads no vendored htmx: ${assets.join(' ')}`);
    assert.ok(assets.some((a) => /\.css(\?|$)/.test(a)), `GET / loads no stylesheet: ${assets.join(' ')}`);
    for (const a of assets) {
      const res = await fetch(base + a);
      assert.equal(res.status, 200, `${a}: ${res.status}`);
      assert.ok((await res.arrayBuffer()).byteLength > 0, `${a} is empty`);
    }
  } finally {
    child.kill('SIGTERM');
  }
  assert.deepEqual(await exited, { code: 0, signal: null }, `serve after SIGTERM: ${log}`);
  assert.deepEqual(readdirSync(work).sort(), ['bundle.zip', 'plan.json', 'tentacle-ha'], 'the binary needs and leaves nothing else');
});
