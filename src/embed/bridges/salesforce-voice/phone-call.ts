/**
 * The bar's canonical `Call` as the Salesforce Voice SDK's `PhoneCall`. The SDK checks results
 * with `instanceof` its own classes, so every object is built with the SDK's constructors (one
 * copy of the SDK in the module).
 */
import { CallInfo, Constants, Contact, HoldToggleResult, PhoneCall, PhoneCallAttributes } from 'scv-connector-base';
import type { Call } from '../../../core/model.ts';

const { CALL_STATE, CALL_TYPE, PARTICIPANT_TYPE } = Constants as unknown as {
  CALL_STATE: Record<'RINGING' | 'CONNECTED' | 'TRANSFERRING' | 'TRANSFERRED' | 'ENDED', string>;
  CALL_TYPE: Record<'INBOUND' | 'OUTBOUND' | 'CALLBACK' | 'CONSULT', string>;
  PARTICIPANT_TYPE: Record<'AGENT' | 'INITIAL_CALLER' | 'THIRD_PARTY' | 'SUPERVISOR', string>;
};
export { CALL_STATE };

/** Our call states as SCV's: before the customer answers it rings; wrap-up means the call has ended. */
function stateOf(call: Call, ended: boolean): string {
  if (ended || call.state === 'wrapup') return CALL_STATE.ENDED;
  if (call.state === 'ringing' || call.state === 'dialing' || call.state === 'preview' || call.state === 'callback') return CALL_STATE.RINGING;
  return CALL_STATE.CONNECTED;
}

export function phoneCallOf(call: Call, options: { ended?: boolean } = {}): PhoneCall {
  const held = call.state === 'held';
  return new PhoneCall({
    callId: call.id,
    callType: call.state === 'callback' ? CALL_TYPE.CALLBACK : call.direction === 'inbound' ? CALL_TYPE.INBOUND : CALL_TYPE.OUTBOUND,
    contact: new Contact({ phoneNumber: call.remote.number, name: call.remote.name, type: 'PhoneNumber' }),
    state: stateOf(call, options.ended ?? false),
    phoneNumber: call.remote.number,
    callAttributes: new PhoneCallAttributes({ participantType: PARTICIPANT_TYPE.INITIAL_CALLER, isOnHold: held }),
    callInfo: new CallInfo({
      isOnHold: held,
      isMuted: call.muted ?? false,
      isRecordingPaused: !call.recording,
      isSoftphoneCall: true,
      callStateTimestamp: new Date(call.timestamps.connectedAt ?? call.timestamps.offeredAt),
    }),
  } as ConstructorParameters<typeof PhoneCall>[0]);
}

/** The id Salesforce knows the consulted party's leg by (the bar keeps it inside the customer's call). */
export const consultCallId = (callId: string) => `${callId}:consult`;

/** Calls Salesforce still shows: every call but one in wrap-up (its call has ended). */
export const activeCalls = (calls: readonly Call[]) => calls.filter((c) => c.state !== 'wrapup');

/**
 * Who is on hold among the active calls: the customer (held, or while the agent talks to the
 * consulted party) and the third party (while the agent talks to the customer); merged in a
 * conference. `calls` by id, as Salesforce's sample connector sends them (the SDK accepts both).
 */
export function holdToggleOf(all: readonly Call[]): HoldToggleResult {
  const calls = activeCalls(all);
  const consulting = calls.find((c) => c.consult?.state === 'connected');
  return new HoldToggleResult({
    isThirdPartyOnHold: consulting?.consult?.activeParty === 'customer',
    isCustomerOnHold: calls.some((c) => c.state === 'held') || consulting?.consult?.activeParty === 'consult',
    calls: Object.fromEntries(calls.map((c) => [c.id, phoneCallOf(c)])),
    isCallMerged: calls.some((c) => c.state === 'conferenceOwner' || c.state === 'conferencePassive'),
  } as unknown as ConstructorParameters<typeof HoldToggleResult>[0]);
}
