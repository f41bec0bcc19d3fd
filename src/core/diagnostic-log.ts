/**
 * The bar's diagnostic log for a support ticket (`bar.downloadLog()`): the last few hundred
 * transport and session events of one session — connection changes (status, unstable link,
 * retries, whether another tab holds the connection), agent states, call states, commands sent and
 * how they ended, failures with their codes — and nothing a customer or a secret could be read
 * from.
 *
 * Redaction is by construction first: an entry is built from an allow-list of fields (ids,
 * states, operation names, codes), never by copying an object, so a customer's number, name,
 * fields, notes, a typed number or a login password have no way in; a command's arguments are
 * logged by name with their values replaced, except the few that are ids and codes (`callId`,
 * `agentId`, `reasonCode`, `code`). The only free text is a failure's message (it may quote what
 * was typed or what a vendor said): whatever it quotes, every customer value the session has seen,
 * every argument value and the connector's secret config values (`secretValues`, the options
 * declared `secret`) are replaced in it, then any remaining run of five digits or more (a phone or
 * card number). The whole log goes through the value replacement once more when it is written.
 */
import type { Session } from './session.ts';
import type { Snapshot, Call } from './model.ts';
import type { Command } from './commands.ts';
import type { HostEvent } from './host-events.ts';
import type { CtiErrorInit } from './errors.ts';

export interface DiagnosticLogOptions {
  /** How many entries are kept (the oldest go first). Default 500. */
  limit?: number;
  /** The connector's secret values (asked when the log is written: a token may change). */
  secrets?: () => readonly string[];
  /** What the log is about (connector, endpoint host …): shown in its header, not redacted. */
  about?: Record<string, string | undefined>;
  now?: () => number;
}

export interface LogEntry {
  /** ISO time. */
  at: string;
  kind: 'start' | 'connection' | 'agent' | 'call' | 'call-gone' | 'phone-line' | 'command' | 'command-done' | 'failure' | 'event';
  [field: string]: string | number | boolean | string[] | undefined;
}

/** Argument values that are codes, not customer data or secrets. */
const CODE_ARGS = new Set(['callId', 'agentId', 'reasonCode', 'code']);
export const REDACTED = '[redacted]';
/** Digits that could be a phone or card number (5 or more, with the usual separators). */
const LONG_NUMBER = /\+?\d[\d\s().\-/]{3,}\d/g;
/** Shorter values would redact ordinary words and ids. */
const MIN_SECRET_LENGTH = 3;
const MAX_SENSITIVE = 2000;

export class DiagnosticLog {
  readonly #session: Session;
  readonly #limit: number;
  readonly #secrets: () => readonly string[];
  readonly #about: Record<string, string | undefined>;
  readonly #now: () => number;
  readonly #entries: LogEntry[] = [];
  /** Customer values and argument values seen, to be kept out of free text. Bounded. */
  readonly #sensitive = new Set<string>();
  readonly #off: (() => void)[];
  #dropped = 0;

  constructor(session: Session, options: DiagnosticLogOptions = {}) {
    this.#session = session;
    this.#limit = Math.max(10, options.limit ?? 500);
    this.#secrets = options.secrets ?? (() => []);
    this.#about = options.about ?? {};
    this.#now = options.now ?? (() => Date.now());
    const s = session.snapshot;
    for (const call of s.calls) this.#learn(call);
    this.#add({ kind: 'start', connection: s.connection, agentState: s.agent.state, calls: s.calls.map((c) => `${c.id}:${c.state}`), mirrored: session.mirrored });
    this.#off = [
      session.subscribe((next, prev) => this.#onSnapshot(next, prev)),
      session.onCommandSent((command) => this.#onCommand(command)),
      session.onHostEvent((event) => this.#onHostEvent(event)),
    ];
  }

  /** The entries kept, oldest first, redacted. */
  entries(): LogEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  /** The log as JSON text (a header and the entries), ready to attach to a ticket. */
  text(): string {
    const header = {
      log: 'agent-bar diagnostic log',
      written: new Date(this.#now()).toISOString(),
      agentId: this.#session.snapshot.agent.id,
      ...this.#about,
      entries: this.#entries.length,
      droppedOldest: this.#dropped,
    };
    // Values only: the digit rule would eat the timestamps and ids; it already ran on the messages.
    return this.#scrub(JSON.stringify({ ...header, events: this.#entries }, null, 1), false);
  }

  dispose(): void {
    for (const off of this.#off) off();
    this.#off.length = 0;
  }

  #onSnapshot(next: Snapshot, prev: Snapshot): void {
    if (next.connection !== prev.connection || next.linkDegraded !== prev.linkDegraded || next.retryAt !== prev.retryAt) {
      this.#add({
        kind: 'connection',
        status: next.connection,
        degraded: next.linkDegraded || undefined,
        retryInMs: next.retryAt === undefined ? undefined : Math.max(0, next.retryAt - this.#now()),
        mirrored: this.#session.mirrored || undefined,
      });
    }
    if (next.agent.state !== prev.agent.state || next.agent.reason?.code !== prev.agent.reason?.code) {
      this.#add({ kind: 'agent', state: next.agent.state, reason: next.agent.reason?.code, raw: next.agent.rawState });
    }
    if (next.phoneLine !== prev.phoneLine) this.#add({ kind: 'phone-line', state: next.phoneLine });
    if (next.calls !== prev.calls) {
      const before = new Map(prev.calls.map((c) => [c.id, c]));
      for (const call of next.calls) {
        this.#learn(call);
        const old = before.get(call.id);
        before.delete(call.id);
        if (old && old.state === call.state && old.recording === call.recording && old.muted === call.muted && old.consult?.state === call.consult?.state) continue;
        this.#add({
          kind: 'call',
          callId: call.id,
          state: call.state,
          direction: call.direction,
          role: call.role,
          recording: call.recording || undefined,
          muted: call.muted || undefined,
          consult: call.consult?.state,
          fields: call.fields.length || undefined,
        });
      }
      for (const id of before.keys()) this.#add({ kind: 'call-gone', callId: id });
    }
  }

