/**
 * The guard every canonical event passes before it is applied, in the page (the session) and on
 * the wire (the server connector): a value that is not exactly one of the `CanonicalEvent`
 * shapes is dropped and counted, never half-applied.
 *
 * Two deliberate leniencies, so that a newer backend degrades instead of breaking the bar:
 *  - an agent state this build does not know becomes `state: 'unknown'` with the backend's
 *    name kept in `rawState` (the bar shows it as such);
 *  - in a `calls` list (the whole list), a malformed call is left out (and counted) rather than
 *    losing every other call of the list.
 */
import type { CanonicalEvent } from '../core/events.ts';
import { isArrayOf, isFiniteNumber, isNonEmptyString, isObject, isOptional, isSeq, isString, type JsonObject } from './json.ts';
import {
  isCall,
  isCallbackTarget,
  isConnectionStatus,
  isDestination,
  isDisposition,
  isKnownAgentState,
  isReason,
  readError,
} from './model-guards.ts';
import { PHONE_LINE_STATES, type PhoneLineState } from '../core/model.ts';

const isPhoneLineState = (value: unknown): value is PhoneLineState => typeof value === 'string' && (PHONE_LINE_STATES as readonly string[]).includes(value);

/** The longest backend state name kept for display. */
const MAX_RAW_STATE = 64;

/** Told what was dropped (a short reason, never the data itself). */
export type DropListener = (reason: string) => void;

/**
 * The event as a `CanonicalEvent`, or `undefined` when it does not fit. The result may be the
 * same object (when nothing needed changing) or a corrected copy.
 */
export function readCanonicalEvent(value: unknown, onDrop?: DropListener): CanonicalEvent | undefined {
  const drop = (reason: string): undefined => {
    onDrop?.(reason);
    return undefined;
  };
  if (!isObject(value) || typeof value.type !== 'string') return drop('not an event');
  if (!isOptional(value.seq, isSeq) || !isOptional(value.at, isFiniteNumber)) return drop(`${value.type}: bad seq or at`);
  const fits = check(value, onDrop);
  if (fits === undefined) return drop(`${String(value.type).slice(0, 32)}: malformed`);
  return fits;
}

function check(value: JsonObject, onDrop: DropListener | undefined): CanonicalEvent | undefined {
  switch (value.type) {
    case 'agentState': {
      if (!isNonEmptyString(value.state)) return undefined;
      if (!isOptional(value.reason, isReason) || !isOptional(value.agentId, isString)) return undefined;
      if (isKnownAgentState(value.state)) return value as unknown as CanonicalEvent;
      const { rawState: _ignored, ...rest } = value;
      return { ...rest, state: 'unknown', rawState: value.state.slice(0, MAX_RAW_STATE) } as unknown as CanonicalEvent;
    }
    case 'call':
      return isCall(value.call) ? (value as unknown as CanonicalEvent) : undefined;
    case 'calls': {
      if (!Array.isArray(value.calls)) return undefined;
      const calls = value.calls.filter((call) => {
        if (isCall(call)) return true;
        onDrop?.('calls: malformed call left out');
        return false;
      });
      return (calls.length === value.calls.length ? value : { ...value, calls }) as unknown as CanonicalEvent;
    }
    case 'callRemoved':
      return isNonEmptyString(value.callId) && isOptional(value.dispositionCode, isString)
        ? (value as unknown as CanonicalEvent)
        : undefined;
    case 'capabilities':
      return value.flags === null || isObject(value.flags) ? (value as unknown as CanonicalEvent) : undefined;
    case 'lists':
      return isOptional(value.reasons, (v): v is unknown => isArrayOf(v, isReason)) &&
        isOptional(value.dispositions, (v): v is unknown => isArrayOf(v, isDisposition)) &&
        isOptional(value.destinations, (v): v is unknown => isArrayOf(v, isDestination)) &&
        isOptional(value.callbackTargets, (v): v is unknown => isArrayOf(v, isCallbackTarget))
        ? (value as unknown as CanonicalEvent)
        : undefined;
    case 'error': {
      const error = readError(value.error);
      return error ? ({ ...value, error } as unknown as CanonicalEvent) : undefined;
    }
    case 'phoneLine':
      return isPhoneLineState(value.state) && isOptional(value.job, isString) ? (value as unknown as CanonicalEvent) : undefined;
    case 'connection': {
      if (!isConnectionStatus(value.status)) return undefined;
      if (value.error === undefined) return value as unknown as CanonicalEvent;
      // Why the connector stopped: only a readable error, and only with `offline`.
      const error = value.status === 'offline' ? readError(value.error) : undefined;
      const { error: _unchecked, ...rest } = value;
      return (error ? { ...rest, error } : rest) as unknown as CanonicalEvent;
    }
    default:
      // A type this build does not know (a newer backend): nothing here could apply it.
      return undefined;
  }
}
