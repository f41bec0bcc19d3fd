import { CtiError, ErrorCode } from '../../core/errors.ts';

/**
 * Waits for a connector's link to come up, or fails with NOT_CONNECTED naming what could not be
 * reached. The timer is always cleared, so a link that comes up in time leaves nothing pending.
 */
export async function withConnectTimeout<T>(opening: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof globalThis.setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = globalThis.setTimeout(
      () => reject(new CtiError({ code: ErrorCode.NotConnected, message: `Could not reach ${what} within ${timeoutMs / 1000} s.` })),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([opening, timeout]);
  } finally {
    globalThis.clearTimeout(timer);
  }
}
