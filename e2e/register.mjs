// The Check and Register features of the self-hosted server, in Chromium:
// the real server binary runs with -allow-register and the fake Tentacle
// (built from server/internal/faketentacle); the browser opens the link
// with the token the server prints, walks to the review step, checks the
// nodes, and registers with a canary API key, with JavaScript (steps
// streamed as server-sent events) and without (one blocking post). The
// canary must appear nowhere: not in a page, not in the server's output,
// not in any file the run leaves (including the browser's profile).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, DEADLINE, launch, testid } from './lib/browser.mjs';
import { freePort, untilAnswers } from './lib/server.mjs';
import { Driver } from './walk.mjs';

const CANARY = 'API-CANARYE2E5H8K2M4P6R8T0V2X4';
const THUMBPRINT = '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6';

// startRegisterServer runs `bin serve -allow-register` on a free loopback
// port with the fake Tentacle, reads the token link from its output and
// waits until it answers (403 without the token).
// With wrap, the server runs wrap(dir, fake) instead: the path of a
// program that calls the fake Tentacle (pages.mjs holds a step with one).
export async function startRegisterServer(root, bin, dir, { wrap } = {}) {
  const fake = join(dir, 'bin', 'Tentacle');
  execFileSync('go', ['build', '-o', fake, './server/internal/faketentacle'], { cwd: root, stdio: 'inherit' });
  const tentacle = wrap ? wrap(dir, fake) : fake;
  const port = await freePort();
  const env = {
    ...process.env,
    TentacleMachineConfigurationHomeDirectory: join(dir, 'home'),
    FAKE_TENTACLE_SERVER_THUMBPRINT: THUMBPRINT,
    FAKE_TENTACLE_LOG: join(dir, 'tentacle.log'),
  };
  const args = ['serve', '-allow-register', '-addr', `127.0.0.1:${port}`, '-tentacle', tentacle,
    '-config', join(dir, 'etc', 'tentacle-Tentacle.config')];
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  const output = () => stdout + stderr;
  try {
    await untilAnswers(`${base}/`, { accept: (res) => res.status === 403, child, log: output });
    // The link is printed before the server answers; its pipe may lag.
    const m = await printed(child, () => stdout, /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/);
    return { base, link: m[0], stop: async () => { child.kill('SIGTERM'); await exited; }, output };
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
}

// printed resolves with the match of re in the process's output, once it
// is there; it fails after a few seconds.
function printed(child, text, re, deadline = 5000) {
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = re.exec(text());
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', look);
      resolve(m);
    };
    const timer = setTimeout(() => {
      child.stdout.off('data', look);
      reject(new Error(`the server printed no token link within ${deadline} ms: ${text()}`));
    }, deadline);
    child.stdout.on('data', look);
    look();
  });
}

// toReview walks a unique-address plan whose nodes are closed loopback
// ports (the check answers at once) to the review step.
export async function toReview(page, link, js) {
  const d = new Driver(page, { keyboard: false, js });
  await page.goto(link);
  check(!page.url().includes('token='), `the token stays in the address bar: ${page.url()}`);
  await d.next(2);
  await d.fill('#f-server-url', 'https://127.0.0.1:9');
  await d.fill('#f-server-thumbprint', THUMBPRINT);
  await d.fill('#f-nodes-0-address', '127.0.0.1');
  await d.fill('#f-nodes-1-address', '127.0.0.2');
  await d.fill('#f-nodes-2-address', '127.0.0.3');
  await d.next(3);
  await d.fill('#f-tentacle-name', 'web-e2e');
  await d.fill('#f-tentacle-environments', 'Production');
  await d.fill('#f-tentacle-roles', 'web');
  await d.next('review');
  return d;
}

// noCanary fails if the key is in the page.
async function noCanary(page, where) {
  check(!(await page.content()).includes(CANARY), `the API key is in the page ${where}`);
}

// outcomeOf reads the run's end from the page.
async function outcomeOf(page) {
  const steps = await page.$$eval(`${testid('register-step')}`, (els) => els.map((e) => e.dataset.status));
  const status = await page.getAttribute(testid('register-outcome'), 'data-status');
  const text = await page.innerText(testid('register-outcome'));
  return { steps, status, text };
}

