/**
 * The desktop's view of POM, folded from POM's messages: a pure function
 * `foldPom(view, input, now) → { view, duties, problems }`. POM owns the state machine and the
 * desktop only mirrors it, so the view holds exactly what POM told us (agent, call and nailing
 * states, the capabilities, the contact) plus what the desktop itself sent that POM does not echo
 * (the not-ready reason, the consult destination, attribute and note writes).
 *
 * `duties` are the commands the document makes the desktop's job: AGTAvailableForNailup on the
 * first Ready after logon, AGTReadyForNailup on PendingNailup, AGTGetCustomerDetails after a
 * contact arrives, AGTGetCompCodes once per job, the consult types and destinations, and the
 * answer to POM's GetAgentStatus. `problems` are unsolicited failures to show the agent.
 */
import type { Reason } from '../../core/model.ts';
import type { CtiErrorInit } from '../../core/errors.ts';
import { ErrorCode } from '../../core/errors.ts';
import type { BridgeMessage } from './codec.ts';
import type {
  BridgeStatus,
  PomAgentState,
  PomAttribute,
  PomCallbackDest,
  PomCallbackType,
  PomCallState,
  PomCapabilities,
  PomCommandName,
  PomCompletionCode,
  PomContact,
  PomDestination,
  PomDestinationType,
  PomNailupStatus,
  PomWrapupData,
} from './protocol.ts';
import { AGENT_STATES, CALLBACK_TYPES, CALL_STATES, NAILUP_STATES } from './protocol.ts';

export interface PomView {
  agentId: string;
  loggedOn: boolean;
  agentState: PomAgentState;
  /** The not-ready reason the desktop sent (POM does not echo it). */
  reason?: Reason;
  walkedAway: boolean;
  nailup: PomNailupStatus;
  /** Set once AGTAvailableForNailup was sent after this logon. */
  offeredForNailup: boolean;
  /** AGTReadyForNailup sent for the current PendingNailup (the phone is to auto-answer). */
  readyForNailupSent: boolean;
  campaign?: string;
  /** The zone of this logon (AGTGetCallbackDestsForType asks for it; unknown after a page reload). */
  zone?: string;
  /** The time zone of this logon (one of AGTGetTimezones'): callbacks are created in it. */
  timeZone?: string;
  /** The job whose completion codes are cached. */
  codesFor?: string;
  codes: PomCompletionCode[];
  capabilities?: PomCapabilities;
  callState: PomCallState;
  call?: PomCallView;
  pomAvailable: boolean;
}

export interface PomCallView {
  sessionID: string;
  contact: PomContact;
  role: 'owner' | 'passive';
  /** The other agent of a consult/conference, when known (for AGTCancelConsult's destAgentID). */
  otherAgentId?: string;
  attributes: PomAttribute[];
  detailsFetched: boolean;
  notes: string[];
  consult?: { destination: PomDestination; connected: boolean };
  conferenceKind?: 'agent' | 'external';
  wrapup?: PomWrapupData & { at: number };
  consultTypes?: PomDestinationType[];
  allowFreeForm: boolean;
  destinations: PomDestination[];
  destinationsFetched: boolean;
  /** AGTGetCallbackTypes' answer (set to [] while it is on its way). */
  callbackTypes?: PomCallbackType[];
  /** AGTGetCallbackTypesRESP's defaultExpiryTime (minutes, as POM sends it). */
  callbackExpiry?: string;
  callbackDests: PomCallbackDest[];
  callbackDestsFetched: boolean;
  offeredAt: number;
  connectedAt?: number;
  heldAt?: number;
}

/** A command the desktop must send because of what POM said. */
export interface Duty {
  name: PomCommandName;
  args: Record<string, unknown>;
}

/** What the desktop sent, for folding its RESP. */
export interface SentCommand {
  name: PomCommandName;
  args: Record<string, unknown>;
  /** Extra context the RESP needs (e.g. the reason label behind a reason code). */
  reason?: Reason;
}

export type PomInput =
  | BridgeMessage
  | { type: 'sent'; command: SentCommand }
  | { type: 'answered'; command: SentCommand; result: number; args: Record<string, unknown> };

