// The pages of issue 11 items 11, 12 and 18, in Chromium against the real
// server binary with -allow-register and the fake Tentacle: the 403 page
// and the access help it links to; Check's results grouped by target;
// the review's setup steps with their copy buttons and the paste that
// writes the bundle (run for real with bash); Register's progress, its
// Cancel (a wrapper holds register-with until the test lets it go) and an
// outcome whose title counts the warnings.
//
//   E2E_ONLY=pages node e2e/run.mjs
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, DEADLINE, launch, testid } from './lib/browser.mjs';
import { startRegisterServer, toReview } from './register.mjs';

const CANARY = 'API-CANARYPAGES3K5M7P9R2T4V6X8Z';

// holdRegister writes a Tentacle that waits in register-with (and
// register-worker) while the file "hold" exists in dir, then runs the fake.
function holdRegister(dir, fake) {
  const path = join(dir, 'bin', 'Tentacle-held');
  const hold = join(dir, 'hold');
  writeFileSync(path, `#!/bin/bash
case "$1" in
register-with|register-worker) while [ -e '${hold}' ]; do sleep 0.2; done ;;
esac
exec '${fake}' "$@"
`);
  chmodSync(path, 0o755);
  return path;
}

async function refused(server, shot) {
  const b = await launch();
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    const addr = new URL(server.base).host;
    const res = await page.goto(`${server.base}/register/events/x`);
    check(res.status() === 403, `GET without the token = ${res.status()}`);
    const msg = await page.innerText(testid('error-message'));
    check(msg.includes(`(http://${addr}/?token=…)`) && msg.includes(`tentacle-ha serve -allow-register -addr ${addr}.`), `the 403 page says: ${msg}`);
    await shot(page, 'pages-403');
    await Promise.all([page.waitForNavigation(), page.click(testid('access-link'))]);
    check(page.url() === `${server.base}/access`, `the 403 page's link leads to ${page.url()}`);
    check(await page.innerText(testid('access-command')) === `tentacle-ha serve -allow-register -addr ${addr}`, 'the access help names another command');
    await shot(page, 'pages-access');
    // Through another name for this machine (a tunnel's, a proxy's).
    const port = new URL(server.base).port;
    await page.goto(`http://localhost:${port}/`);
    const other = await page.innerText(testid('error-message'));
    check(other.includes(`through the address you opened, http://localhost:${port}/?token=…`), `through localhost the 403 page says: ${other}`);
  } finally {
    await b.close();
  }
}

async function checkAndSetup(server, shot, dir) {
  const b = await launch();
  try {
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await toReview(page, server.link, true);

    // Setup steps: the README's steps, a copy button per command.
    const steps = await page.$$eval(testid('setup-step'), (els) => els.map((e) => e.querySelector('h3').textContent));
    check(steps.length >= 5 && steps.includes('Register the Tentacle'), `setup steps: ${steps}`);
    const hidden = await page.$$eval(`${testid('setup-steps')} ${testid('setup-copy')}`, (els) => els.filter((e) => e.hidden).length);
    check(hidden === 0, `${hidden} copy buttons stay hidden with JavaScript`);
    const register = page.locator(testid('setup-step'), { hasText: 'Register the Tentacle' });
    await register.locator(testid('setup-copy')).first().click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    check(copied === 'sudo ./tentacle/register.sh', `the Register step's copy button copied ${JSON.stringify(copied)}`);
    await shot(page, 'pages-setup-steps');

    // The paste: copied from the page, run with bash, it unpacks the bundle.
    await page.click(`${testid('setup-paste')} > summary`);
    await page.click(`${testid('setup-paste')} .setup-code:has(${testid('setup-paste-bash')}) button`);
    const paste = await page.evaluate(() => navigator.clipboard.readText());
    check(paste === await page.textContent(testid('setup-paste-bash')), 'the paste copied is not the text shown');
    check(!paste.includes('CANARY'), 'the paste holds an API key');
    const into = join(dir, 'pasted');
    mkdirSync(into, { recursive: true });
    const out = execFileSync('bash', ['-s'], { cwd: into, input: paste, encoding: 'utf8' });
    check(out.includes('tentacle-ha-bundle.tgz: OK'), `sha256sum said: ${out}`);
    const unpacked = readdirSync(join(into, 'tentacle-ha-web-e2e'), { recursive: true });
    check(unpacked.includes('README.md') && unpacked.includes(join('tentacle', 'register.sh')), `the paste unpacked ${unpacked}`);
    await shot(page, 'pages-setup-paste');

    // Check: one group per target, failing groups open.
    await page.fill(testid('check-api-key'), CANARY);
    await page.click(testid('check'));
    await page.waitForSelector(testid('check-summary'), { timeout: 20000 });
    const groups = await page.$$eval(testid('check-group'), (els) => els.map((e) => ({
      status: e.dataset.status, open: e.open, target: e.querySelector('[data-testid=check-target]').innerHTML,
      counts: e.querySelector('[data-testid=check-counts]').textContent,
    })));
    check(groups.length >= 2, `check groups: ${JSON.stringify(groups)}`);
    for (const g of groups) {
      check(g.open === (g.status === 'fail' || g.status === 'warning'), `group ${g.target} (${g.status}) open=${g.open}`);
      check(/^\d+ (passed|failed|warned|skipped)/.test(g.counts), `group counts ${g.counts}`);
    }
    const polled = groups.find((g) => g.target.startsWith('https://<wbr>127.<wbr>0.<wbr>0.<wbr>1:<wbr>10943'));
    check(polled, `no group for https://127.0.0.1:10943 broken only at its parts: ${groups.map((g) => g.target)}`);
    await shot(page, 'pages-check-groups');
  } finally {
    await b.close();
  }
}

