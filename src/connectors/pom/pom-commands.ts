/**
 * Canonical → POM: each canonical command as the POM command the desktop sends (one to one, except
 * wrap-up with notes: AGTAddAgentNote then AGTWrapupContact; blind transfer is a consult completed
 * at once, which the connector sequences). Pure: the current `PomView` supplies the sessionID, the
 * consult party and the cached lists. A command POM cannot take is refused here with a clear
 * error and nothing is sent.
 */
import type { Operation } from '../../core/operations.ts';
import type { Command } from '../../core/commands.ts';
import type { Destination, Reason } from '../../core/model.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { OPERATION_LABELS } from '../../core/operation-labels.ts';
import { CALLBACK_TYPES, EXTERNAL_NUMBER, type PomCallbackDest, type PomCallbackType, type PomCommandName, type PomContactNumber, type PomDestination } from './protocol.ts';
import type { PomView, SentCommand } from './pom-view.ts';

export { POM_SUPPORTS } from './supports.ts';

/** The walk-away reason sent with `hasWalkedAway=true` (the desktop configures reasons). */
export const WALK_AWAY_REASON: Reason = { code: 'WALKAWAY', label: 'Walked away' };

export interface CommandContext {
  /** The desktop-configured not-ready reasons (POM supplies none). */
  reasons: readonly Reason[];
  /** Callback type used by `createCallback` (default Agent: the agent's own callback). */
  callbackType?: 'Standard' | 'Agent' | 'Campaign';
  /** Minutes a callback stays valid after its time (default 60). */
  callbackExpiryMinutes?: number;
}

