import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../src/core/session.ts';
import type { AlertKind, CallAlertOptions } from '../alerts/alert-options.ts';
import type { CallAlerts } from '../alerts/call-alerts.ts';

// The alerts (ring tone, notification, title) are their own module (`agent-bar-alerts.js` in the
// build): fetched once the agent logs in, since no call can ring before.
let alertsModule: Promise<typeof import('../alerts/call-alerts.ts')> | undefined;
function loadAlerts() {
  alertsModule ??= import('../alerts/call-alerts.ts');
  return alertsModule;
}

/**
 * `<agent-bar>`'s side of the ringing-call alerts: follows the host's lifecycle and session, and
 * loads `CallAlerts` when the agent logs in (or is found logged in), then hands everything over.
 */
export class CallAlertController implements ReactiveController {
  readonly #options: () => CallAlertOptions;
  #alerts: CallAlerts | undefined;
  #loading: Promise<CallAlerts> | undefined;
  #session: Session | undefined;
  #connected = false;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, options: () => CallAlertOptions) {
    this.#options = options;
    host.addController(this);
  }

  /** The alerts running now. */
  get active(): AlertKind[] {
    return this.#alerts?.active ?? [];
  }

  /** Resolves once the alerts module is loaded and following the session (for tests). */
  get ready(): Promise<void> {
    return (this.#loading ?? Promise.resolve()).then(() => {});
  }

  attach(session: Session | undefined): void {
    this.#session = session;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#alerts?.attach(session);
    this.#watch();
  }

  /** From the agent's `Log in` click: permission and audio need that user gesture. */
  async prepare(): Promise<void> {
    await (await this.#load()).prepare();
  }

  refresh(): void {
    this.#alerts?.refresh();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#alerts?.connect();
    this.#watch();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#alerts?.disconnect();
  }

  /** Until the module is loaded: wait for the agent to be logged in, then load it. */
  #watch(): void {
    const session = this.#session;
    if (this.#alerts || !session || !this.#connected || this.#unsubscribe) return;
    const check = () => {
      if (session.snapshot.agent.state === 'loggedOut') return;
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
      void this.#load();
    };
    this.#unsubscribe = session.subscribe(check);
    check();
  }

  #load(): Promise<CallAlerts> {
    this.#loading ??= loadAlerts().then(({ CallAlerts }) => {
      const alerts = new CallAlerts(this.#options);
      this.#alerts = alerts;
      alerts.attach(this.#session);
      if (this.#connected) alerts.connect();
      return alerts;
    });
    return this.#loading;
  }
}
