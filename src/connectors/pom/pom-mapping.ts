/**
 * POM → canonical: the desktop's view of POM (`PomView`) as the bar's model, and the canonical
 * events that take the session from one view to the next. Pure functions; the connector only
 * feeds them. The rules (which POM state is which canonical state, role, timers …) are listed in
 * docs/connectors/pom.md ("Events").
 */
import type { AgentState, Call, CallbackTarget, CallState, CustomerField, Destination, Disposition, FieldType, PhoneLineState, Reason } from '../../core/model.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';
import { fromPomCapabilities } from './capabilities.ts';
import type { PomAttributeType, PomCallbackType, PomCallState, PomDestination } from './protocol.ts';
import type { PomView } from './pom-view.ts';

export interface CanonicalPicture {
  agentState: AgentState;
  reason?: Reason;
  call?: Call;
  /** `null` while POM has not sent capabilities yet (logged out: nothing is possible). */
  flags: CapabilityFlags | null;
  dispositions: Disposition[];
  destinations: Destination[];
  callbackTargets: CallbackTarget[];
  /** The nailing state while logged on. */
  phoneLine?: PhoneLineState;
  /** The job POM attached the agent to (AGTJobAttached), with or without a call. */
  job?: string;
}

const CALL_STATE: Partial<Record<PomCallState, CallState>> = {
  Preview: 'preview',
  Callback: 'callback',
  Dialing: 'dialing',
  Talking: 'talking',
  Held: 'held',
  Wrapup: 'wrapup',
  Consult: 'consult',
  ConferenceOwner: 'conferenceOwner',
  ConferencePassive: 'conferencePassive',
};

const FIELD_TYPE: Record<PomAttributeType, FieldType> = {
  READ_ONLY: 'readOnly',
  WRITE: 'write',
  SCREEN_POP: 'screenPop',
  MASKED_WRITE: 'maskedWrite',
};

/** POM's system attribute names, as a person would read them. */
const LABELS: Record<string, string> = {
  FirstName: 'First name',
  LastName: 'Last name',
  email: 'Email',
  Phone: 'Phone',
  Address: 'Address',
  Title: 'Title',
};

export function agentStateOf(view: PomView): AgentState {
  if (!view.loggedOn) return 'loggedOut';
  return view.agentState === 'Ready' ? 'ready' : view.agentState === 'NotReady' ? 'notReady' : 'pendingNotReady';
}

/** What each callback type without a destination means to the agent. */
const OWN_TARGET: Partial<Record<PomCallbackType, string>> = { Agent: 'Myself', Standard: 'Any agent of the campaign' };

/**
 * The callback targets on offer: a target id is the POM callback type, then `:` and the
 * destination's id for one of AGTGetCallbackDestsForType's (ours, read back by `callbackTarget`).
 * The desktop's default type comes first (the choice the bar shows preselected).
 */
export function toCallbackTargets(view: PomView, defaultType: PomCallbackType = 'Agent'): CallbackTarget[] {
  const call = view.call;
  if (!call?.callbackTypes) return [];
  const types = [...call.callbackTypes].sort((a, b) => Number(b === defaultType) - Number(a === defaultType));
  const out: CallbackTarget[] = [];
  for (const type of types) {
    const own = OWN_TARGET[type];
    if (own) out.push({ id: type, label: own });
    for (const d of call.callbackDests) {
      if (d.callbackType === type && !(type === 'Agent' && d.id === view.agentId)) out.push({ id: `${type}:${d.id}`, label: `${type} ${d.name || d.id}` });
    }
  }
  return out;
}

export function toCanonical(view: PomView, defaultCallbackType?: PomCallbackType): CanonicalPicture {
  const agentState = agentStateOf(view);
  const picture: CanonicalPicture = {
    agentState,
    flags: view.loggedOn && view.capabilities ? fromPomCapabilities(view.capabilities) : null,
    dispositions: view.codes.map((c) => ({ code: c.code, label: c.name || c.code })),
    destinations: view.call ? view.call.destinations.map(toDestination) : [],
    callbackTargets: toCallbackTargets(view, defaultCallbackType),
  };
  if (view.reason && (agentState === 'notReady' || agentState === 'pendingNotReady')) picture.reason = view.reason;
  const call = view.loggedOn ? toCall(view) : undefined;
  if (call) picture.call = call;
  picture.phoneLine = view.loggedOn ? phoneLineOf(view) : 'notNailed';
  if (view.loggedOn && view.campaign) picture.job = view.campaign;
  return picture;
}

export function phoneLineOf(view: PomView): PhoneLineState {
  switch (view.nailup) {
    case 'NailedUp':
      return 'nailedUp';
    case 'PendingNailup':
      return view.readyForNailupSent ? 'readyForNailup' : 'pendingNailup';
    case 'PendingNailupDrop':
      return 'pendingNailupDrop';
    case 'NailingLost':
      return 'nailingLost';
    default:
      return view.offeredForNailup ? 'availableForNailup' : 'notNailed';
  }
}

