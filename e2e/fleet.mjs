// Fleets and cluster changes in the wizard, in Chromium, with JavaScript
// and without: a CSV of machines uploaded on the Tentacle step shows each
// row's problems beside its cells, a good one becomes the plan's fleet,
// the review lists the machines and the download is the fleet bundle; and
// "Change an existing cluster" loads the current plan on step 1, a node is
// added, and the review shows the change, its diff and the change pack.
// Every wait is on the page's state, never a sleep.
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, launch, testid } from './lib/browser.mjs';
import { readZip } from './lib/archive.mjs';
import { Driver } from './walk.mjs';

const PLAN = {
  version: 1,
  topology: 'unique-address',
  server: { url: 'https://octopus.example.com', thumbprint: '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6' },
  nodes: [{ name: 'Node1', address: 'octo1.example.com' }, { name: 'Node2', address: 'octo2.example.com' }],
  tentacle: { os: 'linux', name: 'web01', kind: 'target', environments: ['Production'], roles: ['web'], subscriptionId: 'poll://g3662re9njtelsyfhm7t/' },
};
const planFile = { name: 'plan.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PLAN)) };
const csv = (text) => ({ name: 'machines.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
const BAD = 'name,os,kind,environments,roles\nweb01,linux,target,Production,web\nweb02,,server,,\nbuild-07,windows,worker,,\nWEB01,,,,\n';
const GOOD = 'name,os,kind,workerPools\nweb01,,,\nweb02,,,\nbuild-07,windows,worker,Windows Builders\n';
const ID = /^poll:\/\/[a-z0-9]{20}\/$/;

const onReview = async (page) => (await page.$(testid('download'))) !== null;

// openPlan opens PLAN on the review: from a share link with JavaScript,
// by importing plan.json without.
async function openPlan(d, base) {
  const { page } = d;
  if (d.js) {
    await page.goto(`${base}/#plan=${deflateRawSync(Buffer.from(JSON.stringify(PLAN))).toString('base64url')}`);
    await page.waitForSelector(testid('download'));
  } else {
    await page.goto(`${base}/`);
    await page.setInputFiles(testid('import-file'), planFile);
    await d.press(testid('import'));
  }
  check(await onReview(page), 'the plan did not open on the review');
}

async function fleetImport(base, shot, watch, js, out) {
  const b = await launch({ javaScriptEnabled: js });
  watch(b.context, base);
  const mode = js ? 'js' : 'nojs';
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    const d = new Driver(page, { keyboard: false, js });
    await openPlan(d, base);
    await d.press(testid('back'));
    check(await page.$(testid('fleet')) !== null, 'the Tentacle step has no fleet section');

    // A CSV with problems: each shows beside its cell, and Next stops.
    await page.setInputFiles(testid('fleet-file'), csv(BAD));
    await d.press(testid('fleet-upload'));
    check(await page.locator(testid('fleet-row')).count() === 4, 'the table does not show the 4 machines');
    const row = (n) => page.locator(`[data-testid="fleet-row"][data-row="${n}"]`);
    check((await row(3).locator(testid('fleet-error-kind')).innerText()).includes('"server"'), 'row 3 has no kind error beside its cell');
    check(await row(4).locator(testid('fleet-error-workerPools')).count() === 1, 'row 4 has no worker pools error');
    check((await row(5).locator(testid('fleet-error-name')).innerText()).includes('web01 too'), 'row 5 has no duplicate-name error');
    check(await row(2).locator('.problem-error').count() === 0, 'row 2 has errors');
    check(await page.locator(`${testid('error-summary')} a[href="#f-fleet-1-kind"]`).count() === 1, 'the summary does not link to row 3\'s kind');
    await shot(page, `fleet-${mode}-errors`);
    await d.press(testid('next'));
    check(!(await onReview(page)), 'Next passed a fleet with errors');

    // A good CSV replaces it; the ids are the machines' own.
    await page.setInputFiles(testid('fleet-file'), csv(GOOD));
    await d.press(testid('fleet-upload'));
    check(await page.locator(testid('fleet-row')).count() === 3, 'the good CSV does not show 3 machines');
    check(await page.locator(`${testid('fleet-table')} .problem-error`).count() === 0, 'the good CSV shows errors');
    const ids = await page.$$eval('[data-testid="fleet-cell-subscriptionId"]', (els) => els.map((e) => e.textContent.trim()));
    check(ids.every((id) => ID.test(id)) && new Set(ids).size === 3, `ids ${ids} are not 3 distinct subscription ids`);
    await shot(page, `fleet-${mode}-table`);

    // Through the steps to the review: the fleet stays.
    await d.press(testid('back'));
    await d.press(testid('next'));
    await d.press(testid('next'));
    check(await onReview(page), 'Next with a good fleet does not reach the review');
    const reviewIds = await page.$$eval('[data-testid="fleet-review-id"]', (els) => els.map((e) => e.textContent.trim()));
    check(JSON.stringify(reviewIds) === JSON.stringify(ids), `the review lists ${reviewIds}, want ${ids}`);
    await shot(page, `fleet-${mode}-review`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(testid('download-zip'))]);
    check(dl.suggestedFilename() === 'tentacle-ha-fleet.zip', `download named ${dl.suggestedFilename()}`);
    const path = join(out, `fleet-${mode}.zip`);
    await dl.saveAs(path);
    const files = readZip(readFileSync(path));
    for (const f of ['tentacles/web01/register.sh', 'tentacles/build-07/register.ps1', 'tentacle/register-any.sh']) {
      check(files.has(f), `the fleet bundle has no ${f}: ${[...files.keys()].join(' ')}`);
    }
    check((files.get('tentacles/web02/register.sh') ?? '').includes(ids[1]), 'web02\'s register.sh does not carry its id');
  } finally {
    await b.close();
  }
}

async function changeReview(base, shot, watch, js, out) {
  const b = await launch({ javaScriptEnabled: js });
  watch(b.context, base);
  const mode = js ? 'js' : 'nojs';
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    const d = new Driver(page, { keyboard: false, js });
    await page.goto(`${base}/`);
    await page.setInputFiles(testid('change-file'), planFile);
    await d.press(testid('change-load'));
    check((await page.innerText(testid('change-from'))).includes('unique-address, 2 nodes'), 'step 1 does not name the current cluster');
    await shot(page, `change-${mode}-start`);
    await d.next(2);
    await d.press(testid('add-node'));
    await d.fill('#f-nodes-2-name', 'Node3');
    await d.fill('#f-nodes-2-address', 'octo3.example.com');
    await d.next(3);
    await d.press(testid('next'));
    check(await onReview(page), 'the change does not reach the review');
    check((await page.innerText(testid('change-added'))).includes('https://octo3.example.com:10943'), 'the review does not add octo3');
    check((await page.innerText(testid('change-nodes-added'))).trim() === 'Node3', 'the review does not add Node3');
    const planDiff = page.locator('[data-testid="change-file"][data-path="plan.json"]');
    check(await planDiff.getAttribute('data-status') === 'changed', 'plan.json is not changed');
    check((await planDiff.locator('[data-kind="add"]').allInnerTexts()).join('').includes('octo3.example.com'), 'plan.json\'s diff does not add octo3');
    await shot(page, `change-${mode}-review`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(testid('change-download-zip'))]);
    check(dl.suggestedFilename() === 'tentacle-ha-change.zip', `change pack named ${dl.suggestedFilename()}`);
    const path = join(out, `change-${mode}.zip`);
    await dl.saveAs(path);
    const files = readZip(readFileSync(path));
    for (const f of ['change/README.md', 'change/update-tentacle.sh', 'change/update-tentacle.ps1', 'octopus-server/Node3.ps1', 'SHA256SUMS']) {
      check(files.has(f), `the change pack has no ${f}: ${[...files.keys()].join(' ')}`);
    }
    check(await page.locator(testid('rollout-unavailable')).count() === 1, 'Roll out is not shown as unavailable on a server without -allow-register');
  } finally {
    await b.close();
  }
}

// fleetSuite runs both, with JavaScript and without.
export async function fleetSuite({ base, test, watch, shot, out }) {
  for (const js of [true, false]) {
    const how = js ? 'with JavaScript' : 'without JavaScript';
    await test(`fleet CSV ${how}`, () => fleetImport(base, shot, watch, js, out));
    await test(`change review ${how}`, () => changeReview(base, shot, watch, js, out));
  }
}
