/**
 * Dynamics 365 Channel Integration Framework (1.0 and 2.0) behind the CRM-neutral `HostBridge`.
 * The bar runs as the channel provider's widget (its landing URL); this bridge loads
 * `msdyn_ciLibrary.js`, waits for `CIFInitDone`, and maps calls onto CIF: click-to-act dials,
 * `searchAndOpenRecords` finds the caller, `openForm` opens the record the agent picked, a
 * `phonecall` activity through `createRecord` on wrap-up, the panel's mode and width. In 2.0
 * (Customer Service workspace) each call also gets a session and an incoming-call notification.
 *
 * CIF speaks JSON strings: handlers receive one and must return a Promise; record, search and
 * environment results come back as strings and record data goes in as one.
 */
import type { Call } from '../../../core/model.ts';
import type { CallRecord } from '../../hooks.ts';
import { withTimeout } from '../../timeout.ts';
import { CrmError, describeFailure } from '../crm-error.ts';
import type { ClickToDialRequest, CrmOptions, CrmRecord, HostBridge, IncomingAnswer } from '../host-bridge.ts';
import { injectScript, trustedOrigin } from '../script-loader.ts';

export interface CifOptions extends CrmOptions {
  /** 1 or 2; default: 2 when the library has the 2.0 session and notification APIs. */
  version?: 1 | 2;
  /** The entity searched for a caller (default `contact`), its name field and phone fields. */
  search?: { entity?: string; nameField?: string; phoneFields?: string[] };
  /** 2.0: the notification template of the incoming-call toast (default `msdyn_agentbar_incoming_call`). */
  notificationTemplate?: string;
  /** 2.0: the session template opened per call (default `msdyn_agentbar_call_session`). */
  sessionTemplate?: string;
  /** 2.0: how long the toast may wait for the agent, ms (default 60 000). */
  notifyTimeoutMs?: number;
}

type Cif = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** The domain Dynamics 365 environments are served from: the library is loaded only from it. */
const DYNAMICS_DOMAINS = ['.dynamics.com'];
/** Entity sets of the regarding records a phone call can bind to (`regardingobjectid_<entity>@odata.bind`). */
const ENTITY_SETS: Record<string, string> = { contact: 'contacts', account: 'accounts', lead: 'leads', incident: 'incidents', opportunity: 'opportunities' };
/** Parties a phone call may name (`partyid_<entity>@odata.bind`). */
const PARTY_ENTITIES = new Set(['contact', 'account', 'lead']);

const cifGlobal = (): Cif | undefined => (globalThis as { Microsoft?: { CIFramework?: Cif } }).Microsoft?.CIFramework;

/** The CIF library's URL: `?ucilib=` on the widget's URL, else the environment's origin (ancestor or referrer). */
export function cifScriptUrl(options: CifOptions, location: Location = globalThis.location, referrer = globalThis.document?.referrer): { url: string; crmUrl: string } {
  if (options.scriptUrl) return { url: options.scriptUrl, crmUrl: new URL(options.scriptUrl, location.href).origin };
  const ucilib = new URLSearchParams(location.search).get('ucilib');
  const fromParam = trustedOrigin(ucilib, DYNAMICS_DOMAINS);
  if (fromParam && ucilib) return { url: ucilib, crmUrl: fromParam };
  const origin = trustedOrigin(location.ancestorOrigins?.[0], DYNAMICS_DOMAINS) ?? trustedOrigin(referrer, DYNAMICS_DOMAINS);
  if (!origin) throw new CrmError('Loading CIF', 'the page is not inside Dynamics 365 (no https *.dynamics.com origin); set crmOptions.scriptUrl');
  return { url: `${origin}/webresources/Widget/msdyn_ciLibrary.js`, crmUrl: origin };
}

/** A JSON string (what CIF passes and returns) as an object; anything else as it is. */
function parse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A record from a UCI page URL (`…main.aspx?pagetype=entityrecord&etn=contact&id=…`). */
function recordOfPage(page: { pagetype?: unknown; etn?: unknown; id?: unknown } | undefined): CrmRecord | undefined {
  if (!page || typeof page.etn !== 'string' || typeof page.id !== 'string' || !page.id) return undefined;
  const id = page.id.replace(/[{}]/g, '').toLowerCase();
  return { id, name: id, type: page.etn };
}

