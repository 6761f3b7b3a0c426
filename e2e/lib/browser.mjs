// Debian's Chromium driven by playwright-core, one fresh profile a launch.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function haveChromium() { return existsSync(CHROMIUM); }

// DEADLINE bounds every wait on a page (a selector, a function, a
// navigation, an event) that names no shorter one.
export const DEADLINE = 30_000;

// launch opens a persistent context on a new, empty profile.
export async function launch(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tentacle-e2e-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(DEADLINE);
  context.setDefaultNavigationTimeout(DEADLINE);
  const close = async () => {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { context, close, dir };
}

// tabTo presses Tab until the focused element matches selector: the proof
// that it is reachable by keyboard.
export async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`keyboard: Tab never reached ${selector}`);
}

export function testid(id) { return `[data-testid="${id}"]`; }

export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}
