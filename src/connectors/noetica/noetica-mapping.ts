/**
 * Noetica → canonical (docs/connectors/noetica.md §6): the connector's view of one user (the three
 * statuses, the telephony one with the calls on the line), how each Poll Event changes it, and
 * how the view reads in canonical terms. Pure functions: no I/O, no clock but the one passed in.
 */
import type { CanonicalEvent } from '../../core/events.ts';
import type { Call, CallState, CustomerField, Reason } from '../../core/model.ts';
import type { CtiErrorInit } from '../../core/errors.ts';
import { ErrorCode } from '../../core/errors.ts';
import { vendorText } from './noetica-errors.ts';
import {
  CALL_STATES,
  DIALLER_STATUSES,
  SYSTEM_STATUSES,
  TELEPHONY_STATUSES,
  type DiallerStatusAnswer,
  type SystemStatusAnswer,
  type TelephonyStatusAnswer,
  type WireCall,
  type WireEvent,
  type WireRecord,
} from './wire.ts';

type EventOf<T extends CanonicalEvent['type']> = Extract<CanonicalEvent, { type: T }>;

export interface NoeticaView {
  telephony: Omit<TelephonyStatusAnswer, 'asOf'>;
  dialler: Omit<DiallerStatusAnswer, 'asOf'>;
  system: Omit<SystemStatusAnswer, 'asOf'>;
}

export type StatusKind = 'Telephony' | 'Dialler' | 'System';

export const EMPTY_VIEW: NoeticaView = {
  telephony: { status: 'LoggedOff', calls: [] },
  dialler: { status: 'Inactive', record: null },
  system: { status: 'Online' },
};

/** What one event did: the new view and what to tell the agent (notices are `info` alerts). */
export interface Folded {
  view: NoeticaView;
  notices: CtiErrorInit[];
}

/**
 * One event folded into the view. `stale(kind)`: the view already holds this event's effect on
 * that status (read after it), so only its notice, if any, remains. Operation Failed is the
 * connector's (it knows which command a request id was).
 */
export function foldEvent(view: NoeticaView, event: WireEvent, stale: (kind: StatusKind) => boolean): Folded {
  const notices: CtiErrorInit[] = [];
  const upsert = (call: WireCall): NoeticaView => {
    const calls = view.telephony.calls.some((c) => c.callId === call.callId)
      ? view.telephony.calls.map((c) => (c.callId === call.callId ? call : c))
      : [...view.telephony.calls, call];
    return { ...view, telephony: { ...view.telephony, calls } };
  };
  switch (event.type) {
    case 'Message': {
      const text = vendorText(event.data.text);
      const from = vendorText(event.data.from);
      if (text) notices.push(notice(from ? `Message from ${from}: ${text}` : `Message: ${text}`, 'Message'));
      return { view, notices };
    }
    case 'CallOffered':
    case 'CallConnected':
    case 'ConnectedConsultation':
      return { view: stale('Telephony') || !isCall(event.data.call) ? view : upsert(event.data.call), notices };
    case 'ConnectedIncomingTransfer': {
      const call = event.data.call;
      if (!isCall(call)) return { view, notices };
      const by = vendorText(call.transferredBy);
      notices.push(notice(`Incoming transfer${by ? ` from ${by}` : ''}: ${vendorText(call.name) || vendorText(call.number)}.`, 'ConnectedIncomingTransfer'));
      return { view: stale('Telephony') ? view : upsert(call), notices };
    }
    case 'ConsultationCallDisconnected': {
      const call = event.data.call;
      if (!isCall(call)) return { view, notices };
      if (event.data.by === 'Consultation') notices.push(notice('The consultation call ended: the other party hung up.', 'ConsultationCallDisconnected'));
      return { view: stale('Telephony') ? view : upsert(call), notices };
    }
    case 'CallDisconnected': {
      const call = event.data.call;
      if (!isCall(call) || stale('Telephony')) return { view, notices };
      // Gone from the line (transferred away, or abandoned while ringing), unless it waits for a disposition.
      if (call.state !== 'WrapUp') {
        return { view: { ...view, telephony: { ...view.telephony, calls: view.telephony.calls.filter((c) => c.callId !== call.callId) } }, notices };
      }
      return { view: upsert(call), notices };
    }
    case 'StatusChange': {
      const change = event.data;
      if (change.kind === 'Telephony') {
        if (stale('Telephony') || !isTelephony(change.status)) return { view, notices };
        return { view: { ...view, telephony: change.status }, notices };
      }
      if (change.kind === 'Dialler') {
        if (!isDialler(change.status)) return { view, notices };
        if (stale('Dialler')) return { view, notices };
        const said = diallerNotice(view.dialler.status, change.status.status);
        if (said) notices.push(said);
        return { view: { ...view, dialler: change.status }, notices };
      }
      if (change.kind === 'System') {
        if (!isSystem(change.status)) return { view, notices };
        // A stale change is in the truth already, and was announced with it.
        if (stale('System')) return { view, notices };
        if (change.status.status !== view.system.status) notices.push(systemNotice(change.status));
        return { view: { ...view, system: change.status }, notices };
      }
      return { view, notices };
    }
    default:
      return { view, notices };
  }
}

