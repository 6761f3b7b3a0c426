// sub runs fn as a subtest of t (node:test) and returns what fn returned,
// or undefined when it failed: later steps that need it are then skipped.
export async function sub(t, name, fn, options = {}) {
  let out;
  await t.test(name, options, async (st) => { out = await fn(st); });
  return out;
}
