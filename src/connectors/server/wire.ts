/**
 * Reading the canonical protocol (docs/protocol.md) from the server side of the wire. Everything
 * arriving is untrusted text turned JSON: each reader returns a typed value or `undefined`, never
 * throws, so a malformed message is dropped without touching state.
 */
import type { CanonicalEvent, CanonicalEventType } from '../../core/events.ts';
import type { CtiErrorInit } from '../../core/errors.ts';
import { ErrorCode } from '../../core/errors.ts';
import { isOperation, type Operation } from '../../core/operations.ts';

const EVENT_TYPES: ReadonlySet<CanonicalEventType> = new Set<CanonicalEventType>([
  'agentState',
  'call',
  'calls',
  'callRemoved',
  'capabilities',
  'lists',
  'error',
  'connection',
]);
const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A canonical event, checked as far as the connector needs (type and the field that identifies
 * what it changes); the session's reducer owns the meaning of the rest. A type this build does
 * not know yet (a newer server) is passed on: the reducer ignores what it does not understand.
 */
export function readEvent(value: unknown): CanonicalEvent | undefined {
  if (!isObject(value) || typeof value.type !== 'string' || value.type === '') return undefined;
  if (!EVENT_TYPES.has(value.type as CanonicalEventType)) return value as unknown as CanonicalEvent;
  switch (value.type) {
    case 'call':
      if (!isObject(value.call) || typeof value.call.id !== 'string') return undefined;
      break;
    case 'calls':
      if (!Array.isArray(value.calls) || !value.calls.every((c) => isObject(c) && typeof c.id === 'string')) return undefined;
      break;
    case 'callRemoved':
      if (typeof value.callId !== 'string') return undefined;
      break;
    case 'agentState':
      if (typeof value.state !== 'string') return undefined;
      break;
    case 'connection':
      if (typeof value.status !== 'string') return undefined;
      break;
    case 'error':
      if (!readError(value.error)) return undefined;
      break;
  }
  return value as unknown as CanonicalEvent;
}

export function readError(value: unknown): CtiErrorInit | undefined {
  if (!isObject(value) || typeof value.message !== 'string') return undefined;
  const code = typeof value.code === 'string' && ERROR_CODES.has(value.code) ? (value.code as ErrorCode) : ErrorCode.Rejected;
  const init: CtiErrorInit = { code, message: value.message };
  if (value.severity === 'info' || value.severity === 'minor' || value.severity === 'major' || value.severity === 'critical') {
    init.severity = value.severity;
  }
  if (isOperation(value.operation)) init.operation = value.operation;
  if (typeof value.vendorCode === 'string' || typeof value.vendorCode === 'number') init.vendorCode = value.vendorCode;
  if (typeof value.commandId === 'string') init.commandId = value.commandId;
  return init;
}

/** What the server may send (WebSocket frames and polling bodies, normalised). */
export type ServerMessage =
  | { t: 'welcome'; agentId: string; seq: number; supports?: Operation[] }
  /** `event` undefined: the number is real but the body unreadable (skipped, the cursor still moves on). */
  | { t: 'event'; seq: number; event: CanonicalEvent | undefined }
  | { t: 'snapshot'; seq: number; events: CanonicalEvent[] }
  | { t: 'error'; error: CtiErrorInit };

/** One WebSocket message (replies to requests never get here: the transport routes them by id). */
export function readServerMessage(value: unknown): ServerMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.t) {
    case 'welcome': {
      if (typeof value.agentId !== 'string' || !isSeq(value.seq)) return undefined;
      const welcome: ServerMessage = { t: 'welcome', agentId: value.agentId, seq: value.seq };
      if (Array.isArray(value.supports)) welcome.supports = value.supports.filter(isOperation);
      return welcome;
    }
    case 'event':
      return isSeq(value.seq) ? { t: 'event', seq: value.seq, event: readEvent(value.event) } : undefined;
    case 'snapshot': {
      const events = readEvents(value.events);
      return events && isSeq(value.seq) ? { t: 'snapshot', seq: value.seq, events } : undefined;
    }
    case 'error': {
      const error = readError(value.error);
      return error ? { t: 'error', error } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A polling answer as the same messages as the WebSocket sends: `{seq, events:[{seq,event}]}` or
 * `{seq, snapshot:[…]}`. `undefined` when the body is not one of them (garbage through a proxy).
 */
export function readPollBody(value: unknown): ServerMessage[] | undefined {
  if (!isObject(value) || !isSeq(value.seq)) return undefined;
  if (value.snapshot !== undefined) {
    const events = readEvents(value.snapshot);
    return events ? [{ t: 'snapshot', seq: value.seq, events }] : undefined;
  }
  if (!Array.isArray(value.events)) return undefined;
  const out: ServerMessage[] = [];
  for (const entry of value.events) {
    if (!isObject(entry) || !isSeq(entry.seq)) return undefined;
    out.push({ t: 'event', seq: entry.seq, event: readEvent(entry.event) });
  }
  return out;
}

/** A command's answer: `{t:'response', ok}` over WebSocket, `{ok}` over polling. */
export function readCommandReply(value: unknown): { ok: true } | { ok: false; error: CtiErrorInit } | undefined {
  if (!isObject(value)) return undefined;
  if (value.ok === true) return { ok: true };
  if (value.ok === false) {
    return { ok: false, error: readError(value.error) ?? { code: ErrorCode.Rejected, message: 'The server refused the command.' } };
  }
  return undefined;
}

/** A snapshot's events; an unreadable one is left out rather than losing the whole state. */
function readEvents(value: unknown): CanonicalEvent[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const events: CanonicalEvent[] = [];
  for (const item of value) {
    const event = readEvent(item);
    if (event) events.push(event);
  }
  return events;
}
