/**
 * The Integra REST answers the connector reads (docs/connectors/ucontact.md §5). uContact answers
 * in plain text or JSON and says "failed" with `0`; every reader here returns `undefined` for `0`
 * and for anything it cannot read, and never quotes the body (it may hold a token).
 */
import { REST_FAILED } from './protocol.ts';

const MAX_ANSWER_CHARS = 64 * 1024;
/** A GUID or token: printable, no spaces, bounded. */
const OPAQUE = /^[\x21-\x7e]{1,200}$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function opaque(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed !== REST_FAILED && OPAQUE.test(trimmed) ? trimmed : undefined;
}

/**
 * `auth/getUserToken`: the token as text, a JSON string, or a JSON list whose last element is the
 * token (a supervisor without a phone); `0` on error.
 */
export function readToken(text: string): string | undefined {
  if (text.length > MAX_ANSWER_CHARS) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('"')) {
    const value = parseJson(trimmed);
    if (Array.isArray(value)) return opaque(value[value.length - 1]);
    return opaque(value);
  }
  // A JSON object is an error page or another shape, never a token.
  return trimmed.startsWith('{') ? undefined : opaque(trimmed);
}

/** `Agents/AgentCall`: the new call's GUID as text, `0` on error. */
export function readGuid(text: string): string | undefined {
  if (text.length > MAX_ANSWER_CHARS) return undefined;
  const trimmed = text.trim();
  return opaque(trimmed.startsWith('"') ? parseJson(trimmed) : trimmed);
}

export interface AgentPeer {
  /** `md5secret`: the agent's API token. */
  token?: string;
  /** The agent's phone: `callerid` (what `interface` and HangupPhone name), else `name`. */
  phone?: string;
  context?: string;
}

/** `auth/AgentLogin`: the agent's SIP peer as JSON (an object, or a list holding one), `0` on error. */
export function readAgentLogin(text: string): AgentPeer | undefined {
  if (text.length > MAX_ANSWER_CHARS || text.trim() === REST_FAILED) return undefined;
  let value = parseJson(text.trim());
  if (Array.isArray(value)) value = value.find((v) => v && typeof v === 'object');
  if (!value || typeof value !== 'object') return undefined;
  const peer = value as Record<string, unknown>;
  const out: AgentPeer = {};
  const token = opaque(peer.md5secret);
  if (token) out.token = token;
  const phone = opaque(typeof peer.callerid === 'number' ? String(peer.callerid) : peer.callerid) ?? opaque(peer.name);
  if (phone) out.phone = phone;
  const context = opaque(peer.context);
  if (context) out.context = context;
  // An answer with none of a peer's fields is not a login.
  return out.token || out.phone || out.context ? out : undefined;
}
