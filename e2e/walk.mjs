// One walk through the wizard for a topology: by keyboard or by mouse,
// with JavaScript or without. It hits a validation error and fixes it,
// watches the preview follow the form, and downloads both archives.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, tabTo, testid } from './lib/browser.mjs';
import { diffFiles, readTarGz, readZip } from './lib/archive.mjs';

const THUMBPRINT = '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6';

// Driver does what a person does, with the keyboard or the mouse.
export class Driver {
  constructor(page, { keyboard, js }) {
    this.page = page;
    this.keyboard = keyboard;
    this.js = js;
  }

  async focus(selector) {
    if (this.keyboard) await tabTo(this.page, selector);
    else await this.page.click(selector);
  }

  // fill replaces a field's text by typing.
  async fill(selector, text) {
    await this.focus(selector);
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    if (text) await this.page.keyboard.type(text, { delay: 0 });
  }

  // press activates a button that posts the form, and waits for the new page.
  async press(selector) {
    const nav = this.page.waitForNavigation({ waitUntil: 'load' });
    if (this.keyboard) {
      await tabTo(this.page, selector);
      await this.page.keyboard.press('Enter');
    } else {
      await this.page.click(selector);
    }
    await nav;
  }

  // choose picks a radio button (arrow keys, or a click on its label).
  async choose(name, value) {
    const target = `input[name="${name}"][value="${value}"]`;
    if (!this.keyboard) {
      await this.page.click(`label[for="${await this.page.getAttribute(target, 'id')}"]`);
    } else {
      await tabTo(this.page, `input[name="${name}"]:checked`);
      for (let i = 0; i < 5 && !(await this.page.isChecked(target)); i++) await this.page.keyboard.press('ArrowDown');
    }
    check(await this.page.isChecked(target), `could not choose ${name}=${value}`);
  }

  async toggle(selector) {
    if (this.keyboard) {
      await tabTo(this.page, selector);
      await this.page.keyboard.press('Space');
    } else {
      await this.page.click(selector);
    }
  }

  async step() { return this.page.getAttribute('form#wizard', 'data-step'); }

  // review reports whether the page shows the review step (data-review).
  async review() { return (await this.page.getAttribute('form#wizard', 'data-review')) === 'true'; }

  // next presses Next and checks where the wizard went: step number want,
  // or 'review' for the review step (data-review), whatever its number.
  async next(want) {
    await this.press(testid('next'));
    if (want === 'review') {
      check(await this.review(), `Next did not go to the review step (step ${await this.step()}): ${await this.summary()}`);
      return;
    }
    const got = await this.step();
    check(got === String(want), `Next went to step ${got}, want ${want}: ${await this.summary()}`);
  }

  async summary() {
    const s = await this.page.$(testid('error-summary'));
    return s ? (await s.innerText()).replace(/\s+/g, ' ') : '(no error summary)';
  }

  // previewShows waits until the live preview holds text (with JavaScript:
  // without a reload; without it, the page after a post already does).
  async previewShows(text) {
    await this.page.waitForFunction((t) => document.getElementById('preview')?.textContent.includes(t), text, { timeout: 5000 });
  }
}

