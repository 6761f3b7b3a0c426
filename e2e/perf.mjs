// Speed, measured in the page: timings from navigation start, and edit
// latency from the input event to the preview's text changing.
import { deflateRawSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { check, launch } from './lib/browser.mjs';

// loadAverage is the 1, 5 and 15 minute load averages, printed beside figures.
export const loadAverage = () => loadavg().map((x) => x.toFixed(2)).join(' ');

// The plan edits are timed on: multi-node, three nodes, two balancer
// configurations (11 files), opened on the Tentacle step.
const PLAN = {
  version: 1, topology: 'multi-node',
  server: { url: 'https://octopus.example.com', thumbprint: '77751F90F9EEDCEE0C0CD84F7A3CC726AD123FA6', version: '2026.4.6909' },
  nodes: [{ address: '10.0.2.21' }, { address: '10.0.2.22' }, { address: '10.0.2.23' }],
  loadBalancer: { address: 'polling.example.com', kinds: ['nginx', 'haproxy'] },
  tentacle: { os: 'linux', name: 'web01', kind: 'worker', workerPools: ['Linux Workers'], subscriptionId: 'poll://5x2bemsp44x2k59dxrxg/' },
};

// openForEdits opens PLAN through a share link and goes to step 3.
export async function openForEdits(context, base) {
  const page = await context.newPage();
  const frag = deflateRawSync(Buffer.from(JSON.stringify(PLAN))).toString('base64url');
  await Promise.all([page.waitForURL(`${base}/wizard`), page.goto(`${base}/#plan=${frag}`)]);
  await Promise.all([page.waitForNavigation(), page.click('[data-testid="step-link-3"]')]);
  await page.waitForFunction(() => performance.getEntriesByName('wizard-ready').length > 0);
  return page;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };

async function loadOnce(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => performance.getEntriesByName('wizard-ready').length > 0
    && performance.getEntriesByName('first-contentful-paint').length > 0);
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const mark = performance.getEntriesByName('wizard-ready')[0].startTime;
    return {
      // Ready needs both: the script's mark (fields and htmx live, one
      // frame after DOMContentLoaded) and the first paint of the page.
      ready: Math.max(mark, fcp ? fcp.startTime : 0),
      fcp: fcp ? fcp.startTime : NaN,
      dcl: nav.domContentLoadedEventEnd,
      transfer: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0),
      decoded: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
      html: nav.transferSize,
      resources: res.map((r) => `${new URL(r.name).pathname} ${r.transferSize} B`),
    };
  });
}

// firstLoad loads url in a brand-new profile (nothing cached, no service
// worker) and returns loadOnce's timings; with control it also waits for
// the static host's service worker to take control (boot.js sets
// window.__wizardReadyAt, in ms from navigation start) and adds it.
export async function firstLoad(url, { control = false } = {}) {
  const b = await launch();
  try {
    const page = b.context.pages()[0] ?? await b.context.newPage();
    const r = await loadOnce(page, url);
    if (control) {
      await page.waitForFunction(() => window.__wizardReadyAt !== undefined);
      r.control = await page.evaluate(() => window.__wizardReadyAt);
    }
    return r;
  } finally {
    await b.close();
  }
}

// coldPair loads the first step in new profiles from the static host (a
// service worker) and from the server host, interleaved, rounds times; it
// returns the medians of ready (first step usable) and of the static
// host's service worker in control.
export async function coldPair(staticBase, serverBase, rounds = 3) {
  const st = [], sv = [];
  for (let i = 0; i < rounds; i++) {
    st.push(await firstLoad(`${staticBase}/`, { control: true }));
    sv.push(await firstLoad(`${serverBase}/`));
  }
  return {
    staticReady: median(st.map((r) => r.ready)),
    staticControl: median(st.map((r) => r.control)),
    serverReady: median(sv.map((r) => r.ready)),
    all: st.map((r, i) => `${Math.round(r.ready)}/${Math.round(r.control)} vs ${Math.round(sv[i].ready)}`),
  };
}

// measureReady loads the first step: once in a new profile, then with the
// cache cleared (cold) and reloaded from cache (warm), several times.
export async function measureReady(context, base, runs = 9) {
  const page = await context.newPage();
  const first = await loadOnce(page, `${base}/`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const cold = [], warm = [];
  for (let i = 0; i < runs; i++) {
    await cdp.send('Network.clearBrowserCache');
    cold.push(await loadOnce(page, `${base}/`));
    warm.push(await loadOnce(page, `${base}/`));
  }
  await page.close();
  return {
    first,
    coldReady: median(cold.map((r) => r.ready)),
    coldFCP: median(cold.map((r) => r.fcp)),
    warmReady: median(warm.map((r) => r.ready)),
    warmFCP: median(warm.map((r) => r.fcp)),
    transfer: median(cold.map((r) => r.transfer)),
    warmTransfer: median(warm.map((r) => r.transfer)),
  };
}

// measureEdits types into a field of the page n times, in the page itself:
// each edit sets a new value, fires the input event and waits for the
// preview to show it (a MutationObserver on the preview's container).
export async function measureEdits(page, selector, n = 100) {
  const times = await page.evaluate(async ({ selector, n }) => {
    const input = document.querySelector(selector);
    const host = document.getElementById('preview').parentElement;
    const base = input.value;
    const out = [];
    for (let i = 0; i < n; i++) {
      const value = `${base}-e${i}z`;
      out.push(await new Promise((resolve, reject) => {
        let t0 = 0;
        const timer = setTimeout(() => reject(new Error(`edit ${i}: the preview never showed ${value}`)), 5000);
        const obs = new MutationObserver(() => {
          const t1 = performance.now();
          if (document.getElementById('preview')?.textContent.includes(value)) {
            obs.disconnect();
            clearTimeout(timer);
            resolve(t1 - t0);
          }
        });
        obs.observe(host, { childList: true, subtree: true, characterData: true });
        input.value = value;
        t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }));
    }
    input.value = base;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return out;
  }, { selector, n });
  check(times.length === n, 'not every edit was measured');
  return { median: median(times), p95: pct(times, 0.95), min: Math.min(...times), max: Math.max(...times) };
}

// measureTyping times 100 edits of two fields: the machine name, which
// every generated file names (the whole preview changes), and the worker
// pools, which few files hold (only their panes change).
export async function measureTyping(page) {
  const files = await page.$$eval('#preview [role=tab]', (t) => t.length);
  return {
    files,
    name: await measureEdits(page, '#f-tentacle-name', 100),
    pools: await measureEdits(page, '#f-tentacle-workerPools', 100),
  };
}

// typingLines words measureTyping's figures, one line a field.
export function typingLines(t) {
  const ms = (x) => `${x.toFixed(1)} ms`;
  const line = (what, e) => `  edit -> preview, ${what} (100 edits, input event to preview text, ${t.files} files): median ${ms(e.median)}, p95 ${ms(e.p95)}, min ${ms(e.min)}, max ${ms(e.max)}`;
  return [line('machine name, every file changes', t.name), line('worker pools, some files change', t.pools)];
}
