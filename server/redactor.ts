/**
 * Last line of defence for vendor secrets in gateway mode: every text the server sends or logs
 * passes through here, and any configured secret value in it is replaced. Connectors should never
 * put a secret in an event or error, but a vendor error message may echo a request (with its API
 * key), and that must not reach a browser.
 */
export type Redactor = (text: string) => string;

export const REDACTED = '[redacted]';
/** Shorter values (flags, port numbers, "true") are not secrets and would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** Every string leaf of a config object (API keys, passwords, tokens …). */
export function secretValues(config: unknown): string[] {
  const out = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8) return;
    if (typeof value === 'string') {
      if (value.length >= MIN_SECRET_LENGTH) out.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  visit(config, 0);
  return [...out];
}

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