  #onCommand(command: Command): void {
    const args = (command.args ?? {}) as Record<string, unknown>;
    const shown: string[] = [];
    for (const [key, value] of Object.entries(args)) {
      if (CODE_ARGS.has(key) && typeof value === 'string') {
        shown.push(`${key}=${value}`);
      } else {
        this.#remember(value);
        shown.push(`${key}=${REDACTED}`);
      }
    }
    this.#add({ kind: 'command', id: command.id, operation: command.operation, args: shown });
  }

  #onHostEvent(event: HostEvent): void {
    if (event.type === 'operation-failed') {
      this.#add({ kind: 'failure', operation: event.detail.operation, ...this.#error(event.detail.error) });
    } else if (event.type === 'token-needed') {
      this.#add({ kind: 'failure', event: 'token-needed', retryInMs: event.detail.retryInMs, ...this.#error(event.detail.error) });
    } else if (event.type === 'wrapup-completed') {
      this.#add({ kind: 'event', event: event.type, callId: event.detail.callId, code: event.detail.dispositionCode });
    } else if (event.type === 'screen-pop') {
      // The URL may carry the customer's id or number: only that a pop happened.
      this.#add({ kind: 'event', event: event.type, callId: event.detail.callId });
    }
  }

  #error(error: CtiErrorInit): Record<string, string | undefined> {
    return {
      code: error.code,
      vendorCode: error.vendorCode === undefined ? undefined : String(error.vendorCode),
      commandId: error.commandId,
      // Anything quoted is what was typed or sent ("+44 12" is not a valid …): never kept.
      message: this.#scrub((error.message ?? '').replace(/"[^"]*"|“[^”]*”/g, `"${REDACTED}"`), true),
    };
  }

  /** Every customer value of a call, to be kept out of free text. */
  #learn(call: Call): void {
    this.#remember(call.remote?.number);
    this.#remember(call.remote?.name);
    for (const field of call.fields ?? []) this.#remember(field.value);
    for (const note of call.notes ?? []) this.#remember(note);
    for (const number of call.preview?.numbers ?? []) this.#remember(number);
    this.#remember(call.consult?.destination?.number);
    this.#remember(call.consult?.destination?.label);
  }

  #remember(value: unknown): void {
    if (typeof value === 'string') {
      const v = value.trim();
      if (v.length >= MIN_SECRET_LENGTH && !this.#sensitive.has(v)) {
        if (this.#sensitive.size >= MAX_SENSITIVE) this.#sensitive.delete(this.#sensitive.values().next().value!);
        this.#sensitive.add(v);
      }
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) this.#remember(item);
    }
  }

  #scrub(text: string, numbers: boolean): string {
    let out = text;
    // Longest first, so a value containing another is replaced whole.
    const values = [...this.#sensitive, ...this.#secrets().filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)].sort((a, b) => b.length - a.length);
    for (const value of values) out = out.split(value).join(REDACTED);
    return numbers ? out.replace(LONG_NUMBER, (match) => (/(\d\D?){5,}/.test(match) ? '[number]' : match)) : out;
  }

  #add(entry: Omit<LogEntry, 'at'>): void {
    for (const key of Object.keys(entry)) if (entry[key] === undefined) delete entry[key];
    this.#entries.push({ at: new Date(this.#now()).toISOString(), ...entry } as LogEntry);
    if (this.#entries.length > this.#limit) {
      this.#entries.shift();
      this.#dropped++;
    }
  }
}
