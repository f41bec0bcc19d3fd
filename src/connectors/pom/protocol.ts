/**
 * The POM bridge protocol as data (docs/connectors/pom.md): POM's own commands, their `…RESP`
 * responses and POM's notifications, each with its argument names and JSON types, in the order
 * the Agent Desktop API document gives them. One table serves three readers: the connector (what
 * it may send), the emulator (what it accepts: a missing argument is POM error 9010, a wrong type
 * 9008) and the contract test (every message the connector sends is checked against it).
 *
 * The document gives method signatures, not a wire format, so argument names are the document's
 * parameter names; structures whose fields the document does not name (POMContact, POMDestination
 * …) get field names defined on the docs page and marked there as ours.
 */

/** JSON type of one argument. A trailing `?` marks an argument that may be absent or null. */
export type ArgType =
  | 'string'
  | 'string?'
  | 'boolean'
  | 'int'
  | 'object'
  | 'object?'
  | 'array'
  | 'array?';

export type ArgTable = Readonly<Record<string, ArgType>>;

export interface CommandSpec {
  args: ArgTable;
  /** The response's arguments (`result` is always last and always an int). */
  resp: ArgTable;
  /** Who sends it: the agent desktop (the bar), or the AACC blender / AAAD / a proxy. */
  sender: 'desktop' | 'blender';
}

const S = 'string' as const;
const B = 'boolean' as const;
const I = 'int' as const;
const O = 'object' as const;
const A = 'array' as const;

const cmd = (args: Record<string, ArgType>, resp: Record<string, ArgType>, sender: CommandSpec['sender'] = 'desktop'): CommandSpec => ({
  args: Object.freeze(args),
  resp: Object.freeze({ ...resp, result: I }),
  sender,
});

export const POM_COMMANDS = Object.freeze({
  // The AACC overload adds agentName (must not be null) and agentSkills; the bridge picks the
  // overload by the presence of agentName.
  AGTLogon: cmd({ agentExt: S, pwd: 'string?', isForce: B, locale: 'string?', timeZone: 'string?', zoneName: S, agentName: 'string?', agentSkills: 'array?' }, {}),
  AGTLogoff: cmd({}, {}),
  AGTStateChange: cmd({ agentState: S, reasonCode: S, reasonName: S, hasWalkedAway: B }, { pomAgentState: S }),
  AGTHoldCall: cmd({ sessionID: S }, { sessionID: S }),
  AGTUnholdCall: cmd({ sessionID: S }, { sessionID: S }),
  AGTReleaseLine: cmd({ sessionID: S }, { wrapupDetails: 'object?', sessionID: S }),
  AGTGetCompCodes: cmd({ sessionID: S }, { completionCodesList: 'array?', sessionID: S }),
  AGTWrapupContact: cmd({ completionCode: O, sessionID: S }, { sessionID: S }),
  AGTExtendWrapup: cmd({ sessionID: S }, { wrapupDetails: 'object?', sessionID: S }),
  AGTGetConsultTypes: cmd({ sessionID: S }, { destinationTypes: 'array?', allowFreeForm: B, sessionID: S }),
  AGTGetConsultDestsForType: cmd({ destinationType: S, sessionID: S }, { destinations: 'array?', sessionID: S }),
  AGTConsultCall: cmd({ destination: O, sessionID: S }, { sessionID: S }),
  AGTCompleteTransfer: cmd({ sessionID: S }, { canDispose: B, wrapupDetails: 'object?', sessionID: S }),
  AGTCancelConsult: cmd({ destAgentID: 'string?', sessionID: S }, { sessionID: S }),
  AGTStartConf: cmd({ sessionID: S }, { sessionID: S }),
  AGTEndConf: cmd({ sessionID: S }, { sessionID: S }),
  AGTConfChangeOwnership: cmd({ sessionID: S }, { sessionID: S }),
  AGTRedial: cmd({ contactNumber: O }, { sessionID: 'string?' }),
  AGTSendDTMF: cmd({ dtmf: S, sessionID: S }, { sessionID: S }),
  AGTGetCallbackTypes: cmd({ sessionID: S }, { callbackTypes: 'array?', defaultExpiryTime: 'string?', sessionID: S }),
  AGTGetCallbackDestsForType: cmd({ callbackType: S, zoneName: S, sessionID: S }, { callbackType: 'string?', callbackDests: 'array?', sessionID: S }),
  AGTCreateCallback: cmd(
    { callbackType: S, callbackDest: 'object?', callbackTime: S, callbackTimezone: S, callbackExpiryTime: S, contactNumber: O, agentNotes: 'string?', sessionID: S },
    { sessionID: S },
  ),
  AGTGetTimezones: cmd({}, { timezones: 'array?' }),
  AGTGetErrorString: cmd({ errorCode: S }, { errorMsg: 'string?', localizedErrorMsg: 'string?' }),
  AGTGetErrorInfo: cmd({ errorCode: O }, { errorInfo: 'object?' }),
  AGTPreviewDial: cmd({ contactNumber: O, sessionID: S }, { sessionID: S }),
  AGTPreviewCancel: cmd({ sessionID: S }, { wrapupDetails: 'object?', sessionID: S }),
  AGTGetCustomerDetails: cmd({ sessionID: S }, { customerDetails: 'object?', sessionID: S }),
  AGTSetCustomerDetail: cmd({ pomKeyValuePair: O, sessionID: S }, { sessionID: S }),
  AGTGetContactAttributes: cmd({}, {}),
  AGTAddAgentNote: cmd({ agentNote: S }, { sessionID: 'string?' }),
  AGTRefreshAgentNotes: cmd({ sessionID: S }, { agentNotes: 'array?', sessionID: S }),
  AGTAddToDNC: cmd({ addressList: A }, { sessionID: 'string?' }),
  AGTIsInDNC: cmd({ addressValue: S, sessionID: S }, { present: B }),
  AGTGetZoneList: cmd({}, { zoneList: 'array?' }),
  AGTAvailableForNailup: cmd({}, {}),
  AGTReadyForNailup: cmd({}, {}),
  AGTLostNailing: cmd({}, { wrapupDetails: 'object?', sessionID: 'string?' }),
  AGTPendingLogout: cmd({}, {}),
  GetAgentStatusResponse: cmd({ status: O }, {}),
  AGTBlendToInbound: cmd({}, {}, 'blender'),
  AGTBlendToOutbound: cmd({}, {}, 'blender'),
  AGTNailupAgent: cmd({}, {}, 'blender'),
  AGTSkillsChanged: cmd({ agentSkills: A }, {}, 'blender'),
  AGTAgentDisconnected: cmd({}, {}, 'blender'),
});