/** The POM commands for one canonical command, in order. */
export function toPomCommands(command: Command, view: PomView, ctx: CommandContext): SentCommand[] {
  const op = command.operation;
  const a = command.args as Record<string, unknown>;
  const session = () => sessionOf(view, a.callId, op);
  switch (op) {
    case 'login':
      return [{ name: 'AGTLogon', args: logonArgs(a) }];
    case 'logout':
      return [{ name: 'AGTLogoff', args: {} }];
    case 'ready':
      return [{ name: 'AGTStateChange', args: { agentState: 'Ready', reasonCode: '', reasonName: '', hasWalkedAway: false } }];
    case 'notReady': {
      const walkedAway = a.reasonCode === WALK_AWAY_REASON.code;
      const reason = walkedAway ? WALK_AWAY_REASON : ctx.reasons.find((r) => r.code === a.reasonCode);
      if (!reason) throw invalid(op, `"${String(a.reasonCode)}" is not one of the configured not-ready reasons.`);
      return [{ name: 'AGTStateChange', args: { agentState: 'NotReady', reasonCode: reason.code, reasonName: reason.label, hasWalkedAway: walkedAway }, reason }];
    }
    case 'hold':
      return [{ name: 'AGTHoldCall', args: { sessionID: session() } }];
    case 'retrieve':
      return [{ name: 'AGTUnholdCall', args: { sessionID: session() } }];
    case 'hangup':
      return [{ name: 'AGTReleaseLine', args: { sessionID: session() } }];
    case 'sendDtmf':
      return [{ name: 'AGTSendDTMF', args: { dtmf: String(a.digit), sessionID: session() } }];
    case 'consult':
    case 'blindTransfer':
      return [{ name: 'AGTConsultCall', args: { destination: toPomDestination(a.destination as Destination, view, op), sessionID: session() } }];
    case 'completeTransfer':
      return [{ name: 'AGTCompleteTransfer', args: { sessionID: session() } }];
    case 'cancelConsult': {
      const sessionID = session();
      const c = view.call!;
      const dest = c.role === 'owner' ? (c.consult?.destination.destinationType === 'Agent' ? c.consult.destination.id : c.otherAgentId) : c.otherAgentId;
      return [{ name: 'AGTCancelConsult', args: { destAgentID: dest ?? null, sessionID } }];
    }
    case 'conference':
      return [{ name: 'AGTStartConf', args: { sessionID: session() } }];
    case 'leaveConference':
    case 'endConference':
      return [{ name: 'AGTEndConf', args: { sessionID: session() } }];
    case 'changeConferenceOwner':
      return [{ name: 'AGTConfChangeOwnership', args: { sessionID: session() } }];
    case 'wrapUp': {
      const sessionID = session();
      const code = String(a.code);
      const known = view.codes.find((c) => c.code === code);
      const out: SentCommand[] = [];
      if (typeof a.notes === 'string' && a.notes.trim() !== '') out.push({ name: 'AGTAddAgentNote', args: { agentNote: a.notes } });
      out.push({ name: 'AGTWrapupContact', args: { completionCode: { code, name: known?.name ?? code }, sessionID } });
      return out;
    }
    case 'extendWrapUp':
      return [{ name: 'AGTExtendWrapup', args: { sessionID: session() } }];
    case 'previewDial':
      return [{ name: 'AGTPreviewDial', args: { contactNumber: contactNumber(view, a.number), sessionID: session() } }];
    case 'previewSkip':
      return [{ name: 'AGTPreviewCancel', args: { sessionID: session() } }];
    case 'createCallback': {
      const sessionID = session();
      const when = new Date(String(a.time));
      if (Number.isNaN(when.getTime())) throw invalid(op, 'The callback time is not a valid date and time.');
      return [
        {
          name: 'AGTCreateCallback',
          args: {
            ...callbackTarget(op, view, a.target, ctx.callbackType ?? 'Agent'),
            callbackTime: pomTime(when),
            // The time itself is UTC (POM's format); the zone is the one the agent logged on in.
            callbackTimezone: view.timeZone ?? 'UTC',
            // POM's default expiry when it gave one (AGTGetCallbackTypes), else an hour.
            callbackExpiryTime: ctx.callbackExpiryMinutes !== undefined ? String(ctx.callbackExpiryMinutes) : (view.call?.callbackExpiry ?? '60'),
            contactNumber: contactNumber(view, a.number),
            agentNotes: typeof a.notes === 'string' ? a.notes : '',
            sessionID,
          },
        },
      ];
    }
    case 'addNote':
      return [{ name: 'AGTAddAgentNote', args: { agentNote: String(a.note) } }];
    case 'setCustomerField': {
      const sessionID = session();
      const attribute = view.call!.attributes.find((x) => x.name === a.key);
      if (!attribute) throw invalid(op, `The customer record has no field "${String(a.key)}".`);
      if (attribute.type === 'READ_ONLY' || attribute.type === 'SCREEN_POP') throw invalid(op, `${attribute.name} is read-only.`);
      return [{ name: 'AGTSetCustomerDetail', args: { pomKeyValuePair: { key: attribute.name, value: String(a.value) }, sessionID } }];
    }
    case 'redial':
      // AGTRedial takes no sessionID: POM redials the contact of this agent's wrap-up.
      return [{ name: 'AGTRedial', args: { contactNumber: contactNumber(view, a.number) } }];
    case 'addToDnc': {
      const number = typeof a.number === 'string' && a.number !== '' ? a.number : view.call?.contact.contactNumbers[0]?.Number;
      if (!number) throw invalid(op, 'There is no number to add to the do-not-call list.');
      return [{ name: 'AGTAddToDNC', args: { addressList: [{ name: 'Phone', value: number, type: 'READ_ONLY' }] } }];
    }
    default:
      throw new CtiError({ code: ErrorCode.Unsupported, operation: op, message: `${OPERATION_LABELS[op]} is not available with Avaya POM.` });
  }
}

