/**
 * Shape check of a command arriving from a client (WebSocket or REST) before it reaches a
 * connector: the connector validates the arguments' meaning, this makes sure it gets a `Command`.
 * Throws a `CtiError` saying what is wrong (the server answers it to the client).
 */
import type { Command } from '../core/commands.ts';
import { isOperation } from '../core/operations.ts';
import { CtiError, ErrorCode } from '../core/errors.ts';

const MAX_ID_LENGTH = 128;

export function parseCommand(value: unknown, fallbackId?: string): Command {
  const invalid = (message: string): CtiError =>
    new CtiError({ code: ErrorCode.InvalidArgument, message, commandId: fallbackId });
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid('A command must be a JSON object.');
  const { id, operation, args } = value as Record<string, unknown>;
  const commandId = id ?? fallbackId;
  if (typeof commandId !== 'string' || commandId.length === 0 || commandId.length > MAX_ID_LENGTH) {
    throw invalid(`A command needs an "id" string of 1..${MAX_ID_LENGTH} characters.`);
  }
  if (!isOperation(operation)) {
    throw new CtiError({
      code: ErrorCode.Unsupported,
      message: `Unknown operation ${JSON.stringify(String(operation)).slice(0, 60)}.`,
      commandId,
    });
  }
  if (args !== undefined && (!args || typeof args !== 'object' || Array.isArray(args))) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: '"args" must be an object.', operation, commandId });
  }
  return { id: commandId, operation, args: (args ?? {}) as never } as Command;
}