// checkGreen: registered; the warning the fake's Octopus gives is counted
// in the outcome's title, never under a plain "Registered".
function checkGreen({ steps, status, text }, what) {
  check(status === 'warning' && text.startsWith('Registered, with '), `${what}: the run ended ${status}: ${text}`);
  check(steps.length >= 10 && !steps.includes('fail') && !steps.includes('running'), `${what}: steps ${steps}`);
  check(steps.includes('warning'), `${what}: no warning, but the fake Tentacle's Octopus cannot be asked`);
}

// withJavaScript checks the nodes, then registers with the steps streamed.
// The browser's profile is searched for the key before it is removed.
async function withJavaScript(server, watch, shot, profileHits) {
  const b = await launch();
  watch(b.context, server.base);
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    // The key may travel only in the body of the two posts that use it.
    const carried = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.url().includes(CANARY)) carried.push(`URL ${r.url()}`);
      if ((r.postData() ?? '').includes(CANARY)) carried.push(path);
    });
    await toReview(page, server.link, true);

    // Check: htmx posts the check form and swaps the result in.
    await page.fill(testid('check-api-key'), CANARY);
    // The key's form is not the wizard's: typing it posts no preview.
    check(await page.$('.htmx-request') === null, 'typing the API key sent a request');
    await page.click(testid('check'));
    await page.waitForSelector(testid('check-summary'), { timeout: 20000 });
    const rows = await page.$$eval(testid('check-row'), (els) => els.map((e) => e.dataset.status));
    check(rows.length >= 3 && rows.includes('fail'), `check rows ${rows}, want failures for the closed ports`);
    await page.waitForFunction(() => document.activeElement?.id === 'check-result', null, { timeout: 5000 })
      .catch(() => { throw new Error('the check result does not take the focus'); });
    check(await page.getAttribute(testid('wizard'), 'data-review') === 'true', 'the check left the review step');
    await noCanary(page, 'after a check');
    await shot(page, 'register-js-1-review-checked');
    const planJSON = await page.getAttribute(testid('plan-field'), 'value');

    // Register: a page of its own, the key in the body of one post.
    await Promise.all([page.waitForNavigation(), page.click(testid('open-register'))]);
    check((await page.innerText(testid('register-plan'))).includes('https://127.0.0.2:10943'), 'the Register page does not show the plan');
    await page.fill(testid('register-api-key'), CANARY);
    const t0 = Date.now();
    await page.click(testid('register-start'));
    // htmx swaps the page in at once, its steps section connected to the run.
    await page.waitForSelector(`${testid('register-run')}[sse-connect]`);
    check(await page.inputValue(testid('register-api-key')) === '', 'the key stays in the field after the start');
    await page.waitForSelector(`${testid('register-outcome')}[data-status]`, { timeout: 2 * DEADLINE });
    const run = await outcomeOf(page);
    checkGreen(run, 'with JavaScript');
    check(page.url() === `${server.base}/register`, `the run left the page: ${page.url()}`);
    check(await page.evaluate(() => document.activeElement?.id === 'register-outcome'), 'the outcome does not take the focus');
    check((await page.innerText(testid('register-steps'))).includes('--apiKey API-***'), 'the register step does not show its masked command');
    await noCanary(page, 'after the run');
    check(carried.join() === '/check,/register/start', `the key was sent with: ${carried.join(', ')}`);
    await shot(page, 'register-js-2-done');
    return { planJSON, ms: Date.now() - t0, steps: run.steps.length };
  } finally {
    await b.context.close();
    profileHits.push(...filesWith(b.dir, CANARY));
    await b.close();
  }
}

// withoutJavaScript imports the same plan and runs again: the post waits
// for the end; the run converges (already registered, config backed up).
async function withoutJavaScript(server, planJSON, dir, shot) {
  const b = await launch({ javaScriptEnabled: false });
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await page.goto(server.link);
    const planPath = join(dir, 'plan.json');
    writeFileSync(planPath, planJSON);
    await page.setInputFiles(testid('import-file'), planPath);
    await Promise.all([page.waitForNavigation(), page.click(testid('import'))]);
    check(await page.getAttribute(testid('wizard'), 'data-review') === 'true', 'the imported plan does not open the review');
    await Promise.all([page.waitForNavigation(), page.click(testid('open-register'))]);
    await page.fill(testid('register-api-key'), CANARY);
    await Promise.all([page.waitForNavigation({ timeout: 2 * DEADLINE }), page.click(testid('register-start'))]);
    const run = await outcomeOf(page);
    checkGreen(run, 'without JavaScript');
    check(run.steps.includes('skipped'), 'a second run skips nothing');
    check(run.text.includes('saved at'), `a second run names no backup: ${run.text}`);
    await noCanary(page, 'after the run without JavaScript');
    await shot(page, 'register-nojs-done');
  } finally {
    await b.close();
  }
}

