/**
 * The Noojee Contact wire as the connector and the emulator both use it (docs/connectors/noojee.md
 * §1–§4): paths, the parameters of each method with their exact case, the answer shapes, the
 * subscribe call statuses, the auto-answer strings and the result codes. Data only, no I/O: the
 * emulator imports it to stay on the same wire as the connector.
 */

/** Call control lives under this prefix on the Noojee host. */
export const CALL_API = '/servicemanager/rest/CallManagementAPI';
/** Campaign and lead data (lower-case `code`/`message`/`entities` envelope). */
export const CAMPAIGN_API = '/servicemanager/rest/CampaignAPI';
/** Recording metadata lives on another web application of the same host. */
export const RECORDING_API = '/njadmin/rest/RecordingAPI';

/** The query parameter carrying the API key; always the first parameter of a request. */
export const API_KEY_PARAM = 'apiKey';

export type CallMethod = 'dial' | 'hangup' | 'answer' | 'start' | 'stop' | 'subscribe' | 'checkState';
export type CampaignMethod = 'getCampaignTemplateList' | 'getCampaignList' | 'getAllocationList' | 'getDispositionList' | 'updateLeadFast';
export type RecordingMethod = 'retrieveMetaData' | 'retrieveMetaDataByUniqueId';

/**
 * Each CallManagementAPI method: the HTTP methods the server takes (Noojee says POST; its own Java
 * client sends recording start/stop as GET, so those take both), the parameters that must be
 * present and the optional ones. Parameter names are case-sensitive.
 */
export const CALL_METHODS: Record<CallMethod, { http: readonly string[]; required: readonly string[]; optional: readonly string[] }> = {
  dial: {
    http: ['POST'],
    required: ['number', 'extenOrUniqueId'],
    optional: ['callerId', 'phoneCaption', 'autoAnswer', 'monitored', 'record', 'tag'],
  },
  hangup: { http: ['POST'], required: ['extenOrUniqueId'], optional: [] },
  answer: { http: ['POST'], required: ['uniqueId', 'exten', 'answerString'], optional: [] },
  start: { http: ['POST', 'GET'], required: ['extenOrUniqueId'], optional: ['agentLoginName', 'tag'] },
  stop: { http: ['POST', 'GET'], required: ['extenOrUniqueId'], optional: ['agentLoginName'] },
  subscribe: { http: ['POST'], required: ['exten'], optional: ['lastSequenceNumber', 'timeOut', 'instanceId', 'xDebugArg'] },
  checkState: { http: ['POST'], required: ['extenOrUniqueId'], optional: ['timeOut'] },
};

/** Campaign lists are read with GET or POST; leads are written with POST and a JSON body. */
export const CAMPAIGN_METHODS: Record<CampaignMethod, { http: readonly string[]; required: readonly string[] }> = {
  getCampaignTemplateList: { http: ['GET', 'POST'], required: [] },
  getCampaignList: { http: ['GET', 'POST'], required: ['fTemplateId'] },
  getAllocationList: { http: ['GET', 'POST'], required: ['fCampaignId'] },
  getDispositionList: { http: ['GET', 'POST'], required: ['fTemplateId'] },
  updateLeadFast: { http: ['POST'], required: ['fTemplateId', 'fCampaignId', 'fAllocationId'] },
};

/** Subscribe's `timeOut` (seconds): the default when absent and the most the server holds a poll. */
export const SUBSCRIBE_DEFAULT_TIMEOUT_S = 10;
export const SUBSCRIBE_MAX_TIMEOUT_S = 60;

/** Every CallManagementAPI answer: `Code` 0 success, negative error, positive a notice. */
export interface CallApiAnswer {
  Code: number;
  Message?: string;
}

export interface DialAnswer extends CallApiAnswer {
  /** The new call's id; Noojee calls it an integer, we carry it as a string (see the docs). */
  SessionID?: string;
}

