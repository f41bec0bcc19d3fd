/**
 * The canonical model: what every connector translates its vendor's vocabulary into, and what
 * every element renders from. Plain data, JSON-serialisable (it crosses the WebSocket and
 * postMessage transports unchanged), no DOM.
 */
import type { Operation } from './operations.ts';
import type { CtiErrorInit } from './errors.ts';
import type { CapabilityFlags } from './capability-flags.ts';

/** Agent states. POM's Ready/NotReady/PendingNotReady, plus the implied logged-out state and
 * Noetica's busy flag. `unknown`: the backend reported a state this build does not know (a newer
 * server); the name it sent is kept in `AgentStatus.rawState` and shown as such. */
export type AgentState = 'loggedOut' | 'notReady' | 'ready' | 'pendingNotReady' | 'busy' | 'unknown';

/** A not-ready (AUX / break) reason. POM supplies none, so the desktop configures them. */
export interface Reason {
  code: string;
  label: string;
}

export interface AgentStatus {
  id: string;
  state: AgentState;
  /** The not-ready reason (also kept while pendingNotReady: it applies once the call ends). */
  reason?: Reason;
  /** Epoch ms of the last state change, for the state timer. */
  since: number;
  /** With `state: 'unknown'`: the state's name as the backend sent it (text, never markup). */
  rawState?: string;
}

/**
 * Call states: POM's `POMCallState` values, plus `ringing` for backends where the agent answers
 * (inbound offered before connect; POM delivers calls on the nailed line and never rings).
 * `consult`, `conferenceOwner` and `conferencePassive` are qualified by `Call.role`.
 */
export type CallState =
  | 'ringing'
  | 'preview'
  | 'dialing'
  | 'talking'
  | 'held'
  | 'consult'
  | 'conferenceOwner'
  | 'conferencePassive'
  | 'wrapup'
  | 'callback';

export type CallDirection = 'inbound' | 'outbound';

/** POM customer attribute types; the desktop must honour them. */
export type FieldType = 'readOnly' | 'write' | 'screenPop' | 'maskedWrite';

export interface CustomerField {
  key: string;
  label: string;
  /** Always rendered as text. For `maskedWrite` the UI shows a mask, never the value. */
  value: string;
  type: FieldType;
}

export type DestinationType = 'agent' | 'external' | 'queue';

export interface Destination {
  id: string;
  type: DestinationType;
  label: string;
  /** Dialable address for external destinations. */
  number?: string;
}

/**
 * Who a scheduled callback goes to, where the backend lets the agent choose (POM: a callback
 * type and, for Agent and Campaign callbacks, a destination of that type).
 */
export interface CallbackTarget {
  id: string;
  label: string;
}

export interface Disposition {
  code: string;
  label: string;
  /** Picking it asks for a callback time (uContact SCHEDULE, 001 IsCallback). */
  isCallback?: boolean;
  /** Picking it adds the number to the DNC list (uContact BLACKLIST). */
  isDnc?: boolean;
}

/** A second leg: the consult (warm transfer) party. */
export interface ConsultLeg {
  destination: Destination;
  state: 'dialing' | 'connected';
  /** Which party the agent is currently talking to (Alternate swaps it). */
  activeParty: 'customer' | 'consult';
  startedAt: number;
}

export interface PreviewInfo {
  /** Seconds given for a timed preview; 0 means untimed (except callbacks: dial at once). */
  timeoutSec: number;
  /** Epoch ms when the desktop must auto-dial; absent for an untimed preview. */
  deadline?: number;
  /** Numbers the record may be dialled on; the first is the default. */
  numbers: string[];
  isCallback: boolean;
}

/** POM's WrapupData. */
export interface WrapupInfo {
  /**
   * The contact's numbers, for a redial or a callback chosen from them (POM's contactNumbers);
   * the first is the default. Absent when the backend gives none.
   */
  numbers?: string[];
  /** Seconds allowed for wrap-up; 0 means no limit unless the default code is Answer_Machine. */
  maxTimeSec: number;
  extendable: boolean;
  defaultCode: string;
  /** Epoch ms when the desktop auto-wraps with `defaultCode`; absent when there is no limit. */
  deadline?: number;
}

