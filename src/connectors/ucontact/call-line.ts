/**
 * The calls one uContact agent has, as the connector knows them (both modes), and how they look in
 * canonical terms. uContact tells little: a GUID when a call is made, and — through the window
 * proxy only — that a call rings, was made, finished or was dispositioned. So a call is shown
 * `ringing` (offered, inbound), `dialing` (made: uContact never says when the customer answers)
 * or `wrapup` (finished, waiting for its disposition); never a state nobody reported
 * (docs/connectors/ucontact.md §6). Pure data; the connectors own the instance.
 */
import type { Call, CustomerField } from '../../core/model.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';

export interface LineCall {
  id: string;
  direction: 'inbound' | 'outbound';
  state: 'ringing' | 'dialing' | 'wrapup';
  number: string;
  name?: string;
  campaign?: string;
  fields: CustomerField[];
  /** A callback asked for during the call: sent with its disposition (`schedule`). */
  callbackAt?: string;
  notes: string[];
  offeredAt: number;
  wrapupAt?: number;
}

export interface LineAbilities {
  hangup: boolean;
  dispose: boolean;
  callback: boolean;
  /** REST: the agent's state allows Ready / Not ready. */
  ready?: boolean;
  notReady?: boolean;
}

export class CallLine {
  #calls: LineCall[] = [];

  get calls(): readonly LineCall[] {
    return this.#calls;
  }

  find(id: string | undefined): LineCall | undefined {
    return id === undefined ? undefined : this.#calls.find((c) => c.id === id);
  }

  /** The call a command without a call id is about: the live one first, else the one in wrap-up. */
  current(id?: string): LineCall | undefined {
    if (id) return this.find(id);
    return this.#calls.find((c) => c.state !== 'wrapup') ?? this.#calls[0];
  }

  live(): LineCall | undefined {
    return this.#calls.find((c) => c.state !== 'wrapup');
  }

  add(call: LineCall): boolean {
    if (this.find(call.id)) return false;
    this.#calls = [...this.#calls, call];
    return true;
  }

  update(id: string, change: Partial<LineCall>): void {
    this.#calls = this.#calls.map((c) => (c.id === id ? { ...c, ...change } : c));
  }

  /** The call ended: into wrap-up when dispositions are expected, else gone. */
  finish(id: string, wrapUp: boolean, now: number): void {
    const call = this.find(id);
    if (!call || call.state === 'wrapup') return;
    if (wrapUp) this.update(id, { state: 'wrapup', wrapupAt: now });
    else this.remove(id);
  }

  remove(id: string): void {
    this.#calls = this.#calls.filter((c) => c.id !== id);
  }

  clear(): void {
    this.#calls = [];
  }

  toCalls(): Call[] {
    return this.#calls.map(toCanonical);
  }
}

export function toCanonical(c: LineCall): Call {
  const call: Call = {
    id: c.id,
    direction: c.direction,
    state: c.state,
    role: 'owner',
    remote: c.name ? { number: c.number, name: c.name } : { number: c.number },
    fields: c.fields,
    recording: false,
    notes: c.notes,
    timestamps: { offeredAt: c.offeredAt, ...(c.wrapupAt !== undefined ? { wrapupAt: c.wrapupAt } : {}) },
  };
  if (c.campaign) call.campaign = c.campaign;
  // No time limit: uContact says nothing of one, the agent dispositions when done.
  if (c.state === 'wrapup') call.wrapup = { maxTimeSec: 0, extendable: false, defaultCode: '' };
  return call;
}

/** What the bar may do now (uContact sends no capabilities: they follow from what it can do). */
export function lineFlags(current: LineCall | undefined, can: LineAbilities): CapabilityFlags {
  const live = current !== undefined && current.state !== 'wrapup';
  return {
    hold: false,
    unhold: false,
    transfer: false,
    conference: false,
    release: can.hangup && live,
    disposition: can.dispose && current?.state === 'wrapup',
    originate: current === undefined,
    // With a call: kept with it for its disposition; without one: a scheduled call for a number given.
    createCallback: can.callback,
    sendDtmf: false,
    updateRecord: false,
    leaveConference: false,
    leaveConsult: false,
    endConference: false,
    changeOwnership: false,
    ready: can.ready === true && current === undefined,
    notReady: can.notReady === true && current === undefined,
    record: false,
  };
}

/** uContact's `YYYY-MM-DD HH:MM:SS` for an ISO time, in the runtime's local time; undefined when not a time. */
export function ucontactDate(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}

/** The screen-pop URL from the configured template (`{number}`, `{guid}`, `{campaign}`, URL-encoded). */
export function screenPop(template: string | undefined, values: { number: string; guid: string; campaign?: string }): CustomerField[] {
  if (!template) return [];
  const url = template.replace(/\{(number|guid|campaign)\}/g, (_, key: 'number' | 'guid' | 'campaign') => encodeURIComponent(values[key] ?? ''));
  return [{ key: 'screenPop', label: 'Record', value: url, type: 'screenPop' }];
}
