// The wizard's guidance, in Chromium (E2E_ONLY=ux): share links opened
// by a first-time visitor and pasted into an open tab, problems that
// follow the input (warnings too) once a field was left, Enter that does
// not press Next, the node table's start and focus, the jump to the
// preview on a phone, drafts (DRAFT first, examples marked, Copy asks),
// "Use unique port instead", and the presets. Used by run.mjs (the
// self-hosted server) and static.mjs (the service worker).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readZip } from './lib/archive.mjs';
import { check, testid } from './lib/browser.mjs';

// A plan of three unique-address nodes, as a share link's fragment: made
// here with node's zlib (raw deflate, base64url), not by the wizard.
export const SHARED_PLAN = {
  version: 1,
  topology: 'unique-address',
  server: { url: 'https://deploy.corp.example', thumbprint: '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6' },
  nodes: [
    { name: 'Alpha', address: 'alpha.corp.example', port: 10943 },
    { name: 'Beta', address: 'beta.corp.example', port: 10943 },
    { name: 'Gamma', address: 'gamma.corp.example', port: 10943 },
  ],
  tentacle: { os: 'linux', instance: 'Tentacle', name: 'shared-web01', kind: 'target', environments: ['Production'], roles: ['web'] },
};

export function shareFragment(plan = SHARED_PLAN) {
  return `#plan=${deflateRawSync(Buffer.from(JSON.stringify(plan))).toString('base64url')}`;
}

const ready = (page) => page.waitForFunction(() => performance.getEntriesByName('wizard-ready').length > 0);
const step = (page) => page.getAttribute('form#wizard', 'data-step');

// opened checks that the page shows the shared plan.
async function opened(page) {
  await page.waitForSelector(testid('notice'));
  const notice = await page.innerText(testid('notice'));
  check(notice.includes('Opened the plan from the share link'), `notice after opening the link: ${notice}`);
  const plan = JSON.parse(await page.getAttribute(testid('plan-field'), 'value'));
  check(plan.tentacle.name === 'shared-web01' && plan.nodes[2].address === 'gamma.corp.example', `the page's plan is not the shared one: ${JSON.stringify(plan).slice(0, 200)}`);
}

