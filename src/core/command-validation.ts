/**
 * Argument validation before a command is sent (docs/architecture.md: bad input gets a clear message and
 * changes nothing). Returns the arguments to send (numbers normalised to E.164, text trimmed) or
 * throws a `CtiError` INVALID_ARGUMENT with a message an agent can act on.
 */
import type { Operation } from './operations.ts';
import type { CommandArgs } from './commands.ts';
import type { Destination, Snapshot } from './model.ts';
import { CtiError, ErrorCode } from './errors.ts';
import type { CountryCode, PhoneNumberCheck } from './phone-number.ts';
import type { LoginFieldInfo } from './connector.ts';

/** `checkPhoneNumber` from phone-number.ts, passed in because the session loads it lazily. */
export type PhoneChecker = (input: unknown, defaultCountry: CountryCode) => PhoneNumberCheck;

const DTMF = /^[0-9*#]$/;
const DESTINATION_TYPES = new Set(['agent', 'external', 'queue']);

export function validateCommand<O extends Operation>(
  operation: O,
  args: CommandArgs[O],
  snapshot: Snapshot,
  defaultCountry: CountryCode,
  checkPhoneNumber: PhoneChecker,
  loginFields: readonly LoginFieldInfo[] = [],
): CommandArgs[O] {
  const invalid = (message: string): never => {
    throw new CtiError({ code: ErrorCode.InvalidArgument, operation, severity: 'minor', message });
  };
  if (args === null || typeof args !== 'object') invalid('The command arguments are missing.');
  const a = { ...(args as Record<string, unknown>) };
  const text = (key: string, what: string, required: boolean): string | undefined => {
    const v = a[key];
    if (v === undefined || v === null || v === '') {
      if (required) invalid(`${what} is required.`);
      return undefined;
    }
    if (typeof v !== 'string') return invalid(`${what} must be text.`);
    const t = v.trim();
    if (required && t === '') invalid(`${what} is required.`);
    return t;
  };
  /** An optional short reference (CRM record id, recording tag): printable text, ≤ 64 characters. */
  const reference = (key: string, what: string): string | undefined => {
    const t = text(key, what, false);
    if (t === undefined || t === '') return undefined;
    if (t.length > 64 || /[\u0000-\u001f\u007f]/.test(t)) invalid(`${what} must be text of at most 64 characters.`);
    a[key] = t;
    return t;
  };
  const phone = (key: string, required: boolean) => {
    const v = a[key];
    if (v === undefined && !required) return;
    const check = checkPhoneNumber(v, defaultCountry);
    if (!check.ok) invalid(check.message);
    else a[key] = check.number;
  };

  switch (operation) {
    case 'dial': {
      phone('number', true);
      const recordId = reference('recordId', 'The CRM record id');
      if (recordId === undefined) delete a.recordId;
      break;
    }
    case 'startRecording': {
      const tag = reference('tag', 'The recording tag');
      if (tag === undefined) delete a.tag;
      break;
    }
    case 'previewDial':
    case 'addToDnc':
    case 'redial':
      phone('number', false);
      break;
    case 'notReady': {
      const code = text('reasonCode', 'A not-ready reason', true);
      if (!snapshot.reasons.some((r) => r.code === code)) invalid(`"${code}" is not a known not-ready reason.`);
      a.reasonCode = code;
      break;
    }
    case 'sendDtmf': {
      const d = a.digit;
      if (typeof d !== 'string' || !DTMF.test(d)) invalid('Send one keypad digit at a time: 0-9, * or #.');
      break;
    }
    case 'consult':
    case 'blindTransfer':
      a.destination = destination(a.destination, snapshot, defaultCountry, checkPhoneNumber, invalid);
      break;
    case 'wrapUp': {
      const code = text('code', 'A disposition', true);
      const call = snapshot.calls.find((c) => c.id === a.callId) ?? snapshot.calls[0];
      const known = snapshot.dispositions.some((d) => d.code === code) || call?.wrapup?.defaultCode === code;
      // A backend that sends no disposition list accepts codes we cannot check.
      if (snapshot.dispositions.length > 0 && !known) invalid(`"${code}" is not a known disposition.`);
      a.code = code;
      const notes = text('notes', 'Notes', false);
      if (notes === undefined) delete a.notes;
      else a.notes = notes;
      break;
    }
    case 'createCallback': {
      const time = text('time', 'A callback time', true)!;
      if (Number.isNaN(Date.parse(time))) invalid(`"${time}" is not a date and time.`);
      phone('number', false);
      const target = text('target', 'The callback target', false);
      if (target !== undefined && !(snapshot.callbackTargets ?? []).some((t) => t.id === target)) invalid(`"${target}" is not a callback target on offer.`);
      break;
    }
    case 'addNote':
      a.note = text('note', 'A note', true);
      break;
    case 'setCustomerField':
      a.key = text('key', 'The field', true);
      if (typeof a.value !== 'string') invalid('The field value must be text.');
      break;
    case 'login':
      text('agentId', 'An agent id', true);
      // The connector's declared login fields (POM: extension, zone, password …), by their labels.
      for (const field of loginFields) {
        const value = a[field.name];
        if (typeof value === 'boolean' && !field.secret) continue;
        // Secrets are sent as typed (a password may start with a space); the rest is trimmed.
        if (field.secret) {
          if (value !== undefined && typeof value !== 'string') invalid(`${field.label} must be text.`);
          if (field.required && (typeof value !== 'string' || value === '')) invalid(`${field.label} is required.`);
        } else {
          const t = text(field.name, field.label, field.required === true);
          if (t !== undefined) a[field.name] = t;
        }
      }
      break;
    default:
      break;
  }
  return a as CommandArgs[O];
}

function destination(
  value: unknown,
  snapshot: Snapshot,
  defaultCountry: CountryCode,
  checkPhoneNumber: PhoneChecker,
  invalid: (m: string) => never,
): Destination {
  if (!value || typeof value !== 'object') return invalid('Choose a destination.');
  const d = value as Partial<Destination>;
  if (typeof d.type !== 'string' || !DESTINATION_TYPES.has(d.type)) return invalid('Choose a destination.');
  const listed = snapshot.destinations.find((x) => x.id === d.id && x.type === d.type);
  if (listed) return { ...listed };
  if (d.type === 'external') {
    // A free-form external number (POM "ExternalNumber").
    const check = checkPhoneNumber(d.number ?? d.id, defaultCountry);
    if (!check.ok) return invalid(check.message);
    return { id: check.number, type: 'external', label: d.label || check.number, number: check.number };
  }
  if (typeof d.id !== 'string' || d.id.trim() === '') return invalid('Choose a destination.');
  return { id: d.id, type: d.type, label: typeof d.label === 'string' && d.label ? d.label : d.id, ...(d.number ? { number: d.number } : {}) };
}
