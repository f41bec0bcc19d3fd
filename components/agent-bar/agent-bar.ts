import { LitElement, html, css, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { ContextProvider } from '@lit/context';
import { Session } from '../../src/core/session.ts';
import { connectorDefinition, createConnector } from '../../src/connectors/registry.ts';
import type { Connector } from '../../src/core/connector.ts';
import { LazyConnector } from '../../src/connectors/kit/lazy-connector.ts';
import type { Call, Snapshot } from '../../src/core/model.ts';
import type { SimulatorControl } from '../../src/connectors/simulator/control.ts';
import { landmarkContext, landmarkName, sessionContext } from '../session-context.ts';
import { SnapshotController } from '../controllers/snapshot-controller.ts';
import { clockText } from '../directives/clock-text.ts';
import { ClickToDialController, type TelRequest } from '../controllers/click-to-dial-controller.ts';
import { createCtiEvent } from '../events.ts';
import { CallAlertController } from '../controllers/call-alert-controller.ts';
import { ShortcutController, parseShortcutScope } from '../controllers/shortcut-controller.ts';
import type { StatusMenu } from '../status-menu/status-menu.ts';
import { loadRecentCalls } from '../recent-calls/load-recent-calls.ts';
import { LazyElementsController } from '../controllers/lazy-elements-controller.ts';
import { parseAlertKinds, type AlertKind } from '../alerts/alert-options.ts';
import { agentStateLabel, connectionLabel, phoneLineLabel } from '../format.ts';
import { formatDuration } from '../locale/duration.ts';
import { currentLocale, errorText } from '../locale/localization.ts';
import { LocaleController } from '../controllers/locale-controller.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { themeStyles } from '../../styles/themes.ts';
import type { HostHooks } from '../../src/embed/hooks.ts';
import type { HostHookRunner } from '../../src/embed/hook-runner.ts';
import type { DiagnosticLog } from '../../src/core/diagnostic-log.ts';
import { CRM_MODULES, detectCrm } from '../../src/embed/bridges/crm-modules.ts';
import type { BridgeLink } from '../../src/embed/bridges/attach-bridge.ts';
import type { CrmOptions } from '../../src/embed/bridges/host-bridge.ts';


/** The current call while it rings (announced to screen readers), else undefined. */
const ringingCall = (s: Snapshot): Call | undefined => (s.calls[0]?.state === 'ringing' ? s.calls[0] : undefined);

/**
 * The complete agent bar. Creates the connector (by name, from the registry) and the session,
 * provides the session to the elements it composes, connects when attached and destroys
 * everything when detached. Shows connection status, agent state with the time in it, the
 * state controls, the dial box, the preview card, the call panel (with keypad and transfer
 * dialog), the customer card, the wrap-up form, and one alert region with the readable message
 * of the last failed command.
 *
 * Every session host event is re-dispatched from this element as a `cti-` DOM event (bubbling,
 * composed) with a typed `detail`.
 *
 * @fires cti-agent-state-changed - `{ state, previous, reason? }`
 * @fires cti-call-offered - `{ call }`
 * @fires cti-call-connected - `{ call }`
 * @fires cti-call-held - `{ call }`
 * @fires cti-call-retrieved - `{ call }`
 * @fires cti-call-disconnected - `{ call }`
 * @fires cti-capabilities-changed - `{ capabilities }`
 * @fires cti-wrapup-completed - `{ callId, dispositionCode? }`
 * @fires cti-operation-failed - `{ operation, error }` when a command fails (error keeps the vendor code)
 * @fires cti-screen-pop - `{ callId, url, call }`; cancelable: `preventDefault()` stops the bar's own pop (`auto-pop`)
 * @fires cti-token-needed - `{ error, retryInMs }` when the backend refused the agent's token: the bar asks `getToken()` again in `retryInMs` (or at `reconnect()`)
 * @fires cti-crm-pop - `{ callId, number, crm }` before a CRM bridge searches the caller; cancelable: `preventDefault()` searches without popping
 * @csspart bar - the whole bar
 * @csspart header - the connection and agent-state line
 * @csspart state - the agent-state pill (state, reason, time in state)
 * @csspart line - the phone line's nailing state (POM)
 * @csspart alert - the error region (message and Dismiss button)
 * @csspart panel - each section (state controls, dial box, preview, call, transfer, customer, wrap-up)
 * @csspart button - every button
 * @csspart input - every text box and select
 * @csspart timer - every timer
 * @cssprop --cti-color-surface - bar background
 * @cssprop --cti-color-text - text colour
 * @cssprop --cti-color-primary - primary buttons and focus ring
 * @cssprop --cti-color-danger - Hang up
 * @cssprop --cti-color-success - Ready, Answer
 * @cssprop --cti-color-alert-bg - alert background
 * @cssprop --cti-color-alert-text - alert text
 * @cssprop --cti-space-1 - smallest gap (also -2, -3, -4)
 * @cssprop --cti-radius - corner radius
 * @cssprop --cti-font-family - font
 * @cssprop --cti-font-size - base font size
 * @cssprop --agent-bar-max-width - the bar's maximum width (default 48rem)
 * @cssprop --cti-target-size - the smallest size of a control (default 44px)
 * @cssprop --cti-color-focus - the focus ring
 * @cssprop --cti-color-muted - secondary text
 * @slot - extra content at the end of the bar (e.g. a host's own buttons)
 * @tagname agent-bar
 */
export class AgentBar extends LitElement {
  static override styles = [
    ...elementStyles,
    css`
      :host {
        max-width: var(--agent-bar-max-width, 48rem);
        /* The layout follows the room the page gives the bar (container queries), not the window. */
        container-type: inline-size;
      }
      /* Panel (the 200–400 px softphone panel of Salesforce and Dynamics): one column. */
      .bar {
        display: grid;
        gap: var(--_cti-space-3);
        padding: var(--_cti-space-3);
        background: var(--_cti-surface);
        color: var(--_cti-text);
        border: 1px solid var(--_cti-border);
        border-radius: var(--_cti-radius);
      }
      /* Strip (across the top of a CRM page): the sections side by side, wrapping into rows. */
      @container (min-width: 600px) {
        .bar {
          display: flex;
          flex-wrap: wrap;
          align-items: flex-start;
        }
        .bar > * {
          flex: 0 1 auto;
        }
        .bar > header,
        .bar > call-panel {
          flex: 1 1 18rem;
        }
        .bar > customer-card,
        .bar > disposition-picker,
        .bar > preview-card,
        .bar > contact-matches,
        .bar > .alert.shown {
          flex: 1 1 100%;
        }
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_cti-space-2) var(--_cti-space-3);
        align-items: center;
      }
      /* The agent state as a coloured pill with the time in it. */
      .pill {
        display: inline-flex;
        gap: var(--_cti-space-2);
        align-items: center;
        padding: var(--_cti-space-1) var(--_cti-space-3);
        border-radius: 999px;
        border: 1px solid var(--_cti-border);
        background: var(--_cti-surface-alt);
        color: var(--_cti-text);
      }
      .pill[data-state='ready'] {
        background: var(--_cti-success);
        border-color: var(--_cti-success);
        color: var(--_cti-on-success);
      }
      .pill[data-state='notReady'],
      .pill[data-state='pendingNotReady'] {
        background: var(--_cti-alert-bg);
        color: var(--_cti-alert-text);
      }
      .pill[data-state='busy'] {
        background: var(--_cti-primary);
        border-color: var(--_cti-primary);
        color: var(--_cti-on-primary);
      }
      .state {
        font-weight: 600;
      }
      .connection::before {
        content: '';
        display: inline-block;
        width: 0.6em;
        height: 0.6em;
        margin-inline-end: var(--_cti-space-1);
        border-radius: 50%;
        background: var(--_cti-muted);
      }
      .connection[data-status='connected']::before {
        background: var(--_cti-success);
      }
      .connection[data-status='degraded']::before {
        background: var(--_cti-warning, #b26a00);
      }
      .connection[data-status='offline']::before {
        background: var(--_cti-danger);
      }
      .line[data-problem='true'] {
        color: var(--_cti-danger);
        font-weight: 600;
      }
      .alert {
        display: flex;
        gap: var(--_cti-space-2);
        align-items: center;
      }
      .alert.shown {
        padding: var(--_cti-space-2) var(--_cti-space-3);
        background: var(--_cti-alert-bg);
        color: var(--_cti-alert-text);
        border-radius: var(--_cti-radius);
      }
      .alert [role='alert'] {
        flex: 1;
      }
    `,
    themeStyles,
  ];

  /** Connector name from the registry. */
  @property({ reflect: true }) connector = 'simulator';
  /**
   * The look: `light` (default), `dark`, `auto` (dark when the system prefers it), `salesforce`,
   * `dynamics` (styles/themes.ts). A `--cti-*` property set by the page wins over any theme.
   */
  @property({ reflect: true }) theme = 'light';
  /** URL or origin of the backend, for connectors that need one. */
  @property() endpoint?: string;
  /** The agent's id; all the simulator needs to log in. */
  @property({ attribute: 'agent-id' }) agentId = '';
  /** Space- or comma-separated origins allowed to talk to a postMessage connector. */
  @property({ attribute: 'allowed-origins' }) allowedOrigins = '';
  /** Connector-specific options (never put secrets in attributes). */
  @property({ attribute: false }) config?: Record<string, unknown>;
  /** Open a screen-pop URL in a new tab by itself unless the host vetoes `cti-screen-pop`. */
  @property({ type: Boolean, attribute: 'auto-pop' }) autoPop = false;
  /**
   * How a ringing call alerts the agent: any of `ring` (a ring tone), `notification` (a desktop
   * notification that answers when clicked, while the page is in the background) and `title` (a
   * flashing page title, while in the background); `none` for silence.
   */
  @property() alerts = 'ring notification title';
  /** Seconds after which the alerts of a call that still rings stop. */
  @property({ type: Number, attribute: 'ring-timeout' }) ringTimeout = 60;
  /** Ring tone volume, 0–1. */
  @property({ type: Number, attribute: 'ring-volume' }) ringVolume = 0.15;
  /** Host services the bar calls (contact search, screen pop, call logging), each with a timeout. */
  @property({ attribute: false }) hooks: HostHooks = {};
  /** Take over `tel:` links of the page: the agent confirms each number before it is dialled. */
  @property({ type: Boolean, attribute: 'click-to-dial' }) clickToDial = false;
  /**
   * Where the keyboard shortcuts (Alt+Shift+A, H, O, M, R, N, D; docs/elements.md) work: `bar`
   * (default: while the focus is in the bar), `page` (anywhere in the page) or `none`.
   */
  @property() shortcuts = 'bar';
  /** Time limit of each hook call, ms. */
  @property({ type: Number, attribute: 'hook-timeout' }) hookTimeoutMs = 5000;
  /**
   * The CRM the bar lives in: `salesforce` (Open CTI), `dynamics` (CIF 1.0/2.0) or
   * `salesforce-voice` (a Salesforce Voice connector); absent: detected
   * from the page; `none`: no CRM bridge. Read when the session starts.
   */
  @property() crm = '';
  /**
   * Keep this tab's own backend connection. Without it, bars of one origin on the same connector,
   * endpoint and agent share one connection across tabs (docs/embedding.md).
   */
  @property({ type: Boolean, attribute: 'own-connection' }) ownConnection = false;
  /**
   * The agent's browser phone next to the connector (docs/phone.md): `{ endpoint, uri,
   * getCredentials, autoAnswer? … }`. It answers by itself the calls the backend rings it with.
   */
  @property({ attribute: false }) phone?: Record<string, unknown>;
  /**
   * Names this bar for assistive technology: its landmarks become `Call — <label>`,
   * `Dial — <label>`, `Phone — <label>` … (e.g. `label="Pat (sales)"`). Give each bar a label
   * when several share a page, so that no two landmarks repeat a name (axe `landmark-unique`).
   * Without it the landmarks keep the plain names of the contract (`Call`, `Dial` …), and so does
   * every other control in either case.
   */
  @property() label = '';
  /** Options of the CRM bridge (script loader, library URL, time limit, panel size …; docs/crm-bridges.md). */
  @property({ attribute: false }) crmOptions: CrmOptions = {};

  #session: Session | undefined;
  #hookRunner: HostHookRunner | undefined;
  /** The diagnostic log of the current session (a lazy module, started with the session). */
  #log: Promise<DiagnosticLog | undefined> | undefined;
  #crmLink: BridgeLink | undefined;
  /** The last CRM failure, shown in the alert region until dismissed. */
  #crmMessage: string | undefined;
  #connector: Connector | undefined;
  #offHostEvents: (() => void) | undefined;
  readonly #provider = new ContextProvider(this, { context: sessionContext });
  readonly #landmarkOf = new ContextProvider(this, { context: landmarkContext });
  readonly #snapshots = new SnapshotController(
    this,
    () => this.#session,
    // Everything the header and alert region show: with no per-second tick left, a field missing
    // here would never be rendered again (the phone line and job went stale that way).
    (s: Snapshot) => [s.agent, s.connection, s.linkDegraded, s.lastError, s.retryAt, s.phoneLine, s.job, ringingCall(s)],
  );
  /** The preview card, customer card, wrap-up form and transfer dialog: lazy modules, loaded when first needed. */
  readonly #lazyElements = new LazyElementsController(this, () => this.#session);
  /** The `tel:` number waiting for the agent's confirmation (or why it cannot be dialled). */
  #telRequest: TelRequest | undefined;
  constructor() {
    // The controller registers itself with the element (addController).
    super();
    new LocaleController(this);
    new ClickToDialController(
      this,
      () => this.clickToDial,
      (request) => (this.#telRequest = request),
    );
    new ShortcutController(this, () => parseShortcutScope(this.shortcuts), () => this.#session, {
      openNotReady: () => void this.renderRoot.querySelector<StatusMenu>('status-menu')?.openReasons(),
      focusDial: () => this.renderRoot.querySelector<HTMLElement>('dial-box')?.focus(),
      keepFocus: () => this.renderRoot.querySelector<HTMLElement>('.bar')?.focus(),
    });
  }
  readonly #alerts = new CallAlertController(this, () => ({
    kinds: parseAlertKinds(this.alerts),
    ringTimeoutMs: Math.max(1, Number.isFinite(this.ringTimeout) ? this.ringTimeout : 60) * 1000,
    ringVolume: this.ringVolume,
    texts: {
      incomingCall: msg('Incoming call'),
      clickToAnswer: msg('Click to answer.'),
      // No customer data: browsers keep page titles in their history.
      title: msg('☎ Incoming call'),
    },
  }));

  /** The alerts running now for a ringing call (`ring`, `notification`, `title`). */
  get alerting(): AlertKind[] {
    return this.#alerts.active;
  }

  /** The session behind the bar (`snapshot`, `subscribe`, `command()` …). */
  get session(): Session | undefined {
    return this.#session;
  }

  /** The simulator's control API when the connector is the simulator, else undefined. */
  get simulator(): SimulatorControl | undefined {
    const connector = this.#connector as (Connector & { simulator?: SimulatorControl }) | undefined;
    return connector?.simulator;
  }

  /**
   * Dials `number` as if typed in the dial box (validated; a bad number rejects and shows the
   * alert). `recordId`: the CRM record the call is for (a connector may tag the recording or the
   * campaign lead with it; Noojee does).
   */
  dial(number: string, options: { recordId?: string } = {}): Promise<void> {
    if (!this.#session) return Promise.reject(new Error('agent-bar is not connected to a session'));
    return this.#session.command('dial', options.recordId === undefined ? { number } : { number, recordId: options.recordId });
  }

  /**
   * While offline and waiting to connect again (the header says "Offline — retrying in N s"),
   * tries now: what the Retry button does, and what a host calls after `cti-token-needed` once
   * its token source can give a fresh token. False when no retry was waiting.
   */
  reconnect(): boolean {
    return this.#session?.retryNow() ?? false;
  }

  /**
   * The last few hundred connection and session events, every secret and customer value redacted
   * (docs/embedding.md, "Diagnostics"), saved as a JSON file for a support ticket; resolves with
   * the same text. `{ save: false }` only returns it.
   */
  async downloadLog(options: { save?: boolean } = {}): Promise<string> {
    const log = await this.#log;
    if (!log) throw new Error('agent-bar has no session to log yet (set agent-id).');
    const text = log.text();
    if (options.save !== false) {
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      link.download = `agent-bar-log-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    }
    return text;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#session && this.agentId) this.#build();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#teardown();
  }

  /** A changed connector, endpoint, agent, origin list or config means another backend: rebuild. */
  protected override willUpdate(props: PropertyValues<this>): void {
    if (props.has('alerts') || props.has('ringVolume')) this.#alerts.refresh();
    // Before the early return: a label set while detached names the landmarks once attached.
    this.#landmarkOf.setValue(this.label);
    if (!this.isConnected) return;
    if (props.has('hooks')) this.#startHooks();
    if (this.phone || this.connector === 'sip') this.#lazyElements.load('phone-panel');
    const changed = this.#backendKey() !== this.#builtKey || this.config !== this.#builtConfig;
    if (this.#session && changed) this.#teardown();
    // A session needs an agent id; until one is set the bar says so and connects nothing.
    if (!this.#session && this.agentId && changed) this.#build();
  }

  #builtKey = '';
  /** Why no session could be built (shown in the alert region). */
  #setupError: string | undefined;
  #builtConfig: Record<string, unknown> | undefined;

  #backendKey(): string {
    return JSON.stringify([this.connector, this.endpoint ?? '', this.agentId, this.allowedOrigins, this.ownConnection]);
  }

  #build(): void {
    this.#builtKey = this.#backendKey();
    this.#builtConfig = this.config;
    let connector: Connector;
    let session: Session;
    try {
      connector = createConnector(this.connector || 'simulator', {
        agentId: this.agentId,
        endpoint: this.endpoint,
        config: this.config,
        allowedOrigins: this.allowedOrigins.split(/[\s,]+/).filter(Boolean),
      });
      // A backend reached over the network (not the in-page simulator, not a postMessage peer) is
      // shared by the tabs (Web Locks need a secure context); the sharing code loads lazily.
      if (this.endpoint && !this.allowedOrigins && !this.ownConnection && globalThis.navigator?.locks) {
        const own = connector;
        const key = this.#builtKey;
        const shared: LazyConnector = new LazyConnector({
          name: own.name,
          supports: own.supports,
          loginFields: own.loginFields ?? [],
          load: () => import('../../src/embed/tab-share.ts').then((m) => m.shareAcrossTabs(own, key, shared)),
        });
        connector = shared;
      }
      session = new Session(connector, { agentId: this.agentId });
    } catch (error) {
      // A misconfigured bar (unknown connector, bad options) says why instead of failing silently.
      this.#setupError = error instanceof Error ? error.message : String(error);
      this.requestUpdate();
      return;
    }
    this.#setupError = undefined;
    this.#connector = connector;
    this.#session = session;
    this.#offHostEvents = session.onHostEvent((e) => {
      // The bar's own phone carried this call's audio: its quality goes with the hang-up.
      const quality = e.type === 'call-disconnected' && !e.detail.call.quality && this.renderRoot.querySelector<HTMLElement & { lastQuality?: Call['quality'] }>('phone-panel')?.lastQuality;
      const event = quality ? createCtiEvent(e.type, { ...e.detail, call: { ...e.detail.call, quality } }) : createCtiEvent(e.type, e.detail);
      const proceed = this.dispatchEvent(event);
      if (e.type === 'screen-pop' && proceed && this.autoPop && !session.mirrored) {
        globalThis.open?.(e.detail.url, '_blank', 'noopener,noreferrer');
      }
    });
    this.#provider.setValue(session);
    const name = this.connector;
    const config = this.config;
    this.#log = import('../../src/core/diagnostic-log.ts').then(
      (m) => new m.DiagnosticLog(session, { secrets: () => connectorDefinition(name)?.secretValues(config) ?? [], about: { connector: name } }),
      () => undefined,
    );
    this.#alerts.attach(session);
    // <recent-calls> (rendered below) is its own module; it follows the session once registered.
    loadRecentCalls().catch((error: unknown) => console.error('agent-bar: the recent-calls module did not load', error));
    this.#startHooks();
    this.#startCrm(session);
    this.#announceSession();
    this.requestUpdate();
    // Failures surface as lastError and a cti-operation-failed event; nothing to do here.
    session.connect().catch(() => {});
  }

  #teardown(): void {
    this.#offHostEvents?.();
    this.#offHostEvents = undefined;
    this.#hookRunner?.destroy();
    this.#hookRunner = undefined;
    this.#crmLink?.dispose();
    this.#crmLink = undefined;
    void this.#log?.then((log) => log?.dispose());
    this.#log = undefined;
    this.#session?.destroy();
    this.#session = undefined;
    this.#connector = undefined;
    this.#provider.setValue(undefined);
    this.#alerts.attach(undefined);
    this.#announceSession();
  }

  /**
   * The hook runner is a lazy module (most pages set no hooks): loaded once the bar has a session
   * and the host has set a hook, then bound to that session.
   */
  #startHooks(): void {
    const session = this.#session;
    // The host's own hooks win over the CRM bridge's.
    const hooks = () => ({ ...this.#crmLink?.hooks, ...this.hooks });
    if (!session || this.#hookRunner || !Object.values(hooks()).some((h) => typeof h === 'function')) return;
    void import('../../src/embed/hook-runner.ts').then(
      ({ HostHookRunner }) => {
        if (this.#session !== session || this.#hookRunner) return;
        this.#hookRunner = new HostHookRunner(session, hooks, { timeoutMs: () => this.hookTimeoutMs, log: (line) => this.#crmLink?.log(line) });
        // <contact-matches> shows what the hooks find: its own module, needed only with hooks.
        this.#lazyElements.load('contact-matches');
        this.requestUpdate();
      },
      (error: unknown) => console.error('agent-bar: the hooks module did not load', error),
    );
  }

  /** The CRM bridge is a lazy module of its own (dist/agent-bar-crm-<crm>.js), bound to this session. */
  #startCrm(session: Session): void {
    const load = CRM_MODULES[this.crm || detectCrm() || ''];
    if (!load) return;
    const report = (message: string) => {
      this.#crmMessage = message;
      this.requestUpdate();
    };
    load().then(
      ({ start }) => {
        if (this.#session !== session) return;
        this.#crmLink = start({ session, element: this, dial: (n, o) => this.dial(n, o), report }, this.crmOptions ?? {});
        this.#startHooks();
      },
      (error: unknown) => report(msg(str`The CRM bridge did not load: ${String(error)}`)),
    );
  }

  /** `agent-bar-session` (not bubbling): `bar.session` changed; the iframe bridge follows it. */
  #announceSession(): void {
    this.dispatchEvent(new Event('agent-bar-session'));
  }

  override render() {
    const snap = this.#snapshots.snapshot;
    const message = (snap?.lastError && errorText(snap.lastError)) ?? this.#setupError ?? this.#crmMessage;
    return html`
      <div class="bar" part="bar" tabindex="-1" lang=${currentLocale()}>
        ${snap ? this.#renderHeader(snap) : html`<header part="header" role="none">${msg('Set the agent-id attribute to connect.')}</header>`}
        <status-menu exportparts="panel, button, menu, input, label" @login-intent=${() => void this.#alerts.prepare()}></status-menu>
        <dial-box exportparts="panel, button, input"></dial-box>
        <preview-card exportparts="panel, button, input, timer"></preview-card>
        <call-panel exportparts="panel, button, input, timer, keypad"></call-panel>
        <contact-matches exportparts="panel, link" .runner=${this.#hookRunner}></contact-matches>
        <customer-card exportparts="panel, input, link"></customer-card>
        <disposition-picker exportparts="panel, button, input, timer"></disposition-picker>
        ${this.phone || this.connector === 'sip' ? html`<phone-panel exportparts="panel, button" .options=${this.connector === 'sip' ? undefined : this.phone}></phone-panel>` : nothing}
        <recent-calls exportparts="panel, button"></recent-calls>
        ${this.#renderTelRequest()}
        ${this.#renderAnnouncer(snap)}
        <div class="alert ${message ? 'shown' : ''}" part="alert">
          <div role="alert">${message ?? ''}</div>
          ${snap?.lastError || this.#crmMessage
            ? html`<button part="button" @click=${() => (this.#session?.dismissError(), (this.#crmMessage = undefined), this.requestUpdate())}>${msg('Dismiss')}</button>`
            : nothing}
        </div>
        <slot></slot>
      </div>
    `;
  }

  /**
   * What a screen reader says by itself, politely (it waits for the agent's current speech): a call
   * starting to ring, with who it is. The region is always in the DOM, so the new text is
   * announced; it empties when the call stops ringing. Errors have the alert region (assertive).
   */
  #renderAnnouncer(snap: Snapshot | undefined) {
    const call = snap && ringingCall(snap);
    const who = call && (call.remote.name ? `${call.remote.name}, ${call.remote.number}` : call.remote.number);
    return html`<div class="visually-hidden" role="status" id="announcer">${who ? msg(str`Incoming call from ${who}`) : ''}</div>`;
  }

  #renderTelRequest() {
    const r = this.#telRequest;
    if (!r) return nothing;
    const close = () => {
      this.#telRequest = undefined;
      this.requestUpdate();
    };
    if ('error' in r) {
      return html`<section part="panel" aria-label=${landmarkName(msg('Click to dial'), this.#landmarkOf.value)}>
        <p role="status">${msg(str`Cannot dial from the page: ${errorText({ message: r.error })}`)}</p>
        <button part="button" @click=${close}>${msg('Close')}</button>
      </section>`;
    }
    const confirm = () => {
      close();
      // A refusal (not ready, bad state) shows in the alert region like any dial.
      this.#session?.command('dial', { number: r.number }).catch(() => {});
    };
    return html`<section part="panel" aria-label=${landmarkName(msg('Click to dial'), this.#landmarkOf.value)}>
      <p role="status">${msg(str`Dial ${r.number} from the page?`)}</p>
      <button part="button" @click=${confirm}>${msg('Confirm dial')}</button>
      <button part="button" @click=${close}>${msg('Cancel dial')}</button>
    </section>`;
  }

  #renderHeader(snap: Snapshot) {
    const agent = snap.agent;
    const retryAt = snap.connection === 'offline' ? snap.retryAt : undefined;
    // Not a banner landmark (role none): a page may hold several bars, and a page has one banner.
    // Not a banner landmark (role none): a page may hold several bars, and a page has one banner.
    return html`<header part="header" role="none">
      <span class="connection" data-status=${snap.linkDegraded ? 'degraded' : snap.connection}
        >${snap.linkDegraded
          ? msg('Connected — unstable link')
          : retryAt !== undefined
            ? clockText((now) => msg(str`${connectionLabel(snap.connection)} — retrying in ${Math.max(0, Math.ceil((retryAt - now) / 1000))} s`))
            : connectionLabel(snap.connection)}</span
      >
      ${retryAt !== undefined ? html`<button part="button" @click=${() => this.reconnect()}>${msg('Retry')}</button>` : nothing}
      <span class="muted">${msg(str`Agent ${agent.id || this.agentId}`)}</span>
      <span class="pill" part="state" data-state=${agent.state}
        ><span class="state">${agentStateLabel(agent.state, agent.rawState)}${agent.reason ? html`: ${agent.reason.label}` : nothing}</span>
        ${agent.state !== 'loggedOut'
          ? html`<span class="timer" part="timer" role="timer" aria-label=${msg('Time in state')}>${clockText((now) => formatDuration(now - agent.since))}</span>`
          : nothing}</span
      >
      ${snap.phoneLine && agent.state !== 'loggedOut'
        ? html`<span class="line" part="line" data-problem=${snap.phoneLine === 'nailingLost' ? 'true' : 'false'}
            >${msg(str`Phone line: ${phoneLineLabel(snap.phoneLine)}`)}${snap.job ? msg(str` · job ${snap.job}`) : ''}</span
          >`
        : nothing}
    </header>`;
  }
}