// firstVisit opens a share link in a browser profile that never saw the
// wizard (on the static site: no service worker yet).
export async function firstVisit(context, base) {
  const page = context.pages()[0] ?? await context.newPage();
  const answers = [];
  page.on('response', (r) => { if (r.request().method() === 'POST') answers.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${base}/${shareFragment()}`);
  await opened(page);
  const text = await page.evaluate(() => document.body.innerText);
  check(!/Unsupported method|501/.test(text), `the file server answered the post: ${text.slice(0, 200)}`);
  check(answers.every((a) => !a.startsWith('501')), `a post was answered 501: ${answers.join(', ')}`);
  return page;
}

// pasted: a share link pasted into a tab already on the wizard changes
// only the fragment (hashchange, no page load).
export async function pasted(page, base) {
  await page.goto(`${base}/`);
  await ready(page);
  const nav = page.waitForNavigation({ waitUntil: 'load' });
  await page.evaluate((h) => { location.hash = h; }, shareFragment());
  await nav;
  await opened(page);
}

// toServer goes from a fresh page to step 2 with a topology.
async function toServer(page, base, topology) {
  await page.goto(`${base}/`);
  await ready(page);
  await page.click(`label[for="f-topology-${topology}"]`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid('next'))]);
  check(await step(page) === '2', `Next went to step ${await step(page)}`);
}

// previewSettled waits until no preview request is in flight.
const previewSettled = (page) => page.waitForFunction(() => !document.querySelector('#wizard.htmx-request'));

// uxSuite runs every check above in a browser (launch: a new profile
// each call) against base; shot takes screenshots (and runs axe) or is null.
export async function uxSuite({ base, launch, watch, test, shot }) {
  const fresh = await launch();
  watch(fresh.context, base);
  try {
    await test('share link opened by a first-time visitor', () => firstVisit(fresh.context, base));
  } finally {
    await fresh.close();
  }
  const b = await launch();
  watch(b.context, base);
  try {
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = b.context.pages()[0] ?? await b.context.newPage();
    await test('share link pasted into an open tab (hashchange)', () => pasted(page, base));
    await test('warnings follow the input (balancer kinds)', () => staleWarning(page, base, shot));
    await test('errors as the user types once a field was left; examples marked', () => liveErrors(page, base, shot));
    await test('Enter does not press Next; Add node focuses the address', () => enterAndNodes(page, base));
    await test('jump to the preview and back on a phone', () => jumpToPreview(page, base));
    await test('Copy on a draft asks first; the copy says DRAFT', () => draftCopy(page, base, shot));
    await test('old server version: Use unique port instead', () => oldVersion(page, base, shot));
    await test('presets on step 1', () => presets(page, base, shot));
    await test('Kubernetes agent: preset, Windows refused, review and bundle', () => kubernetesAgent(page, base, shot));
    await test('a deployment target has no kubernetes-agent/ files', () => plainTarget(page, base));
  } finally {
    await b.close();
  }
}

// staleWarning: the balancer-kind warning goes once a kind is ticked, and
// comes back when none is (item 3).
export async function staleWarning(page, base, shot) {
  await toServer(page, base, 'unique-port');
  const warning = testid('warning-loadBalancer.kinds');
  check(await page.isVisible(warning), 'no balancer-kind warning on a fresh unique-port step');
  await page.check('#f-loadBalancer-kinds-nginx');
  await page.check('#f-loadBalancer-kinds-haproxy');
  await page.waitForSelector(warning, { state: 'detached' });
  await previewSettled(page);
  check(!(await page.$(warning)), 'the balancer-kind warning stays after ticking NGINX and HAProxy');
  await page.uncheck('#f-loadBalancer-kinds-nginx');
  await page.uncheck('#f-loadBalancer-kinds-haproxy');
  await page.waitForSelector(warning, { state: 'visible' });
  if (shot) await shot(page, 'ux-kinds-warning');
}

// liveErrors: a field's errors show as the user types once it was left;
// fields not reached stay quiet; examples are marked in the preview (4).
export async function liveErrors(page, base, shot) {
  await toServer(page, base, 'unique-address');
  // A new plan: three node rows, as every diagram draws.
  check((await page.$$(testid('node-row'))).length === 3, 'a new plan does not start with 3 node rows');
  await page.click('#f-server-url');
  await page.keyboard.type('octopus.corp.example');
  check(!(await page.$(testid('error-server.url'))), 'an error shows before the field was left');
  await page.keyboard.press('Tab');
  await page.waitForSelector(testid('error-server.url'));
  const msg = await page.innerText(testid('error-server.url'));
  check(msg.includes('https://octopus.corp.example'), `the URL error does not suggest the fix: ${msg}`);
  check(await page.getAttribute('#f-server-url', 'aria-invalid') === 'true', 'the URL field is not marked invalid');
  check((await page.getAttribute('#f-server-url', 'aria-describedby') ?? '').includes('f-server-url-problems'), 'the URL field is not described by its error');
  check(!(await page.$(testid('error-server.thumbprint'))), 'the thumbprint (left but not typed in) shows an error: only left fields do');
  // The preview: examples marked, and the note says so.
  await page.waitForFunction(() => [...document.querySelectorAll('#preview code .ex')].some((e) => e.textContent.includes('octopus.example.com')));
  check(await page.isVisible(testid('preview-draft')), 'no draft note above the files');
  check((await page.innerText(testid('preview-draft'))).includes('marked'), 'the draft note does not say how examples are marked');
  if (shot) await shot(page, 'ux-live-error');
  // Typing on fixes it: the error goes while typing, no Next needed.
  await page.click('#f-server-url');
  await page.keyboard.press('Home');
  await page.keyboard.type('https://');
  await page.waitForSelector(testid('error-server.url'), { state: 'detached' });
  await page.waitForFunction(() => document.getElementById('f-server-url').getAttribute('aria-invalid') === null);
  await page.waitForFunction(() => document.getElementById('preview').textContent.includes('octopus.corp.example'));
  check(!(await page.$$eval('#preview code .ex', (els) => els.some((e) => e.textContent.includes('octopus')))), 'the typed URL is still marked as an example');
}

// enterAndNodes: Enter in a text box stays on the step and shows only that
// field's errors; Add node focuses the new row's address (item 10).
export async function enterAndNodes(page, base) {
  await toServer(page, base, 'unique-address');
  await page.click('#f-server-thumbprint');
  await page.keyboard.type('77751F90');
  await page.keyboard.press('Enter');
  await page.waitForSelector(testid('error-server.thumbprint'));
  check(await step(page) === '2', 'Enter in a field left the step');
  check(!(await page.$(testid('error-summary'))), 'Enter showed the error summary (Next)');
  check(!(await page.$(testid('error-nodes[0].address'))), 'Enter showed errors of fields not reached yet');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid('add-node'))]);
  check((await page.$$(testid('node-row'))).length === 4, 'Add node did not add a fourth row');
  check(await page.evaluate(() => document.activeElement?.id) === 'f-nodes-3-address', `Add node focused ${await page.evaluate(() => document.activeElement?.id)}, want the new row's address`);
}

// jumpToPreview: on a phone the form links to the preview and back (10).
export async function jumpToPreview(page, base) {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await toServer(page, base, 'unique-address');
    check(await page.isVisible(testid('jump-preview')), 'no visible "Jump to the preview" at 390 px');
    await page.click(testid('jump-preview'));
    await page.waitForFunction(() => Math.abs(document.getElementById('preview').getBoundingClientRect().top) < 5);
    check(await page.isVisible(testid('jump-form')), 'no visible "Back to the form" after the preview');
    await page.click(testid('jump-form'));
    await page.waitForFunction(() => Math.abs(document.getElementById('main').getBoundingClientRect().top) < 5);
    await page.setViewportSize({ width: 1280, height: 900 });
    check(!(await page.isVisible(testid('jump-preview'))), '"Jump to the preview" shows at 1280 px, where the preview is beside the form');
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

// draftCopy: Copy on a draft's file asks first; the copy says DRAFT (6).
export async function draftCopy(page, base, shot) {
  await page.goto(`${base}/`);
  await ready(page);
  await page.evaluate(() => navigator.clipboard.writeText('sentinel'));
  const copy = '#preview .panel:not([hidden]) button.copy';
  await page.click(copy);
  await page.waitForSelector(testid('copy-confirm'));
  check(await page.evaluate(() => document.activeElement?.dataset.testid) === 'copy-cancel', 'the question does not take the focus (on Cancel)');
  check(await page.evaluate(() => navigator.clipboard.readText()) === 'sentinel', 'Copy on a draft copied before asking');
  if (shot) await shot(page, 'ux-draft-copy');
  await page.keyboard.press('Enter');
  await page.waitForSelector(testid('copy-confirm'), { state: 'detached' });
  check(await page.evaluate(() => navigator.clipboard.readText()) === 'sentinel', 'Cancel copied');
  await page.click(copy);
  await page.click(testid('copy-draft'));
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) !== 'sentinel');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  const shown = await page.$eval('#preview .panel:not([hidden]) pre.code > code', (c) => c.textContent);
  check(text === shown, 'the copied draft differs from the file shown');
  check(text.split('\n')[0].includes('DRAFT'), `the copied draft's first line does not say DRAFT: ${text.split('\n')[0]}`);
}

// oldVersion: multi-node with an old version offers unique port in one
// click; an empty version warns (item 13).
export async function oldVersion(page, base, shot) {
  await toServer(page, base, 'multi-node');
  check((await page.innerText(testid('warning-server.version'))).includes('enter the server version'), 'no warning about the empty version');
  for (const [i, a] of ['10.0.1.11', '10.0.1.12', '10.0.1.13'].entries()) await page.fill(`#f-nodes-${i}-address`, a);
  await page.fill('#f-loadBalancer-address', 'polling.example.com');
  await page.click('#f-server-version');
  await page.keyboard.type('2024.2.1');
  await page.keyboard.press('Tab');
  await page.waitForSelector(testid('use-unique-port'));
  const versionError = () => document.querySelector('[data-testid="error-server.version"]')?.textContent ?? '';
  await page.waitForFunction(() => (document.querySelector('[data-testid="error-server.version"]')?.textContent ?? '').includes('does not support multi-node'), null, { timeout: 10000 })
    .catch(async () => { throw new Error(`no version error beside the button: ${await page.evaluate(versionError)}`); });
  if (shot) await shot(page, 'ux-old-version');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid('use-unique-port'))]);
  const plan = JSON.parse(await page.getAttribute(testid('plan-field'), 'value'));
  check(plan.topology === 'unique-port', `topology after the switch: ${plan.topology}`);
  check(plan.nodes.map((n) => n.address).join() === '10.0.1.11,10.0.1.12,10.0.1.13', 'the node addresses were not kept');
  check(plan.nodes.map((n) => n.port).join() === '10943,10944,10945', `balancer ports ${plan.nodes.map((n) => n.port)}`);
  check(plan.loadBalancer.address === 'polling.example.com', 'the balancer address was not kept');
  check(!(await page.$(testid('error-server.version'))), 'the version error stays after the switch');
}