// walk runs the wizard for one topology and returns the page on review.
export async function walk(page, o) {
  const d = new Driver(page, o);
  const { shot, topology } = o;
  const name = `${topology}-${o.js ? 'js' : 'nojs'}-${o.keyboard ? 'kbd' : 'mouse'}`;
  await page.goto(`${o.base}/`);
  if (o.js) await page.waitForFunction(() => performance.getEntriesByName('wizard-ready').length > 0);
  await shot(page, `${name}-1-topology`);

  // 1. Topology.
  await d.choose('topology', topology);
  await d.next(2);

  // 2. Server and nodes, with a thumbprint that is too short.
  await d.fill('#f-server-url', 'https://octopus.example.com');
  await d.fill('#f-server-thumbprint', '77751F90');
  // Three rows to start (as every diagram draws); Add node adds a fourth
  // and puts the focus on its address; the walk removes it again.
  check((await page.$$(testid('node-row'))).length === 3, 'a new plan does not start with 3 node rows');
  await d.press(testid('add-node'));
  check((await page.$$(testid('node-row'))).length === 4, 'Add node did not add a row');
  check(await page.evaluate(() => document.activeElement?.id) === 'f-nodes-3-address', 'Add node did not focus the new address');
  await d.press('#remove-node-3');
  check((await page.$$(testid('node-row'))).length === 3, 'Remove did not remove the fourth row');
  const hosts = HOSTS[topology] ?? HOSTS.default;
  // unique-hostname's backend addresses in the same pass, forward in tab
  // order; the last after the check below: the preview's file does not
  // show backends, and its render after a backend's edit marks no line.
  const sni = topology === 'unique-hostname';
  for (const [i, host] of hosts.entries()) {
    await d.fill(`#f-nodes-${i}-address`, host);
    if (sni && i < hosts.length - 1) await d.fill(`#f-nodes-${i}-backendAddress`, SNI_BACKENDS[i]);
  }
  if (o.js) {
    await d.previewShows(hosts[2]);
    check((await page.$$('#preview .chg')).length > 0, 'the preview marks no changed lines after an edit');
  }
  if (sni) await d.fill(`#f-nodes-${hosts.length - 1}-backendAddress`, SNI_BACKENDS[hosts.length - 1]);
  if (topology !== 'unique-address') {
    await d.fill('#f-loadBalancer-address', topology === 'multi-node' ? 'polling.example.com' : '203.0.113.10');
    await d.toggle('#f-loadBalancer-kinds-nginx');
    await d.toggle('#f-loadBalancer-kinds-haproxy');
  }
  if (topology === 'unique-hostname') {
    // Only balancers that read the TLS server name are offered (README,
    // "One port, a host name per node"); the port stays empty: 443.
    const kinds = await page.$$eval('input[name="loadBalancer.kinds"]', (els) => els.map((e) => e.value));
    check(kinds.join() === 'nginx,haproxy,kubernetes', `unique-hostname offers the balancer kinds ${kinds}, want nginx,haproxy,kubernetes`);
    check(await page.inputValue('#f-loadBalancer-port') === '', 'the balancer port of a new plan is not empty');
    check(await page.getAttribute('#f-loadBalancer-port', 'placeholder') === '443', 'the balancer port does not show its default, 443');
    await d.toggle('#f-loadBalancer-kinds-kubernetes');
  }
  if (topology === 'multi-node') await d.fill('#f-server-version', '2026.4.6909');
  if (topology === 'unique-port') {
    // Row 3 up, then the ports renumbered: the balancer ports follow the rows.
    await d.press('#up-node-2');
    const order = await page.$$eval('input[name="nodes.address"]', (els) => els.map((e) => e.value));
    check(order.join() === [hosts[0], hosts[2], hosts[1]].join(), `moving row 3 up gave ${order}`);
    await d.press(testid('fill-ports'));
    const ports = await page.$$eval('input[name="nodes.port"]', (els) => els.map((e) => e.value));
    check(ports.join() === '10943,10944,10945', `fill ports gave ${ports}`);
  }
  await d.press(testid('next'));
  check(await d.step() === '2', 'Next passed a thumbprint error');
  check(await page.isVisible(testid('error-server.thumbprint')), 'no error beside the thumbprint');
  check(await page.evaluate(() => document.activeElement?.id === 'error-summary'), 'the error summary does not have the focus');
  await shot(page, `${name}-2-server-error`);
  if (o.keyboard) {
    // The summary links to the field: follow it by keyboard.
    await tabTo(page, '#error-summary a[href="#f-server-thumbprint"]');
    await page.keyboard.press('Enter');
  }
  await d.fill('#f-server-thumbprint', THUMBPRINT);
  if (o.js) {
    await d.previewShows(THUMBPRINT);
    // The fixed error goes without a reload; the summary with it.
    await page.waitForSelector(testid('error-server.thumbprint'), { state: 'detached', timeout: 5000 });
    check(await page.getAttribute('#f-server-thumbprint', 'aria-invalid') === null, 'the fixed thumbprint is still marked invalid');
    check(!(await page.$(testid('error-summary'))), 'the error summary stays after the fix');
  }
  await shot(page, `${name}-2-server`);
  await d.next(3);

  // 3. The Tentacle.
  const machine = `web-${topology}`;
  await d.fill('#f-tentacle-name', machine);
  if (o.js) await d.previewShows(machine);
  if (topology === 'multi-node') {
    await d.choose('tentacle.kind', 'worker');
    check(!(await page.isVisible('#f-tentacle-environments')), 'a worker still shows environments');
    await d.fill('#f-tentacle-workerPools', 'Linux Workers');
  } else {
    await d.fill('#f-tentacle-environments', 'Production');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Staging');
    await d.fill('#f-tentacle-roles', 'web');
  }
  await shot(page, `${name}-3-tentacle`);
  await d.next('review');

  // 4. Review: warnings never block; both downloads match `generate`.
  check(await page.isEnabled(testid('download-zip')), 'download is disabled on a valid plan');
  await shot(page, `${name}-4-review`);
  const planJSON = await page.getAttribute(testid('plan-field'), 'value');
  const planPath = join(o.out, `${name}.plan.json`);
  writeFileSync(planPath, planJSON);
  const want = o.generate(planPath, join(o.out, `${name}.generated.zip`));
  for (const [button, read, ext] of [['download-zip', readZip, 'zip'], ['download-tar-gz', readTarGz, 'tar.gz']]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), d.focus(testid(button)).then(() => (o.keyboard ? page.keyboard.press('Enter') : null))]);
    check(dl.suggestedFilename() === `tentacle-ha-${machine}.${ext}`, `download named ${dl.suggestedFilename()}`);
    const path = join(o.out, `${name}.${ext}`);
    await dl.saveAs(path);
    const diff = diffFiles(want, read(readFileSync(path)));
    check(diff === '', `${ext} download differs from generate: ${diff}`);
  }
  if (topology === 'unique-hostname') sniRoutes(readZip(readFileSync(join(o.out, `${name}.zip`))), hosts);
  if (o.js) {
    await tabsAndCopy(d, want);
  } else {
    // Without JavaScript a tab is a form post that shows its file.
    await d.press(testid('tab-README.md'));
    check(await page.isVisible(testid('panel-README.md')), 'the README tab does not show its file without JavaScript');
    check(await d.review(), 'a tab left the review step');
  }
  return { page, planJSON, machine, files: want.size };
}

