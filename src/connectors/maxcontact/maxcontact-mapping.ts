/**
 * MaxContact → canonical (docs/connectors/maxcontact.md §5). `foldCalls` folds one `getcalls`
 * answer (the whole truth: calls not in it are gone) into the connector's view; `toCalls` turns
 * the view into canonical calls (a consult's two MaxContact calls become one call with a consult
 * leg); `maxcontactFlags` says what MaxContact can do in each state. Pure functions.
 */
import type { AgentState, Call, CallState, Destination } from '../../core/model.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';
import type { EnumTable, LineMeaning, StatusMeaning } from './enums.ts';
import type { MaxCall } from './protocol.ts';

/** One MaxContact call as the connector knows it. */
export interface TrackedCall {
  id: string;
  inbound: boolean;
  line: LineMeaning;
  status: StatusMeaning;
  recording: boolean;
  number: string;
  name: string;
  name2: string;
  offeredAt: number;
  connectedAt?: number;
  heldAt?: number;
  wrapupAt?: number;
  /** The lead the call was dialled for (the CRM's lead id). */
  leadId?: string;
}

/** A warm transfer in progress: the customer's call held, a second call dialled. */
export interface ConsultPair {
  customerId: string;
  consultId: string;
  destination: Destination;
}

export interface FoldContext {
  now: number;
  enums: EnumTable;
  /** Calls our own dials created (outbound whatever state they are first seen in). */
  isOurDial(id: string): boolean;
}

export interface FoldResult {
  calls: TrackedCall[];
  /** Values not in the enum table (read as connected / active), for diagnostics. */
  unknownValues: number;
}

/** A getcalls answer → the view. Known calls keep what only we know (times, direction, lead). */
export function foldCalls(previous: readonly TrackedCall[], answer: readonly MaxCall[], ctx: FoldContext): FoldResult {
  const byId = new Map(previous.map((c) => [c.id, c]));
  let unknownValues = 0;
  const calls: TrackedCall[] = [];
  for (const raw of answer) {
    if (!raw || typeof raw !== 'object' || !Number.isSafeInteger(raw.CallId)) {
      unknownValues++;
      continue;
    }
    let line = ctx.enums.callState[raw.CallState];
    let status = ctx.enums.callStatus[raw.CallStatus];
    if (line === undefined) {
      unknownValues++;
      line = 'connected';
    }
    if (status === undefined) {
      unknownValues++;
      status = 'active';
    }
    // A disposed call is finished business: it leaves the bar as if it were gone.
    if (status === 'disposed') continue;
    const id = String(raw.CallId);
    const known = byId.get(id);
    const call: TrackedCall = known
      ? { ...known }
      : {
          id,
          inbound: !ctx.isOurDial(id) && line !== 'dialing',
          line,
          status,
          recording: false,
          number: '',
          name: '',
          name2: '',
          offeredAt: parseTime(raw.CallStartTime) ?? ctx.now,
        };
    call.line = line;
    call.status = status;
    call.recording = ctx.enums.recordingState[raw.RecordingState] === 'recording';
    call.number = text(raw.PhoneNumber) || call.number;
    call.name = text(raw.CustomerName);
    call.name2 = text(raw.CustomerName2);
    stamp(call, ctx.now);
    calls.push(call);
  }
  return { calls, unknownValues };
}

/** The times only we can know: first seen connected, put on hold, ended. */
export function stamp(call: TrackedCall, now: number): void {
  if ((call.line === 'connected' || call.line === 'held') && call.connectedAt === undefined) call.connectedAt = now;
  if (call.line === 'held') call.heldAt ??= now;
  else delete call.heldAt;
  if (isWrapup(call)) {
    call.wrapupAt ??= now;
    call.recording = false;
  }
}

export function isWrapup(call: TrackedCall): boolean {
  return call.status === 'awaitingDisposition' || call.line === 'disconnected';
}

export function isLive(call: TrackedCall): boolean {
  return !isWrapup(call);
}

