/**
 * Noojee → canonical. `foldSubscribe` folds subscribe answers into the connector's view of one
 * extension (`NoojeeLine`): a full answer (after a start, a gap or a reset) replaces the view, a
 * delta applies its events in order. `toCalls` turns the view into canonical calls (the kit's
 * `PollDiffer` makes the events that take the session there), and `noojeeFlags` says what can be done in each
 * state. Pure functions; the rules are listed in docs/connectors/noojee.md §5.
 */
import type { Call, CallState } from '../../core/model.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';
import { ErrorCode, type CtiErrorInit } from '../../core/errors.ts';
import { isCallStatus, type CallData, type CallStatus, type SubscribeEvent } from './protocol.ts';

/** One call on the agent's extension as the connector knows it. */
export interface TrackedCall {
  id: string;
  inbound: boolean;
  /** The last status Noojee reported. */
  status: CallStatus;
  remote: string;
  canAnswer: boolean;
  offeredAt: number;
  connectedAt?: number;
  /** The CRM record the call was dialled for (the recording tag and the campaign lead). */
  recordId?: string;
  /** Set by the connector once Noojee accepted start (and cleared by stop). */
  recording: boolean;
  /** The call ended and waits for a disposition (connector-side: Noojee has no wrap-up). */
  wrapupAt?: number;
}

export interface NoojeeLine {
  calls: TrackedCall[];
}

export const EMPTY_LINE: NoojeeLine = { calls: [] };

export interface FoldContext {
  now: number;
  /** Whether an ended, connected call waits for a disposition (a campaign call with a lead). */
  wrapUpAfter(call: TrackedCall): boolean;
  /** A record id for an outbound call seen for the first time (the dial it came from), if any. */
  claim?(call: TrackedCall, data: CallData): string | undefined;
}

export interface FoldResult {
  line: NoojeeLine;
  /** Unsolicited failures to show (the number was busy, no answer). */
  notices: CtiErrorInit[];
  /** Events with a status this build does not know (skipped, like Noojee's own client does). */
  ignored: number;
}

/**
 * Folds one subscribe answer's events for this extension. `full`: the answer is the current state
 * (the first after a start or a gap, or Noojee's Code 1): calls not in it have ended, except those
 * waiting for a disposition, which only the connector knows about.
 */
export function foldSubscribe(line: NoojeeLine, events: readonly SubscribeEvent[], full: boolean, ctx: FoldContext): FoldResult {
  const notices: CtiErrorInit[] = [];
  let ignored = 0;
  const byId = new Map(line.calls.map((c) => [c.id, { ...c }]));
  let calls: TrackedCall[];
  if (full) {
    const present = new Set(events.map((e) => e.CallData.uniqueCallId));
    calls = [];
    for (const c of line.calls) {
      if (present.has(c.id)) continue;
      if (c.wrapupAt !== undefined) calls.push({ ...c });
      // It ended while we were not looking: a campaign call still gets its disposition.
      else if (c.connectedAt !== undefined && ctx.wrapUpAfter(c)) calls.push({ ...c, status: 'Hungup', canAnswer: false, recording: false, wrapupAt: ctx.now });
    }
    for (const event of events) {
      const data = event.CallData;
      if (!isCallStatus(data.status)) {
        ignored++;
        continue;
      }
      // A full answer lists live calls only; one that has ended is simply not there.
      if (isEnd(data.status)) continue;
      const known = byId.get(data.uniqueCallId);
      calls.push(applyLive(known, data, data.status, ctx, true));
    }
  } else {
    calls = line.calls.map((c) => byId.get(c.id)!);
    for (const event of events) {
      const data = event.CallData;
      if (!isCallStatus(data.status)) {
        ignored++;
        continue;
      }
      const index = calls.findIndex((c) => c.id === data.uniqueCallId);
      const known = index >= 0 ? calls[index] : undefined;
      if (isEnd(data.status)) {
        if (!known || known.wrapupAt !== undefined) continue;
        if (data.status === 'Busy' || data.status === 'No Answer') {
          notices.push({
            code: ErrorCode.Rejected,
            severity: 'minor',
            operation: 'dial',
            vendorCode: data.status,
            message: data.status === 'Busy' ? `${known.remote || 'The number'} is busy.` : `${known.remote || 'The number'} did not answer.`,
          });
        }
        if (known.connectedAt !== undefined && ctx.wrapUpAfter(known)) {
          calls[index] = { ...known, status: 'Hungup', canAnswer: false, recording: false, wrapupAt: ctx.now };
        } else calls.splice(index, 1);
        continue;
      }
      const next = applyLive(known, data, data.status, ctx, false);
      if (index >= 0) calls[index] = next;
      else calls.push(next);
    }
  }
  return { line: { calls }, notices, ignored };
}

