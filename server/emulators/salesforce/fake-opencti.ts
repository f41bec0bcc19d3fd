/**
 * A fake of Salesforce's Open CTI for Lightning (`window.sforce.opencti`, what `opencti_min.js`
 * defines), written from Salesforce's documentation, for tests and the demo shell: no org can be
 * reached here. It keeps what a Lightning console would (the records, the record on screen, the
 * softphone panel and utility item, the Tasks saved) and behaves as documented where integrations
 * usually go wrong:
 *
 * - every callback is called asynchronously, with `{ success, returnValue, errors }`; `errors` is
 *   an array of `{ code, description }` objects (`INVALID_PARAM`, `GENERIC_ERROR`, …);
 * - a missing or empty object argument, a missing `callback` on a getter or a missing `listener`
 *   on an `on…` method throws synchronously;
 * - numbers are clickable only after `enableClickToDial`; `onClickToDial` / `onNavigationChange`
 *   listeners stack and cannot be removed;
 * - `searchAndScreenPop` needs `callType`; `deferred` pops nothing and returns `SCREEN_POP_DATA`;
 * - `saveLog` needs `Id` (update) or `entityApiName` (create, a new 18-character id); a user
 *   without a call center gets `success: false`;
 * - panel sizes outside 240–2560 (height) / 200–1920 (width) are `INVALID_PARAM`.
 *
 * Test hooks (not Salesforce's): `simulateClickToDial`, `simulateNavigation`, `failNext`,
 * `hangNext`, `records`, `pops`, `tasks`, `onChange`.
 */

export interface FakeRecord {
  Id: string;
  Name: string;
  RecordType: string;
  /** Digits as shown in the record (any format). */
  Phone?: string;
}

export interface FakeError {
  code: string;
  description: string;
}

export interface FakePop {
  type: string;
  params: Record<string, unknown>;
}

type Callback = (result: { success: boolean; returnValue: unknown; errors: FakeError[] | null }) => void;
type Args = Record<string, unknown> & { callback?: Callback };

export const SCREENPOP_TYPE = {
  SOBJECT: 'sobject',
  URL: 'url',
  OBJECTHOME: 'objecthome',
  LIST: 'list',
  SEARCH: 'search',
  NEW_RECORD_MODAL: 'newRecord',
  FLOW: 'flow',
} as const;
export const CALL_TYPE = { INBOUND: 'inbound', OUTBOUND: 'outbound', INTERNAL: 'internal' } as const;

/** Methods that may be called with no argument at all. */
const NO_ARG = new Set(['enableClickToDial', 'disableClickToDial', 'refreshView', 'notifyInitializationComplete']);
/** Getters: pointless without a callback, so the library insists on one. */
const GETTERS = new Set(['getAppViewInfo', 'isSoftphonePanelVisible', 'getCallCenterSettings', 'getSoftphoneLayout']);

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const digits = (s: string) => s.replace(/\D/g, '');

export class FakeOpenCti {
  /** The org's records (searchable by `Phone`). */
  readonly records: FakeRecord[] = [];
  /** Every screen pop performed, oldest first. */
  readonly pops: FakePop[] = [];
  /** Tasks saved through `saveLog`, by id. */
  readonly tasks = new Map<string, Record<string, unknown>>();
  clickToDialEnabled = false;
  panelVisible = false;
  panelWidth = 300;
  panelHeight = 400;
  itemLabel = 'Phone';
  itemIcon = 'call';
  panelLabel = '';
  refreshCount = 0;
  /** The user is assigned to a call center (else `saveLog` fails like Salesforce does). */
  inCallCenter = true;
  /** The record on screen (`getAppViewInfo`). */
  view: Record<string, unknown> = { url: '/lightning/page/home' };
  readonly callCenterSettings: Record<string, string> = {
    '/reqGeneralInfo/reqInternalName': 'AgentBar',
    '/reqGeneralInfo/reqDisplayName': 'Agent Bar',
    '/reqGeneralInfo/reqAdapterUrl': 'https://bar.example.com/salesforce-adapter.html',
    '/reqGeneralInfo/reqUseApi': 'true',
    '/reqGeneralInfo/reqSoftphoneHeight': '400',
    '/reqGeneralInfo/reqSoftphoneWidth': '300',
    '/reqGeneralInfo/reqSalesforceCompatibilityMode': 'Lightning',
  };
  /** Every method call, for assertions: `[method, argument without callback]`. */
  readonly calls: [string, Record<string, unknown> | undefined][] = [];

