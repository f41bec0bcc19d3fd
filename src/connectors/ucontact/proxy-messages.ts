/**
 * The window-proxy messages of both flavours, read and written (docs/connectors/ucontact.md §2–§3).
 * Reading never throws: whatever a window posts is either one of the shapes below, with every
 * value a short string, or `undefined` (dropped unread). Pure functions, no I/O.
 */
import {
  DIAL_ACTIONS,
  EVENTS_API,
  VOICE_CHANNELS,
  NO_GUID,
  PORTAL_EVENTS,
  PORTHOLE_ACTIONS,
  PROXY_LIMITS,
  RESULT_OK,
  UPHONE_ACTIONS,
  type DialAction,
  type EventsApiEvent,
  type PortalEvent,
  type ProxyFlavour,
} from './protocol.ts';

/** Values of an event's params, each as bounded text (numbers and booleans as their text). */
export type Params = Readonly<Record<string, string>>;

export type ProxyInbound =
  /** The portal's answer to a dial: the call's GUID, or `0` (failed). */
  | { kind: 'guid'; guid: string | undefined }
  /** The portal's answer to one of the decided actions (hangup, disposition, schedule). */
  | { kind: 'result'; action: string; guid?: string; ok: boolean; message?: string }
  /** Something that happened in the portal or in uPhone. */
  | { kind: 'event'; event: PortalEvent; params: Params }
  /** uContact v6's Events API `{event, data}`, about a phone call (other channels are dropped). */
  | { kind: 'interaction'; event: EventsApiEvent; data: Params };

const SYNTHETIC: ReadonlySet<string> = new Set([PORTHOLE_ACTIONS.hangup, PORTHOLE_ACTIONS.disposition, PORTHOLE_ACTIONS.schedule, PORTHOLE_ACTIONS.tagRecord, PORTHOLE_ACTIONS.closeForm]);
const EVENTS: ReadonlySet<string> = new Set(PORTAL_EVENTS);
const DIALS: ReadonlySet<string> = new Set(DIAL_ACTIONS);
const API_EVENTS: ReadonlySet<string> = new Set(EVENTS_API);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A short text value, or undefined (objects, huge strings, NaN …). */
export function textValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length <= PROXY_LIMITS.valueChars ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function readParams(value: unknown): Params | undefined {
  if (value === undefined) return {};
  if (!isPlainObject(value)) return undefined;
  const out: Record<string, string> = {};
  let kept = 0;
  for (const [key, raw] of Object.entries(value)) {
    if (kept >= PROXY_LIMITS.fields || key.length > PROXY_LIMITS.nameChars || key === '__proto__') continue;
    const text = textValue(raw);
    if (text === undefined) continue;
    out[key] = text;
    kept += 1;
  }
  return out;
}

function readEvent(data: Record<string, unknown>): ProxyInbound | undefined {
  const action = data.action;
  if (typeof action !== 'string' || !EVENTS.has(action)) return undefined;
  const params = readParams(data.params);
  return params ? { kind: 'event', event: action as PortalEvent, params } : undefined;
}

/**
 * The Events API's `{event, data}` (exactly these keys). An interaction on a channel that is not a
 * phone call is dropped here, so a chat never touches the calls.
 */
function readEventsApi(data: Record<string, unknown>): ProxyInbound | undefined {
  const event = data.event;
  if (typeof event !== 'string' || !API_EVENTS.has(event) || Object.keys(data).some((k) => k !== 'event' && k !== 'data')) return undefined;
  const fields = readParams(data.data);
  if (!fields) return undefined;
  const channel = fields.channel?.trim().toLowerCase();
  if (channel !== undefined && channel !== '' && !VOICE_CHANNELS.includes(channel)) return undefined;
  return { kind: 'interaction', event: event as EventsApiEvent, data: fields };
}

/**
 * One message as the flavour sends it: Porthole's `data` (already out of its envelope), or uPhone's
 * posted object. `undefined` for anything else.
 */
export function readInbound(data: unknown, flavour: ProxyFlavour): ProxyInbound | undefined {
  if (!isPlainObject(data)) return undefined;
  if ('event' in data) return readEventsApi(data);
  if (flavour === 'uphone') {
    if (!('params' in data)) return undefined;
    return readEvent(data);
  }
  if ('params' in data) return readEvent(data);
  const action = data.action;
  if (typeof action === 'string' && SYNTHETIC.has(action)) {
    const result = textValue(data.result);
    if (result === undefined) return undefined;
    const reply: ProxyInbound = { kind: 'result', action, ok: result === RESULT_OK };
    const guid = textValue(data.guid);
    if (guid !== undefined) reply.guid = guid;
    const message = textValue(data.message);
    if (message !== undefined) reply.message = message;
    return reply;
  }
  if (!('guid' in data) || (action !== undefined && !(typeof action === 'string' && DIALS.has(action)))) return undefined;
  const guid = data.guid === null ? NO_GUID : textValue(data.guid);
  if (guid === undefined) return undefined;
  return { kind: 'guid', guid: guid === NO_GUID || guid.trim() === '' ? undefined : guid };
}

// ---- outgoing -----------------------------------------------------------------------------------

export interface DialFields {
  destination: string;
  campaign: string;
  callerid?: string;
}

/** The documented dial messages, with exactly the documented keys. */
export function portholeDial(action: DialAction, fields: DialFields): Record<string, string> {
  if (action === PORTHOLE_ACTIONS.call) {
    return { action, campaign: fields.campaign, callerid: fields.callerid ?? '', destination: fields.destination };
  }
  return { action, destination: fields.destination, campaign: fields.campaign };
}

export function portholeHangup(guid: string): Record<string, string> {
  return { action: PORTHOLE_ACTIONS.hangup, guid };
}

export interface DispositionFields {
  guid: string;
  campaign: string;
  l1: string;
  l2?: string;
  l3?: string;
  agent?: string;
  callerid?: string;
  comment?: string;
  schedule?: string;
  camptoreschedule?: string;
  tag?: string;
}

/** The REST DispositionCall fields, absent ones left out. */
export function dispositionFields(fields: DispositionFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['campaign', 'agent', 'callerid', 'guid', 'l1', 'l2', 'l3', 'comment', 'schedule', 'camptoreschedule', 'tag'] as const) {
    const value = fields[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function portholeDisposition(fields: DispositionFields): Record<string, string> {
  return { action: PORTHOLE_ACTIONS.disposition, ...dispositionFields(fields) };
}

/** "Tag Record via proxy" (decided): `{action:'tagRecord', guid, tag}`. */
export function portholeTagRecord(guid: string, tag: string): Record<string, string> {
  return { action: PORTHOLE_ACTIONS.tagRecord, guid, tag };
}

/** "Close the form" (decided): `{action:'closeForm'}`. */
export function portholeCloseForm(): Record<string, string> {
  return { action: PORTHOLE_ACTIONS.closeForm };
}

export function portholeSchedule(fields: { calldate: string; campaign: string; destination: string; guid?: string }): Record<string, string> {
  const out: Record<string, string> = { action: PORTHOLE_ACTIONS.schedule, calldate: fields.calldate, campaign: fields.campaign, destination: fields.destination };
  if (fields.guid) out.guid = fields.guid;
  return out;
}

/** uPhone's documented dial: `{action:'makeCall', params:{number, campaign}}`. */
export function uphoneMakeCall(number: string, campaign: string): { action: string; params: { number: string; campaign: string } } {
  return { action: UPHONE_ACTIONS.makeCall, params: { number, campaign } };
}