/**
 * The dialler's status is shown when it says something the agent state does not: a paused or
 * exhausted campaign, and its return to Active. Inactive ⇄ Active follow the agent's own log
 * on/off and Preview the agent's own Next record: no notice.
 */
export function diallerNotice(previous: string, next: string): CtiErrorInit | undefined {
  if (previous === next) return undefined;
  if (next === 'Paused') return notice('The dialler has paused this campaign: no dialler calls for now.', 'Dialler:Paused', 'minor');
  if (next === 'Exhausted') return notice('The dialler list is exhausted: no more records to call.', 'Dialler:Exhausted', 'minor');
  if (next === 'Active' && (previous === 'Paused' || previous === 'Exhausted')) return notice('The dialler is active again.', 'Dialler:Active');
  return undefined;
}

/** The system's status when it is not simply Online (and its return to Online). */
export function systemNotice(status: NoeticaView['system']): CtiErrorInit {
  const detail = vendorText(status.detail);
  const tail = detail ? ` (${detail})` : '';
  if (status.status === 'Offline') return notice(`The Noetica system is offline${tail}.`, 'System:Offline', 'critical');
  if (status.status === 'Degraded') return notice(`The Noetica system is degraded${tail}: calls may fail.`, 'System:Degraded', 'major');
  return notice('The Noetica system is back online.', 'System:Online');
}

function notice(message: string, vendorCode: string, severity: CtiErrorInit['severity'] = 'info'): CtiErrorInit {
  // The canonical model has no notice event: an `error` without an operation is an alert and nothing else.
  return { code: ErrorCode.Rejected, severity, message, vendorCode };
}

// ---- canonical ---------------------------------------------------------------------------------

export function agentOf(view: NoeticaView, reasons: readonly Reason[], agentId: string): Omit<EventOf<'agentState'>, 'type' | 'seq' | 'at'> {
  const t = view.telephony;
  const reason = (r: { code: string; label: string } | undefined): Reason | undefined => {
    if (!r || typeof r.code !== 'string') return undefined;
    return { code: r.code, label: reasons.find((x) => x.code === r.code)?.label ?? (vendorText(r.label) || r.code) };
  };
  switch (t.status) {
    case 'LoggedOff':
      return { state: 'loggedOut', agentId };
    case 'Busy':
      return { state: 'busy', agentId };
    case 'OnBreak': {
      const r = reason(t.breakReason);
      return r ? { state: 'notReady', reason: r, agentId } : { state: 'notReady', agentId };
    }
    default: {
      const pending = reason(t.pendingBreak);
      return pending ? { state: 'pendingNotReady', reason: pending, agentId } : { state: 'ready', agentId };
    }
  }
}

/** The calls on the line, then the previewed record (when it is not being called yet). */
export function callsOf(view: NoeticaView): Call[] {
  const calls = view.telephony.status === 'LoggedOff' ? [] : view.telephony.calls.filter(isCall).map(toCall);
  const record = view.dialler.record;
  if (record && view.telephony.status !== 'LoggedOff' && !view.telephony.calls.some((c) => c.recordId === record.recordId)) {
    const preview = previewOf(record);
    if (preview) calls.push(preview);
  }
  return calls;
}

export const PREVIEW_PREFIX = 'record:';