// otherID imports the plan with another subscription id: the run stops
// before any change and offers the id this Tentacle already has; using it
// shows the confirm step with that id, and the run then goes green.
async function otherID(server, planJSON, dir, shot) {
  const b = await launch({ javaScriptEnabled: false });
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await page.goto(server.link);
    const plan = JSON.parse(planJSON);
    const had = plan.tentacle.subscriptionId;
    plan.tentacle.subscriptionId = 'poll://zzzzzzzzzzzzzzzzzzzz/';
    const planPath = join(dir, 'other-id.json');
    writeFileSync(planPath, JSON.stringify(plan));
    await page.setInputFiles(testid('import-file'), planPath);
    await Promise.all([page.waitForNavigation(), page.click(testid('import'))]);
    await Promise.all([page.waitForNavigation(), page.click(testid('open-register'))]);
    await page.fill(testid('register-api-key'), CANARY);
    await Promise.all([page.waitForNavigation({ timeout: 2 * DEADLINE }), page.click(testid('register-start'))]);
    const run = await outcomeOf(page);
    check(run.status === 'fail' && run.text.includes(had), `another id: the run ended ${run.status}: ${run.text}`);
    check(await page.getAttribute(testid('use-existing-id'), 'value') === had, 'the offered id is not the one the Tentacle has');
    await shot(page, 'register-nojs-other-id-offered');
    await Promise.all([page.waitForNavigation(), page.click(testid('use-existing-id'))]);
    check((await page.innerText(testid('register-plan'))).includes(had), 'the confirm step does not show the id in use');
    await page.fill(testid('register-api-key'), CANARY);
    await Promise.all([page.waitForNavigation({ timeout: 2 * DEADLINE }), page.click(testid('register-start'))]);
    checkGreen(await outcomeOf(page), 'with the id the Tentacle has');
    await noCanary(page, 'after using the existing id');
  } finally {
    await b.close();
  }
}

// filesWith lists the files under dir that contain text.
function filesWith(dir, text) {
  const hits = [];
  const walk = (d) => {
    let entries = [];
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try { if (readFileSync(p).includes(text)) hits.push(p); } catch { /* gone */ }
      }
    }
  };
  walk(dir);
  return hits;
}

// registerSuite runs everything above; test records each part.
export async function registerSuite({ root, bin, tmp, test, watch, shot }) {
  const dir = join(tmp, 'register');
  mkdirSync(dir, { recursive: true });
  const server = await startRegisterServer(root, bin, dir);
  let js;
  const profileHits = [];
  try {
    await test('register: refused without the token', async () => {
      const res = await fetch(`${server.base}/`);
      const body = await res.text();
      check(res.status === 403 && body.includes('the link it printed'), `GET / without the token = ${res.status}`);
      const post = await fetch(`${server.base}/register/start`, { method: 'POST', body: new URLSearchParams({ apiKey: CANARY }) });
      check(post.status === 403, `POST /register/start without the token = ${post.status}`);
    });
    js = await test('register: check and register with JavaScript', () => withJavaScript(server, watch, shot, profileHits));
    if (js) await test('register: again without JavaScript', () => withoutJavaScript(server, js.planJSON, dir, shot));
    if (js) await test('register: another subscription id offers the one in use', () => otherID(server, js.planJSON, dir, shot));
  } finally {
    await server.stop();
  }
  await test('register: the API key is nowhere', async () => {
    check(!server.output().includes(CANARY), 'the API key is in the server output');
    const hits = [...filesWith(dir, CANARY), ...profileHits];
    check(hits.length === 0, `the API key was written to ${hits.join(', ')}`);
    const log = join(dir, 'tentacle.log');
    check(existsSync(log) && readFileSync(log, 'utf8').includes('"register-with"'), 'the fake Tentacle never ran register-with');
  });
  if (js) console.log(`     register: ${js.steps} steps streamed in ${js.ms} ms (fake Tentacle)`);
}
