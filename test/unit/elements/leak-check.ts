/**
 * Leak checks for element tests: whether an object can be garbage-collected once the test has let
 * go of it. Needs `gc()`, which the test browser exposes (`--js-flags=--expose-gc` in
 * web-test-runner.config.mjs; typed by @types/node's global `gc`).
 */
/**
 * Whether the object behind `ref` is gone after full collections. A WeakRef's target survives
 * until the end of the task that created or read it, so each collection runs in a later task.
 */
export async function collectedAfterGc(ref: WeakRef<object>): Promise<boolean> {
  if (typeof globalThis.gc !== 'function') throw new Error('gc() is not exposed: run the browser with --js-flags=--expose-gc');
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    globalThis.gc();
  }
  await new Promise((r) => setTimeout(r, 0));
  return ref.deref() === undefined;
}
