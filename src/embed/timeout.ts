/**
 * One time limit for a call into code we do not control (a host hook, a CRM's API): the answer,
 * or a readable rejection after `ms`. A synchronous throw of `run` becomes a rejection too, so a
 * caller never has to guard both.
 */
export function withTimeout<T>(run: () => T | Promise<T>, ms: number, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} took longer than ${ms} ms.`)), ms);
    new Promise<T>((r) => r(run())).then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
