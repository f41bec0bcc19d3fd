/**
 * A fake of Dynamics 365's Channel Integration Framework (`window.Microsoft.CIFramework`, what
 * `msdyn_ciLibrary.js` defines), versions 1.0 and 2.0, written from Microsoft's documentation, for
 * tests and the demo shell: no Dynamics environment can be reached here. It keeps what the Unified
 * Interface would (records, forms opened, the panel's mode and width, v2 sessions and
 * notifications) and behaves as documented where integrations usually go wrong:
 *
 * - `CIFInitDone` is dispatched on the window asynchronously after install; calls before it reject;
 * - every method returns a Promise; record, search, environment and notification results are JSON
 *   **strings**, and an object where a JSON string is expected is rejected;
 * - handler `eventData` is a JSON string, and a handler must return a Promise (`handlerErrors`
 *   records those that do not);
 * - `onclicktoact` fires only after `setClickToAct(true)`;
 * - `setMode(2)` (hidden) exists only in 2.0; `setWidth` below 300 is ignored;
 * - 2.0: `createSession` fails after 10 sessions; `notifyEvent` stays pending until the test
 *   answers it (`respondToNotification`) or withdraws it (`cancelEvent`); an unknown template is
 *   `NotificationTemplateNotFoundError`.
 *
 * Test hooks (not Microsoft's): `simulateClickToAct`, `simulateModeChange`, `simulatePageNavigate`,
 * `simulateSessionSwitch`, `respondToNotification`, `failNext`, `hangNext`, `onChange`.
 */

export type FakeRow = Record<string, unknown>;

/** What a CIF call rejects with (Microsoft's samples read `message` and `errorCode`). */
export interface FakeCifError {
  errorCode: string;
  message: string;
}

export interface FakeNotification {
  token: string;
  input: { templateName: string; templateParameters?: Record<string, unknown> };
  resolve: (json: string) => void;
}

export interface FakeSession {
  sessionId: string;
  templateName: string;
  templateParameters: Record<string, unknown>;
  title?: string;
}

const MAX_SESSIONS = 10;

export class FakeCif {
  readonly version: 1 | 2;
  /** The environment's rows, by entity logical name (`contact`, `account`, `phonecall` …). */
  readonly data = new Map<string, FakeRow[]>();
  /** Forms and search pages opened, oldest first. */
  readonly opened: Record<string, unknown>[] = [];
  clickToAct = false;
  /** 0 minimised, 1 docked, 2 hidden (2.0). */
  mode = 0;
  width = 340;
  initDone = false;
  /** The page on screen (`getEnvironment`, `onpagenavigate`). */
  page: { pagetype: string; etn?: string; id?: string } = { pagetype: 'dashboard' };
  readonly userId = '{6B2D5C1E-0000-4000-8000-00000000A6E1}';
  readonly sessions: FakeSession[] = [];
  focusedSession: string | undefined;
  focusRequests: string[] = [];
  /** Notification templates configured in the environment (2.0). */
  readonly templates = new Set<string>(['msdyn_agentbar_incoming_call']);
  readonly notifications = new Map<string, FakeNotification>();
  /** Handlers that did not return a Promise (strict mode would fail them). */
  readonly handlerErrors: string[] = [];
  /** Every method call, for assertions: `[method, arguments]`. */
  readonly calls: [string, unknown[]][] = [];
  readonly api: Record<string, unknown>;

  readonly #handlers = new Map<string, ((data: string) => unknown)[]>();
  readonly #failures: { method: string; error: FakeCifError }[] = [];
  readonly #hangs = new Set<string>();
  readonly #changeListeners = new Set<() => void>();
  #next = 1;

