/**
 * Last line of defence for secrets in gateway mode: every text the server sends or logs passes
 * through here, and each secret value in it is replaced. Connectors should never put a secret in
 * an event or error, but a vendor error message may echo a request (with its API key), and that
 * must not reach a browser.
 *
 * Which values are secrets is decided exactly, never guessed: the options the connector's
 * declaration marks `secret` (see `secretValues()` of its `defineConnector` definition), the token
 * secret and the metrics token. Anything else — a region, a URL, a caller called "Ada from
 * london" — passes untouched (audit finding 17).
 */
export type Redactor = (text: string) => string;

export const REDACTED = '[redacted]';
/**
 * Secrets are replaced inside serialised JSON, so a very short one would match ordinary text and
 * the JSON framing itself; declarations refuse secrets shorter than this (config-schema.ts).
 */
const MIN_SECRET_LENGTH = 6;

export function createRedactor(secrets: readonly string[]): Redactor {
  // In JSON text a secret may appear escaped; match both spellings. Longest first, so a secret
  // that contains another is replaced whole.
  const needles = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  };
}
