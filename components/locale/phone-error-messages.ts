import { msg, str } from '@lit/localize';
import type { Rule } from './error-messages.ts';

/**
 * The messages of the browser phone's own errors (src/phone: SIP call and registration failures,
 * the phone's option checks, calls in the wrong state) in the bar's locale. src/phone stays
 * locale-free and writes English, as src/core does; these rules recognise its exact sentences and
 * say them again, with what they carry (a SIP status, a server's reason phrase, a URL) unchanged.
 * Part of the locale runtime (dist/agent-bar-locale.js), which English pages never fetch.
 */

/** Why a call failed, as src/phone/sip-errors.ts words it (BY_STATUS, BY_CAUSE, REFUSED, FAILED). */
export function sipReasons(): Record<string, string> {
  return {
    'the SIP server refused the call': msg('the SIP server refused the call'),
    'there is no such number or user': msg('there is no such number or user'),
    'nobody answered in time': msg('nobody answered in time'),
    'the person is not available (offline or not registered)': msg('the person is not available (offline or not registered)'),
    'the number is incomplete': msg('the number is incomplete'),
    'the line is busy': msg('the line is busy'),
    'the call was cancelled': msg('the call was cancelled'),
    "the far end cannot take this call's audio": msg("the far end cannot take this call's audio"),
    'the SIP server cannot place calls now': msg('the SIP server cannot place calls now'),
    'the call was declined': msg('the call was declined'),
    'the connection to the SIP server was lost': msg('the connection to the SIP server was lost'),
    'the SIP server did not answer in time': msg('the SIP server did not answer in time'),
    'the browser was not allowed to use the microphone': msg('the browser was not allowed to use the microphone'),
    'the browser could not set up the audio': msg('the browser could not set up the audio'),
    'the audio stopped arriving': msg('the audio stopped arriving'),
    'the far end did not confirm the call': msg('the far end did not confirm the call'),
    "the call's SIP dialog failed": msg("the call's SIP dialog failed"),
    "the SIP server refused the phone's credentials": msg("the SIP server refused the phone's credentials"),
    'the person is not available': msg('the person is not available'),
    'the far end refused the call': msg('the far end refused the call'),
    'the call failed': msg('the call failed'),
  };
}

/** A phone call's states and the actions refused in them (src/phone/phone-call.ts, `#notNow`). */
function callStates(): Record<string, string> {
  return { ringing: msg('ringing'), dialing: msg('dialing'), talking: msg('in conversation'), held: msg('on hold'), ended: msg('ended') };
}
function callActions(): Record<string, string> {
  return { answer: msg('answer'), hold: msg('hold'), retrieve: msg('retrieve'), 'send tones': msg('send tones'), 'be transferred': msg('be transferred') };
}

const or = (table: Record<string, string>, english: string) => table[english] ?? english;

export const PHONE_RULES: Rule[] = [
  [/^Call failed: (.+?)( \(SIP \d+\))?\.$/, ([why, sip]) => msg(str`Call failed: ${or(sipReasons(), why!)}${sip ?? ''}.`)],
  [/^Transfer failed: (.+?)( \(SIP \d+\))?\.$/, ([why, sip]) => msg(str`Transfer failed: ${or(sipReasons(), why!)}${sip ?? ''}.`)],
  [/^The SIP server refused the phone's user name or password( \(SIP \d+\))?: check the SIP credentials\.$/, ([sip]) => msg(str`The SIP server refused the phone's user name or password${sip ?? ''}: check the SIP credentials.`)],
  [/^The SIP server refused the phone's registration( \(SIP .+\))?\.$/s, ([sip]) => msg(str`The SIP server refused the phone's registration${sip ?? ''}.`)],
  [/^The phone could not reach the SIP server\.$/, () => msg('The phone could not reach the SIP server.')],
  [/^The phone could not reach the SIP server at (.+)\.$/s, ([url]) => msg(str`The phone could not reach the SIP server at ${url}.`)],
  [/^The phone is not registered: the call was not placed\.$/, () => msg('The phone is not registered: the call was not placed.')],
  [/^The phone was stopped\.$/, () => msg('The phone was stopped.')],
  [/^The phone module did not load\.$/, () => msg('The phone module did not load.')],
  [/^There is no such call on the phone\.$/, () => msg('There is no such call on the phone.')],
  [/^The call is being renegotiated: try again in a moment\.$/, () => msg('The call is being renegotiated: try again in a moment.')],
  [/^The call is (\w+): it cannot (.+) now\.$/, ([state, action]) => msg(str`The call is ${or(callStates(), state!)}: it cannot ${or(callActions(), action!)} now.`)],
  [/^The browser phone needs a browser with WebRTC and WebSocket\.$/, () => msg('The browser phone needs a browser with WebRTC and WebSocket.')],
  [/^getCredentials\(\) must return \{ password \} \(and optionally username\)\.$/, () => msg('getCredentials() must return { password } (and optionally username).')],
  [/^The phone options must be an object: \{ endpoint, uri, getCredentials \}\.$/, () => msg('The phone options must be an object: { endpoint, uri, getCredentials }.')],
  [/^The phone's "endpoint" must be the SIP server's WebSocket URL \(ws:\/\/ or wss:\/\/\)\.$/, () => msg(`The phone's "endpoint" must be the SIP server's WebSocket URL (ws:// or wss://).`)],
  [/^The phone's "uri" must be a SIP address like sip:1001@pbx\.example\.com\.$/, () => msg('The phone\'s "uri" must be a SIP address like sip:1001@pbx.example.com.')],
  [/^The phone needs "getCredentials": a function returning \{ username\?, password \}\.$/, () => msg('The phone needs "getCredentials": a function returning { username?, password }.')],
  [/^The phone's "autoAnswer" must be one of (.+)\.$/, ([list]) => msg(str`The phone's "autoAnswer" must be one of ${list}.`)],
  [/^A device id must be the id the browser gave \(enumerateDevices\(\)\)\.$/, () => msg('A device id must be the id the browser gave (enumerateDevices()).')],
];