function stateOf(call: TrackedCall): CallState {
  if (isWrapup(call)) return 'wrapup';
  switch (call.line) {
    case 'dialing':
      return 'dialing';
    case 'ringing':
      return 'ringing';
    case 'held':
      return 'held';
    default:
      return 'talking';
  }
}

export function toCall(call: TrackedCall): Call {
  const fields: Call['fields'] = [];
  if (call.name2) fields.push({ key: 'customerName2', label: 'Customer name 2', value: call.name2, type: 'readOnly' });
  if (call.leadId) fields.push({ key: 'leadId', label: 'Lead', value: call.leadId, type: 'readOnly' });
  const out: Call = {
    id: call.id,
    direction: call.inbound ? 'inbound' : 'outbound',
    state: stateOf(call),
    role: 'owner',
    remote: call.name ? { number: call.number, name: call.name } : { number: call.number },
    fields,
    recording: call.recording,
    notes: [],
    timestamps: {
      offeredAt: call.offeredAt,
      ...(call.connectedAt !== undefined ? { connectedAt: call.connectedAt } : {}),
      ...(call.heldAt !== undefined ? { heldAt: call.heldAt } : {}),
      ...(call.wrapupAt !== undefined ? { wrapupAt: call.wrapupAt } : {}),
    },
  };
  // MaxContact has no wrap-up timer: the call waits for its result code.
  if (call.wrapupAt !== undefined) out.wrapup = { maxTimeSec: 0, extendable: false, defaultCode: '' };
  return out;
}

/**
 * The view as canonical calls, the current one first (a live call before one waiting for its
 * result code). While a consult is up, its two MaxContact calls are one canonical call: the
 * customer's, in `consult`, with the second call as its consult leg.
 */
export function toCalls(calls: readonly TrackedCall[], consult: ConsultPair | undefined): Call[] {
  const pair = consult ? livePair(calls, consult) : undefined;
  const out: Call[] = [];
  for (const call of calls) {
    if (pair && call.id === pair.consult.id) continue;
    const canonical = toCall(call);
    if (pair && call.id === pair.customer.id) {
      canonical.state = 'consult';
      canonical.consult = {
        destination: consult!.destination,
        state: pair.consult.line === 'connected' ? 'connected' : 'dialing',
        activeParty: 'consult',
        startedAt: pair.consult.offeredAt,
      };
    }
    out.push(canonical);
  }
  return [...out.filter((c) => c.state !== 'wrapup'), ...out.filter((c) => c.state === 'wrapup')];
}

/** Both calls of a consult, while both are live; otherwise the consult is over. */
export function livePair(calls: readonly TrackedCall[], consult: ConsultPair): { customer: TrackedCall; consult: TrackedCall } | undefined {
  const customer = calls.find((c) => c.id === consult.customerId);
  const second = calls.find((c) => c.id === consult.consultId);
  return customer && second && isLive(customer) && isLive(second) ? { customer, consult: second } : undefined;
}

/**
 * What MaxContact can do now, as the capability flags the session masks with `supports`: go
 * ready with no call; hang up, hold, retrieve and record a live call; consult from a connected or
 * held call; connect or cancel a consult; dispose a call waiting for its result code.
 */
export function maxcontactFlags(agent: AgentState, current: Call | undefined): CapabilityFlags {
  const state = current?.state;
  const live = current !== undefined && state !== 'wrapup';
  const inConsult = state === 'consult';
  const settled = state === 'talking' || state === 'held';
  return {
    hold: state === 'talking',
    unhold: state === 'held',
    // Consult needs transfer + conference (capability engine); conference itself is unsupported.
    transfer: settled || inConsult,
    conference: settled,
    release: live && !inConsult,
    disposition: state === 'wrapup',
    originate: current === undefined,
    createCallback: false,
    sendDtmf: false,
    updateRecord: live,
    leaveConference: false,
    leaveConsult: inConsult,
    endConference: false,
    changeOwnership: false,
    ready: current === undefined && agent !== 'ready',
    notReady: false,
    record: settled,
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** ISO 8601 → epoch ms; anything else → undefined. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
