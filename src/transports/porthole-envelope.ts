/**
 * The Porthole 1.0 wire format (ternarylabs/porthole `WindowProxyBase.post`): a JSON *string*
 *   {"data": …, "sourceOrigin": "http://a.example", "targetOrigin": "http://b.example",
 *    "sourceWindowName": "…", "targetWindowName": "…"}
 * posted with `window.postMessage(string, targetOrigin)`. Kept byte-compatible so a vendor
 * portal that runs the real porthole.js can talk to us and we to it.
 */
export interface PortholeEnvelope {
  data: unknown;
  sourceOrigin: string;
  targetOrigin: string;
  sourceWindowName: string;
  targetWindowName: string;
}

/** Porthole posts a string; anything longer than this is not a CTI message (and would be slow to parse). */
export const MAX_ENVELOPE_CHARS = 256 * 1024;

export function serializeEnvelope(envelope: PortholeEnvelope): string {
  return JSON.stringify({
    data: envelope.data,
    sourceOrigin: envelope.sourceOrigin,
    targetOrigin: envelope.targetOrigin,
    sourceWindowName: envelope.sourceWindowName,
    targetWindowName: envelope.targetWindowName,
  });
}

/** The envelope in `raw`, or `undefined` for anything that is not exactly one (never throws). */
export function parseEnvelope(raw: unknown): PortholeEnvelope | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_ENVELOPE_CHARS) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const candidate = value as Record<string, unknown>;
  if (!('data' in candidate)) return undefined;
  const { sourceOrigin, targetOrigin, sourceWindowName, targetWindowName } = candidate;
  if (typeof sourceOrigin !== 'string' || typeof targetOrigin !== 'string') return undefined;
  if (typeof sourceWindowName !== 'string' || typeof targetWindowName !== 'string') return undefined;
  return { data: candidate.data, sourceOrigin, targetOrigin, sourceWindowName, targetWindowName };
}

/**
 * `scheme://host[:port]` of an http(s) URL or origin, lower-cased, default port dropped — the
 * form `MessageEvent.origin` has — or `undefined` when it is not one (e.g. `*`, `null`, `file:`).
 */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin;
}