  constructor(options: { version?: 1 | 2; data?: Record<string, FakeRow[]> } = {}) {
    this.version = options.version ?? 2;
    for (const [entity, rows] of Object.entries(options.data ?? {})) this.data.set(entity, rows.map((r) => ({ ...r })));
    const v1: Record<string, (...args: unknown[]) => unknown> = {
      setClickToAct: (value) => (typeof value === 'boolean' ? ((this.clickToAct = value), true) : reject('InvalidParams', 'setClickToAct expects a boolean')),
      getClickToAct: () => this.clickToAct,
      addHandler: (name, fn) => this.#addHandler(name, fn),
      removeHandler: (name, fn) => {
        const list = this.#handlers.get(String(name)) ?? [];
        this.#handlers.set(String(name), list.filter((h) => h !== fn));
        return true;
      },
      raiseEvent: (name, params) => this.#fire(String(name), typeof params === 'string' ? params : JSON.stringify(params ?? {})),
      setMode: (mode) => {
        const allowed = this.version === 2 ? [0, 1, 2] : [0, 1];
        if (typeof mode !== 'number' || !allowed.includes(mode)) return reject('InvalidParams', `setMode expects ${allowed.join(', ')}`);
        this.mode = mode;
        this.#fire('onmodechanged', JSON.stringify({ value: mode }));
        return mode;
      },
      getMode: () => this.mode,
      setWidth: (px) => {
        if (typeof px !== 'number') return reject('InvalidParams', 'setWidth expects a number');
        // Documented: below the minimum the call is ignored.
        if (px >= 300) {
          this.width = px;
          this.#fire('onsizechanged', JSON.stringify({ value: px }));
        }
        return this.width;
      },
      getWidth: () => this.width,
      searchAndOpenRecords: (entity, query, searchOnly) => this.#search(entity, query, searchOnly),
      openForm: (options) => {
        const o = json(options, 'openForm options');
        if (o instanceof Rejection) return o;
        if (typeof o.entityName !== 'string') return reject('InvalidParams', 'openForm needs entityName');
        this.opened.push({ form: o.entityName, id: o.entityId });
        if (typeof o.entityId === 'string') this.#navigate({ pagetype: 'entityrecord', etn: o.entityName, id: o.entityId });
        return JSON.stringify({ savedEntityReference: [] });
      },
      renderSearchPage: (entity, search) => {
        if (typeof entity !== 'string' || typeof search !== 'string') return reject('InvalidParams', 'renderSearchPage(entity, searchString)');
        this.opened.push({ search, entity });
        return true;
      },
      createRecord: (entity, data) => this.#create(entity, data),
      retrieveRecord: (entity, id) => {
        const row = this.#rows(String(entity)).find((r) => r[`${entity}id`] === id);
        return row ? JSON.stringify(row) : reject('RecordNotFound', `No ${String(entity)} ${String(id)}`);
      },
      updateRecord: (entity, id, data) => {
        const d = json(data, 'updateRecord data');
        if (d instanceof Rejection) return d;
        const row = this.#rows(String(entity)).find((r) => r[`${entity}id`] === id);
        if (!row) return reject('RecordNotFound', `No ${String(entity)} ${String(id)}`);
        Object.assign(row, d);
        return JSON.stringify({ id, entityName: entity });
      },
      deleteRecord: (entity, id) => {
        const rows = this.#rows(String(entity));
        const i = rows.findIndex((r) => r[`${entity}id`] === id);
        if (i < 0) return reject('RecordNotFound', `No ${String(entity)} ${String(id)}`);
        rows.splice(i, 1);
        return JSON.stringify({ id, entityName: entity });
      },
      getEntityMetadata: (entity) => JSON.stringify({ LogicalName: entity, EntitySetName: `${String(entity)}s` }),
      getEnvironment: () =>
        JSON.stringify({ appid: '{APP-0001}', pagetype: this.page.pagetype, etn: this.page.etn, id: this.page.id, orgGeo: 'EMEA', navigationType: 'standard', userId: this.userId }),
    };
    const v2: Record<string, (...args: unknown[]) => unknown> = {
      notifyEvent: (input) => this.#notify(input),
      cancelEvent: (token) => {
        const n = this.notifications.get(String(token));
        if (!n) return false;
        this.notifications.delete(n.token);
        n.resolve(JSON.stringify({ value: { actionName: 'Cancel', responseReason: 'Cancelled' } }));
        return true;
      },
      canCreateSession: () => this.sessions.length < MAX_SESSIONS,
      createSession: (input) => this.#createSession(input),
      getSession: (id) => {
        const s = this.sessions.find((x) => x.sessionId === id);
        return s ? new Map<string, unknown>(Object.entries(s)) : reject('SessionNotFound', `No session ${String(id)}`);
      },
      getFocusedSession: () => this.focusedSession ?? null,
      getAllSessions: () => this.sessions.map((s) => s.sessionId),
      setSessionTitle: (input) => {
        const i = input as { sessionId?: unknown; title?: unknown } | undefined;
        const s = this.sessions.find((x) => x.sessionId === i?.sessionId);
        if (!s || typeof i?.title !== 'string') return reject('InvalidParams', 'setSessionTitle({ sessionId, title })');
        s.title = i.title;
        return i.title;
      },
      // Documented: a provider can only ask; the agent switches.
      requestFocusSession: (id) => (this.focusRequests.push(String(id)), true),
      createTab: () => `tab-${this.#next++}`,
      setPresence: () => true,
      getPresence: () => JSON.stringify({ presenceText: 'Available' }),
    };
    const api: Record<string, unknown> = {};
    for (const [name, run] of Object.entries(this.version === 2 ? { ...v1, ...v2 } : v1)) {
      api[name] = (...args: unknown[]) => this.#invoke(name, args, run);
    }
    this.api = api;
  }

