/**
 * Runs the host's service hooks for one session (script-tag bar and framed bar alike):
 * - a call is offered → `searchContacts(number)`; one match is taken, several wait for the agent
 *   to pick one (`pick`), none means no contact;
 * - the contact is known (or there is no search hook) → `screenPop(call, match)`;
 * - the call is wrapped up → `logCall(record)` with direction, number, times, disposition, notes
 *   and whether it was recorded.
 * Every hook runs with a timeout and its failure is only reported (the `lookup` state and the
 * `log` callback): the agent is never blocked by the CRM.
 */
import type { Session } from '../core/session.ts';
import type { Call } from '../core/model.ts';
import { safeHttpUrl } from '../core/host-events.ts';
import type { CallRecord, ContactMatch, HostHooks } from './hooks.ts';
import { withTimeout } from './timeout.ts';

export type LookupStatus = 'searching' | 'matched' | 'choose' | 'none' | 'failed';

export interface ContactLookup {
  callId: string;
  status: LookupStatus;
  matches: readonly ContactMatch[];
  picked?: ContactMatch;
  /** Why the search failed (timed out, threw …), for the agent. */
  message?: string;
}

export interface HookRunnerOptions {
  /** Each hook's time limit, ms (default 5000). */
  timeoutMs?: () => number;
  /** Where failures are reported (diagnostics). */
  log?: (line: string) => void;
}

const MAX_MATCHES = 20;

/** Keeps only well-formed matches, as plain strings; a URL survives only if it is http(s). */
export function cleanMatches(value: unknown): ContactMatch[] {
  if (!Array.isArray(value)) throw new Error('searchContacts must return an array of { id, name }.');
  const out: ContactMatch[] = [];
  for (const m of value.slice(0, MAX_MATCHES)) {
    if (!m || typeof m !== 'object' || typeof m.id !== 'string' || typeof m.name !== 'string') continue;
    const match: ContactMatch = { id: m.id.slice(0, 200), name: m.name.slice(0, 200) };
    if (typeof m.detail === 'string') match.detail = m.detail.slice(0, 200);
    const url = typeof m.url === 'string' ? safeHttpUrl(m.url) : undefined;
    if (url) match.url = url;
    out.push(match);
  }
  return out;
}

export class HostHookRunner {
  readonly #session: Session;
  readonly #hooks: () => HostHooks | undefined;
  readonly #timeoutMs: () => number;
  readonly #log: (line: string) => void;
  readonly #lookups = new Map<string, ContactLookup>();
  /** The last state of every call, its recording flag over its life, the wrap-up notes asked for. */
  readonly #calls = new Map<string, { call: Call; recorded: boolean; wrapNotes?: string }>();
  readonly #listeners = new Set<() => void>();
  readonly #off: (() => void)[];

  constructor(session: Session, hooks: () => HostHooks | undefined, options: HookRunnerOptions = {}) {
    this.#session = session;
    this.#hooks = hooks;
    this.#timeoutMs = options.timeoutMs ?? (() => 5000);
    this.#log = options.log ?? (() => {});
    this.#off = [
      session.subscribe((s) => {
        for (const call of s.calls) {
          const seen = this.#calls.get(call.id);
          this.#calls.set(call.id, { ...seen, call, recorded: (seen?.recorded ?? false) || call.recording });
        }
      }),
      session.onHostEvent((e) => {
        if (e.type === 'call-offered') void this.#search(e.detail.call);
        else if (e.type === 'wrapup-completed') void this.#logCall(e.detail.callId, e.detail.dispositionCode);
        else if (e.type === 'call-disconnected' && !this.#session.snapshot.calls.some((c) => c.id === e.detail.call.id)) this.#forget(e.detail.call.id);
      }),
      session.onCommandSent((c) => {
        if (c.operation !== 'wrapUp' || !c.args.callId) return;
        const seen = this.#calls.get(c.args.callId);
        if (seen && c.args.notes) seen.wrapNotes = c.args.notes;
      }),
    ];
    // This runner is a lazy module bound once it has loaded: a call offered meanwhile (or still
    // up after a reload) had its call-offered event before anyone listened, so it is looked up now.
    for (const call of session.snapshot.calls) {
      this.#calls.set(call.id, { call, recorded: call.recording });
      if (call.state !== 'wrapup') void this.#search(call);
    }
  }