// presets: step 1 loads a common shape to edit (item 19).
export async function presets(page, base, shot) {
  await page.goto(`${base}/`);
  await ready(page);
  check(await page.isVisible(testid('presets')), 'no presets on step 1');
  if (shot) await shot(page, 'ux-presets');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid('preset-unique-port-3'))]);
  check(await step(page) === '2', `the preset went to step ${await step(page)}`);
  check((await page.innerText(testid('notice'))).includes('Loaded the preset'), 'no notice about the preset');
  check(await page.inputValue('#f-nodes-2-address') === 'octo3.example.com', 'the preset did not fill the nodes');
  check(await page.inputValue('#f-server-url') === '', 'the preset filled the server URL');
  const plan = JSON.parse(await page.getAttribute(testid('plan-field'), 'value'));
  check(plan.topology === 'unique-port' && plan.loadBalancer.kinds.join() === 'nginx,haproxy', `the preset's plan: ${plan.topology}, ${plan.loadBalancer?.kinds}`);
}

// The Kubernetes agent (items 17 and 19), from its preset: the example
// values of the preset, and what the user must enter.
const K8S = {
  url: 'https://octopus.corp.example',
  thumbprint: '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6',
  name: 'aks-prod',
  // The preset's balancer address and a port per node (unique port): each
  // node's own polling address, as Octopus's agent HA page asks.
  addresses: ['https://polling.example.com:10943', 'https://polling.example.com:10944', 'https://polling.example.com:10945'],
};