  readonly #clickListeners: ((payload: unknown) => void)[] = [];
  readonly #navigationListeners: ((payload: unknown) => void)[] = [];
  readonly #failures: { method: string; errors: FakeError[] }[] = [];
  readonly #hangs = new Set<string>();
  readonly #changeListeners = new Set<() => void>();
  #nextId = 1;

  /** The API object, as `sforce.opencti`. */
  readonly api: Record<string, unknown>;

  constructor(records: FakeRecord[] = []) {
    this.records.push(...records);
    const methods: Record<string, (args: Args) => unknown> = {
      enableClickToDial: () => ((this.clickToDialEnabled = true), null),
      disableClickToDial: () => ((this.clickToDialEnabled = false), null),
      screenPop: (a) => this.#screenPop(a),
      searchAndScreenPop: (a) => this.#searchAndScreenPop(a),
      saveLog: (a) => this.#saveLog(a),
      refreshView: () => (this.refreshCount++, null),
      setSoftphonePanelVisibility: (a) => {
        if (typeof a.visible !== 'boolean') return invalid('visible must be a boolean');
        this.panelVisible = a.visible;
        return null;
      },
      isSoftphonePanelVisible: () => ({ visible: this.panelVisible }),
      setSoftphoneItemLabel: (a) => this.#text(a, 'label', (v) => (this.itemLabel = v)),
      setSoftphonePanelLabel: (a) => this.#text(a, 'label', (v) => (this.panelLabel = v)),
      setSoftphoneItemIcon: (a) => this.#text(a, 'key', (v) => (this.itemIcon = v)),
      setSoftphonePanelIcon: (a) => this.#text(a, 'key', () => {}),
      setSoftphonePanelHeight: (a) => this.#size(a.heightPX, 240, 2560, (v) => (this.panelHeight = v)),
      setSoftphonePanelWidth: (a) => this.#size(a.widthPX, 200, 1920, (v) => (this.panelWidth = v)),
      getAppViewInfo: () => ({ ...this.view }),
      getCallCenterSettings: () => (this.inCallCenter ? { ...this.callCenterSettings } : invalid('The user is not assigned to a call center', 'GENERIC_ERROR')),
      getSoftphoneLayout: () => ({ Inbound: { objects: { Contact: [], Lead: [], Account: [] } }, Outbound: { objects: { Contact: [], Lead: [], Account: [] } } }),
      runApex: (a) => (typeof a.apexClass === 'string' && typeof a.methodName === 'string' ? { runApex: null } : invalid('apexClass and methodName are required')),
      notifyInitializationComplete: () => null,
    };
    const api: Record<string, unknown> = { SCREENPOP_TYPE: { ...SCREENPOP_TYPE }, CALL_TYPE: { ...CALL_TYPE } };
    for (const [name, run] of Object.entries(methods)) api[name] = (args?: Args) => this.#invoke(name, args, run);
    api.onClickToDial = (args?: { listener?: unknown }) => this.#listen('onClickToDial', args, this.#clickListeners);
    api.onNavigationChange = (args?: { listener?: unknown }) => this.#listen('onNavigationChange', args, this.#navigationListeners);
    this.api = api;
  }

