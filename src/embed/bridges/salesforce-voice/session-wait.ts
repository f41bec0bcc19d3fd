/**
 * Waits until the session's snapshot satisfies `test` (checked now and at every change), within
 * `ms`. The SDK's methods must answer with the call as it is after the command (connected, held,
 * dialled), and a backend confirms a command before its state arrives.
 */
import type { Session } from '../../../core/session.ts';
import type { Snapshot } from '../../../core/model.ts';

export function until<T>(session: Session, test: (snapshot: Snapshot) => T | undefined, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const now = test(session.snapshot);
    if (now !== undefined) return resolve(now);
    const timer = setTimeout(() => (off(), reject(new Error(`${what}: no answer within ${ms} ms.`))), ms);
    const off = session.subscribe((snapshot) => {
      const value = test(snapshot);
      if (value === undefined) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}
