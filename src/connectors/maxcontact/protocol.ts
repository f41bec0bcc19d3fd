/**
 * The MaxContact agent remote-control wire as the connector and the emulator both use it
 * (docs/connectors/maxcontact.md §1–§4): the path prefix, the methods and their path segments, the
 * `CallActionResponse` envelope and its entities, the XML element names, the token service and
 * the response codes we decided on where the document is silent. Data only, no I/O: the emulator
 * imports it to stay on the same wire as the connector.
 */

/** Every agent remote-control method lives under this prefix. */
export const TELEPHONY_API = '/webservices/services/telephony';
/** The token service (`GET …/login/{login}`, the password Base64 in `Authorization`). */
export const TOKEN_API = '/webservices/services/apitoken';
/** The cookie that carries the token on every request. */
export const TOKEN_COOKIE = 'TokenKey';

/** The document's methods (all GET, all `…/<method>/user/{UserID}…`). */
export type TelephonyMethod =
  | 'getcalls'
  | 'goready'
  | 'dial'
  | 'hangup'
  | 'dispose'
  | 'hold'
  | 'retrieve'
  | 'stoprecord'
  | 'startrecord'
  | 'campaigns'
  | 'users'
  | 'resultcodes'
  | 'acdqueues'
  | 'leadphones'
  | 'changelead'
  | 'createnewlead'
  | 'connectcalls';

/**
 * The path after `/user/{UserID}` for each method, as named segments (`call`, `phone`, `lead`,
 * `leadphone`), and the query parameters it takes (required first). Names are the document's.
 */
export const METHODS: Record<TelephonyMethod, { segments: readonly string[]; required: readonly string[]; optional: readonly string[] }> = {
  getcalls: { segments: [], required: [], optional: [] },
  goready: { segments: [], required: [], optional: [] },
  dial: { segments: ['phone'], required: [], optional: ['leadid'] },
  hangup: { segments: ['call'], required: [], optional: [] },
  dispose: { segments: ['call'], required: ['resultcode'], optional: [] },
  hold: { segments: ['call'], required: [], optional: [] },
  retrieve: { segments: ['call'], required: [], optional: [] },
  stoprecord: { segments: ['call'], required: [], optional: [] },
  startrecord: { segments: ['call'], required: [], optional: [] },
  campaigns: { segments: [], required: [], optional: [] },
  users: { segments: [], required: [], optional: [] },
  resultcodes: { segments: [], required: [], optional: [] },
  acdqueues: { segments: [], required: [], optional: [] },
  leadphones: { segments: ['lead'], required: [], optional: [] },
  changelead: { segments: ['call', 'leadphone'], required: [], optional: [] },
  createnewlead: { segments: ['call', 'phone'], required: [], optional: [] },
  connectcalls: {
    segments: [],
    required: ['call1', 'call2', 'resultcode1', 'resultcode2'],
    optional: ['notes1', 'notes2', 'numsales1', 'numsales2'],
  },
};

export function isTelephonyMethod(value: string): value is TelephonyMethod {
  return Object.hasOwn(METHODS, value);
}

/** The envelope of every answer (the token service's too). */
export interface CallActionResponse<D = unknown> {
  Success: boolean;
  Data: D;
  ResponseCode: number;
  ResponseDetail: string;
}

/** An active call (`/dial` returns one, `/getcalls` an array). */
export interface MaxCall {
  CallId: number;
  /** ISO 8601, UTC. */
  CallStartTime: string;
  CallState: number;
  CallStatus: number;
  CustomerName: string;
  CustomerName2: string;
  PhoneNumber: string;
  RecordingState: number;
}

export interface AgentNameIdPair {
  FullName: string;
  ID: number;
}

/**
 * A lead phone. The document lists LeadId, PhoneNumber, RecordType and RecordTypeId, yet Change
 * Lead Phone needs a LeadPhoneID: our emulator adds `LeadPhoneID` (docs §8).
 */
export interface LeadPhone {
  LeadId: number;
  LeadPhoneID: number;
  PhoneNumber: string;
  RecordType: string;
  RecordTypeId: number;
}

export interface ResultCode {
  Code: string;
  Description: string;
  IsAgentViewable: boolean;
  IsCallAgain: boolean;
  IsCallback: boolean;
  IsSuccess: boolean;
  IsSystemResultCode: boolean;
  IsTransfer: boolean;
  ResultCodeID: number;
  Sales: number;
  StatusID: number;
  SuccessType: number;
}

/** The Campaign and ACD queue fields the bar reads (the emulator sends every documented field). */
export interface CampaignSummary {
  CampaignID: number;
  CampaignName: string;
  Active: boolean;
}

export interface AcdQueueSummary {
  ID: number;
  AcdName: string;
  Active: boolean;
}

/** What the token service's `Data` holds (docs §1: our decision). */
export interface TokenData {
  TokenKey: string;
  /** Seconds the token stays valid. */
  ExpiresIn: number;
}

/**
 * XML: the element each array item is wrapped in (`<Data><Call>…</Call><Call>…</Call></Data>`).
 * A single entity's fields sit directly under `<Data>`; an empty list is an empty `<Data />`.
 */
export const XML_ITEM: Partial<Record<TelephonyMethod, string>> = {
  getcalls: 'Call',
  users: 'AgentNameIDPair',
  resultcodes: 'ResultCode',
  acdqueues: 'AcdQueue',
  campaigns: 'Campaign',
  leadphones: 'LeadPhone',
};

/** Every item element name (the XML decoder keeps them arrays even with one child). */
export const XML_ARRAYS: readonly string[] = /* @__PURE__ */ Object.values(XML_ITEM);

/** Fields that are numbers / booleans (XML carries only text; JSON is already typed). */
export const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  'CallId', 'CallState', 'CallStatus', 'RecordingState', 'ID', 'LeadId', 'LeadPhoneID', 'RecordTypeId', 'ResultCodeID', 'Sales',
  'StatusID', 'SuccessType', 'CampaignID', 'ResponseCode', 'ExpiresIn',
]);
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set([
  'Success', 'IsAgentViewable', 'IsCallAgain', 'IsCallback', 'IsSuccess', 'IsSystemResultCode', 'IsTransfer', 'Active',
]);

/**
 * `ResponseCode` values. The document names none: these are ours (docs §4), shared by the
 * emulator and the connector's error table. 0 is success; 401 also comes with HTTP 401.
 */
export const RESPONSE_CODES = {
  OK: 0,
  USER_NOT_LOGGED_IN: 1,
  NO_SUCH_CALL: 2,
  WRONG_CALL_STATE: 3,
  INVALID_PHONE: 4,
  UNKNOWN_RESULT_CODE: 5,
  AGENT_BUSY: 6,
  AWAITING_DISPOSITION: 7,
  BAD_PARAMETER: 8,
  UNKNOWN_LEAD: 9,
  BAD_LOGIN: 10,
  INVALID_TOKEN: 401,
  INTERNAL: 99,
} as const;

/** A phone number as the emulator accepts it in a path (after URL decoding). */
export const PHONE = /^\+?[0-9]{3,20}$/;
