/** The ways a ringing call gets the agent's attention (`alerts` attribute of `<agent-bar>`). */
export type AlertKind = 'ring' | 'notification' | 'title';
export const ALERT_KINDS: readonly AlertKind[] = ['ring', 'notification', 'title'];

export interface CallAlertOptions {
  kinds: ReadonlySet<AlertKind>;
  /** Alerts stop after this long even if the call still rings (ms). */
  ringTimeoutMs: number;
  /** Ring tone gain, 0–1. */
  ringVolume: number;
  /**
   * The words of the notification and title in the bar's locale (this module carries no
   * translations: the main bundle looks them up).
   */
  texts: AlertTexts;
}

export interface AlertTexts {
  /** The notification's title: "Incoming call". */
  incomingCall: string;
  /** The notification's last line: "Click to answer.". */
  clickToAnswer: string;
  /** The flashing page title (no customer data): "☎ Incoming call". */
  title: string;
}

/** `alerts` attribute → the kinds it names (`none` or empty: none; unknown words are ignored). */
export function parseAlertKinds(value: string | null | undefined): Set<AlertKind> {
  const words = (value ?? '').toLowerCase().split(/[\s,]+/);
  return new Set(ALERT_KINDS.filter((kind) => words.includes(kind)));
}
