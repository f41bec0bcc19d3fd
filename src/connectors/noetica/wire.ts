/**
 * The payloads of the Noetica binding (docs/connectors/noetica.md §3–§5): request bodies, the GET
 * answers, the event envelope *Poll Event* returns, the value sets of the three statuses and the
 * error envelope. Shared by the connector and the emulator, so both speak exactly this.
 */

/** Telephony Status: the agent's own state on the telephony platform. */
export const TELEPHONY_STATUSES = ['LoggedOff', 'Available', 'Busy', 'OnBreak'] as const;
export type TelephonyState = (typeof TELEPHONY_STATUSES)[number];

/** Dialler Status: the dialler's campaign for this user. */
export const DIALLER_STATUSES = ['Inactive', 'Active', 'Preview', 'Paused', 'Exhausted'] as const;
export type DiallerState = (typeof DIALLER_STATUSES)[number];

/** System Status: the platform as a whole. */
export const SYSTEM_STATUSES = ['Online', 'Degraded', 'Offline'] as const;
export type SystemState = (typeof SYSTEM_STATUSES)[number];

export const CALL_STATES = ['Ringing', 'Dialling', 'Connected', 'Held', 'WrapUp'] as const;
export type WireCallState = (typeof CALL_STATES)[number];

/** The 9 events of *Poll Event*, by their wire names. */
export const EVENT_TYPES = [
  'Message',
  'CallOffered',
  'CallConnected',
  'CallDisconnected',
  'OperationFailed',
  'ConnectedIncomingTransfer',
  'ConnectedConsultation',
  'ConsultationCallDisconnected',
  'StatusChange',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The second leg of a consultation transfer. */
export interface WireConsultation {
  number: string;
  name?: string;
  state: 'Dialling' | 'Connected';
  /** Which party the agent speaks to (Alternate Line swaps it); the other one is on hold. */
  active: 'Customer' | 'Consultation';
  startedAt: string;
}

/** One call on the agent's line. Times are ISO 8601 (UTC). */
export interface WireCall {
  callId: string;
  direction: 'Inbound' | 'Outbound';
  state: WireCallState;
  number: string;
  name?: string;
  campaign?: string;
  /** The dialler record the call is for (a record from Get Next Record, or a predictive call). */
  recordId?: string;
  /** Record data to show (label → value), text. */
  fields?: Record<string, string>;
  /** Delivered by Connected Incoming Transfer: who transferred it. */
  transferredBy?: string;
  consultation?: WireConsultation;
  offeredAt: string;
  connectedAt?: string;
  heldAt?: string;
  wrapUpAt?: string;
}

export interface WireReason {
  code: string;
  label: string;
}

export interface WireDisposition {
  code: string;
  label: string;
}

/** A dialler record (Get Next Record): the customer to call. */
export interface WireRecord {
  recordId: string;
  name: string;
  /** The numbers the record may be dialled on; the first is the default. */
  phones: string[];
  campaign?: string;
  list?: string;
  fields?: Record<string, string>;
  reservedAt: string;
}

/**
 * Every status answer says which event it is current with (`asOf`, the event sequence number):
 * events up to it are already in the answer.
 */
export interface TelephonyStatusAnswer {
  asOf: number;
  status: TelephonyState;
  breakReason?: WireReason;
  /** A break requested during a call: it starts when the last call is dispositioned. */
  pendingBreak?: WireReason;
  extension?: string;
  calls: WireCall[];
}

export interface DiallerStatusAnswer {
  asOf: number;
  status: DiallerState;
  campaign?: string;
  /** The record held for this user (Preview), else null. */
  record: WireRecord | null;
}

export interface SystemStatusAnswer {
  asOf: number;
  status: SystemState;
  detail?: string;
}

export interface NextRecordAnswer {
  record: WireRecord | null;
}

/** An accepted POST (HTTP 202): the outcome arrives by Poll Event, a failure as Operation Failed with this id. */
export interface AcceptedAnswer {
  requestId: string;
}

/** Every refusal (HTTP 4xx/5xx). */
export interface ErrorAnswer {
  error: { code: string; message?: string };
}

/** The data of each event type. */
export interface EventData {
  Message: { text: string; from?: string };
  CallOffered: { call: WireCall };
  CallConnected: { call: WireCall };
  CallDisconnected: { call: WireCall; by: 'Agent' | 'Customer' | 'Transfer' | 'System' };
  OperationFailed: { requestId: string; method: string; code: string; message?: string };
  ConnectedIncomingTransfer: { call: WireCall };
  ConnectedConsultation: { call: WireCall };
  ConsultationCallDisconnected: { call: WireCall; by: 'Agent' | 'Consultation' | 'Transfer' };
  StatusChange:
    | { kind: 'Telephony'; status: Omit<TelephonyStatusAnswer, 'asOf'>; previous: TelephonyState }
    | { kind: 'Dialler'; status: Omit<DiallerStatusAnswer, 'asOf'>; previous: DiallerState }
    | { kind: 'System'; status: Omit<SystemStatusAnswer, 'asOf'>; previous: SystemState };
}

export type WireEvent = { [T in EventType]: { seq: number; type: T; at: string; data: EventData[T] } }[EventType];

/**
 * Poll Event's answer: events after `after`, oldest first; `next` is the cursor for the next poll.
 * `reset`: `after` is not in this stream (too old, or from before a restart: `streamId` changed);
 * `events` is empty and the truth must be read again from the three statuses.
 */
export interface PollAnswer {
  streamId: string;
  next: number;
  reset?: boolean;
  events: WireEvent[];
}

/** Poll Event's query: `after` (omitted: the cursor now, no events), `wait` seconds to hold. */
export const POLL_MAX_WAIT_S = 30;

/** Request bodies of the POST methods. */
export interface CommandBodies {
  DispositionRecord: { callId: string; dispositionCode: string; recordId?: string; notes?: string };
  RequestLogin: { extension: string; password?: string };
  RequestLogout: Record<string, never>;
  RequestBreak: { reasonCode: string };
  CancelBreak: Record<string, never>;
  SetUserBusy: Record<string, never>;
  SetUserFree: Record<string, never>;
  Dial: { number: string; recordId?: string };
  Answer: { callId: string };
  HangUp: { callId: string };
  HoldCall: { callId: string };
  RetrieveHeldCall: { callId: string };
  InitiateCallTransfer: { callId: string; destination: string };
  AlternateLine: { callId: string };
  CompleteTransfer: { callId: string };
  AbandonTransfer: { callId: string };
}

/** A number as the binding takes it: digits with an optional leading +, 3 to 20 of them. */
export const PHONE = /^\+?[0-9]{3,20}$/;

/**
 * The binding's error codes and the HTTP status each is answered with (`ErrorAnswer`). A refusal
 * is decided before anything is done: nothing changed. The last group never comes as an HTTP
 * answer: the telephony reports it later, as an Operation Failed event.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORISED: 401,
  USER_NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_LOGGED_ON: 409,
  ALREADY_LOGGED_ON: 409,
  ON_CALL: 409,
  ON_BREAK: 409,
  NOT_ON_BREAK: 409,
  NOT_BUSY: 409,
  NO_SUCH_CALL: 409,
  INVALID_CALL_STATE: 409,
  NO_CONSULTATION: 409,
  NO_RECORD: 409,
  UNKNOWN_BREAK_REASON: 422,
  UNKNOWN_DISPOSITION: 422,
  INVALID_NUMBER: 422,
  INTERNAL: 500,
  SYSTEM_OFFLINE: 503,
} as const;
export type SyncErrorCode = keyof typeof ERROR_STATUS;

export const ASYNC_ERROR_CODES = ['LOGIN_REFUSED', 'NUMBER_UNOBTAINABLE', 'DESTINATION_BUSY', 'NO_ANSWER', 'TRANSFER_FAILED'] as const;
export type AsyncErrorCode = (typeof ASYNC_ERROR_CODES)[number];