function toCall(wire: WireCall): Call {
  const consultation = wire.consultation;
  const state: CallState = consultation && (wire.state === 'Connected' || wire.state === 'Held') ? 'consult' : STATE[wire.state];
  const call: Call = {
    id: wire.callId,
    direction: wire.direction === 'Inbound' ? 'inbound' : 'outbound',
    state,
    role: 'owner',
    remote: { number: vendorText(wire.number), ...(wire.name ? { name: vendorText(wire.name) } : {}) },
    fields: fieldsOf(wire.fields, wire.transferredBy),
    recording: false,
    notes: [],
    timestamps: {
      offeredAt: time(wire.offeredAt) ?? 0,
      ...(time(wire.connectedAt) !== undefined ? { connectedAt: time(wire.connectedAt)! } : {}),
      ...(wire.state === 'Held' && !consultation && time(wire.heldAt) !== undefined ? { heldAt: time(wire.heldAt)! } : {}),
      ...(wire.state === 'WrapUp' && time(wire.wrapUpAt) !== undefined ? { wrapupAt: time(wire.wrapUpAt)! } : {}),
    },
  };
  if (wire.campaign) call.campaign = vendorText(wire.campaign);
  if (consultation && state === 'consult') {
    const number = vendorText(consultation.number);
    call.consult = {
      destination: { id: number, type: 'external', label: vendorText(consultation.name) || number, number },
      state: consultation.state === 'Connected' ? 'connected' : 'dialing',
      activeParty: consultation.active === 'Customer' ? 'customer' : 'consult',
      startedAt: time(consultation.startedAt) ?? 0,
    };
  }
  // Noetica has no wrap-up timer: no limit, nothing to extend, no default code.
  if (state === 'wrapup') call.wrapup = { maxTimeSec: 0, extendable: false, defaultCode: '' };
  return call;
}

function previewOf(record: WireRecord): Call | undefined {
  const numbers = (Array.isArray(record.phones) ? record.phones : []).filter((p): p is string => typeof p === 'string' && p !== '').map(vendorText);
  if (numbers.length === 0 || typeof record.recordId !== 'string') return undefined;
  const call: Call = {
    id: `${PREVIEW_PREFIX}${record.recordId}`,
    direction: 'outbound',
    state: 'preview',
    role: 'owner',
    remote: { number: numbers[0]!, ...(record.name ? { name: vendorText(record.name) } : {}) },
    fields: fieldsOf(record.fields, undefined),
    recording: false,
    notes: [],
    preview: { timeoutSec: 0, numbers, isCallback: false },
    timestamps: { offeredAt: time(record.reservedAt) ?? 0 },
  };
  if (record.campaign) call.campaign = vendorText(record.campaign);
  return call;
}

const STATE: Record<WireCall['state'], CallState> = {
  Ringing: 'ringing',
  Dialling: 'dialing',
  Connected: 'talking',
  Held: 'held',
  WrapUp: 'wrapup',
};

const MAX_FIELDS = 50;

function fieldsOf(fields: Record<string, string> | undefined, transferredBy: string | undefined): CustomerField[] {
  const out: CustomerField[] = [];
  if (transferredBy) out.push({ key: 'noetica.transferredBy', label: 'Transferred by', value: vendorText(transferredBy), type: 'readOnly' });
  if (fields && typeof fields === 'object') {
    for (const [label, value] of Object.entries(fields).slice(0, MAX_FIELDS)) {
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      out.push({ key: `record.${label}`, label: vendorText(label), value: String(value), type: 'readOnly' });
    }
  }
  return out;
}

function time(iso: string | undefined): number | undefined {
  if (typeof iso !== 'string') return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

// ---- shape checks (what Noetica sent is not trusted) -------------------------------------------

export function isCall(value: unknown): value is WireCall {
  const c = value as WireCall | null;
  return (
    !!c &&
    typeof c === 'object' &&
    typeof c.callId === 'string' &&
    c.callId !== '' &&
    !c.callId.startsWith(PREVIEW_PREFIX) &&
    (CALL_STATES as readonly string[]).includes(c.state) &&
    typeof c.number === 'string' &&
    typeof c.offeredAt === 'string'
  );
}

export function isTelephony(value: unknown): value is NoeticaView['telephony'] {
  const t = value as NoeticaView['telephony'] | null;
  return !!t && typeof t === 'object' && (TELEPHONY_STATUSES as readonly string[]).includes(t.status) && Array.isArray(t.calls);
}

export function isDialler(value: unknown): value is NoeticaView['dialler'] {
  const d = value as NoeticaView['dialler'] | null;
  return !!d && typeof d === 'object' && (DIALLER_STATUSES as readonly string[]).includes(d.status) && (d.record === null || typeof d.record === 'object');
}

export function isSystem(value: unknown): value is NoeticaView['system'] {
  const s = value as NoeticaView['system'] | null;
  return !!s && typeof s === 'object' && (SYSTEM_STATUSES as readonly string[]).includes(s.status);
}