  /** The contact search state of a call. */
  lookup(callId: string): ContactLookup | undefined {
    return this.#lookups.get(callId);
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The agent picked one of several matches: it becomes the call's contact, and pops. */
  pick(callId: string, matchId: string): void {
    const lookup = this.#lookups.get(callId);
    const match = lookup?.matches.find((m) => m.id === matchId);
    if (!lookup || !match) return;
    this.#set({ ...lookup, status: 'matched', picked: match });
    const call = this.#calls.get(callId)?.call;
    if (call) void this.#pop(call, match);
  }

  destroy(): void {
    for (const off of this.#off) off();
    this.#listeners.clear();
  }

  async #search(call: Call): Promise<void> {
    const search = this.#hooks()?.searchContacts;
    if (!search) return this.#pop(call, undefined);
    this.#set({ callId: call.id, status: 'searching', matches: [] });
    try {
      const matches = cleanMatches(await withTimeout(() => search(call.remote.number), this.#timeoutMs(), 'Contact search'));
      if (!this.#lookups.has(call.id)) return; // the call is gone
      if (matches.length === 1) {
        this.#set({ callId: call.id, status: 'matched', matches, picked: matches[0] });
        await this.#pop(call, matches[0]);
      } else if (matches.length === 0) {
        this.#set({ callId: call.id, status: 'none', matches });
        await this.#pop(call, undefined);
      } else {
        this.#set({ callId: call.id, status: 'choose', matches });
      }
    } catch (error) {
      const message = `Contact search failed: ${error instanceof Error ? error.message : String(error)}`;
      this.#log(message);
      if (this.#lookups.has(call.id)) this.#set({ callId: call.id, status: 'failed', matches: [], message });
    }
  }

  async #pop(call: Call, match: ContactMatch | undefined): Promise<void> {
    const pop = this.#hooks()?.screenPop;
    if (!pop) return;
    try {
      await withTimeout(() => pop(call, match), this.#timeoutMs(), 'Screen pop');
    } catch (error) {
      this.#log(`Screen pop failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #logCall(callId: string, code: string | undefined): Promise<void> {
    const seen = this.#calls.get(callId);
    const picked = this.#lookups.get(callId)?.picked;
    this.#forget(callId);
    const log = this.#hooks()?.logCall;
    // With the bar in several tabs, the tab holding the connection logs the call, once.
    if (!seen || !log || this.#session.mirrored) return;
    const { call } = seen;
    const ended = call.timestamps.wrapupAt ?? Date.now();
    const record: CallRecord = {
      callId,
      direction: call.direction,
      number: call.remote.number,
      startedAt: call.timestamps.offeredAt,
      durationSec: Math.max(0, Math.round((ended - call.timestamps.offeredAt) / 1000)),
      talkSec: call.timestamps.connectedAt ? Math.max(0, Math.round((ended - call.timestamps.connectedAt) / 1000)) : 0,
      notes: [...call.notes, ...(seen.wrapNotes ? [seen.wrapNotes] : [])],
      recorded: seen.recorded,
    };
    if (call.remote.name) record.name = call.remote.name;
    if (code) {
      const label = this.#session.snapshot.dispositions.find((d) => d.code === code)?.label;
      record.disposition = label ? { code, label } : { code };
    }
    if (picked) record.contact = picked;
    try {
      await withTimeout(() => log(record), this.#timeoutMs(), 'Call logging');
    } catch (error) {
      this.#log(`Call logging failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #forget(callId: string): void {
    this.#calls.delete(callId);
    if (this.#lookups.delete(callId)) this.#notify();
  }

  #set(lookup: ContactLookup): void {
    this.#lookups.set(lookup.callId, lookup);
    this.#notify();
  }

  #notify(): void {
    for (const l of [...this.#listeners]) l();
  }
}