  /** Puts the API on `win.sforce.opencti` (what loading `opencti_min.js` does). */
  install(win: Window = window): this {
    const w = win as unknown as { sforce?: { opencti?: unknown } };
    w.sforce = { ...w.sforce, opencti: this.api };
    return this;
  }

  /** The agent clicks a phone number on a record. A no-op (false) until click-to-dial is enabled. */
  simulateClickToDial(payload: { number: string | number; recordId?: string; recordName?: string; objectType?: string }): boolean {
    if (!this.clickToDialEnabled) return false;
    for (const listener of [...this.#clickListeners]) setTimeout(() => listener({ ...payload }), 0);
    return true;
  }

  /** The agent opens a record (or the home page: no `recordId`). */
  simulateNavigation(view: { url?: string; recordId?: string; recordName?: string; objectType?: string }): void {
    this.view = { url: view.url ?? (view.recordId ? `/lightning/r/${view.objectType}/${view.recordId}/view` : '/lightning/page/home'), ...view };
    for (const listener of [...this.#navigationListeners]) setTimeout(() => listener({ ...this.view }), 0);
    this.#changed();
  }

  /** The next call of `method` answers `success: false` with these errors. */
  failNext(method: string, errors: FakeError[] = [{ code: 'GENERIC_ERROR', description: `${method} failed` }]): void {
    this.#failures.push({ method, errors });
  }

  /** The next call of `method` never calls back (a stuck console). */
  hangNext(method: string): void {
    this.#hangs.add(method);
  }

  /** Called after every change of the console's state (the demo shell re-renders). */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  #invoke(name: string, args: Args | undefined, run: (args: Args) => unknown): void {
    if (args === undefined && NO_ARG.has(name)) args = {};
    if (!args || typeof args !== 'object' || Array.isArray(args) || Object.keys(args).length === 0) {
      if (!NO_ARG.has(name)) throw new Error(`sforce.opencti.${name}: expected a non-empty object argument.`);
    }
    const { callback, ...rest } = args as Args;
    if (callback !== undefined && typeof callback !== 'function') throw new Error(`sforce.opencti.${name}: callback must be a function.`);
    if (GETTERS.has(name) && typeof callback !== 'function') throw new Error(`sforce.opencti.${name}: a callback is required.`);
    this.calls.push([name, rest]);
    if (this.#hangs.delete(name)) return;
    const failure = this.#failures.findIndex((f) => f.method === name);
    let result: { success: boolean; returnValue: unknown; errors: FakeError[] | null };
    if (failure >= 0) {
      result = { success: false, returnValue: null, errors: this.#failures.splice(failure, 1)[0]!.errors };
    } else {
      const value = run(rest);
      result = value instanceof Invalid ? { success: false, returnValue: null, errors: [value.error] } : { success: true, returnValue: value ?? null, errors: null };
      this.#changed();
    }
    // Salesforce answers through postMessage: never before the call returns.
    if (callback) setTimeout(() => callback(result), 0);
  }

  #listen(name: string, args: { listener?: unknown } | undefined, into: ((payload: unknown) => void)[]): void {
    if (!args || typeof args.listener !== 'function') throw new Error(`sforce.opencti.${name}: a listener is required.`);
    this.calls.push([name, {}]);
    into.push(args.listener as (payload: unknown) => void);
  }

  #screenPop(a: Args): unknown {
    const types = Object.values(SCREENPOP_TYPE) as string[];
    if (typeof a.type !== 'string' || !types.includes(a.type)) return invalid(`type must be one of ${types.join(', ')}`);
    const params = (a.params ?? {}) as Record<string, unknown>;
    if (a.type === SCREENPOP_TYPE.SOBJECT && typeof params.recordId !== 'string') return invalid('params.recordId is required for sobject');
    if (a.type === SCREENPOP_TYPE.SEARCH && (typeof params.searchString !== 'string' || params.searchString.length < 3)) {
      return invalid('params.searchString needs at least 3 characters');
    }
    this.#pop({ type: a.type, params });
    return null;
  }

  #searchAndScreenPop(a: Args): unknown {
    const callTypes = Object.values(CALL_TYPE) as string[];
    if (typeof a.callType !== 'string' || !callTypes.includes(a.callType)) return invalid('callType is required: inbound, outbound or internal');
    const wanted = digits(String(a.searchParams ?? ''));
    const hits = wanted.length >= 3 ? this.records.filter((r) => r.Phone && digits(r.Phone).endsWith(wanted.slice(-9))) : [];
    const result: Record<string, unknown> = {};
    for (const r of hits) result[r.Id] = { Id: r.Id, Name: r.Name, RecordType: r.RecordType };
    // The softphone layout's defaults: one match pops it, several pop the search page, none pops nothing.
    const pop: FakePop | undefined =
      hits.length === 1
        ? { type: SCREENPOP_TYPE.SOBJECT, params: { recordId: hits[0]!.Id } }
        : hits.length > 1
          ? { type: SCREENPOP_TYPE.SEARCH, params: { searchString: String(a.searchParams) } }
          : undefined;
    if (a.deferred === true) {
      if (pop) result.SCREEN_POP_DATA = pop;
    } else if (pop) {
      this.#pop(pop);
    }
    return result;
  }

  #saveLog(a: Args): unknown {
    const value = a.value as Record<string, unknown> | undefined;
    if (!value || typeof value !== 'object') return invalid('value is required');
    if (!this.inCallCenter) return invalid('The user is not assigned to a call center', 'GENERIC_ERROR');
    if (typeof value.Id === 'string') {
      const existing = this.tasks.get(value.Id);
      if (!existing) return invalid(`No record with Id ${value.Id}`);
      this.tasks.set(value.Id, { ...existing, ...value });
      return { recordId: value.Id };
    }
    if (typeof value.entityApiName !== 'string') return invalid('value needs Id (update) or entityApiName (create)');
    for (const key of ['CallDisposition', 'CallObject'] as const) {
      if (typeof value[key] === 'string' && (value[key] as string).length > 255) return invalid(`${key} is longer than 255 characters`);
    }
    const id = this.#newId(value.entityApiName === 'Task' ? '00T' : 'a00');
    this.tasks.set(id, { ...value, Id: id });
    return { recordId: id };
  }

  #text(a: Args, key: string, set: (v: string) => void): unknown {
    const v = a[key];
    if (typeof v !== 'string' || v === '') return invalid(`${key} must be a non-empty string`);
    set(v);
    return null;
  }