export class CifBridge implements HostBridge {
  readonly crm = 'Dynamics 365';
  readonly #options: CifOptions;
  #api: Cif | undefined;
  #disposed = false;
  readonly #clickListeners: ((request: ClickToDialRequest) => void)[] = [];
  readonly #navigationListeners: ((record: CrmRecord | undefined) => void)[] = [];
  /** The handlers given to `addHandler`, to remove them on dispose. */
  readonly #handlers: [string, (data: string) => Promise<void>][] = [];
  #current: CrmRecord | undefined;
  /** 2.0: the session of each call, the pending toast of each ringing call. */
  readonly #sessions = new Map<string, string>();
  readonly #toasts = new Map<string, string>();
  /** Set in `init` when the library is 2.0 (the glue offers sessions and toasts only then). */
  openCallSession?: (call: Call) => Promise<void>;
  notifyIncoming?: (call: Call) => Promise<IncomingAnswer>;
  cancelIncoming?: (callId: string) => void;

  constructor(options: CifOptions = {}) {
    this.#options = options;
  }

  async init(): Promise<void> {
    // Listen before loading: CIFInitDone may come as soon as the script has run.
    let onInit = () => {};
    const initDone = new Promise<void>((resolve) => (onInit = resolve));
    globalThis.addEventListener?.('CIFInitDone', onInit, { once: true });
    try {
      if (!cifGlobal()) {
        const { url, crmUrl } = cifScriptUrl(this.#options);
        const load = this.#options.loadScript ?? ((u: string) => injectScript(u, { 'data-crmurl': crmUrl, 'data-cifid': 'CIFMainLibrary' }));
        await withTimeout(() => load(url), this.#timeoutMs, 'Loading CIF');
        await withTimeout(() => initDone, this.#timeoutMs, 'Dynamics 365 CIFInitDone');
      } else {
        // Already on the page: initialised if it answers, else wait for its CIFInitDone.
        const api = cifGlobal()!;
        await withTimeout(() => Promise.any([initDone, api.getEnvironment!()]), this.#timeoutMs, 'Dynamics 365 CIFInitDone');
      }
    } finally {
      globalThis.removeEventListener?.('CIFInitDone', onInit);
    }
    const api = cifGlobal();
    if (!api) throw new CrmError('Loading CIF', 'msdyn_ciLibrary.js loaded but Microsoft.CIFramework is missing');
    this.#api = api;
    const v2 = (this.#options.version ?? (typeof api.notifyEvent === 'function' && typeof api.createSession === 'function' ? 2 : 1)) === 2;
    if (v2) {
      this.openCallSession = (call) => this.#openSession(call);
      this.notifyIncoming = (call) => this.#notify(call);
      this.cancelIncoming = (callId) => this.#cancelToast(callId);
    }
    await this.#handle('onclicktoact', (data) => this.#clicked(data));
    await this.#handle('onpagenavigate', (data) => {
      const value = (data as { value?: unknown } | undefined)?.value;
      if (typeof value !== 'string') return;
      try {
        this.#navigated(recordOfPage(Object.fromEntries(new URL(value).searchParams)));
      } catch {
        // Not a URL: nothing we can tell about the page.
      }
    });
    await this.#call('setClickToAct', true);
    // The page on screen is a nicety: without it the bar still works (the next navigation tells).
    this.#navigated(recordOfPage(parse(await this.#call('getEnvironment').catch(() => undefined)) as Record<string, unknown> | undefined));
  }

  onClickToDial(listener: (request: ClickToDialRequest) => void): void {
    this.#clickListeners.push(listener);
  }

  onNavigation(listener: (record: CrmRecord | undefined) => void): void {
    this.#navigationListeners.push(listener);
  }

  async searchAndPop(call: Call, { pop }: { pop: boolean }): Promise<CrmRecord[]> {
    const { entity, nameField, phoneFields } = this.#search;
    // OData string literals double their quotes (a phone number has none, but a backend may send
    // anything); the query is a URL query, so `+` and friends are percent-encoded.
    const value = encodeURIComponent(call.remote.number.replace(/'/g, "''"));
    const query = `?$select=${[nameField, ...phoneFields].join(',')}&$filter=${phoneFields.map((f) => `${f} eq '${value}'`).join(' or ')}`;
    const rows = parse(await this.#call('searchAndOpenRecords', entity, query, !pop));
    if (!Array.isArray(rows)) throw new CrmError('searchAndOpenRecords', 'the answer is not a JSON array');
    const records: CrmRecord[] = [];
    for (const row of rows as Record<string, unknown>[]) {
      const id = row?.[`${entity}id`];
      if (typeof id !== 'string') continue;
      records.push({ id, name: String(row[nameField] ?? id), type: entity });
    }
    return records;
  }

  async screenPop(_call: Call, record: CrmRecord): Promise<void> {
    await this.#call('openForm', JSON.stringify({ entityName: record.type ?? this.#search.entity, entityId: record.id }));
  }

  async saveCallLog(record: CallRecord, regarding: CrmRecord | undefined): Promise<string | undefined> {
    const inbound = record.direction === 'inbound';
    const disposition = record.disposition?.label ?? record.disposition?.code;
    const data: Record<string, unknown> = {
      subject: `${inbound ? 'Inbound' : 'Outbound'} call ${record.number}`,
      phonenumber: record.number,
      // Documented: false = incoming, true = outgoing.
      directioncode: !inbound,
      // Whole minutes connected (a 20-second call is 1 minute; a call never connected, 0).
      actualdurationminutes: Math.ceil(record.talkSec / 60),
      description: [...(disposition ? [`Result: ${disposition}`] : []), ...record.notes].join('\n'),
      actualstart: new Date(record.startedAt).toISOString(),
      actualend: new Date(record.startedAt + record.durationSec * 1000).toISOString(),
    };
    const type = regarding?.type;
    if (regarding && type && ENTITY_SETS[type]) {
      data[`regardingobjectid_${type}@odata.bind`] = `/${ENTITY_SETS[type]}(${regarding.id})`;
      // The customer is the caller (From, 1) of an inbound call and the callee (To, 2) of an outbound one.
      if (PARTY_ENTITIES.has(type)) {
        data.phonecall_activity_parties = [{ [`partyid_${type}@odata.bind`]: `/${ENTITY_SETS[type]}(${regarding.id})`, participationtypemask: inbound ? 1 : 2 }];
      }
    }
    const created = parse(await this.#call('createRecord', 'phonecall', JSON.stringify(data))) as { id?: unknown } | undefined;
    return typeof created?.id === 'string' ? created.id : undefined;
  }

  async setPanelVisible(visible: boolean): Promise<void> {
    // 1 docked, 0 minimised (2.0's hidden mode would hide the bar from the agent for good).
    await this.#call('setMode', visible ? 1 : 0);
  }

  async setPanelSize({ width }: { width?: number; height?: number }): Promise<void> {
    // CIF sizes the panel's width only (the height is the window's).
    if (width !== undefined) await this.#call('setWidth', width);
  }

  async setLabel(): Promise<void> {
    // CIF has no label for the panel; 2.0 sessions carry the caller as their title instead.
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#clickListeners.length = 0;
    this.#navigationListeners.length = 0;
    for (const callId of [...this.#toasts.keys()]) this.#cancelToast(callId);
    const api = this.#api;
    if (!api) return;
    for (const [name, handler] of this.#handlers) api.removeHandler?.(name, handler)?.catch?.(() => {});
    api.setClickToAct?.(false)?.catch?.(() => {});
  }

  get #timeoutMs(): number {
    return this.#options.timeoutMs ?? 10_000;
  }

  get #search(): { entity: string; nameField: string; phoneFields: string[] } {
    const s = this.#options.search ?? {};
    return { entity: s.entity ?? 'contact', nameField: s.nameField ?? 'fullname', phoneFields: s.phoneFields?.length ? s.phoneFields : ['telephone1', 'mobilephone'] };
  }

  /** One CIF method as a promise with the time limit; a rejection becomes a `CrmError` with CIF's code. */
  #call(method: string, ...args: unknown[]): Promise<unknown> {
    return this.#callWithin(this.#timeoutMs, method, ...args);
  }

  #callWithin(ms: number, method: string, ...args: unknown[]): Promise<unknown> {
    const api = this.#api;
    if (!api || this.#disposed) return Promise.reject(new CrmError(method, 'CIF is not initialised'));
    const run = api[method];
    if (typeof run !== 'function') return Promise.reject(new CrmError(method, 'not in this version of CIF'));
    // CIF rejects with plain objects ({ errorCode, message }): turned into a CrmError before the time limit's wrapper sees them.
    const answer = () =>
      Promise.resolve(run(...args)).catch((reason: unknown) => {
        const r = reason as { errorCode?: unknown; message?: unknown } | undefined;
        throw new CrmError(method, typeof r?.message === 'string' ? r.message : describeFailure(reason), typeof r?.errorCode === 'string' ? r.errorCode : undefined);
      });
    return withTimeout(answer, ms, `Dynamics 365 ${method}`);
  }

  /** Registers a handler the way CIF wants it: it gets a JSON string and returns a Promise. */
  async #handle(name: string, run: (data: unknown) => void): Promise<void> {
    const handler = (eventData: string) => {
      // Never throw into Dynamics' page.
      try {
        if (!this.#disposed) run(parse(eventData));
      } catch {
        /* a malformed event is ignored */
      }
      return Promise.resolve();
    };
    this.#handlers.push([name, handler]);
    await this.#call('addHandler', name, handler);
  }

  #clicked(data: unknown): void {
    const d = data as { value?: unknown; entityLogicalName?: unknown } | undefined;
    const number = typeof d?.value === 'string' || typeof d?.value === 'number' ? String(d.value).trim() : '';
    if (!number) return;
    const request: ClickToDialRequest = { number };
    // The payload names the entity, not the record: the record on screen of that entity is it.
    if (this.#current && this.#current.type === d?.entityLogicalName) request.record = this.#current;
    for (const listener of [...this.#clickListeners]) listener(request);
  }

  #navigated(record: CrmRecord | undefined): void {
    if (this.#disposed) return;
    this.#current = record;
    for (const listener of [...this.#navigationListeners]) listener(record);
  }

  async #openSession(call: Call): Promise<void> {
    if (!(await this.#call('canCreateSession'))) throw new CrmError('createSession', 'no more sessions can be opened');
    const title = call.remote.name ?? call.remote.number;
    const sessionId = await this.#call('createSession', {
      templateName: this.#options.sessionTemplate ?? 'msdyn_agentbar_call_session',
      templateParameters: { customerName: title, phoneNumber: call.remote.number },
    });
    if (typeof sessionId !== 'string') return;
    this.#sessions.set(call.id, sessionId);
    await this.#call('setSessionTitle', { sessionId, title });
    await this.#call('requestFocusSession', sessionId);
  }

  async #notify(call: Call): Promise<IncomingAnswer> {
    const token = `agent-bar-${call.id}`;
    this.#toasts.set(call.id, token);
    try {
      const answer = parse(
        await this.#callWithin(this.#options.notifyTimeoutMs ?? 60_000, 'notifyEvent', {
          templateName: this.#options.notificationTemplate ?? 'msdyn_agentbar_incoming_call',
          templateParameters: { customerName: call.remote.name ?? call.remote.number, phoneNumber: call.remote.number },
          cancellationToken: token,
        }),
      ) as { value?: { actionName?: unknown }; actionName?: unknown } | undefined;
      // Documented inside `value`; Microsoft's sample reads it at the top level: both are accepted.
      const action = answer?.value?.actionName ?? answer?.actionName;
      return action === 'Accept' ? 'accept' : action === 'Reject' ? 'reject' : 'timeout';
    } finally {
      this.#toasts.delete(call.id);
    }
  }

  #cancelToast(callId: string): void {
    const token = this.#toasts.get(callId);
    if (!token || !this.#api?.cancelEvent) return;
    this.#toasts.delete(callId);
    this.#api.cancelEvent(token)?.catch?.(() => {});
  }
}