export type PomCommandName = keyof typeof POM_COMMANDS;

/** Spellings the document also uses; the bridge accepts them and answers with the table's name. */
export const COMMAND_ALIASES: Readonly<Record<string, PomCommandName>> = Object.freeze({
  AGTLogout: 'AGTLogoff',
  AGTGetTimeZones: 'AGTGetTimezones',
  AGTCompleteTranser: 'AGTCompleteTransfer',
  AGTGetCallbackDestsForTypes: 'AGTGetCallbackDestsForType',
});

export const POM_NOTIFICATIONS = Object.freeze({
  AGTStateChangedNotify: { agentState: S },
  AGTCallNotify: { contact: O, sessionID: S },
  AGTAutoReleaseLine: { wrapupDetails: 'object?', sessionID: S },
  AGTConsultNotify: { contact: O, requestingAgentId: S, sessionID: S },
  AGTConsultPending: { requestingAgent: 'string?', requestingAgentID: S, requestingCampaign: 'string?', sessionID: S },
  AGTPendingConsultComplete: { sessionID: S },
  AGTConsultCancelled: { requestingAgentId: 'string?', sessionID: S },
  AGTConsultDialFailed: { dialFailReason: S, sessionID: S },
  AGTEnableCancelConsult: { sessionID: S },
  AGTTransferNotify: { contact: O, sessionID: S },
  AGTConferenceNotify: { pomContact: O, sessionID: S },
  AGTConferenceEnded: { sessionID: S },
  AGTConferenceOwnershipChanged: { sessionID: S },
  AGTCapabilitiesChanged: { capabilities: O },
  AGTNailupChange: { nailupStatus: S },
  AGTCallStateChangedNotify: { callState: S },
  AGTDialFailed: { wrapupDetails: 'object?', dialFailReason: S, sessionID: S },
  AGTPreviewCallbackPending: { dueTime: S, sessionID: S },
  AGTPreviewCallbackCancelled: { dueTime: 'string?', sessionID: S },
  AGTAgentLoggedOut: {},
  AGTCustomerDetailsChanged: { attribute: O, sessionID: S },
  AGTInvalidCommandName: { commandName: S },
  GetAgentStatus: { agentID: S },
  POMAvailable: {},
  POMNotAvailable: {},
  AGTBlendedToInbound: {},
  AGTBlendedToOutbound: {},
  AGTZoneDown: { zoneName: S, gracePeriodInMillis: I },
  AGTJobAttached: { campaignName: S },
} satisfies Record<string, Record<string, ArgType>>);

