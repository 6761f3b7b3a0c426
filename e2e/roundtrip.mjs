// Share links and exported plans must bring back the same plan: the same
// bundle, byte for byte (compared through POST /api/v1/files).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, testid } from './lib/browser.mjs';

async function filesOf(base, planJSON) {
  const res = await fetch(`${base}/api/v1/files`, { method: 'POST', body: planJSON, headers: { 'Content-Type': 'application/json' } });
  if (!res.ok) throw new Error(`POST /api/v1/files = ${res.status}: ${await res.text()}`);
  return JSON.stringify((await res.json()).files);
}

async function samePlan(base, a, b, what) {
  check(await filesOf(base, a) === await filesOf(base, b), `${what}: the plan that came back gives other files`);
}

// shareRoundTrip copies the share link on the review page and opens it in
// a fresh page of a browser with JavaScript.
export async function shareRoundTrip({ page, planJSON }, jsContext, base, { js }) {
  const nav = js ? null : page.waitForNavigation({ waitUntil: 'load' });
  await page.click(testid('share'));
  await nav;
  await page.waitForFunction(() => document.getElementById('share-url')?.value.includes('#plan='));
  const link = await page.inputValue(testid('share-url'));
  check(link.startsWith(`${base}/#plan=`), `share link ${link} does not carry the plan in the fragment`);
  check(!link.includes('?'), 'the share link has a query string');
  if (js) {
    // The copy is asynchronous: its status line says when it is done.
    await page.waitForFunction(() => document.getElementById('share-status')?.textContent.includes('copied'));
    const copied = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
    check(copied === link, `the clipboard holds ${copied.slice(0, 40)}, not the link`);
  }
  const other = await jsContext.newPage();
  await Promise.all([other.waitForURL(`${base}/wizard`), other.goto(link)]);
  check(await other.getAttribute('form#wizard', 'data-review') === 'true', 'a share link of a valid plan does not open the review');
  check((await other.innerText(testid('notice'))).includes('share link'), 'no notice after opening a share link');
  await samePlan(base, planJSON, await other.getAttribute(testid('plan-field'), 'value'), 'share link');
  // A damaged link says so.
  await other.goto(`${base}/#plan=AAAA-broken`);
  await other.waitForSelector(testid('alert'));
  check((await other.innerText(testid('alert'))).includes('damaged'), 'a damaged share link gives no clear error');
  await other.close();
  return link;
}

// exportImportRoundTrip exports plan.json and imports it into a new wizard,
// then imports a file that is not a plan.
export async function exportImportRoundTrip({ page, planJSON }, context, base, out, { js, name }) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(testid('export'))]);
  check(dl.suggestedFilename() === 'plan.json', `export named ${dl.suggestedFilename()}`);
  const path = join(out, `${name}.exported.plan.json`);
  await dl.saveAs(path);
  JSON.parse(readFileSync(path, 'utf8'));

  const fresh = await context.newPage();
  await fresh.goto(`${base}/`);
  const load = async (files) => {
    const nav = fresh.waitForNavigation({ waitUntil: 'load' });
    await fresh.setInputFiles(testid('import-file'), files);
    if (!js) await fresh.click(testid('import'));
    await nav;
  };
  await load(path);
  const notice = await fresh.innerText(testid('notice')).catch(() => '(none)');
  check(notice.includes(`Imported ${name}.exported.plan.json`), `notice after import: ${notice}`);
  check(await fresh.getAttribute('form#wizard', 'data-review') === 'true', 'an imported valid plan does not open the review');
  await samePlan(base, planJSON, await fresh.getAttribute(testid('plan-field'), 'value'), 'export and import');

  await load({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are not the droids') });
  const alert = await fresh.innerText(testid('alert'));
  check(alert.includes('Could not import notes.txt') && alert.includes('not valid JSON'), `bad import says: ${alert}`);
  await fresh.close();
}
