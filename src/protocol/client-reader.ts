/**
 * Reading the canonical protocol on the client side of the wire. Everything arriving is untrusted
 * text turned JSON: each reader returns a typed value or `undefined`, never throws, so a malformed
 * message is dropped without touching state. Events are checked in full (`readCanonicalEvent`);
 * what does not fit is reported to `onDrop` so the connector can count it.
 */
import type { CanonicalEvent } from '../core/events.ts';
import type { CtiErrorInit } from '../core/errors.ts';
import { ErrorCode } from '../core/errors.ts';
import { isOperation, type Operation } from '../core/operations.ts';
import type { LoginFieldInfo } from '../core/connector.ts';
import { isObject, isSeq } from './json.ts';
import { readError } from './model-guards.ts';
import { readCanonicalEvent, type DropListener } from './event-guards.ts';

/** What the server may send (WebSocket frames and polling bodies, normalised). */
export type ServerMessage =
  | { t: 'welcome'; agentId: string; seq: number; supports?: Operation[]; loginFields?: LoginFieldInfo[] }
  /** `event` undefined: the number is real but the body unreadable (skipped, the cursor still moves on). */
  | { t: 'event'; seq: number; event: CanonicalEvent | undefined }
  | { t: 'snapshot'; seq: number; events: CanonicalEvent[] }
  | { t: 'error'; error: CtiErrorInit };

/** One WebSocket message (replies to requests never get here: the transport routes them by id). */
export function readServerMessage(value: unknown, onDrop?: DropListener): ServerMessage | undefined {
  const drop = (reason: string): undefined => {
    onDrop?.(reason);
    return undefined;
  };
  if (!isObject(value)) return drop('not a message');
  switch (value.t) {
    case 'welcome': {
      if (typeof value.agentId !== 'string' || !isSeq(value.seq)) return drop('welcome: malformed');
      const welcome: ServerMessage = { t: 'welcome', agentId: value.agentId, seq: value.seq };
      if (Array.isArray(value.supports)) welcome.supports = value.supports.filter(isOperation);
      const loginFields = readLoginFields(value.loginFields);
      if (loginFields) welcome.loginFields = loginFields;
      return welcome;
    }
    case 'event':
      return isSeq(value.seq) ? { t: 'event', seq: value.seq, event: readCanonicalEvent(value.event, onDrop) } : drop('event: bad seq');
    case 'snapshot': {
      const events = readEvents(value.events, onDrop);
      return events && isSeq(value.seq) ? { t: 'snapshot', seq: value.seq, events } : drop('snapshot: malformed');
    }
    case 'error': {
      const error = readError(value.error);
      return error ? { t: 'error', error } : drop('error: malformed');
    }
    default:
      return drop(`unknown message ${JSON.stringify(String(value.t)).slice(0, 40)}`);
  }
}

/**
 * A polling answer as the same messages as the WebSocket sends: `{seq, events:[{seq,event}]}` or
 * `{seq, snapshot:[…]}`. `undefined` when the body is not one of them (garbage through a proxy).
 */
export function readPollBody(value: unknown, onDrop?: DropListener): ServerMessage[] | undefined {
  if (!isObject(value) || !isSeq(value.seq)) {
    onDrop?.('poll body: malformed');
    return undefined;
  }
  if (value.snapshot !== undefined) {
    const events = readEvents(value.snapshot, onDrop);
    return events ? [{ t: 'snapshot', seq: value.seq, events }] : undefined;
  }
  if (!Array.isArray(value.events)) {
    onDrop?.('poll body: no events');
    return undefined;
  }
  const out: ServerMessage[] = [];
  for (const entry of value.events) {
    if (!isObject(entry) || !isSeq(entry.seq)) {
      onDrop?.('poll body: bad entry');
      return undefined;
    }
    out.push({ t: 'event', seq: entry.seq, event: readCanonicalEvent(entry.event, onDrop) });
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

/** A snapshot's events; an unreadable one is left out (and counted) rather than losing the whole state. */
function readEvents(value: unknown, onDrop?: DropListener): CanonicalEvent[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const events: CanonicalEvent[] = [];
  for (const item of value) {
    const event = readCanonicalEvent(item, onDrop);
    if (event) events.push(event);
  }
  return events;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const MAX_LOGIN_FIELDS = 8;
const MAX_TEXT = 120;

/**
 * The login form a welcome announces, or undefined when absent or malformed in any part (a form
 * half read would ask for the wrong things): at most 8 fields, named like a command argument,
 * each with at most 200 choices.
 */
function readLoginFields(value: unknown): LoginFieldInfo[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LOGIN_FIELDS) return undefined;
  const fields: LoginFieldInfo[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.name !== 'string' || !FIELD_NAME.test(item.name)) return undefined;
    if (typeof item.label !== 'string' || item.label.trim() === '' || item.label.length > MAX_TEXT) return undefined;
    if (fields.some((f) => f.name === item.name)) return undefined;
    const field: LoginFieldInfo = { name: item.name, label: item.label };
    if (item.secret === true) field.secret = true;
    if (item.required === true) field.required = true;
    if (typeof item.hint === 'string' && item.hint.length <= MAX_TEXT) field.hint = item.hint;
    if (item.options !== undefined) {
      const options = readOptions(item.options);
      if (!options) return undefined;
      field.options = options;
    }
    fields.push(field);
  }
  return fields;
}

const MAX_OPTIONS = 200;

/** A field's choices (POM's time zones): texts, at most 200; malformed in any part: undefined. */
function readOptions(value: unknown): LoginFieldInfo['options'] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_OPTIONS) return undefined;
  const ok = value.every((o) => isObject(o) && typeof o.value === 'string' && o.value.length <= MAX_TEXT && typeof o.label === 'string' && o.label !== '' && o.label.length <= MAX_TEXT);
  return ok ? value.map((o: { value: string; label: string }) => ({ value: o.value, label: o.label })) : undefined;
}
