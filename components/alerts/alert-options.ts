/** The ways a ringing call gets the agent's attention (`alerts` attribute of `<agent-bar>`). */
export type AlertKind = 'ring' | 'notification' | 'title';
export const ALERT_KINDS: readonly AlertKind[] = ['ring', 'notification', 'title'];

export interface CallAlertOptions {
  kinds: ReadonlySet<AlertKind>;
  /** Alerts stop after this long even if the call still rings (ms). */
  ringTimeoutMs: number;
  /** Ring tone gain, 0–1. */
  ringVolume: number;
}

/** `alerts` attribute → the kinds it names (`none` or empty: none; unknown words are ignored). */
export function parseAlertKinds(value: string | null | undefined): Set<AlertKind> {
  const words = (value ?? '').toLowerCase().split(/[\s,]+/);
  return new Set(ALERT_KINDS.filter((kind) => words.includes(kind)));
}
