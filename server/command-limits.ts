/**
 * Size bounds on what a command may add to an agent's state, checked before the command reaches
 * the connector (so a refused command changes nothing). Canonical events carry whole objects: a
 * call event carries every note of the call, so unbounded notes made every later event, the
 * replay buffer and each socket's backlog grow with the square of the notes sent.
 */
import type { Command } from '../src/core/commands.ts';
import type { Call } from '../src/core/model.ts';
import { CtiError, ErrorCode } from '../src/core/errors.ts';

export interface CommandLimits {
  textMaxChars: number;
  notesMaxPerCall: number;
}

/** Arguments are small objects; deeper nesting than this is not a command we know. */
const MAX_DEPTH = 4;

/**
 * Throws `INVALID_ARGUMENT` with a message an agent can act on when `command` would pass a bound;
 * `calls` is the agent's current calls (the first is the current one); `notesInFlight` counts
 * notes already on their way to the connector, which the calls do not show yet.
 */
export function checkCommandLimits(command: Command, calls: readonly Call[], limits: CommandLimits, notesInFlight = 0): void {
  const refuse = (message: string): never => {
    throw new CtiError({
      code: ErrorCode.InvalidArgument,
      severity: 'minor',
      operation: command.operation,
      commandId: command.id,
      message,
    });
  };
  const longest = longestText(command.args, 0);
  if (longest && longest.length > limits.textMaxChars) {
    const what = command.operation === 'addNote' ? 'A note' : `"${longest.key}"`;
    refuse(`${what} can be at most ${limits.textMaxChars.toLocaleString('en')} characters (this one has ${longest.length.toLocaleString('en')}).`);
  }
  if (command.operation === 'addNote') {
    const callId = (command.args as { callId?: unknown }).callId;
    const call = typeof callId === 'string' ? calls.find((c) => c.id === callId) : calls[0];
    if (call && call.notes.length + notesInFlight >= limits.notesMaxPerCall) {
      refuse(`This call already has ${limits.notesMaxPerCall} notes, the most a call can keep.`);
    }
  }
}

/** The longest string anywhere in `value` and the key it sits under. */
function longestText(value: unknown, depth: number, key = 'text'): { key: string; length: number } | undefined {
  if (typeof value === 'string') return { key, length: value.length };
  if (depth >= MAX_DEPTH || !value || typeof value !== 'object') return undefined;
  let best: { key: string; length: number } | undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v) => [key, v]) : Object.entries(value);
  for (const [k, v] of entries) {
    const found = longestText(v, depth + 1, k);
    if (found && (!best || found.length > best.length)) best = found;
  }
  return best;
}
