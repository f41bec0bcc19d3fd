/**
 * Reading MaxContact's answers: a `CallActionResponse` in XML (the default) or JSON (when asked
 * with `Content-Type: application/json`), whichever actually came — the connector reads the
 * answer's own content type, and sniffs when a proxy lost it. Values are normalised to the
 * document's types (XML carries only text), so the rest of the connector sees one shape.
 * A body that is neither is a PROTOCOL error that never quotes it (it may hold customer data).
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { decodeJson, decodeXml } from '../kit/codecs.ts';
import { BOOLEAN_FIELDS, NUMBER_FIELDS, XML_ARRAYS, XML_ITEM, type CallActionResponse, type TelephonyMethod } from './protocol.ts';

const WHAT = 'MaxContact\'s answer';

/** One answer as text → the envelope with typed values. `method` says whether `Data` is a list. */
export function readEnvelope(text: string, contentType: string | null, method: TelephonyMethod | 'token'): CallActionResponse {
  const trimmed = text.trim();
  const json = contentType?.includes('json') || (!contentType?.includes('xml') && (trimmed.startsWith('{') || trimmed.startsWith('[')));
  const raw = json ? decodeJson(trimmed, WHAT) : fromXml(trimmed);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw notEnvelope();
  const body = raw as Record<string, unknown>;
  if (!('Success' in body) || !('ResponseCode' in body)) throw notEnvelope();
  const success = toBoolean(body.Success);
  const code = toNumber(body.ResponseCode);
  if (success === undefined || code === undefined) throw notEnvelope();
  const item = method === 'token' ? undefined : XML_ITEM[method];
  return {
    Success: success,
    Data: normaliseData(body.Data, item),
    ResponseCode: code,
    ResponseDetail: typeof body.ResponseDetail === 'string' ? body.ResponseDetail : '',
  };
}

function fromXml(text: string): unknown {
  if (!text.startsWith('<')) throw new CtiError({ code: ErrorCode.Protocol, message: `${WHAT} is neither XML nor JSON.` });
  const doc = decodeXml(text, { arrays: XML_ARRAYS, attributes: false }, WHAT);
  const root = doc.CallActionResponse;
  if (!root || typeof root !== 'object') throw notEnvelope();
  return root;
}

function notEnvelope(): CtiError {
  return new CtiError({ code: ErrorCode.Protocol, message: `${WHAT} is not a CallActionResponse.` });
}

/**
 * `Data`: a list for list methods (JSON array, or XML `<Data><Call/>…</Data>`, empty `<Data />`),
 * an object for one entity, `null` for none.
 */
function normaliseData(data: unknown, item: string | undefined): unknown {
  if (item !== undefined) {
    if (Array.isArray(data)) return data.map(typed);
    if (data === '' || data === null || data === undefined) return [];
    if (typeof data === 'object') {
      const list = (data as Record<string, unknown>)[item];
      if (Array.isArray(list)) return list.map(typed);
    }
    throw new CtiError({ code: ErrorCode.Protocol, message: `${WHAT} has no list where one was expected.` });
  }
  if (data === '' || data === undefined || data === null) return null;
  return typed(data);
}

/** Text from XML to the document's types; JSON values pass unchanged. */
function typed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(typed);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (NUMBER_FIELDS.has(key)) out[key] = toNumber(v) ?? v;
    else if (BOOLEAN_FIELDS.has(key)) out[key] = toBoolean(v) ?? v;
    else out[key] = v === '' ? '' : typeof v === 'object' ? typed(v) : v;
  }
  return out;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