  /** Puts the API on `win.Microsoft.CIFramework` and, asynchronously, dispatches `CIFInitDone`. */
  install(win: Window = window): this {
    const w = win as unknown as { Microsoft?: Record<string, unknown> };
    w.Microsoft = { ...w.Microsoft, CIFramework: this.api };
    setTimeout(() => {
      this.initDone = true;
      win.dispatchEvent(new Event('CIFInitDone'));
      this.#changed();
    }, 0);
    return this;
  }

  /** The agent clicks a phone field. Nothing (false) unless click-to-act is enabled. */
  simulateClickToAct(payload: { value: string; name: string; format: string; entityLogicalName: string }): boolean {
    if (!this.clickToAct) return false;
    this.#fire('onclicktoact', JSON.stringify(payload));
    return true;
  }

  simulateModeChange(mode: 0 | 1 | 2): void {
    this.mode = mode;
    this.#fire('onmodechanged', JSON.stringify({ value: mode }));
    this.#changed();
  }

  /** The agent opens a page (a record: `pagetype: 'entityrecord'`, `etn`, `id`). */
  simulatePageNavigate(page: { pagetype: string; etn?: string; id?: string }): void {
    this.#navigate(page);
  }

  simulateSessionSwitch(sessionId: string): void {
    const previous = this.focusedSession;
    this.focusedSession = sessionId;
    if (previous) this.#fire('onSessionSwitched', JSON.stringify({ sessionId: previous, focused: false }));
    this.#fire('onSessionSwitched', JSON.stringify({ sessionId, focused: true }));
    this.#changed();
  }

  /** The agent answers a notification (the oldest pending one when no token is given). */
  respondToNotification(action: 'Accept' | 'Reject' | 'Timeout', reason = action === 'Accept' ? 'Accept' : action === 'Reject' ? 'DeclinedByAgent' : 'DisplayTimeout', token?: string): boolean {
    const n = token ? this.notifications.get(token) : this.notifications.values().next().value;
    if (!n) return false;
    this.notifications.delete(n.token);
    n.resolve(JSON.stringify({ value: { actionName: action, responseReason: reason } }));
    this.#changed();
    return true;
  }

  /** The next call of `method` rejects with this error. */
  failNext(method: string, error: FakeCifError = { errorCode: 'GenericError', message: `${method} failed` }): void {
    this.#failures.push({ method, error });
  }

  /** The next call of `method` never settles (a stuck host). */
  hangNext(method: string): void {
    this.#hangs.add(method);
  }

  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  rows(entity: string): readonly FakeRow[] {
    return this.#rows(entity);
  }