export type PomNotificationName = keyof typeof POM_NOTIFICATIONS;

export const NOTIFICATION_ALIASES: Readonly<Record<string, PomNotificationName>> = Object.freeze({
  AGTStateChangeNotify: 'AGTStateChangedNotify',
  AGTConfOwnershipChanged: 'AGTConferenceOwnershipChanged',
  AGTPendingConsult: 'AGTConsultPending',
  AGTPendingCallbackCancelled: 'AGTPreviewCallbackCancelled',
  AGTBlendedtoOutbound: 'AGTBlendedToOutbound',
});

// ── Enumerations (the document's value names) ─────────────────────────────────────────────────

export const AGENT_STATES = ['Ready', 'NotReady', 'PendingNotReady'] as const;
export type PomAgentState = (typeof AGENT_STATES)[number];

export const CALL_STATES = ['NoState', 'Preview', 'Idle', 'Dialing', 'Talking', 'Held', 'Wrapup', 'Consult', 'ConferenceOwner', 'ConferencePassive', 'Callback'] as const;
export type PomCallState = (typeof CALL_STATES)[number];

export const NAILUP_STATES = ['PendingNailup', 'NailedUp', 'PendingNailupDrop', 'NotNailedUp', 'NailingLost'] as const;
export type PomNailupStatus = (typeof NAILUP_STATES)[number];

export const DESTINATION_TYPES = ['Agent', 'External'] as const;
export type PomDestinationType = (typeof DESTINATION_TYPES)[number];

export const CALLBACK_TYPES = ['Standard', 'Agent', 'Campaign'] as const;
export type PomCallbackType = (typeof CALLBACK_TYPES)[number];

export const ATTRIBUTE_TYPES = ['READ_ONLY', 'WRITE', 'SCREEN_POP', 'MASKED_WRITE'] as const;
export type PomAttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** POMDialFailReason: the document names the enum but not its values; these are ours. */
export const DIAL_FAIL_REASONS = ['Busy', 'NoAnswer', 'InvalidNumber', 'NetworkFailure', 'Unknown'] as const;
export type PomDialFailReason = (typeof DIAL_FAIL_REASONS)[number];

/** `POMContact.contactType`: ours (the document says "contact type of Callback" without a field name). */
export const CONTACT_TYPES = ['Predictive', 'Progressive', 'Preview', 'Callback', 'Inbound'] as const;
export type PomContactType = (typeof CONTACT_TYPES)[number];

/** POMCapabilities: the 17 matrix columns with a `Can` prefix, in the matrix's order. */
export const POM_CAPABILITY_NAMES = [
  'CanHold',
  'CanUnhold',
  'CanTransfer',
  'CanConference',
  'CanRelease',
  'CanDisposition',
  'CanOriginate',
  'CanCreateCallback',
  'CanSendDTMF',
  'CanUpdateRecord',
  'CanLeaveConference',
  'CanLeaveConsult',
  'CanEndConference',
  'CanChangeOwnership',
  'CanReady',
  'CanNotReady',
  'CanRecord',
] as const;
export type PomCapabilityName = (typeof POM_CAPABILITY_NAMES)[number];
export type PomCapabilities = Record<PomCapabilityName, boolean>;

/** The system completion code for answering machines (immediate wrap-up when acwMaxTime is 0). */
export const ANSWER_MACHINE = 'Answer_Machine';
/** `POMContactNumber.Name` marking a free-form number. */
export const EXTERNAL_NUMBER = 'ExternalNumber';

