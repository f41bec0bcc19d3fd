/**
 * Whether an incoming call asks to be answered by itself, and after how long. Contact-centre
 * backends ring the agent's own phone before (two-step dial) or under (a nailed line) the
 * customer's call and mark that INVITE for auto-answer; there is no single standard, so the
 * markers phones and PBXs actually send are all read:
 *  - `Call-Info: <sip:…>;answer-after=N` (Broadsoft / Asterisk / Polycom, N seconds);
 *  - `Alert-Info: …;info=alert-autoanswer`, `Alert-Info: <…>;info=alert-intercom` or the plain
 *    words `Auto Answer` / `autoanswer` / `intercom` (Cisco, Yealink, Noojee's dial strings);
 *  - `Answer-Mode: Auto` / `Priv-Answer-Mode: Auto` (RFC 5373).
 * Pure: the caller hands in the INVITE's header values.
 */

/**
 * `header` (default): answer only calls that ask for it; `always`: answer every incoming call
 * (a backend that nails the line without any marker); `off`: never (the agent answers).
 */
export type AutoAnswerPolicy = 'header' | 'always' | 'off';

export const AUTO_ANSWER_POLICIES: readonly AutoAnswerPolicy[] = ['header', 'always', 'off'];

/** The longest delay honoured, s (a bigger `answer-after` is still an auto-answer, capped). */
const MAX_DELAY_S = 10;

/**
 * The delay (s) after which this call is answered by itself, or undefined when it rings for the
 * agent. `header(name)` returns every value of that header in the INVITE (empty when absent).
 */
export function autoAnswerDelay(policy: AutoAnswerPolicy, header: (name: string) => readonly string[]): number | undefined {
  if (policy === 'off') return undefined;
  if (policy === 'always') return 0;
  for (const value of header('Call-Info')) {
    const match = /;\s*answer-after\s*=\s*"?(\d+(?:\.\d+)?)"?/i.exec(value);
    if (match) return Math.min(Number(match[1]), MAX_DELAY_S);
  }
  for (const value of header('Alert-Info')) {
    if (/info\s*=\s*"?alert-(autoanswer|intercom)|\bauto[\s_-]?answer\b|\bintercom\b/i.test(value)) return 0;
  }
  for (const name of ['Answer-Mode', 'Priv-Answer-Mode']) {
    if (header(name).some((value) => /^\s*auto\b/i.test(value))) return 0;
  }
  return undefined;
}