  #invoke(name: string, args: unknown[], run: (...args: unknown[]) => unknown): Promise<unknown> {
    this.calls.push([name, args]);
    return new Promise((resolve, rejectWith) => {
      // The library answers over postMessage: never synchronously.
      setTimeout(() => {
        if (!this.initDone) return rejectWith({ errorCode: 'NotInitialized', message: 'CIF is not initialized yet (wait for CIFInitDone)' });
        if (this.#hangs.delete(name)) return;
        const failure = this.#failures.findIndex((f) => f.method === name);
        if (failure >= 0) return rejectWith({ ...this.#failures.splice(failure, 1)[0]!.error });
        const value = run(...args);
        if (value instanceof Rejection) return rejectWith(value.error);
        this.#changed();
        Promise.resolve(value).then(resolve);
      }, 0);
    });
  }

  #addHandler(name: unknown, fn: unknown): unknown {
    if (typeof name !== 'string' || typeof fn !== 'function') return reject('InvalidParams', 'addHandler(name, handler)');
    const list = this.#handlers.get(name) ?? [];
    list.push(fn as (data: string) => unknown);
    this.#handlers.set(name, list);
    return true;
  }

  #fire(name: string, eventData: string): boolean {
    for (const handler of [...(this.#handlers.get(name) ?? [])]) {
      setTimeout(() => {
        const result = handler(eventData);
        if (!result || typeof (result as { then?: unknown }).then !== 'function') this.handlerErrors.push(name);
      }, 0);
    }
    return true;
  }

  #navigate(page: { pagetype: string; etn?: string; id?: string }): void {
    this.page = { ...page };
    const q = new URLSearchParams({ appid: 'APP-0001', pagetype: page.pagetype, ...(page.etn ? { etn: page.etn } : {}), ...(page.id ? { id: page.id } : {}) });
    this.#fire('onpagenavigate', JSON.stringify({ value: `https://contoso.crm.dynamics.com/main.aspx?${q}` }));
    this.#changed();
  }

  /** `?$select=a,b&$filter=x eq 'v' or y eq 'w'` and `$search=text`: the OData subset integrations use. */
  #search(entity: unknown, query: unknown, searchOnly: unknown): unknown {
    if (typeof entity !== 'string' || typeof query !== 'string' || typeof searchOnly !== 'boolean') {
      return reject('InvalidParams', 'searchAndOpenRecords(entity: string, query: string, searchOnly: boolean)');
    }
    const params = new URLSearchParams(query.replace(/^\?/, ''));
    const rows = this.#rows(entity);
    const filter = params.get('$filter');
    const search = params.get('$search');
    let hits = rows;
    if (filter) {
      const terms = filter.split(/\s+or\s+/i).map((t) => /^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(t));
      if (terms.some((t) => !t)) return reject('InvalidQuery', `Unsupported $filter: ${filter}`);
      hits = rows.filter((r) => terms.some((t) => String(r[t![1]!] ?? '') === t![2]!.replace(/''/g, "'")));
    } else if (search) {
      hits = rows.filter((r) => Object.values(r).some((v) => String(v).toLowerCase().includes(search.toLowerCase())));
    }
    const select = params.get('$select')?.split(',');
    const idField = `${entity}id`;
    const out = hits.slice(0, 5000).map((r) => (select ? Object.fromEntries([idField, ...select].map((k) => [k, r[k]])) : { ...r }));
    if (!searchOnly) {
      if (hits.length === 1 && !search) {
        this.opened.push({ form: entity, id: hits[0]![idField] });
        this.#navigate({ pagetype: 'entityrecord', etn: entity, id: String(hits[0]![idField]) });
      } else if (hits.length > 1 || search) {
        this.opened.push({ search: search ?? filter, entity });
      }
    }
    return JSON.stringify(out);
  }

  #create(entity: unknown, data: unknown): unknown {
    if (typeof entity !== 'string') return reject('InvalidParams', 'createRecord(entity: string, data: JSON string)');
    const d = json(data, 'createRecord data');
    if (d instanceof Rejection) return d;
    const id = `00000000-0000-4000-8000-${String(this.#next++).padStart(12, '0')}`;
    this.#rows(entity).push({ ...d, [`${entity}id`]: id });
    return JSON.stringify({ id, entityName: entity });
  }

  #notify(input: unknown): unknown {
    const i = input as FakeNotification['input'] & { cancellationToken?: string };
    if (!i || typeof i !== 'object' || typeof i.templateName !== 'string') return reject('InvalidParams', 'notifyEvent({ templateName, templateParameters })');
    if (!this.templates.has(i.templateName)) return reject('NotificationTemplateNotFoundError', `No notification template ${i.templateName}`);
    const token = i.cancellationToken ?? `notification-${this.#next++}`;
    return new Promise<string>((resolve) => this.notifications.set(token, { token, input: i, resolve }));
  }

  #createSession(input: unknown): unknown {
    const i = input as { templateName?: unknown; templateParameters?: Record<string, unknown> } | undefined;
    if (!i || typeof i.templateName !== 'string') return reject('InvalidParams', 'createSession({ templateName, templateParameters })');
    if (this.sessions.length >= MAX_SESSIONS) return reject('MaxSessionsReached', `At most ${MAX_SESSIONS} sessions`);
    const session: FakeSession = { sessionId: `session-id-${this.#next++}`, templateName: i.templateName, templateParameters: { ...i.templateParameters } };
    this.sessions.push(session);
    this.focusedSession = session.sessionId;
    return session.sessionId;
  }

  #rows(entity: string): FakeRow[] {
    let rows = this.data.get(entity);
    if (!rows) this.data.set(entity, (rows = []));
    return rows;
  }

  #changed(): void {
    for (const listener of [...this.#changeListeners]) listener();
  }
}

class Rejection {
  constructor(readonly error: FakeCifError) {}
}
const reject = (errorCode: string, message: string) => new Rejection({ errorCode, message });

/** A JSON-string argument, parsed; an object (or bad JSON) is rejected as Microsoft's library does. */
function json(value: unknown, what: string): Record<string, unknown> | Rejection {
  if (typeof value !== 'string') return reject('InvalidParams', `${what} must be a JSON string`);
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : reject('InvalidParams', `${what} must be a JSON object`);
  } catch {
    return reject('InvalidParams', `${what} is not valid JSON`);
  }
}