/** AGTLogon's arguments from the logon form: CC Elite, or the AACC overload when an agent name is given. */
export function logonArgs(a: Record<string, unknown>): Record<string, unknown> {
  const text = (key: string, fallback?: string) => (typeof a[key] === 'string' && (a[key] as string).trim() !== '' ? (a[key] as string).trim() : fallback);
  const extension = text('extension');
  const zone = text('zone');
  if (!extension) throw invalid('login', 'Enter your extension.');
  if (!zone) throw invalid('login', 'Enter your zone.');
  const args: Record<string, unknown> = {
    agentExt: extension,
    // The library refuses null; an empty password is valid where Communication Manager's is empty.
    pwd: typeof a.password === 'string' ? a.password : '',
    isForce: a.force === true || (typeof a.force === 'string' && ['yes', 'y', 'true', 'on', '1'].includes(a.force.trim().toLowerCase())),
    locale: text('locale', 'en_US'),
    timeZone: text('timeZone', 'UTC'),
    zoneName: zone,
  };
  const agentName = text('agentName');
  if (agentName) {
    args.agentName = agentName;
    args.agentSkills = [];
  }
  return args;
}

export function sessionOf(view: PomView, callId: unknown, op: Operation): string {
  const call = view.call;
  if (!call || (typeof callId === 'string' && callId !== call.sessionID)) {
    throw new CtiError({ code: ErrorCode.NotAllowed, operation: op, severity: 'minor', message: `${OPERATION_LABELS[op]}: there is no such call.` });
  }
  return call.sessionID;
}

/** A canonical destination as POMDestination; a number not in POM's lists is free-form (ExternalNumber). */
export function toPomDestination(d: Destination | undefined, view: PomView, op: Operation): PomDestination {
  if (!d || typeof d !== 'object') throw invalid(op, 'Choose a destination.');
  const listed = view.call?.destinations.find((x) => x.id === d.id && (x.destinationType === 'Agent') === (d.type === 'agent'));
  if (listed) return listed;
  if (d.type === 'agent') return { destinationType: 'Agent', id: d.id, name: d.label ?? d.id };
  const address = d.number ?? d.id;
  if (!view.call?.allowFreeForm) throw invalid(op, 'This campaign does not allow consulting a number typed by hand; choose a destination from the list.');
  return { destinationType: 'External', id: EXTERNAL_NUMBER, name: address, address };
}

/** The contact's number, or a free-form one (Name "ExternalNumber"). */
export function contactNumber(view: PomView, number: unknown): PomContactNumber {
  const numbers = view.call?.contact.contactNumbers ?? [];
  if (typeof number !== 'string' || number === '') {
    const first = numbers[0];
    if (!first) throw invalid('previewDial', 'The contact has no number to dial.');
    return first;
  }
  return numbers.find((n) => n.Number === number) ?? { Name: EXTERNAL_NUMBER, Number: number };
}

/**
 * The chosen callback target (see `toCallbackTargets`) as AGTCreateCallback's type and
 * destination; none chosen: the desktop's default type, no destination.
 */
function callbackTarget(op: Operation, view: PomView, target: unknown, fallback: PomCallbackType): { callbackType: PomCallbackType; callbackDest: PomCallbackDest | null } {
  if (typeof target !== 'string' || target === '') return { callbackType: fallback, callbackDest: null };
  const [type, ...rest] = target.split(':');
  const id = rest.join(':');
  if (!(CALLBACK_TYPES as readonly string[]).includes(type!)) throw invalid(op, `"${target}" is not a callback target POM offered.`);
  if (id === '') return { callbackType: type as PomCallbackType, callbackDest: null };
  const dest = view.call?.callbackDests.find((d) => d.callbackType === type && d.id === id);
  if (!dest) throw invalid(op, `"${target}" is not a callback target POM offered.`);
  return { callbackType: dest.callbackType, callbackDest: { callbackType: dest.callbackType, id: dest.id, name: dest.name } };
}

/** POM's callback time: UTC `yyyy/MM/dd HH:mm`. */
export function pomTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

function invalid(op: Operation, message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, operation: op, severity: 'minor', message });
}

export type { PomCommandName };
