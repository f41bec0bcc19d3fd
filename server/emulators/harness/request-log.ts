/**
 * What the emulator received, for contract tests on the exact requests (`GET /__log`). Bounded:
 * a long soak against an emulator must not grow it without limit.
 */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** WebSocket emulators: the message name (e.g. `AGTLogon`). */
  message?: string;
  at?: number;
}

export const MAX_LOGGED = 2000;

export class RequestLog {
  #entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.#entries.push({ ...entry, at: entry.at ?? Date.now() });
    if (this.#entries.length > MAX_LOGGED) this.#entries.splice(0, this.#entries.length - MAX_LOGGED);
  }

  entries(): LoggedRequest[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}
