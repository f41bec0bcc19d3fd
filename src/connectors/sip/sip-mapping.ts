/**
 * The phone's calls in canonical terms: a `PhoneCall` as a canonical `Call`, and the capability
 * flags that say what can be done in each state (docs/phone.md). Pure functions.
 */
import type { Call } from '../../core/model.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';
import type { Operation } from '../../core/operations.ts';
import type { PhoneCall } from '../../phone/phone-call.ts';

/** What a browser phone does: no agent states, no recording, no consult. */
export const SIP_SUPPORTS: readonly Operation[] = ['dial', 'answer', 'hangup', 'hold', 'retrieve', 'mute', 'unmute', 'sendDtmf', 'blindTransfer'];

export function toCall(call: PhoneCall): Call {
  const state = call.state === 'ended' ? 'talking' : call.state;
  const out: Call = {
    id: call.id,
    direction: call.direction,
    state,
    role: 'owner',
    remote: { ...call.remote },
    fields: [],
    recording: false,
    notes: [],
    timestamps: { offeredAt: call.offeredAt },
  };
  if (call.muted) out.muted = true;
  if (call.quality) out.quality = { ...call.quality };
  if (call.connectedAt !== undefined) out.timestamps.connectedAt = call.connectedAt;
  if (call.heldAt !== undefined && call.state === 'held') out.timestamps.heldAt = call.heldAt;
  return out;
}

/**
 * Talking: hold, hang up, tones, blind transfer (the matrix enables blind transfer from
 * `transfer` and `conference` with `leaveConsult` off; the phone has no conference, so the
 * connector leaves `conference` out of `supports`). Held: retrieve or hang up. Ringing and
 * dialling: hang up (decline, cancel). No call: dial.
 */
export function sipFlags(current: Call | undefined): CapabilityFlags {
  const talking = current?.state === 'talking';
  return {
    hold: talking,
    unhold: current?.state === 'held',
    transfer: talking,
    conference: talking,
    release: current !== undefined,
    disposition: false,
    originate: current === undefined,
    createCallback: false,
    sendDtmf: talking,
    updateRecord: false,
    leaveConference: false,
    leaveConsult: false,
    endConference: false,
    changeOwnership: false,
    ready: false,
    notReady: false,
    record: false,
  };
}
