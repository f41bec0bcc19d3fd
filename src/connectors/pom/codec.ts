/**
 * The wire side of the POM bridge protocol: builds the desktop's frames and reads the bridge's,
 * normalising the document's alternative spellings (AGTStateChangeNotify …) to the table names.
 * A frame that is not one of the protocol's shapes is reported, never thrown past the connector.
 */
import {
  BRIDGE_PROTOCOL,
  COMMAND_ALIASES,
  NOTIFICATION_ALIASES,
  POM_COMMANDS,
  checkArgs,
  isCommandName,
  isNotificationName,
  type BridgeStatus,
  type PomCommandName,
  type PomNotificationName,
} from './protocol.ts';

export type BridgeMessage =
  | { type: 'welcome'; agentId: string; pomAvailable: boolean; status: BridgeStatus }
  | { type: 'status'; id: string; pomAvailable: boolean; status: BridgeStatus }
  | { type: 'refused'; reason: string }
  | { type: 'response'; id?: string; name: PomCommandName; args: Record<string, unknown>; result: number }
  | { type: 'notification'; name: PomNotificationName; args: Record<string, unknown> }
  /** A notification this desktop does not know: logged and ignored by the connector. */
  | { type: 'unknownNotification'; name: string; args: Record<string, unknown> }
  | { type: 'pong'; id: string };

export interface PomCommandFrame {
  type: 'command';
  id: string;
  name: PomCommandName;
  args: Record<string, unknown>;
}

export function helloFrame(agentId: string): Record<string, unknown> {
  return { type: 'hello', protocol: BRIDGE_PROTOCOL, agentId };
}

/**
 * A command frame, checked against the command table first: a connector bug must show up here as
 * a clear error instead of a POM 9010 from the far end.
 */
export function commandFrame(id: string, name: PomCommandName, args: Record<string, unknown>): PomCommandFrame {
  const problem = checkArgs(POM_COMMANDS[name].args, args);
  if (problem.missing || problem.wrongType) {
    throw new TypeError(`${name}: argument ${problem.missing ?? problem.wrongType} is ${problem.missing ? 'missing' : 'of the wrong type'}.`);
  }
  return { type: 'command', id, name, args };
}

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one frame from the bridge (already JSON-parsed, or text). Throws `FrameError`. */
export function parseBridgeFrame(input: unknown): BridgeMessage {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new FrameError('The bridge sent a frame that is not JSON.');
    }
  }
  if (!isObject(value)) throw new FrameError('The bridge sent a frame that is not a JSON object.');
  const args = isObject(value.args) ? value.args : {};
  switch (value.type) {
    case 'welcome':
    case 'status': {
      if (!isObject(value.status) || typeof value.status.loggedOn !== 'boolean') throw new FrameError(`The bridge's ${value.type} has no status.`);
      const pomAvailable = value.pomAvailable !== false;
      if (value.type === 'status') return { type: 'status', id: String(value.id ?? ''), pomAvailable, status: value.status as unknown as BridgeStatus };
      return { type: 'welcome', agentId: String(value.agentId ?? ''), pomAvailable, status: value.status as unknown as BridgeStatus };
    }
    case 'refused':
      return { type: 'refused', reason: typeof value.reason === 'string' ? value.reason : 'The bridge refused the connection.' };
    case 'pong':
      return { type: 'pong', id: String(value.id ?? '') };
    case 'response': {
      const raw = typeof value.name === 'string' ? value.name.replace(/\s+/g, '') : '';
      const base = raw.endsWith('RESP') ? raw.slice(0, -4) : raw;
      const name = COMMAND_ALIASES[base] ?? base;
      if (!isCommandName(name)) throw new FrameError(`The bridge answered an unknown command "${raw}".`);
      const result = args.result;
      if (!Number.isInteger(result)) throw new FrameError(`${raw} has no integer result.`);
      return { type: 'response', ...(typeof value.id === 'string' ? { id: value.id } : {}), name, args, result: result as number };
    }
    case 'notification': {
      const raw = typeof value.name === 'string' ? value.name : '';
      const name = NOTIFICATION_ALIASES[raw] ?? raw;
      if (!isNotificationName(name)) return { type: 'unknownNotification', name: raw, args };
      return { type: 'notification', name, args };
    }
    default:
      throw new FrameError(`The bridge sent an unknown frame type ${JSON.stringify(value.type)}.`);
  }
}