function isEnd(status: CallStatus): boolean {
  return status === 'Hungup' || status === 'Busy' || status === 'No Answer' || status === 'Unlinked';
}

function applyLive(known: TrackedCall | undefined, data: CallData, status: CallStatus, ctx: FoldContext, full: boolean): TrackedCall {
  const call: TrackedCall = known
    ? { ...known }
    : { id: data.uniqueCallId, inbound: data.inbound, status, remote: remoteOf(data), canAnswer: false, offeredAt: ctx.now, recording: false };
  call.status = status;
  call.canAnswer = data.canAnswer && status === 'Ringing' && data.inbound;
  const remote = remoteOf(data);
  if (remote) call.remote = remote;
  if (status === 'Connected' && call.connectedAt === undefined) {
    // Seen connected for the first time in a full answer: it connected before we looked, at the
    // time Noojee says (if it says one we can read).
    call.connectedAt = (!known && full ? parseNoojeeTime(data.callStartTime) : undefined) ?? ctx.now;
  }
  if (!known && !call.inbound && ctx.claim) {
    const recordId = ctx.claim(call, data);
    if (recordId) call.recordId = recordId;
  }
  return call;
}

/** The customer's number: the caller for inbound, the dialled number for outbound. */
export function remoteOf(data: CallData): string {
  if (data.inbound) return data.callerId || data.otherPartyCallerId || '';
  return data.outboundDestination || data.connectedCallerIdNum || data.otherPartyCallerId || '';
}

/** `2026/12/02 13:52:32` (UTC, see the docs) → epoch ms; `""` or anything else → undefined. */
export function parseNoojeeTime(text: string): number | undefined {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  return Number.isFinite(ms) ? ms : undefined;
}

/** Canonical state of a tracked call. */
export function stateOf(call: TrackedCall): CallState {
  if (call.wrapupAt !== undefined) return 'wrapup';
  if (call.status === 'Connected') return 'talking';
  // The agent's own handset ringing for a click-to-dial is part of dialling out.
  if (call.status === 'Ringing' && call.inbound) return 'ringing';
  return 'dialing';
}

export interface CallContext {
  /** The campaign's name, for calls dialled for a CRM record while a campaign is configured. */
  campaign?: string;
}

export function toCall(call: TrackedCall, ctx: CallContext = {}): Call {
  const out: Call = {
    id: call.id,
    direction: call.inbound ? 'inbound' : 'outbound',
    state: stateOf(call),
    role: 'owner',
    remote: { number: call.remote },
    fields: call.recordId ? [{ key: 'recordId', label: 'CRM record', value: call.recordId, type: 'readOnly' }] : [],
    recording: call.recording,
    notes: [],
    timestamps: {
      offeredAt: call.offeredAt,
      ...(call.connectedAt !== undefined ? { connectedAt: call.connectedAt } : {}),
      ...(call.wrapupAt !== undefined ? { wrapupAt: call.wrapupAt } : {}),
    },
  };
  if (call.recordId && ctx.campaign) out.campaign = ctx.campaign;
  if (call.wrapupAt !== undefined) out.wrapup = { maxTimeSec: 0, extendable: false, defaultCode: '' };
  return out;
}

export function toCalls(line: NoojeeLine, ctx: CallContext = {}): Call[] {
  // The current call first: a live one before one waiting for a disposition.
  const live = line.calls.filter((c) => c.wrapupAt === undefined);
  const ended = line.calls.filter((c) => c.wrapupAt !== undefined);
  return [...live, ...ended].map((c) => toCall(c, ctx));
}

/**
 * What Noojee can do in each state, as the capability flags the session masks with `supports`:
 * hang up any live call (ringing, dialling or connected), record a connected one, disposition one
 * in wrap-up. No agent states, hold, transfer or DTMF: Noojee has none.
 */
export function noojeeFlags(current: Call | undefined): CapabilityFlags {
  const live = current !== undefined && current.state !== 'wrapup';
  return {
    hold: false,
    unhold: false,
    transfer: false,
    conference: false,
    release: live,
    disposition: current?.state === 'wrapup',
    originate: current === undefined,
    createCallback: false,
    sendDtmf: false,
    updateRecord: false,
    leaveConference: false,
    leaveConsult: false,
    endConference: false,
    changeOwnership: false,
    ready: false,
    notReady: false,
    record: current?.state === 'talking',
  };
}
