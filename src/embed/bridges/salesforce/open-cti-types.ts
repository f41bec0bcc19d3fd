/**
 * The part of Salesforce's Open CTI for Lightning (`sforce.opencti`, `opencti_min.js`, API 38+)
 * the bridge uses, as documented: every method takes one object argument and answers through its
 * `callback`, asynchronously, with `{ success, returnValue, errors }` where `errors` is an array
 * of `{ code, description }` objects. A malformed argument throws synchronously.
 */
export interface OpenCtiError {
  code: string;
  description: string;
  details?: unknown;
}

export interface OpenCtiResult<T = unknown> {
  success: boolean;
  returnValue: T | null;
  errors: OpenCtiError[] | null;
}

export type OpenCtiCallback<T = unknown> = (result: OpenCtiResult<T>) => void;

/** `getAppViewInfo` / `onNavigationChange` / `onClickToDial`: the record in view or clicked. */
export interface OpenCtiRecordInfo {
  url?: string;
  recordId?: string;
  recordName?: string;
  objectType?: string;
  accountId?: string;
  contactId?: string;
  personAccount?: boolean;
}

/** A click-to-dial payload: `number` documented as a number, seen as a string; API 44 nests it in `returnValue`. */
export interface OpenCtiClickPayload extends OpenCtiRecordInfo {
  number?: string | number;
  params?: string;
  returnValue?: { number?: string | number } & OpenCtiRecordInfo;
}

/** `searchAndScreenPop`'s result: one entry per record id, and what to pop later when deferred. */
export type OpenCtiSearchResult = Record<string, { Id: string; Name: string; RecordType: string } | undefined> & {
  SCREEN_POP_DATA?: { type: string; params: Record<string, unknown> };
};

type Method<A extends object = object, T = unknown> = (args: A & { callback?: OpenCtiCallback<T> }) => void;

export interface OpenCti {
  SCREENPOP_TYPE: Record<'SOBJECT' | 'URL' | 'OBJECTHOME' | 'LIST' | 'SEARCH' | 'NEW_RECORD_MODAL' | 'FLOW', string>;
  CALL_TYPE: Record<'INBOUND' | 'OUTBOUND' | 'INTERNAL', string>;
  enableClickToDial: Method;
  disableClickToDial: Method;
  onClickToDial(args: { listener: (payload: OpenCtiClickPayload) => void }): void;
  onNavigationChange(args: { listener: (payload: OpenCtiRecordInfo) => void }): void;
  getAppViewInfo: Method<object, OpenCtiRecordInfo>;
  screenPop: Method<{ type: string; params: Record<string, unknown>; defaultFieldValues?: Record<string, unknown> }>;
  searchAndScreenPop: Method<{ searchParams?: string; queryParams?: string; callType: string; deferred?: boolean }, OpenCtiSearchResult>;
  saveLog: Method<{ value: Record<string, unknown> }, { recordId?: string } | string>;
  refreshView: Method;
  setSoftphonePanelVisibility: Method<{ visible: boolean }>;
  isSoftphonePanelVisible: Method<object, { visible: boolean }>;
  setSoftphoneItemLabel: Method<{ label: string }>;
  setSoftphonePanelLabel: Method<{ label: string }>;
  setSoftphoneItemIcon: Method<{ key: string }>;
  setSoftphonePanelIcon: Method<{ key: string }>;
  setSoftphonePanelHeight: Method<{ heightPX: number }>;
  setSoftphonePanelWidth: Method<{ widthPX: number }>;
  getCallCenterSettings: Method<object, Record<string, string>>;
  getSoftphoneLayout: Method<object, unknown>;
  runApex: Method<{ apexClass: string; methodName: string; methodParams: string }>;
  notifyInitializationComplete: Method;
}

/** Where `opencti_min.js` puts the API. */
export const openCtiGlobal = (): OpenCti | undefined => (globalThis as { sforce?: { opencti?: OpenCti } }).sforce?.opencti;