// ── Structures (fields the document does not name are ours; see docs/connectors/pom.md) ──────

export interface PomWrapupData {
  acwMaxTime: number;
  acwExtendable: boolean;
  defaultCompCode: string;
}

export interface PomContactNumber {
  Name: string;
  Number: string;
}

export interface PomContact {
  contactId: string;
  contactType: PomContactType;
  campaignName: string;
  jobId: string;
  skillset?: string;
  agentScriptURL?: string;
  customerName?: string;
  /** Seconds, timed preview only; 0 = untimed (callback: dial the default number at once). */
  previewTimeout?: number;
  /** The first is the default number. */
  contactNumbers: PomContactNumber[];
}

export interface PomAttribute {
  name: string;
  value: string;
  type: PomAttributeType;
}

export interface PomCustomerDetails {
  attributes: PomAttribute[];
}

export interface PomDestination {
  destinationType: PomDestinationType;
  /** Agent ID for Agent destinations; the address-book entry id for External ones. */
  id: string;
  name: string;
  /** Dialable address (External). */
  address?: string;
}

export interface PomCompletionCode {
  code: string;
  name: string;
}

export interface PomCallbackDest {
  callbackType: PomCallbackType;
  id: string;
  name: string;
}

export interface PomKeyValuePair {
  key: string;
  value: string;
}

// ── Frames ────────────────────────────────────────────────────────────────────────────────────

export const BRIDGE_PROTOCOL = 'pom-bridge/1';

/** What the bridge remembers of the agent: the last value of each state notification. */
export interface BridgeStatus {
  loggedOn: boolean;
  agentState?: PomAgentState;
  nailupStatus?: PomNailupStatus;
  callState?: PomCallState;
  capabilities?: PomCapabilities;
  sessionID?: string;
  contact?: PomContact;
  /** The last wrap-up data (AGTReleaseLineRESP, AGTAutoReleaseLine, AGTDialFailed …). */
  wrapupDetails?: PomWrapupData;
  campaignName?: string;
  /** The zone of the last successful AGTLogon (ours: needed for AGTGetCallbackDestsForType). */
  zoneName?: string;
}

export type DesktopFrame =
  | { type: 'hello'; protocol: string; agentId: string }
  | { type: 'command'; id: string; name: string; args: Record<string, unknown> }
  | { type: 'getStatus'; id: string }
  | { type: 'ping'; id: string };

export type BridgeFrame =
  | { type: 'welcome'; protocol: string; agentId: string; pomAvailable: boolean; status: BridgeStatus }
  | { type: 'refused'; reason: string }
  | { type: 'response'; id?: string; name: string; args: Record<string, unknown> & { result: number } }
  | { type: 'notification'; name: string; args: Record<string, unknown> }
  | { type: 'status'; id: string; pomAvailable: boolean; status: BridgeStatus }
  | { type: 'pong'; id: string };

/** The bridge closes the socket with this code after `refused`. */
export const CLOSE_REFUSED = 4400;

export function isCommandName(name: string): name is PomCommandName {
  return Object.prototype.hasOwnProperty.call(POM_COMMANDS, name);
}

export function isNotificationName(name: string): name is PomNotificationName {
  return Object.prototype.hasOwnProperty.call(POM_NOTIFICATIONS, name);
}

/**
 * Checks `args` against a table: the name of the first missing argument (→ POM 9010) or of the
 * first one of the wrong type (→ 9008), or `undefined` when they fit. Extra keys are allowed
 * (a newer bridge may add some).
 */
export function checkArgs(table: ArgTable, args: Record<string, unknown>): { missing?: string; wrongType?: string } {
  for (const [name, type] of Object.entries(table)) {
    const value = args[name];
    const optional = type.endsWith('?');
    if (value === undefined || value === null) {
      if (!optional) return { missing: name };
      continue;
    }
    const base = type.replace('?', '');
    const ok =
      base === 'string' ? typeof value === 'string'
      : base === 'boolean' ? typeof value === 'boolean'
      : base === 'int' ? Number.isInteger(value)
      : base === 'array' ? Array.isArray(value)
      : typeof value === 'object' && !Array.isArray(value);
    if (!ok) return { wrongType: name };
  }
  return {};
}