async function registerCancel(server, shot, dir) {
  const b = await launch();
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await toReview(page, server.link, true);
    await Promise.all([page.waitForNavigation(), page.click(testid('open-register'))]);
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    await page.fill(testid('register-api-key'), CANARY);
    await page.click(testid('register-start'));
    await page.waitForSelector(testid('register-live'));
    // The run is in view, the progress names the step held.
    const running = page.locator(`${testid('register-step')}[data-status=running]`, { hasText: 'Register with' });
    await running.waitFor({ timeout: DEADLINE });
    const text = await page.innerText(testid('register-progress-text'));
    check(/^Step \d+ of \d+: Register with https:\/\/127\.0\.0\.1:10943$/.test(text), `progress says ${text}`);
    const box = await page.locator(testid('register-live')).boundingBox();
    check(box && box.y >= 0 && box.y + box.height <= 900, `the progress is out of view: ${JSON.stringify(box)}`);
    await shot(page, 'pages-register-running');
    await page.click(testid('register-cancel'));
    await page.waitForSelector(`${testid('register-outcome')}[data-status]`, { timeout: 2 * DEADLINE });
    const status = await page.getAttribute(testid('register-outcome'), 'data-status');
    const headline = await page.innerText(testid('register-headline'));
    check(status === 'cancelled' && /^Cancelled at step \d+ of \d+: Register with https:\/\/127\.0\.0\.1:10943\.$/.test(headline), `after Cancel: ${status}: ${headline}`);
    check((await page.innerText(testid('register-advice'))).includes('Running again is safe'), 'the outcome does not say running again is safe');
    check(await page.$(testid('register-live')) === null || !(await page.isVisible(testid('register-live'))), 'the progress and Cancel stay after the run');
    await shot(page, 'pages-register-cancelled');

    // Again, not held: registered, and the title counts the warning.
    rmSync(hold);
    await page.fill(testid('register-api-key'), CANARY);
    await page.click(testid('register-start'));
    await page.waitForSelector(`${testid('register-outcome')}[data-status=warning]`, { timeout: 2 * DEADLINE });
    const title = await page.innerText(testid('register-title'));
    const warnings = await page.$$eval(`${testid('register-warnings')} li`, (els) => els.map((e) => e.textContent));
    check(/^Registered, with \d+ warnings?$/.test(title) && warnings.length >= 1, `after the re-run: ${title} ${warnings}`);
    check(!(await page.content()).includes(CANARY), 'the API key is in the page');
    await shot(page, 'pages-register-warning');
  } finally {
    await b.close();
  }
}

async function withoutJavaScript(server) {
  const b = await launch({ javaScriptEnabled: false });
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await page.goto(server.link);
    // The wizard without JavaScript: import the plan the other walk made.
    const d = await toReview(page, server.link, false);
    void d;
    check(await page.isVisible(testid('setup-steps')), 'no setup steps without JavaScript');
    const shown = await page.$$eval(testid('setup-copy'), (els) => els.filter((e) => !e.hidden).length);
    check(shown === 0, `${shown} copy buttons show without JavaScript, where they cannot copy`);
    const cmd = await page.textContent(`${testid('setup-steps')} ${testid('setup-command')}`);
    check(cmd.trim().length > 0, 'the commands are not there to select');
  } finally {
    await b.close();
  }
}

// pagesSuite runs everything above; test records each part.
export async function pagesSuite({ root, bin, tmp, test, watch, shot }) {
  const dir = join(tmp, 'pages');
  mkdirSync(dir, { recursive: true });
  const server = await startRegisterServer(root, bin, dir, { wrap: holdRegister });
  void watch;
  try {
    await test('pages: the 403 page and the access help', () => refused(server, shot));
    await test('pages: setup steps, paste, and check groups', () => checkAndSetup(server, shot, dir));
    await test('pages: register progress, cancel, warnings', () => registerCancel(server, shot, dir));
    await test('pages: setup steps without JavaScript', () => withoutJavaScript(server));
  } finally {
    if (existsSync(join(dir, 'hold'))) rmSync(join(dir, 'hold'));
    await server.stop();
  }
  await test('pages: the API key is nowhere', async () => {
    check(!server.output().includes(CANARY), 'the API key is in the server output');
  });
}