export function toCall(view: PomView): Call | undefined {
  const c = view.call;
  const state = CALL_STATE[view.callState];
  if (!c || !state) return undefined;
  const isCallback = c.contact.contactType === 'Callback';
  const numbers = (c.contact.contactNumbers ?? []).map((n) => n.Number).filter((n) => typeof n === 'string' && n !== '');
  const call: Call = {
    id: c.sessionID,
    direction: c.contact.contactType === 'Inbound' ? 'inbound' : 'outbound',
    state: state === 'preview' && isCallback ? 'callback' : state,
    role: c.role,
    remote: c.contact.customerName ? { number: numbers[0] ?? '', name: c.contact.customerName } : { number: numbers[0] ?? '' },
    fields: c.attributes.map(toField),
    recording: false,
    notes: [...c.notes],
    timestamps: {
      offeredAt: c.offeredAt,
      ...(c.connectedAt !== undefined ? { connectedAt: c.connectedAt } : {}),
      ...(state === 'held' && c.heldAt !== undefined ? { heldAt: c.heldAt } : {}),
      ...(state === 'wrapup' && c.wrapup ? { wrapupAt: c.wrapup.at } : {}),
    },
  };
  if (c.contact.campaignName) call.campaign = c.contact.campaignName;
  if (c.conferenceKind && (state === 'conferenceOwner' || state === 'conferencePassive')) call.conferenceKind = c.conferenceKind;
  if (c.consult && c.role === 'owner' && (state === 'consult' || state === 'talking')) {
    call.consult = {
      destination: toDestination(c.consult.destination),
      state: c.consult.connected ? 'connected' : 'dialing',
      activeParty: 'consult',
      startedAt: c.offeredAt,
    };
  }
  if (state === 'preview' || state === 'callback') {
    const timeoutSec = Math.max(0, Number(c.contact.previewTimeout ?? 0) || 0);
    call.preview = {
      timeoutSec,
      numbers: numbers.length ? numbers : [''],
      isCallback,
      ...(timeoutSec > 0 ? { deadline: c.offeredAt + timeoutSec * 1000 } : {}),
    };
  }
  if (state === 'wrapup' && c.wrapup) {
    const maxTimeSec = Math.max(0, Number(c.wrapup.acwMaxTime) || 0);
    call.wrapup = {
      // The contact's numbers, for Redial and Schedule callback (the first is the default).
      ...(numbers.length ? { numbers } : {}),
      maxTimeSec,
      extendable: c.wrapup.acwExtendable === true,
      defaultCode: String(c.wrapup.defaultCompCode ?? ''),
      ...(maxTimeSec > 0 ? { deadline: c.wrapup.at + maxTimeSec * 1000 } : {}),
    };
  }
  return call;
}

export function toField(a: { name: string; value: string; type: PomAttributeType }): CustomerField {
  return { key: a.name, label: LABELS[a.name] ?? humanise(a.name), value: String(a.value ?? ''), type: FIELD_TYPE[a.type] ?? 'readOnly' };
}

export function toDestination(d: PomDestination): Destination {
  const out: Destination = { id: d.id, type: d.destinationType === 'Agent' ? 'agent' : 'external', label: d.name || d.address || d.id };
  if (d.address) out.number = d.address;
  return out;
}

/** The events that take the session from `prev` to `next` (nothing when they are the same). */
export function diffCanonical(prev: CanonicalPicture | undefined, next: CanonicalPicture): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (!prev || !same(prev.dispositions, next.dispositions) || !same(prev.destinations, next.destinations) || !same(prev.callbackTargets, next.callbackTargets)) {
    events.push({ type: 'lists', dispositions: next.dispositions, destinations: next.destinations, callbackTargets: next.callbackTargets });
  }
  if (!prev) {
    // The first picture is the whole list: a listener may hold a call that ended while nobody
    // could report it (a gateway node taking the agent over); a `calls` event drops it.
    events.push({ type: 'calls', calls: next.call ? [next.call] : [] });
  } else if (prev.call?.id !== next.call?.id || !same(prev.call, next.call)) {
    if (next.call) {
      if (prev.call && prev.call.id !== next.call.id) events.push({ type: 'callRemoved', callId: prev.call.id });
      events.push({ type: 'call', call: next.call });
    } else if (prev.call) events.push({ type: 'callRemoved', callId: prev.call.id });
  }
  if (!prev || prev.agentState !== next.agentState || !same(prev.reason, next.reason)) {
    events.push(next.reason ? { type: 'agentState', state: next.agentState, reason: next.reason } : { type: 'agentState', state: next.agentState });
  }
  if (next.phoneLine && (prev?.phoneLine !== next.phoneLine || prev?.job !== next.job)) {
    events.push(next.job ? { type: 'phoneLine', state: next.phoneLine, job: next.job } : { type: 'phoneLine', state: next.phoneLine });
  }
  if (!prev || !same(prev.flags, next.flags)) events.push({ type: 'capabilities', flags: next.flags ?? allFalse(next) });
  return events;
}

/** Before POM's first AGTCapabilitiesChanged: logged out, or nothing enabled until POM says. */
function allFalse(picture: CanonicalPicture): CapabilityFlags | null {
  return picture.agentState === 'loggedOut' ? null : fromPomCapabilities({});
}

function humanise(name: string): string {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
