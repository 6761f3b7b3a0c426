// Accessibility: axe-core from the npm registry, run in the page. Serious
// and critical violations fail the run; the rest are printed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function axe(page, label) {
  // Evaluated through the driver, so the page's Content-Security-Policy
  // (no inline script) does not need loosening for the test.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of violations) {
    console.log(`  axe ${label}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.join(', ')})`);
  }
  return serious.map((v) => `${label}: ${v.id} (${v.nodes.join(', ')})`);
}