export interface FoldResult {
  view: PomView;
  duties: Duty[];
  problems: CtiErrorInit[];
  /** The agent was logged out by POM (AGTAgentLoggedOut) or the bridge refused us. */
  loggedOut?: boolean;
  /** POM's connection state changed (POMNotAvailable / POMAvailable). */
  pomAvailable?: boolean;
}

export function initialView(agentId: string): PomView {
  return { agentId, loggedOn: false, agentState: 'NotReady', walkedAway: false, nailup: 'NotNailedUp', offeredForNailup: false, readyForNailupSent: false, codes: [], callState: 'Idle', pomAvailable: true };
}

/** A call the desktop has just learnt of: nothing fetched, no notes, no destinations yet. */
function newCallView(sessionID: PomCallView['sessionID'], contact: PomCallView['contact'], role: PomCallView['role'], now: number): PomCallView {
  return {
    sessionID,
    contact,
    role,
    attributes: [],
    detailsFetched: false,
    notes: [],
    allowFreeForm: false,
    destinations: [],
    destinationsFetched: false,
    callbackDests: [],
    callbackDestsFetched: false,
    offeredAt: now,
  };
}

const NO_CALL_STATES = new Set<PomCallState>(['Idle', 'NoState']);

const oneOf = <T extends string>(list: readonly T[], value: unknown, fallback: T): T => (list.includes(value as T) ? (value as T) : fallback);