// The nodes' addresses each walk types; unique-hostname adds a backend
// address for each host name.
const HOSTS = {
  'multi-node': ['10.0.2.21', '10.0.2.22', '10.0.2.23'],
  'unique-hostname': ['polling1.corp.example', 'polling2.corp.example', 'polling3.corp.example'],
  default: ['octo1.example.com', 'octo2.example.com', 'octo3.example.com'],
};
const SNI_BACKENDS = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];

// sniRoutes checks, in the downloaded nginx.conf and haproxy.cfg, that each
// host name routes to its own node's backend on the node port (10943): the
// map (nginx) or use_backend (HAProxy) line of the name names a section
// whose one server is that backend, and both listen on 443.
function sniRoutes(files, hosts) {
  const esc = (x) => x.replace(/[.]/g, '\\.');
  const nginx = files.get('loadbalancer/nginx.conf');
  const haproxy = files.get('loadbalancer/haproxy.cfg');
  check(nginx && haproxy, 'the download has no loadbalancer/nginx.conf or haproxy.cfg');
  check(/^\s*ssl_preread on;$/m.test(nginx) && /^\s*listen 443;$/m.test(nginx), 'nginx.conf does not read the server name on port 443');
  check(/^\s*bind :443$/m.test(haproxy), 'haproxy.cfg does not bind port 443');
  for (const [i, host] of hosts.entries()) {
    const server = `${SNI_BACKENDS[i]}:10943`;
    const up = nginx.match(new RegExp(`^\\s*${esc(host)}\\s+(\\w+);$`, 'm'))?.[1];
    check(up, `nginx.conf maps no upstream for ${host}`);
    const block = nginx.match(new RegExp(`upstream ${up} \\{([^}]*)\\}`))?.[1] ?? '';
    check(block.trim() === `server ${server};`, `nginx.conf sends ${host} to upstream ${up} {${block}}, want server ${server}`);
    const be = haproxy.match(new RegExp(`^\\s*use_backend (\\S+) if \\{ req\\.ssl_sni -i ${esc(host)} \\}$`, 'm'))?.[1];
    check(be, `haproxy.cfg has no use_backend for ${host}`);
    const servers = haproxy.match(new RegExp(`^backend ${be}\n((?:[ \\t]+.*\n?)*)`, 'm'))?.[1].match(/^\s*server \S+ (\S+)/gm) ?? [];
    check(servers.length === 1 && servers[0].endsWith(` ${server}`), `haproxy.cfg sends ${host} to backend ${be} with servers ${servers}, want ${server}`);
  }
}

// tabsAndCopy moves between the preview's tabs with the arrow keys and
// checks that Copy puts the exact file on the clipboard.
async function tabsAndCopy(d, want) {
  const { page } = d;
  await tabTo(page, '#preview [role=tab][aria-selected=true]');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  const selected = await page.getAttribute('#preview [role=tab][aria-selected=true]', 'value');
  check(selected === 'plan.json', `Home, ArrowRight selected ${selected}, want plan.json`);
  check(await page.inputValue('#preview input[name=tab]') === 'plan.json', 'the form does not remember the selected tab');
  check(await page.isVisible(testid('panel-plan.json')), 'the plan.json panel is not shown');
  await d.focus('#preview .panel:not([hidden]) button.copy');
  if (d.keyboard) await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#preview .panel:not([hidden]) button.copy')?.textContent === 'Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check(copied === want.get('plan.json'), 'Copy did not put the exact plan.json on the clipboard');
}