// fromPreset loads preset id, enters the server's URL and thumbprint and
// goes to the Tentacle step.
async function fromPreset(page, base, id) {
  await page.goto(`${base}/`);
  await ready(page);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid(`preset-${id}`))]);
  check(await step(page) === '2', `the preset ${id} went to step ${await step(page)}`);
  await page.fill('#f-server-url', K8S.url);
  await page.fill('#f-server-thumbprint', K8S.thumbprint);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid('next'))]);
  check(await step(page) === '3', `Next from the server went to step ${await step(page)}`);
}

// toReview enters the machine name and goes on to the review.
async function toReview(page) {
  await page.fill('#f-tentacle-name', K8S.name);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(testid('next'))]);
  check(await page.getAttribute('form#wizard', 'data-review') === 'true', `Next from the Tentacle did not reach the review: ${await page.innerText('#main').then((t) => t.slice(0, 300))}`);
}

// downloaded presses Download .zip and returns the archive's files by
// path (the folder's name taken off, readZip).
async function downloaded(page) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(testid('download-zip'))]);
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-e2e-k8s-'));
  try {
    const path = join(dir, 'bundle.zip');
    await dl.saveAs(path);
    return readZip(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// serverComms reads agent.serverCommsAddresses out of values.yaml: the
// "- " items under the key, each a double-quoted scalar (a JSON string),
// with an optional trailing slash taken off (Octopus's HA page writes
// https://<url>:<port>/).
function serverComms(yaml) {
  const lines = yaml.split('\n');
  const at = lines.indexOf('  serverCommsAddresses:');
  check(at >= 0, `values.yaml has no agent.serverCommsAddresses list:\n${yaml}`);
  const out = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^ {4}- (".*")$/.exec(l);
    if (!m) break;
    out.push(JSON.parse(m[1]).replace(/\/$/, ''));
  }
  return out;
}

// fitsPhone checks that the page is no wider than a 390 px phone: a long
// word (an address, a CSV header) wraps instead of scrolling the page.
async function fitsPhone(page, what) {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    check(scroll <= client, `${what} is ${scroll} px wide on a ${client} px phone`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

// kubernetesAgent: the preset, the kind on the Tentacle step, Windows
// refused beside the field, a review without register.sh, and a bundle of
// values.yaml and install.sh with every node's address and no tentacle/.
export async function kubernetesAgent(page, base, shot) {
  await fromPreset(page, base, 'kubernetes-agent');
  for (const kind of ['target', 'worker', 'kubernetes-agent', 'kubernetes-worker']) {
    check(await page.isVisible(`label[for="f-tentacle-kind-${kind}"]`), `the Tentacle step does not offer the kind ${kind}`);
  }
  check(await page.isChecked('#f-tentacle-kind-kubernetes-agent'), 'the preset did not choose the Kubernetes agent');
  check(await page.isVisible(testid('agent-note')), 'no note on how a Kubernetes agent is installed');
  check(await page.isVisible('#f-tentacle-environments') && !(await page.isVisible('#f-tentacle-workerPools')), 'a Kubernetes agent shows a worker\'s fields, or not a target\'s');
  // The chart runs its own Tentacle and makes its own subscription id.
  check(!(await page.isVisible('#f-tentacle-subscriptionId')) && !(await page.isVisible('#f-tentacle-instance')), 'a Kubernetes agent shows the Tentacle instance or subscription id, which its chart does not take');

  // Windows: refused beside the operating system, and accepted again on Linux.
  await page.click('label[for="f-tentacle-os-windows"]');
  await page.waitForSelector(testid('error-tentacle.os'));
  const msg = await page.innerText(testid('error-tentacle.os'));
  check(msg.includes('Linux nodes') && msg.includes('Kubernetes agent'), `the error beside the operating system: ${msg}`);
  check(await page.$eval(testid('field-tentacle.os'), (f, e) => f.contains(document.querySelector(e)), testid('error-tentacle.os')), 'the Windows error is not inside the operating system\'s fieldset');
  if (shot) await shot(page, 'ux-k8s-windows');
  await page.click('label[for="f-tentacle-os-linux"]');
  await page.waitForSelector(testid('error-tentacle.os'), { state: 'detached' });
  await page.fill('#f-tentacle-name', K8S.name);
  await page.waitForFunction((n) => document.getElementById('preview').textContent.includes(n), K8S.name);
  await previewSettled(page);
  await fitsPhone(page, 'the Tentacle step');
  if (shot) await shot(page, 'ux-k8s-tentacle');

  await toReview(page);
  check((await page.innerText(testid('register-helm'))).includes('kubernetes-agent/install.sh'), 'the review does not name kubernetes-agent/install.sh');
  check(!(await page.$(testid('open-register'))), 'the review offers Register for a Kubernetes agent');
  check(!(await page.$(testid('binary-steps'))), 'the review offers tentacle-ha register for a Kubernetes agent, which it refuses');
  const setup = await page.innerText(testid('setup-steps'));
  check(setup.includes('kubernetes-agent/install.sh'), 'the setup steps do not run kubernetes-agent/install.sh');
  const main = await page.innerText('#main');
  check(!main.includes('register.sh') && !main.includes('register.ps1'), `the review names a Tentacle registration script: ${main.match(/.{0,80}register\.(sh|ps1).{0,40}/)?.[0]}`);
  await fitsPhone(page, 'the review');
  if (shot) await shot(page, 'ux-k8s-review');

  // The preview: values.yaml with every node's address; no tentacle/ tab.
  const tabs = await page.$$eval('#preview [role=tab]', (ts) => ts.map((t) => t.getAttribute('value')));
  check(tabs.includes('kubernetes-agent/values.yaml') && tabs.includes('kubernetes-agent/install.sh'), `the preview's files: ${tabs.join(', ')}`);
  check(!tabs.some((t) => t.startsWith('tentacle/')), `the preview shows Tentacle scripts for a Kubernetes agent: ${tabs.join(', ')}`);
  const shown = await page.$eval(`${testid('panel-kubernetes-agent/values.yaml')} pre.code > code`, (c) => c.textContent);
  check(serverComms(shown).join() === K8S.addresses.join(), `the preview's serverCommsAddresses: ${serverComms(shown)}`);

  // The download: the same, and the singular key left empty.
  const files = await downloaded(page);
  const names = [...files.keys()];
  check(files.has('kubernetes-agent/values.yaml') && files.has('kubernetes-agent/install.sh'), `the bundle's files: ${names.join(', ')}`);
  check(!names.some((n) => n.startsWith('tentacle/')), `the bundle holds Tentacle scripts for a Kubernetes agent: ${names.join(', ')}`);
  const values = files.get('kubernetes-agent/values.yaml');
  check(serverComms(values).join() === K8S.addresses.join(), `the bundle's serverCommsAddresses: ${serverComms(values)}`);
  check(values.split('\n').includes('  serverCommsAddress: ""'), 'values.yaml sets the singular serverCommsAddress');
  check(values.split('\n').includes(`  name: "${K8S.name}"`), 'values.yaml does not name the agent');
}

// plainTarget: a deployment target's plan has no kubernetes-agent/ files,
// and has its registration script.
export async function plainTarget(page, base) {
  await fromPreset(page, base, 'unique-port-3');
  check(await page.isChecked('#f-tentacle-kind-target'), 'the unique-port preset is not a deployment target');
  check(!(await page.isVisible(testid('agent-note'))), 'the Kubernetes agent note shows for a deployment target');
  check(await page.isVisible('#f-tentacle-subscriptionId') && await page.isVisible('#f-tentacle-instance'), 'a deployment target hides its Tentacle instance or subscription id');
  await toReview(page);
  check(await page.isVisible(testid('binary-steps')), 'a deployment target\'s review has no tentacle-ha steps');
  const tabs = await page.$$eval('#preview [role=tab]', (ts) => ts.map((t) => t.getAttribute('value')));
  check(!tabs.some((t) => t.startsWith('kubernetes-agent/')), `the preview of a deployment target shows ${tabs.join(', ')}`);
  const names = [...(await downloaded(page)).keys()];
  check(!names.some((n) => n.startsWith('kubernetes-agent/')), `the bundle of a deployment target holds ${names.join(', ')}`);
  check(names.includes('tentacle/register.sh'), `the bundle of a Linux deployment target has no tentacle/register.sh: ${names.join(', ')}`);
}