/**
 * Audio quality from the browser's `getStats()` (src/phone/call-quality.ts): packet loss, jitter
 * and round-trip time of the call's audio, summed up as good or poor.
 */
export interface AudioQuality {
  rating: 'good' | 'poor';
  /** Packets lost of those expected, in %, since the call started. */
  lossPct: number;
  jitterMs: number;
  /** Absent until the first RTCP round trip was measured. */
  rttMs?: number;
  packetsReceived: number;
  packetsSent: number;
}

export interface Call {
  /** Opaque, unique while the contact is processed (POM sessionID, Noojee uniqueCallId …). */
  id: string;
  direction: CallDirection;
  state: CallState;
  /** Consult/conference role: the active (owning) agent or the passive (recipient) one. */
  role: 'owner' | 'passive';
  /** In a conference: with another agent or with an external party (POM rules differ). */
  conferenceKind?: 'agent' | 'external';
  remote: { number: string; name?: string };
  fields: CustomerField[];
  campaign?: string;
  recording: boolean;
  /** The agent's microphone is muted (absent: not muted, or a backend without mute). */
  muted?: boolean;
  consult?: ConsultLeg;
  preview?: PreviewInfo;
  wrapup?: WrapupInfo;
  /** Agent notes added during the contact. */
  notes: string[];
  /** The audio quality the bar's own phone measured on this call (docs/phone.md): its last sample. */
  quality?: AudioQuality;
  timestamps: {
    offeredAt: number;
    connectedAt?: number;
    heldAt?: number;
    wrapupAt?: number;
  };
}

/**
 * POM's nailing, as the agent sees it: the open call POM keeps to the agent's phone, onto which
 * customer calls are bridged (no call reaches the agent without it). The desktop's two steps
 * (AGTAvailableForNailup, AGTReadyForNailup) are states of their own. Absent for backends
 * without nailing.
 */
export type PhoneLineState =
  | 'notNailed'
  | 'availableForNailup'
  | 'pendingNailup'
  | 'readyForNailup'
  | 'nailedUp'
  | 'pendingNailupDrop'
  | 'nailingLost';

export const PHONE_LINE_STATES: readonly PhoneLineState[] = [
  'notNailed',
  'availableForNailup',
  'pendingNailup',
  'readyForNailup',
  'nailedUp',
  'pendingNailupDrop',
  'nailingLost',
];

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

/** Per-operation enablement, after masking by connector support and commands in flight. */
export type Capabilities = Readonly<Record<Operation, boolean>>;

/** The immutable snapshot every subscriber receives. */
export interface Snapshot {
  agent: AgentStatus;
  /** The calls the agent handles; `calls[0]` is the current one. */
  calls: readonly Call[];
  capabilities: Capabilities;
  /** The POM-style flags behind `capabilities` and where they came from. */
  flags: CapabilityFlags;
  flagsSource: 'server' | 'derived';
  reasons: readonly Reason[];
  dispositions: readonly Disposition[];
  destinations: readonly Destination[];
  /**
   * The callback targets the agent may choose from when scheduling a callback, the backend's
   * default first; absent or empty when the backend offers no choice.
   */
  callbackTargets?: readonly CallbackTarget[];
  /** Operations whose command is in flight (their controls are disabled). */
  pending: readonly Operation[];
  lastError?: CtiErrorInit;
  connection: ConnectionStatus;
  /** Connected, but the last exchange with the backend failed (shown; nothing is disabled). */
  linkDegraded?: boolean;
  /**
   * Offline, and the session tries to connect again at this time (epoch ms): the connection
   * failed or was refused. `session.retryNow()` tries at once.
   */
  retryAt?: number;
  /** The phone line's nailing state (POM); absent for other backends. */
  phoneLine?: PhoneLineState;
  /** The job (campaign) the agent is attached to, with or without a call (POM); absent when none. */
  job?: string;
  /** Sequence number of the last applied event (for resume and dedupe). */
  seq: number;
}
