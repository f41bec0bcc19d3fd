/**
 * Canonical → Noetica (docs/connectors/noetica.md §7): what the connector supports and which SDK
 * method with which body each command becomes. Bad input (an unknown call, a number Noetica would
 * not take, a command with nothing to act on) is refused here, before anything is sent.
 */
import type { Command } from '../../core/commands.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import type { SdkCommand } from './binding.ts';
import { PREVIEW_PREFIX, type NoeticaView } from './noetica-mapping.ts';
import { PHONE, type CommandBodies, type WireCall } from './wire.ts';

/**
 * Exactly what the SDK has. No blind transfer or conference (the overview promises them, the
 * method list has neither), no DTMF, recording, callbacks, notes or DNC, and no preview skip.
 */
export const NOETICA_SUPPORTS = [
  'login',
  'logout',
  'ready',
  'notReady',
  'busy',
  'free',
  'dial',
  'answer',
  'hangup',
  'hold',
  'retrieve',
  'consult',
  'alternate',
  'completeTransfer',
  'cancelConsult',
  'wrapUp',
  'nextRecord',
  'previewDial',
] as const satisfies readonly Operation[];

export type SdkRequest = { [M in SdkCommand]: { method: M; body: CommandBodies[M] } }[SdkCommand];

export interface RequestContext {
  view: NoeticaView;
  /** The extension used when the login form gives none: the user's own (the agent id). */
  defaultExtension: string;
}

/** The SDK request for a command (`nextRecord` is a GET: the connector's own). */
export function toSdkRequest(command: Command, ctx: RequestContext): SdkRequest {
  const operation = command.operation;
  const calls = ctx.view.telephony.calls;
  switch (command.operation) {
    case 'login': {
      const extension = text(command.args.extension) ?? ctx.defaultExtension;
      if (!/^[0-9A-Za-z*#+._-]{1,32}$/.test(extension)) throw invalid(operation, 'An extension is letters and digits (at most 32).');
      const password = command.args.password;
      return { method: 'RequestLogin', body: typeof password === 'string' && password !== '' ? { extension, password } : { extension } };
    }
    case 'logout':
      return { method: 'RequestLogout', body: {} };
    case 'ready':
      // Ready ends whichever of Noetica's two "no calls" states the agent is in.
      return ctx.view.telephony.status === 'Busy' ? { method: 'SetUserFree', body: {} } : { method: 'CancelBreak', body: {} };
    case 'notReady': {
      const reasonCode = text(command.args.reasonCode);
      if (!reasonCode) throw invalid(operation, 'A break reason is required.');
      return { method: 'RequestBreak', body: { reasonCode } };
    }
    case 'busy':
      return { method: 'SetUserBusy', body: {} };
    case 'free':
      return { method: 'SetUserFree', body: {} };
    case 'dial':
      // The CRM's record id is not Noetica's dialler record: it is not sent.
      return { method: 'Dial', body: { number: phoneOf(command.args.number, operation) } };
    case 'previewDial': {
      const record = ctx.view.dialler.record;
      const wanted = command.args.callId;
      if (!record || (wanted !== undefined && wanted !== `${PREVIEW_PREFIX}${record.recordId}`)) {
        throw new CtiError({ code: ErrorCode.NotAllowed, operation, severity: 'minor', message: 'There is no dialler record to dial.' });
      }
      const number = command.args.number === undefined ? record.phones[0] : phoneOf(command.args.number, operation);
      return { method: 'Dial', body: { number: phoneOf(number, operation), recordId: record.recordId } };
    }
    case 'answer':
      return { method: 'Answer', body: { callId: target(calls, command.args.callId, operation, (c) => c.state === 'Ringing').callId } };
    case 'hangup':
      return { method: 'HangUp', body: { callId: target(calls, command.args.callId, operation, (c) => c.state !== 'WrapUp').callId } };
    case 'hold':
      return { method: 'HoldCall', body: { callId: target(calls, command.args.callId, operation, (c) => c.state === 'Connected').callId } };
    case 'retrieve':
      return { method: 'RetrieveHeldCall', body: { callId: target(calls, command.args.callId, operation, (c) => c.state === 'Held').callId } };
    case 'consult': {
      const destination = command.args.destination;
      const call = target(calls, command.args.callId, operation, (c) => (c.state === 'Connected' || c.state === 'Held') && !c.consultation);
      return { method: 'InitiateCallTransfer', body: { callId: call.callId, destination: phoneOf(destination?.number ?? destination?.id, operation) } };
    }
    case 'alternate':
      return { method: 'AlternateLine', body: { callId: target(calls, command.args.callId, operation, (c) => !!c.consultation).callId } };
    case 'completeTransfer':
      return { method: 'CompleteTransfer', body: { callId: target(calls, command.args.callId, operation, (c) => !!c.consultation).callId } };
    case 'cancelConsult':
      return { method: 'AbandonTransfer', body: { callId: target(calls, command.args.callId, operation, (c) => !!c.consultation).callId } };
    case 'wrapUp': {
      const call = target(calls, command.args.callId, operation, (c) => c.state === 'WrapUp');
      const dispositionCode = text(command.args.code);
      if (!dispositionCode) throw invalid(operation, 'A disposition is required.');
      const notes = text(command.args.notes);
      return {
        method: 'DispositionRecord',
        body: { callId: call.callId, dispositionCode, ...(call.recordId ? { recordId: call.recordId } : {}), ...(notes ? { notes: notes.slice(0, 1000) } : {}) },
      };
    }
    default:
      throw new CtiError({ code: ErrorCode.Unsupported, operation, message: `Noetica cannot ${operation}.` });
  }
}

/** A number for the binding: spaces, dots, dashes and brackets dropped; digits with an optional +. */
export function phoneOf(number: unknown, operation: Operation): string {
  const compact = typeof number === 'string' ? number.replace(/[\s.()-]/g, '') : '';
  if (!PHONE.test(compact)) throw invalid(operation, 'Noetica dials telephone numbers: digits with an optional leading +.');
  return compact;
}

/** The call a command is for: the one named (it must be on the line), else the first that fits. */
function target(calls: readonly WireCall[], callId: string | undefined, operation: Operation, fits: (call: WireCall) => boolean): WireCall {
  if (typeof callId === 'string' && callId !== '') {
    const named = calls.find((c) => c.callId === callId);
    if (!named) throw invalid(operation, 'There is no such call on Noetica.');
    return named;
  }
  const call = calls.find(fits);
  if (!call) throw new CtiError({ code: ErrorCode.NotAllowed, operation, severity: 'minor', message: 'There is no call for this.' });
  return call;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function invalid(operation: Operation, message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, operation, severity: 'minor', message });
}
