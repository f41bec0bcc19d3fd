/**
 * What an agent id may be on this server: 1 to 64 characters, `A-Z a-z 0-9 . _ @ -`, starting
 * with a letter or a digit. Agent ids appear in URLs, log lines and state-file keys; the first
 * character rule keeps out `__proto__` and friends (which would otherwise reach object
 * prototypes) as well as `.` and `..`. Per-agent data is kept in `Map`s all the same.
 */
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** The rule in words, for error messages and docs. */
export const AGENT_ID_RULE = 'agentId must be 1..64 characters of A-Z a-z 0-9 . _ @ -, starting with a letter or digit';

export function isAgentId(value: unknown): value is string {
  return typeof value === 'string' && AGENT_ID.test(value);
}
