import { msg, str } from '@lit/localize';
import { PHONE_RULES } from './phone-error-messages.ts';

/**
 * The messages of the errors our own code raises (src/core: session, argument and phone-number
 * checks), in the bar's locale. The core stays DOM- and locale-free and writes English; this
 * module recognises those exact English sentences and says them again in the active locale.
 * The browser phone's own sentences (src/phone) have their rules in phone-error-messages.ts.
 * Anything else (a vendor's own text, a connector's detail) is shown as the backend wrote it.
 *
 * A lazy module (dist/agent-bar-locale-errors.js), fetched with a translation table: English
 * never needs it, since the source messages are already English.
 */

/** Operation names as in src/core/operation-labels.ts (which the English messages use). */
function operationLabels(): Record<string, string> {
  return {
    'Log in': msg('Log in'),
    'Log out': msg('Log out'),
    Ready: msg('Ready'),
    'Not ready': msg('Not ready'),
    Busy: msg('Busy'),
    Free: msg('Free'),
    Dial: msg('Dial'),
    Answer: msg('Answer'),
    'Hang up': msg('Hang up'),
    Hold: msg('Hold'),
    Retrieve: msg('Retrieve'),
    Keypad: msg('Keypad'),
    'Start recording': msg('Start recording'),
    'Stop recording': msg('Stop recording'),
    Consult: msg('Consult'),
    'Blind transfer': msg('Blind transfer'),
    Alternate: msg('Alternate'),
    'Complete transfer': msg('Complete transfer'),
    'Cancel consult': msg('Cancel consult'),
    Conference: msg('Conference'),
    'Leave conference': msg('Leave conference'),
    'End conference': msg('End conference'),
    'Change conference owner': msg('Change conference owner'),
    'Wrap up': msg('Wrap up'),
    'Extend wrap-up': msg('Extend wrap-up'),
    'Preview dial': msg('Preview dial'),
    Skip: msg('Skip'),
    'Next record': msg('Next record'),
    'Schedule callback': msg('Schedule callback'),
    'Add note': msg('Add note'),
    'Update customer details': msg('Update customer details'),
    'Add to do-not-call list': msg('Add to do-not-call list'),
    Redial: msg('Redial'),
    Mute: msg('Mute'),
    Unmute: msg('Unmute'),
  };
}

/** `[English sentence, its translation]`; `$1` … are the parts taken over (numbers, names as typed). */
export type Rule = [RegExp, (parts: string[], label: (english: string) => string) => string];

const RULES: Rule[] = [
  [/^(.+) is already in progress\.$/, ([op], label) => msg(str`${label(op!)} is already in progress.`)],
  [/^(.+) was not sent: the bar is reconnecting to the contact centre\.$/, ([op], label) => msg(str`${label(op!)} was not sent: the bar is reconnecting to the contact centre.`)],
  [/^(.+) was not sent: the bar is not connected to the contact centre\.$/, ([op], label) => msg(str`${label(op!)} was not sent: the bar is not connected to the contact centre.`)],
  [/^(.+) is not available with this contact centre\.$/, ([op], label) => msg(str`${label(op!)} is not available with this contact centre.`)],
  [/^(.+) is not available right now\.$/, ([op], label) => msg(str`${label(op!)} is not available right now.`)],
  [/^(.+) got no answer from the contact centre in time\.$/, ([op], label) => msg(str`${label(op!)} got no answer from the contact centre in time.`)],
  [/^The agent bar session has ended\.$/, () => msg('The agent bar session has ended.')],
  [/^Enter a phone number to dial\.$/, () => msg('Enter a phone number to dial.')],
  [/^"(.*)" is not a phone number: use digits, optionally starting with \+\.$/s, ([n]) => msg(str`"${n}" is not a phone number: use digits, optionally starting with +.`)],
  [/^"(.*)" is not a phone number this agent bar can dial \(unknown or unsupported country code\)\.$/s, ([n]) => msg(str`"${n}" is not a phone number this agent bar can dial (unknown or unsupported country code).`)],
  [/^"(.*)" is not a valid phone number\.$/s, ([n]) => msg(str`"${n}" is not a valid phone number.`)],
  [/^"(.*)" is not a valid (\w*) ?phone number: check the number of digits\.$/s, ([n, country]) => msg(str`"${n}" is not a valid ${country} phone number: check the number of digits.`)],
  [/^"(.*)" is not a known not-ready reason\.$/s, ([r]) => msg(str`"${r}" is not a known not-ready reason.`)],
  [/^"(.*)" is not a known disposition\.$/s, ([d]) => msg(str`"${d}" is not a known disposition.`)],
  [/^"(.*)" is not a date and time\.$/s, ([t]) => msg(str`"${t}" is not a date and time.`)],
  [/^Send one keypad digit at a time: 0-9, \* or #\.$/, () => msg('Send one keypad digit at a time: 0-9, * or #.')],
  [/^Choose a destination\.$/, () => msg('Choose a destination.')],
];

/** The message of `error` in the active locale, or as written when it is not one of ours. */
export function translateError(error: { message: string }): string {
  const labels = operationLabels();
  const label = (english: string) => labels[english] ?? english;
  for (const [pattern, say] of [...RULES, ...PHONE_RULES]) {
    const match = pattern.exec(error.message);
    if (match) return say(match.slice(1), label).replace('  ', ' ');
  }
  return error.message;
}