/** The call statuses subscribe reports (Noojee's "14.0 Events" list). */
export const CALL_STATUSES = ['Ringing', 'Dialing Out', 'Connected', 'Hungup', 'Busy', 'No Answer', 'Unlinked'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export function isCallStatus(value: unknown): value is CallStatus {
  return typeof value === 'string' && (CALL_STATUSES as readonly string[]).includes(value);
}

/** One call on one extension, as subscribe describes it. */
export interface CallData {
  canAnswer: boolean;
  callerId: string;
  /** The Asterisk unique id (`"1764683000.12"`): the call's identity for hangup, answer, recording. */
  uniqueCallId: string;
  /** `""` until the call connects, then `yyyy/MM/dd HH:mm:ss` (UTC on the emulator). */
  callStartTime: string;
  isQueueCall: boolean;
  isClickToDialCall: boolean;
  inbound: boolean;
  status: string;
  otherPartyCallerId?: string;
  connectedCallerIdNum?: string;
  outboundDestination?: string;
}

export interface SubscribeEvent {
  CallData: CallData;
  /** A small server counter per call; not an identity we rely on. */
  CallID: number;
  Code: number;
}

/**
 * Subscribe's answer. `Data` maps an extension (no technology prefix) to its events, oldest first.
 * `Code` 0: the events since `lastSequenceNumber` (or, when that was 0, the current state).
 * `Code` 1 (`SEQUENCE_RESET`): the server could not continue from `lastSequenceNumber` (too old or
 * from before a restart) and `Data` is the current state instead.
 */
export interface SubscribeAnswer extends CallApiAnswer {
  Data?: Record<string, SubscribeEvent[]>;
  seq: number;
}

/** Noojee's notice: "your sequence number is unknown, here is the current state". */
export const SEQUENCE_RESET = 1;

/** CampaignAPI and RecordingAPI lists use lower-case keys. */
export interface EntityAnswer<T> {
  type?: string;
  code: number;
  message?: string;
  entities?: T[];
}

export interface NamedEntity {
  id: number;
  name: string;
}

/** One recording leg (RecordingAPI metadata); every value is a string. */
export interface RecordingLeg {
  Source: string;
  Leg: string;
  Start: string;
  Tag: string;
  Duration: string;
  Username: string;
  CallRecordId: string;
  UniqueId: string;
  DID: string;
  Direction: string;
}

/**
 * The CallManagementAPI result codes. Noojee documents the sign convention only; these negative
 * codes are the ones our emulator answers with and the connector explains (docs §4).
 */
export const NOOJEE_CODES = {
  OK: 0,
  AUTH_FAILED: -1,
  BAD_PARAMETER: -2,
  UNKNOWN_EXTENSION: -3,
  NO_SUCH_CALL: -4,
  EXTENSION_BUSY: -5,
  NOT_RINGING: -6,
  ALREADY_RECORDING: -7,
  NOT_RECORDING: -8,
  NOT_CONNECTED: -9,
  SERVER_ERROR: -10,
} as const;

/** CampaignAPI "fast" lead methods: code → [name, HTTP status] as Noojee lists them. */
export const LEAD_CODES: Record<number, readonly [string, number]> = {
  0: ['OK', 200],
  101: ['COULDNT_FIND_THE_LEAD', 400],
  102: ['NO_PHONE_FIELDS', 400],
  103: ['EXCEPTION', 500],
  104: ['DNC', 400],
  105: ['DUPLICATE', 400],
  106: ['INVALID_DISPOSTION', 400],
  107: ['DISPOSTION_ISNT_SET_AND_NOCHANGE_SPECIFIED', 400],
  108: ['IMPORT_BUT_NOCHANGE_SPECIFIED', 400],
  109: ['TIMEOUT_TOO_MANY_CONCURRENT_REQUESTS', 400],
  110: ['LEAD_NOT_UPDATED_DUE_TO_CONFLICT', 400],
};

/**
 * Auto-answer header per handset make, from Noojee's table (printed as is: the doubled backslash
 * is an Asterisk dialplan escape of the semicolon, Yealink's row has a single one). Sent raw in
 * the value and URL-encoded like every other value. Snom's newer firmware needs the handset's IP
 * address in the header, so it has no fixed entry: give it as `autoAnswer` in the config.
 */
export const AUTO_ANSWER: Readonly<Record<string, string>> = {
  Aastra: 'Alert-Info: info=alert-autoanswer',
  Grandstream: 'Call-Info:\\\\; answer-after=0',
  Linksys: 'Call-Info:\\\\; answer-after=0',
  Polycom: 'Alert-Info: Ring Answer',
  Snom: 'Call-Info:\\\\; answer-after=0',
  Yealink: 'Call-Info:\\; answer-after=0',
};

export const HANDSETS = Object.keys(AUTO_ANSWER);

/** Technologies an extension can be reached by (`SIP/100`). */
export const TECHNOLOGIES = ['SIP', 'PJSIP', 'IAX2'] as const;
export type Technology = (typeof TECHNOLOGIES)[number];

/** An extension number: digits only (Noojee extensions are dialable numbers). */
export const EXTENSION = /^[0-9]{2,10}$/;

/** `SIP/100` → `100`; `SIP/410-12FA7B` (a channel) → `410`; `100` → `100`. */
export function bareExtension(value: string): string {
  const slash = value.indexOf('/');
  const rest = slash >= 0 ? value.slice(slash + 1) : value;
  const dash = rest.indexOf('-');
  return dash >= 0 ? rest.slice(0, dash) : rest;
}

/** A uniqueCallId looks like `1764683000.12` (seconds, a dot, a counter). */
export const UNIQUE_CALL_ID = /^[0-9]+\.[0-9]+$/;
