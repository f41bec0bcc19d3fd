/**
 * Runtime guards for the canonical model (src/core/model.ts). Everything a backend sends is
 * untrusted: a guard either says "this is exactly a `Call`" (or a `Reason` …) or it is not, so a
 * malformed value (a call without `timestamps`, `fields: "x"`) is dropped before it can reach the
 * reducer or an element. The lists below are checked against the model's unions at compile time,
 * so a state added to the model and forgotten here fails the typecheck.
 */
import type {
  AgentState,
  Call,
  CallbackTarget,
  CallState,
  ConnectionStatus,
  ConsultLeg,
  CustomerField,
  Destination,
  Disposition,
  FieldType,
  PreviewInfo,
  Reason,
  WrapupInfo,
} from '../core/model.ts';
import type { CtiErrorInit } from '../core/errors.ts';
import { ErrorCode } from '../core/errors.ts';
import { isOperation } from '../core/operations.ts';
import {
  isArrayOf,
  isBoolean,
  isFiniteNumber,
  isNonEmptyString,
  isObject,
  isOptional,
  isString,
} from './json.ts';

type Exhaustive<Union, Listed> = [Exclude<Union, Listed>] extends [never] ? true : false;
const exhaustive = <T extends true>(): T => true as T;

/** The agent states this build knows (`unknown` is ours: a state a newer backend sent). */
export const AGENT_STATES = ['loggedOut', 'notReady', 'ready', 'pendingNotReady', 'busy'] as const;
exhaustive<Exhaustive<Exclude<AgentState, 'unknown'>, (typeof AGENT_STATES)[number]>>();

export const CALL_STATES = [
  'ringing', 'preview', 'dialing', 'talking', 'held', 'consult', 'conferenceOwner', 'conferencePassive', 'wrapup', 'callback',
] as const;
exhaustive<Exhaustive<CallState, (typeof CALL_STATES)[number]>>();

export const CONNECTION_STATUSES = ['connecting', 'connected', 'reconnecting', 'offline'] as const;
exhaustive<Exhaustive<ConnectionStatus, (typeof CONNECTION_STATUSES)[number]>>();

const FIELD_TYPES = ['readOnly', 'write', 'screenPop', 'maskedWrite'] as const;
exhaustive<Exhaustive<FieldType, (typeof FIELD_TYPES)[number]>>();

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);

export const isKnownAgentState = oneOf<Exclude<AgentState, 'unknown'>>(AGENT_STATES);
export const isCallState = oneOf<CallState>(CALL_STATES);
export const isConnectionStatus = oneOf<ConnectionStatus>(CONNECTION_STATUSES);
const isFieldType = oneOf<FieldType>(FIELD_TYPES);
const isDestinationType = oneOf<Destination['type']>(['agent', 'external', 'queue']);

export function isReason(value: unknown): value is Reason {
  return isObject(value) && isString(value.code) && isString(value.label);
}

export function isCallbackTarget(value: unknown): value is CallbackTarget {
  return isObject(value) && isString(value.id) && isString(value.label);
}

export function isDisposition(value: unknown): value is Disposition {
  return (
    isObject(value) &&
    isString(value.code) &&
    isString(value.label) &&
    isOptional(value.isCallback, isBoolean) &&
    isOptional(value.isDnc, isBoolean)
  );
}

export function isDestination(value: unknown): value is Destination {
  return (
    isObject(value) &&
    isString(value.id) &&
    isDestinationType(value.type) &&
    isString(value.label) &&
    isOptional(value.number, isString)
  );
}

export function isCustomerField(value: unknown): value is CustomerField {
  return isObject(value) && isString(value.key) && isString(value.label) && isString(value.value) && isFieldType(value.type);
}

function isConsultLeg(value: unknown): value is ConsultLeg {
  return (
    isObject(value) &&
    isDestination(value.destination) &&
    (value.state === 'dialing' || value.state === 'connected') &&
    (value.activeParty === 'customer' || value.activeParty === 'consult') &&
    isFiniteNumber(value.startedAt)
  );
}

function isPreviewInfo(value: unknown): value is PreviewInfo {
  return (
    isObject(value) &&
    isFiniteNumber(value.timeoutSec) &&
    isOptional(value.deadline, isFiniteNumber) &&
    isArrayOf(value.numbers, isString) &&
    isBoolean(value.isCallback)
  );
}

function isWrapupInfo(value: unknown): value is WrapupInfo {
  return (
    isObject(value) &&
    isFiniteNumber(value.maxTimeSec) &&
    isBoolean(value.extendable) &&
    isString(value.defaultCode) &&
    isOptional(value.deadline, isFiniteNumber) &&
    isOptional(value.numbers, (v): v is unknown => isArrayOf(v, isString))
  );
}

function isTimestamps(value: unknown): value is Call['timestamps'] {
  return (
    isObject(value) &&
    isFiniteNumber(value.offeredAt) &&
    isOptional(value.connectedAt, isFiniteNumber) &&
    isOptional(value.heldAt, isFiniteNumber) &&
    isOptional(value.wrapupAt, isFiniteNumber)
  );
}

/** Exactly a canonical `Call` (every required field present and of the right kind). */
export function isCall(value: unknown): value is Call {
  return (
    isObject(value) &&
    isNonEmptyString(value.id) &&
    (value.direction === 'inbound' || value.direction === 'outbound') &&
    isCallState(value.state) &&
    (value.role === 'owner' || value.role === 'passive') &&
    (value.conferenceKind === undefined || value.conferenceKind === 'agent' || value.conferenceKind === 'external') &&
    isObject(value.remote) &&
    isString(value.remote.number) &&
    isOptional(value.remote.name, isString) &&
    isArrayOf(value.fields, isCustomerField) &&
    isOptional(value.campaign, isString) &&
    isBoolean(value.recording) &&
    isOptional(value.consult, isConsultLeg) &&
    isOptional(value.preview, isPreviewInfo) &&
    isOptional(value.wrapup, isWrapupInfo) &&
    isArrayOf(value.notes, isString) &&
    isTimestamps(value.timestamps)
  );
}

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
const SEVERITIES: ReadonlySet<string> = new Set(['info', 'minor', 'major', 'critical']);

/**
 * An error as a backend reports it. Lenient by design: a message is all it needs (an unknown
 * code becomes REJECTED), because an error the agent cannot read is worse than an imperfect one.
 */
export function readError(value: unknown): CtiErrorInit | undefined {
  if (!isObject(value) || typeof value.message !== 'string') return undefined;
  const code = typeof value.code === 'string' && ERROR_CODES.has(value.code) ? (value.code as ErrorCode) : ErrorCode.Rejected;
  const init: CtiErrorInit = { code, message: value.message };
  if (typeof value.severity === 'string' && SEVERITIES.has(value.severity)) init.severity = value.severity as CtiErrorInit['severity'];
  if (isOperation(value.operation)) init.operation = value.operation;
  if (typeof value.vendorCode === 'string' || isFiniteNumber(value.vendorCode)) init.vendorCode = value.vendorCode;
  if (typeof value.commandId === 'string') init.commandId = value.commandId;
  return init;
}