export function foldPom(view: PomView, input: PomInput, now: number): FoldResult {
  const out: FoldResult = { view, duties: [], problems: [] };
  const set = (patch: Partial<PomView>) => (out.view = { ...out.view, ...patch });
  const setCall = (patch: Partial<PomCallView>) => {
    if (out.view.call) out.view = { ...out.view, call: { ...out.view.call, ...patch } };
  };
  const sid = (args: Record<string, unknown>) => (typeof args.sessionID === 'string' ? args.sessionID : undefined);
  const current = (args: Record<string, unknown>) => out.view.call !== undefined && sid(args) === out.view.call.sessionID;

  switch (input.type) {
    case 'welcome':
    case 'status':
      out.view = fromStatus(view, input.status, input.pomAvailable, now);
      break;
    case 'notification':
      foldNotification(input.name, input.args);
      break;
    case 'answered':
      if (input.result === 0) foldAnswer(input.command, input.args);
      else if (input.command.name === 'AGTGetConsultDestsForType' && (input.result === 382 || input.result === 383)) {
        // "No destinations / agents available" is an answer, not a failure: an empty list.
        setCall({ destinationsFetched: true });
      } else if (input.command.name === 'AGTGetCallbackTypes' || input.command.name === 'AGTGetCallbackDestsForType') {
        // No callback choice then: the bar offers the default type only.
        setCall({ callbackTypes: [], callbackDestsFetched: true });
      }
      break;
    default:
      break;
  }
  dutiesAfter();
  return out;

  function foldNotification(name: string, args: Record<string, unknown>): void {
    switch (name) {
      case 'AGTStateChangedNotify': {
        const state = oneOf(AGENT_STATES, args.agentState, out.view.agentState);
        set({ agentState: state, loggedOn: true, ...(state === 'Ready' ? { reason: undefined, walkedAway: false } : {}) });
        break;
      }
      case 'AGTCallStateChangedNotify': {
        const state = oneOf(CALL_STATES, args.callState, out.view.callState);
        const call = out.view.call;
        if (NO_CALL_STATES.has(state)) {
          set({ callState: state, call: undefined });
          break;
        }
        set({ callState: state });
        if (!call) break;
        const patch: Partial<PomCallView> = {};
        // A redial (AGTRedial) leaves the wrap-up: its window is over, the talk time starts again.
        if (state === 'Dialing') {
          patch.wrapup = undefined;
          patch.connectedAt = undefined;
        }
        if ((state === 'Talking' || state === 'ConferenceOwner') && call.connectedAt === undefined) patch.connectedAt = now;
        if (state === 'Held') patch.heldAt = now;
        else patch.heldAt = undefined;
        if (state === 'Consult' && call.consult) patch.consult = { ...call.consult, connected: true };
        if (state === 'Talking') {
          patch.consult = undefined;
          patch.conferenceKind = undefined;
        }
        if (state === 'ConferenceOwner') {
          patch.role = 'owner';
          if (call.consult) patch.conferenceKind = call.consult.destination.destinationType === 'Agent' ? 'agent' : 'external';
          patch.consult = undefined;
          patch.conferenceKind ??= call.conferenceKind ?? 'agent';
        }
        if (state === 'ConferencePassive') {
          patch.role = 'passive';
          patch.conferenceKind = call.conferenceKind ?? 'agent';
        }
        if (state === 'Wrapup') {
          patch.consult = undefined;
          patch.conferenceKind = undefined;
          patch.role = 'owner';
          if (!call.wrapup) patch.wrapup = undefined;
        }
        setCall(patch);
        break;
      }
      case 'AGTCallNotify':
      case 'AGTConsultNotify':
      case 'AGTTransferNotify':
      case 'AGTConferenceNotify': {
        const contact = (args.contact ?? args.pomContact) as PomContact | undefined;
        const sessionID = sid(args);
        if (!contact || !sessionID) break;
        const passive = name === 'AGTConsultNotify' || name === 'AGTConferenceNotify';
        const same = out.view.call?.sessionID === sessionID ? out.view.call : undefined;
        const base: PomCallView = same ?? newCallView(sessionID, contact, 'owner', now);
        const call: PomCallView = { ...base, contact, role: passive ? 'passive' : 'owner' };
        if (name === 'AGTConsultNotify' && typeof args.requestingAgentId === 'string') call.otherAgentId = args.requestingAgentId;
        if (name === 'AGTTransferNotify') {
          call.otherAgentId = undefined;
          call.destinationsFetched = false;
        }
        if (name === 'AGTConferenceNotify') call.conferenceKind = 'agent';
        set({ call });
        break;
      }
      case 'AGTConferenceOwnershipChanged':
        if (current(args)) setCall({ role: 'owner' });
        break;
      case 'AGTConferenceEnded':
        if (current(args)) setCall({ conferenceKind: undefined });
        break;
      case 'AGTConsultCancelled':
        if (current(args)) setCall({ consult: undefined });
        break;
      case 'AGTPendingConsultComplete':
        if (current(args) && out.view.call!.consult) setCall({ consult: { ...out.view.call!.consult, connected: true } });
        break;
      case 'AGTAutoReleaseLine':
      case 'AGTDialFailed': {
        if (!current(args)) break;
        const w = args.wrapupDetails as PomWrapupData | null | undefined;
        if (w) setCall({ wrapup: { ...w, at: now } });
        if (name === 'AGTDialFailed') {
          out.problems.push({
            code: ErrorCode.Rejected,
            severity: 'minor',
            message: `The call could not be connected (${readableReason(args.dialFailReason)}). Wrap it up with a completion code.`,
            vendorCode: `AGTDialFailed:${String(args.dialFailReason)}`,
          });
        }
        break;
      }
      case 'AGTConsultDialFailed':
        if (current(args)) setCall({ consult: undefined });
        out.problems.push({
          code: ErrorCode.Rejected,
          severity: 'minor',
          operation: 'consult',
          message: `The consult call could not be connected (${readableReason(args.dialFailReason)}). You are still talking to the customer.`,
          vendorCode: `AGTConsultDialFailed:${String(args.dialFailReason)}`,
        });
        break;
      case 'AGTEnableCancelConsult':
        break;
      case 'AGTCapabilitiesChanged':
        if (args.capabilities && typeof args.capabilities === 'object') set({ capabilities: args.capabilities as PomCapabilities });
        break;
      case 'AGTNailupChange': {
        const status = args.nailupStatus === 'NotNailed' ? 'NotNailedUp' : oneOf(NAILUP_STATES, args.nailupStatus, out.view.nailup);
        set({ nailup: status, readyForNailupSent: false });
        // The job is over (or the agent logs out): no job until POM attaches the next one.
        if (status === 'PendingNailupDrop') set({ campaign: undefined });
        if (status === 'NailingLost') {
          out.problems.push({
            code: ErrorCode.NotConnected,
            severity: 'major',
            message: 'The line to your phone (the nailing call) was lost. Calls cannot reach you until it is restored.',
            vendorCode: 'NailingLost',
          });
        }
        break;
      }
      case 'AGTJobAttached':
        // The document: refresh the cached completion codes at the first call after a job attach.
        set({ campaign: typeof args.campaignName === 'string' ? args.campaignName : out.view.campaign, codesFor: undefined });
        break;
      case 'AGTCustomerDetailsChanged': {
        const attribute = args.attribute as PomAttribute | undefined;
        if (!current(args) || !attribute) break;
        const attributes = out.view.call!.attributes.map((a) => (a.name === attribute.name ? { ...a, ...attribute } : a));
        if (!attributes.some((a) => a.name === attribute.name)) attributes.push(attribute);
        setCall({ attributes });
        break;
      }
      case 'AGTAgentLoggedOut':
        out.view = { ...initialView(out.view.agentId), pomAvailable: out.view.pomAvailable };
        out.loggedOut = true;
        break;
      case 'AGTZoneDown':
        out.problems.push({
          code: ErrorCode.NotConnected,
          severity: 'critical',
          message: `Zone ${String(args.zoneName)} is failing over: finish your call within ${Math.round(Number(args.gracePeriodInMillis) / 1000)} s or you will be logged out.`,
          vendorCode: 'AGTZoneDown',
        });
        break;
      case 'AGTInvalidCommandName':
        out.problems.push({
          code: ErrorCode.Protocol,
          severity: 'major',
          message: `POM did not recognise the command ${String(args.commandName)}.`,
          vendorCode: 9011,
        });
        break;
      case 'POMNotAvailable':
        set({ pomAvailable: false });
        out.pomAvailable = false;
        break;
      case 'POMAvailable':
        set({ pomAvailable: true });
        out.pomAvailable = true;
        break;
      case 'GetAgentStatus':
        out.duties.push({
          name: 'GetAgentStatusResponse',
          args: { status: { agentState: out.view.agentState, nailupStatus: out.view.nailup, callState: out.view.callState } },
        });
        break;
      case 'AGTPreviewCallbackPending':
        out.problems.push({ code: ErrorCode.Rejected, severity: 'info', message: `A callback is due at ${String(args.dueTime)}.`, vendorCode: 'AGTPreviewCallbackPending' });
        break;
      case 'AGTPreviewCallbackCancelled':
        out.problems.push({ code: ErrorCode.Rejected, severity: 'info', message: 'A pending callback expired and was cancelled.', vendorCode: 'AGTPreviewCallbackCancelled' });
        break;
      // Informational for a desktop (consult queued for us, blending): the state notifications
      // that follow carry what changes.
      case 'AGTConsultPending':
      case 'AGTBlendedToInbound':
      case 'AGTBlendedToOutbound':
        break;
    }
  }

  function foldAnswer(command: SentCommand, args: Record<string, unknown>): void {
    const call = out.view.call;
    switch (command.name) {
      case 'AGTLogon':
        set({ ...initialView(out.view.agentId), loggedOn: true, pomAvailable: out.view.pomAvailable, zone: String(command.args.zoneName), timeZone: String(command.args.timeZone) });
        break;
      case 'AGTLogoff':
        out.view = { ...initialView(out.view.agentId), pomAvailable: out.view.pomAvailable };
        break;
      case 'AGTStateChange': {
        const state = oneOf(AGENT_STATES, args.pomAgentState, out.view.agentState);
        if (command.args.agentState === 'NotReady') {
          set({ agentState: state, reason: command.reason, walkedAway: command.args.hasWalkedAway === true });
        } else set({ agentState: state, reason: undefined, walkedAway: false });
        break;
      }
      case 'AGTAvailableForNailup':
        set({ offeredForNailup: true });
        break;
      case 'AGTReleaseLine':
      case 'AGTPreviewCancel':
      case 'AGTExtendWrapup':
      case 'AGTLostNailing':
      case 'AGTCompleteTransfer': {
        const w = args.wrapupDetails as PomWrapupData | null | undefined;
        if (call && w && (command.name !== 'AGTCompleteTransfer' || args.canDispose === true)) setCall({ wrapup: { ...w, at: now } });
        break;
      }
      case 'AGTGetCompCodes':
        set({ codes: Array.isArray(args.completionCodesList) ? (args.completionCodesList as PomCompletionCode[]) : [], codesFor: out.view.campaign ?? '' });
        break;
      case 'AGTGetConsultTypes':
        setCall({
          consultTypes: Array.isArray(args.destinationTypes) ? (args.destinationTypes as PomDestinationType[]) : [],
          allowFreeForm: args.allowFreeForm === true,
        });
        break;
      case 'AGTGetConsultDestsForType': {
        if (!call) break;
        const type = command.args.destinationType;
        const fresh = Array.isArray(args.destinations) ? (args.destinations as PomDestination[]) : [];
        const destinations = [...call.destinations.filter((d) => d.destinationType !== type), ...fresh.map((d) => ({ ...d, destinationType: d.destinationType ?? (type as PomDestinationType) }))];
        setCall({ destinations, destinationsFetched: true });
        break;
      }
      case 'AGTGetCallbackTypes':
        setCall({
          callbackTypes: Array.isArray(args.callbackTypes) ? (args.callbackTypes as PomCallbackType[]).filter((t) => CALLBACK_TYPES.includes(t)) : [],
          ...(typeof args.defaultExpiryTime === 'string' && /^\d+$/.test(args.defaultExpiryTime) ? { callbackExpiry: args.defaultExpiryTime } : {}),
        });
        break;
      case 'AGTGetCallbackDestsForType': {
        if (!call) break;
        const type = command.args.callbackType as PomCallbackType;
        const fresh = Array.isArray(args.callbackDests) ? (args.callbackDests as PomCallbackDest[]) : [];
        setCall({ callbackDests: [...call.callbackDests.filter((d) => d.callbackType !== type), ...fresh.map((d) => ({ ...d, callbackType: type }))] });
        break;
      }
      case 'AGTConsultCall':
        if (call) {
          const destination = command.args.destination as PomDestination;
          setCall({ consult: { destination, connected: false }, ...(destination.destinationType === 'Agent' ? { otherAgentId: destination.id } : {}) });
        }
        break;
      case 'AGTCancelConsult':
        setCall({ consult: undefined });
        break;
      case 'AGTGetCustomerDetails': {
        const details = args.customerDetails as { attributes?: PomAttribute[] } | null | undefined;
        setCall({ attributes: Array.isArray(details?.attributes) ? details!.attributes : [], detailsFetched: true });
        break;
      }
      case 'AGTSetCustomerDetail': {
        if (!call) break;
        const pair = command.args.pomKeyValuePair as { key: string; value: string };
        setCall({ attributes: call.attributes.map((a) => (a.name === pair.key ? { ...a, value: pair.value } : a)) });
        break;
      }
      case 'AGTAddAgentNote':
        if (call) setCall({ notes: [...call.notes, String(command.args.agentNote)] });
        break;
      case 'AGTRefreshAgentNotes':
        if (call && Array.isArray(args.agentNotes)) setCall({ notes: args.agentNotes.map(String) });
        break;
      default:
        break;
    }
  }

  /**
   * The desktop's own duties, from the view after this input. Each is asked for once: the view
   * remembers it was done (offeredForNailup, detailsFetched, codesFor, destinationsFetched), and
   * the `sent` input marks it before the RESP.
   */
  function dutiesAfter(): void {
    if (input.type === 'sent') {
      markSent(input.command);
      return;
    }
    const v = out.view;
    if (!v.loggedOn || !v.pomAvailable) return;
    if (v.agentState === 'Ready' && !v.offeredForNailup && v.nailup !== 'NailedUp') out.duties.push({ name: 'AGTAvailableForNailup', args: {} });
    if (input.type === 'notification' && input.name === 'AGTNailupChange' && v.nailup === 'PendingNailup') out.duties.push({ name: 'AGTReadyForNailup', args: {} });
    const call = v.call;
    if (!call) return;
    if (!call.detailsFetched) out.duties.push({ name: 'AGTGetCustomerDetails', args: { sessionID: call.sessionID } });
    const talkingOrWrapup = v.callState === 'Talking' || v.callState === 'Wrapup';
    if (talkingOrWrapup && v.campaign !== undefined && v.codesFor !== v.campaign) out.duties.push({ name: 'AGTGetCompCodes', args: { sessionID: call.sessionID } });
    if (v.callState === 'Talking' && call.role === 'owner' && !call.destinationsFetched) {
      if (!call.consultTypes) out.duties.push({ name: 'AGTGetConsultTypes', args: { sessionID: call.sessionID } });
      else for (const type of call.consultTypes) out.duties.push({ name: 'AGTGetConsultDestsForType', args: { destinationType: type, sessionID: call.sessionID } });
    }
    // Callback types and their destinations, for the "Callback for" choice of the wrap-up and of a
    // callback record's Reschedule (POM allows the requests in Preview, Talking and Wrapup);
    // Standard needs no destination, and without the zone (after a page reload) only the types.
    if ((talkingOrWrapup || v.callState === 'Preview' || v.callState === 'Callback') && call.role === 'owner' && !call.callbackDestsFetched) {
      if (!call.callbackTypes) out.duties.push({ name: 'AGTGetCallbackTypes', args: { sessionID: call.sessionID } });
      else if (v.zone !== undefined) {
        for (const type of call.callbackTypes) {
          if (type !== 'Standard') out.duties.push({ name: 'AGTGetCallbackDestsForType', args: { callbackType: type, zoneName: v.zone, sessionID: call.sessionID } });
        }
      }
    }
  }

  /** A duty (or command) is on its way: do not ask for it again while its RESP is pending. */
  function markSent(command: SentCommand): void {
    switch (command.name) {
      case 'AGTAvailableForNailup':
        set({ offeredForNailup: true });
        break;
      case 'AGTReadyForNailup':
        set({ readyForNailupSent: true });
        break;
      case 'AGTGetCustomerDetails':
        setCall({ detailsFetched: true });
        break;
      case 'AGTGetCompCodes':
        set({ codesFor: out.view.campaign ?? '' });
        break;
      case 'AGTGetConsultDestsForType':
        setCall({ destinationsFetched: true });
        break;
      case 'AGTGetConsultTypes':
        // Types arrive with the RESP; until then nothing else to ask.
        setCall({ consultTypes: out.view.call?.consultTypes ?? [] });
        break;
      case 'AGTGetCallbackTypes':
        setCall({ callbackTypes: out.view.call?.callbackTypes ?? [] });
        break;
      case 'AGTGetCallbackDestsForType':
        setCall({ callbackDestsFetched: true });
        break;
      default:
        break;
    }
  }
}

