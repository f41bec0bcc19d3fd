/**
 * Noojee requests and answers on the wire: the URL of a request (every parameter in the query
 * string, `apiKey` first, the body empty except for lead updates), and the checked reading of an
 * answer. A reader returns the answer or throws the readable `CtiError` (noojee-errors.ts); a
 * subscribe event that is malformed is dropped (and counted by the caller), not fatal.
 */
import type { Operation } from '../../core/operations.ts';
import { API_KEY_PARAM, CALL_API, CAMPAIGN_API, RECORDING_API, type CallData, type DialAnswer, type NamedEntity, type RecordingLeg, type SubscribeAnswer, type SubscribeEvent } from './protocol.ts';
import { callCodeError, garbageError, httpError, leadCodeError, parseObject } from './noojee-errors.ts';

export type NoojeeApi = 'call' | 'campaign' | 'recording';

/** One request, before the endpoint and the key are added. */
export interface NoojeeRequest {
  api: NoojeeApi;
  method: string;
  http: 'POST' | 'GET';
  /** In order; values raw (they are URL-encoded by `requestUrl`). */
  params: Array<[string, string]>;
  /** JSON text (lead updates only). */
  body?: string;
  /** Safe to send again after a failure that may or may not have reached Noojee. */
  readOnly: boolean;
}

const PREFIX: Record<NoojeeApi, string> = { call: CALL_API, campaign: CAMPAIGN_API, recording: RECORDING_API };

/** `https://host/servicemanager/rest/CallManagementAPI/dial?apiKey=…&number=…`. */
export function requestUrl(endpoint: string, request: NoojeeRequest, apiKey: string): string {
  const base = endpoint.replace(/\/+$/, '');
  const query = new URLSearchParams([[API_KEY_PARAM, apiKey], ...request.params]);
  return `${base}${PREFIX[request.api]}/${request.method}?${query.toString()}`;
}

/** The same URL with the key replaced, for logs and error reports. */
export function redactedUrl(endpoint: string, request: NoojeeRequest): string {
  return requestUrl(endpoint, request, '•••');
}

/** Headers as Noojee's own client sends them. */
export function requestHeaders(request: NoojeeRequest): Record<string, string> {
  if (request.body !== undefined) return { 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json' };
  return request.http === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', Accept: 'application/json' } : { Accept: 'application/json' };
}

/**
 * A CallManagementAPI answer: HTTP 200 with `Code` ≥ 0, else the readable error. A positive code
 * is a notice: the request succeeded.
 */
export function readCallAnswer(operation: Operation | undefined, status: number, text: string): Record<string, unknown> & { Code: number } {
  if (status < 200 || status >= 300) throw httpError(operation, status, text);
  const json = parseObject(text);
  if (!json || typeof json.Code !== 'number' || !Number.isInteger(json.Code)) throw garbageError(operation);
  if (json.Code < 0) throw callCodeError(operation, json.Code, json.Message);
  return json as Record<string, unknown> & { Code: number };
}

export function readDialAnswer(status: number, text: string): DialAnswer {
  const json = readCallAnswer('dial', status, text);
  const id = json.SessionID;
  const answer: DialAnswer = { Code: json.Code };
  if (typeof json.Message === 'string') answer.Message = json.Message;
  // Noojee documents an integer; its own client reads a string. Either is kept as a string.
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) answer.SessionID = String(id);
  return answer;
}

/** A subscribe answer; `dropped` counts events that were not a well-formed CallData. */
export function readSubscribeAnswer(status: number, text: string): { answer: SubscribeAnswer; dropped: number } {
  const json = readCallAnswer(undefined, status, text);
  const seq = json.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw garbageError(undefined);
  const data: Record<string, SubscribeEvent[]> = {};
  let dropped = 0;
  const raw = json.Data;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw garbageError(undefined);
    for (const [exten, events] of Object.entries(raw as Record<string, unknown>)) {
      if (!Array.isArray(events)) {
        dropped++;
        continue;
      }
      const list: SubscribeEvent[] = [];
      for (const event of events) {
        const checked = readEvent(event);
        if (checked) list.push(checked);
        else dropped++;
      }
      data[exten] = list;
    }
  }
  const answer: SubscribeAnswer = { Data: data, seq, Code: json.Code };
  if (typeof json.Message === 'string') answer.Message = json.Message;
  return { answer, dropped };
}

function readEvent(value: unknown): SubscribeEvent | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const e = value as Record<string, unknown>;
  const d = e.CallData as Record<string, unknown> | undefined;
  if (!d || typeof d !== 'object') return undefined;
  if (typeof d.uniqueCallId !== 'string' || d.uniqueCallId === '' || typeof d.status !== 'string') return undefined;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  const data: CallData = {
    canAnswer: d.canAnswer === true,
    callerId: text('callerId'),
    uniqueCallId: d.uniqueCallId,
    callStartTime: text('callStartTime'),
    isQueueCall: d.isQueueCall === true,
    isClickToDialCall: d.isClickToDialCall === true,
    inbound: d.inbound === true,
    status: d.status,
    otherPartyCallerId: text('otherPartyCallerId'),
    connectedCallerIdNum: text('connectedCallerIdNum'),
    outboundDestination: text('outboundDestination'),
  };
  return { CallData: data, CallID: typeof e.CallID === 'number' ? e.CallID : 0, Code: typeof e.Code === 'number' ? e.Code : 0 };
}

/** A CampaignAPI list (`{code, message, entities:[{id, name}]}`). */
export function readEntities(operation: Operation | undefined, status: number, text: string): NamedEntity[] {
  if (status < 200 || status >= 300) throw httpError(operation, status, text);
  const json = parseObject(text);
  if (!json || typeof json.code !== 'number') throw garbageError(operation);
  if (json.code !== 0) throw leadCodeError(operation, json.code, json.message);
  const entities = Array.isArray(json.entities) ? json.entities : [];
  return entities
    .filter((e): e is { id: unknown; name: string } => !!e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string')
    .map((e) => ({ id: Number(e.id), name: e.name }));
}

/** A CampaignAPI write (`{code, message}`): HTTP 4xx/5xx carry the lead code in the body. */
export function readLeadAnswer(operation: Operation | undefined, status: number, text: string): void {
  const json = parseObject(text);
  if (status < 200 || status >= 300) throw httpError(operation, status, text);
  if (!json || typeof json.code !== 'number') throw garbageError(operation);
  if (json.code !== 0) throw leadCodeError(operation, json.code, json.message);
}

/** RecordingAPI metadata: an array of legs. */
export function readRecordingLegs(status: number, text: string): RecordingLeg[] {
  if (status < 200 || status >= 300) throw httpError(undefined, status, text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw garbageError(undefined);
  }
  if (!Array.isArray(value)) throw garbageError(undefined);
  return value.filter((leg): leg is RecordingLeg => !!leg && typeof leg === 'object' && typeof (leg as RecordingLeg).UniqueId === 'string');
}
