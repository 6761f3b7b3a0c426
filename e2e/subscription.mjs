// One machine, one subscription id, in Chromium: a plan opened from a
// share link or imported says it is for its machine only; renaming the
// machine gives it a new id with JavaScript (the preview swaps the id in)
// and without (plain form posts); an id the user typed stays, with a
// warning beside it. Every wait is on the page's state, never a sleep.
import { deflateRawSync } from 'node:zlib';
import { check, launch, testid } from './lib/browser.mjs';
import { Driver } from './walk.mjs';

const SHARED = 'poll://g3662re9njtelsyfhm7t/';
const TYPED = 'poll://aaaaaaaaaaaaaaaaaaaa/';
const ID = /^poll:\/\/[a-z0-9]{20}\/$/;
const PLAN = {
  version: 1,
  topology: 'unique-address',
  server: { url: 'https://octopus.example.com', thumbprint: '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6' },
  nodes: [{ name: 'Node1', address: 'octo1.example.com' }, { name: 'Node2', address: 'octo2.example.com' }],
  tentacle: { os: 'linux', name: 'web01', kind: 'target', environments: ['Production'], roles: ['web'], subscriptionId: SHARED },
};

const shareLink = (base) => `${base}/#plan=${deflateRawSync(Buffer.from(JSON.stringify(PLAN))).toString('base64url')}`;

const idField = '#f-tentacle-subscriptionId';
const warning = testid('warning-typed-subscription-id');

// The id the page shows once the preview for the typed name is in: the
// form's hidden field names the machine the id was generated for.
async function settled(page, name) {
  await page.waitForFunction((n) => document.getElementById('preview')?.textContent.includes(n), name, { timeout: 5000 });
  return page.inputValue(idField);
}

async function checkOpened(page, how) {
  const notice = await page.innerText(testid('notice'));
  check(notice.includes(how) && notice.includes(`This plan is for web01 only: another machine must not reuse its subscription id, ${SHARED}.`),
    `notice after opening the plan: ${notice}`);
}

async function checkReview(d, id) {
  check(await d.review(), `not on the review step: ${await d.summary()}`);
  const shown = await d.page.innerText(testid('review-subscription-id'));
  check(shown === id, `review shows id ${shown}, want ${id}`);
  check((await d.page.innerText(testid('review-subscription-why'))).includes('every machine needs its own'), 'review does not say why the id is per machine');
}

// withJavaScript opens a share link, renames the machine and watches the
// id change without a reload; then types an id and renames again.
async function withJavaScript(base, watch, shot) {
  const b = await launch();
  watch(b.context, base);
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    const d = new Driver(page, { keyboard: false, js: true });
    await Promise.all([page.waitForURL(`${base}/wizard`), page.goto(shareLink(base))]);
    await checkOpened(page, 'Opened the plan from the share link.');
    await shot(page, 'subscription-js-4-opened');
    await d.press(testid('step-link-3'));
    check(await page.inputValue(idField) === SHARED, 'the opened plan lost its id');

    let loads = 0;
    page.on('load', () => { loads++; });
    await d.fill('#f-tentacle-name', 'web02');
    await page.waitForFunction(([f, old]) => document.querySelector(f).value !== old && document.getElementById('subscription-id-generated-for').value === 'web02',
      [idField, SHARED], { timeout: 5000 });
    const renewed = await settled(page, 'web02');
    check(ID.test(renewed) && renewed !== SHARED, `renaming gave id ${renewed}`);
    await d.previewShows(renewed);
    check(loads === 0, 'the page reloaded while typing');
    check(!(await page.$(warning)), 'a generated id shows the typed-id warning');
    await shot(page, 'subscription-js-3-renamed');

    // A typed id: the warning comes as it is typed, and a rename keeps it.
    await d.fill(idField, TYPED);
    await page.waitForSelector(warning, { timeout: 5000 });
    await d.fill('#f-tentacle-name', 'web03');
    check(await settled(page, 'web03') === TYPED, 'a rename replaced the typed id');
    await d.previewShows(TYPED);
    check(await page.isVisible(warning), 'the warning beside the typed id went away');
    await shot(page, 'subscription-js-3-typed');
    await d.next('review');
    await checkReview(d, TYPED);
    await shot(page, 'subscription-js-4-review');
  } finally {
    await b.close();
  }
}

// withoutJavaScript imports the plan, then renames by form posts.
async function withoutJavaScript(base, watch, shot) {
  const b = await launch({ javaScriptEnabled: false });
  watch(b.context, base);
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    const d = new Driver(page, { keyboard: false, js: false });
    await page.goto(`${base}/`);
    await page.setInputFiles(testid('import-file'), { name: 'plan.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(PLAN)) });
    await d.press(testid('import'));
    await checkOpened(page, 'Imported plan.json.');
    await d.press(testid('step-link-3'));

    await d.fill('#f-tentacle-name', 'web02');
    await d.next('review');
    const renewed = await page.innerText(testid('review-subscription-id'));
    check(ID.test(renewed) && renewed !== SHARED, `renaming without JavaScript gave id ${renewed}`);
    await checkReview(d, renewed);
    await d.press(testid('step-link-3'));
    check(await page.inputValue(idField) === renewed, 'step 3 shows another id than the review');

    await d.fill(idField, TYPED);
    await d.fill('#f-tentacle-name', 'web04');
    await d.next('review');
    await checkReview(d, TYPED);
    await d.press(testid('step-link-3'));
    check(await page.inputValue(idField) === TYPED, 'a rename without JavaScript replaced the typed id');
    check(await page.isVisible(warning), 'no warning beside the typed id');
    await shot(page, 'subscription-nojs-3-typed');
  } finally {
    await b.close();
  }
}

export async function subscriptionSuite({ base, test, watch, shot }) {
  await test('subscription id: js: rename renews it, a typed one stays', () => withJavaScript(base, watch, shot));
  await test('subscription id: nojs: rename renews it, a typed one stays', () => withoutJavaScript(base, watch, shot));
}