  #size(v: unknown, min: number, max: number, set: (v: number) => void): unknown {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return invalid(`must be an integer from ${min} to ${max}`);
    set(v);
    return null;
  }

  #pop(pop: FakePop): void {
    this.pops.push(pop);
    if (pop.type === SCREENPOP_TYPE.SOBJECT) {
      const record = this.records.find((r) => r.Id === pop.params.recordId);
      this.view = { url: `/lightning/r/${record?.RecordType ?? 'Record'}/${pop.params.recordId}/view`, recordId: pop.params.recordId, recordName: record?.Name, objectType: record?.RecordType };
      for (const listener of [...this.#navigationListeners]) setTimeout(() => listener({ ...this.view }), 0);
    }
  }

  /** A Salesforce-shaped 18-character id: a 3-character key prefix, then 15 more. */
  #newId(prefix: string): string {
    let n = this.#nextId++;
    let tail = '';
    for (let i = 0; i < 15; i++) {
      tail = ID_CHARS[n % 62] + tail;
      n = Math.floor(n / 62);
    }
    return prefix + tail;
  }

  #changed(): void {
    for (const listener of [...this.#changeListeners]) listener();
  }
}

class Invalid {
  constructor(readonly error: FakeError) {}
}
const invalid = (description: string, code = 'INVALID_PARAM') => new Invalid({ code, description });