/** After a reconnect: the bridge's memory of POM's last notifications replaces ours. */
function fromStatus(view: PomView, status: BridgeStatus, pomAvailable: boolean, now: number): PomView {
  if (!status.loggedOn) return { ...initialView(view.agentId), pomAvailable };
  const sameCall = view.call && status.sessionID === view.call.sessionID ? view.call : undefined;
  const callState = oneOf(CALL_STATES, status.callState, 'Idle');
  let call: PomCallView | undefined;
  if (status.sessionID && status.contact && !NO_CALL_STATES.has(callState)) {
    call = sameCall ?? {
      ...newCallView(status.sessionID, status.contact, callState === 'ConferencePassive' ? 'passive' : 'owner', now),
      ...(callState === 'Talking' ? { connectedAt: now } : {}),
    };
    call = { ...call, contact: status.contact };
    if (status.wrapupDetails && callState === 'Wrapup') call.wrapup = call.wrapup ?? { ...status.wrapupDetails, at: now };
    if (callState === 'Talking' || callState === 'Wrapup') call = { ...call, consult: undefined, conferenceKind: undefined };
  }
  const agentState = oneOf(AGENT_STATES, status.agentState, 'NotReady');
  return {
    ...view,
    loggedOn: true,
    agentState,
    reason: agentState === 'Ready' ? undefined : view.reason,
    nailup: oneOf(NAILUP_STATES, status.nailupStatus, view.nailup),
    // A reconnect is not a new logon: the nailing offer was made (or POM has nailed us already).
    offeredForNailup: view.offeredForNailup || status.nailupStatus !== 'NotNailedUp',
    campaign: status.campaignName ?? view.campaign,
    zone: typeof status.zoneName === 'string' ? status.zoneName : view.zone,
    capabilities: status.capabilities ?? view.capabilities,
    callState,
    call,
    pomAvailable,
  };
}

function readableReason(reason: unknown): string {
  switch (reason) {
    case 'Busy':
      return 'the line is busy';
    case 'NoAnswer':
      return 'no answer';
    case 'InvalidNumber':
      return 'the number is not valid';
    case 'NetworkFailure':
      return 'a network failure';
    default:
      return typeof reason === 'string' && reason !== '' ? reason : 'reason not given';
  }
}
