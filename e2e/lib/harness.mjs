// A tiny test harness for the e2e scripts: named tests that record
// failures instead of stopping, and the closing "N passed, N failed" line.
export function harness(prefix) {
  const failures = [];
  let passed = 0;
  async function test(name, fn) {
    const t0 = Date.now();
    try {
      const r = await fn();
      passed++;
      console.log(`ok   ${prefix}: ${name} (${Date.now() - t0} ms)`);
      return r;
    } catch (err) {
      failures.push(`${name}: ${err.message}`);
      console.log(`FAIL ${prefix}: ${name}\n     ${err.stack || err.message}`);
      return undefined;
    }
  }
  function finish() {
    console.log(`${prefix}: ${passed} passed, ${failures.length} failed`);
    if (failures.length > 0) {
      for (const f of failures) console.log(`  - ${f}`);
      process.exitCode = 1;
    }
  }
  return { test, failures, finish };
}
