/**
 * The SDK's `VendorConnector` on the bar's session: Salesforce's `SETUP_CONNECTOR` logs the agent
 * in (no login form: the bar's backend authenticates as it always does), agent status maps to
 * Ready / Not ready, logout logs out. Its telephony half is `AgentBarTelephonyConnector`.
 */
import { Constants, GenericResult, InitResult, LogoutResult, SharedCapabilitiesResult, VendorConnector, type TelephonyConnector } from 'scv-connector-base';
import type { Session } from '../../../core/session.ts';
import { until } from './session-wait.ts';

const AGENT_STATUS = (Constants as unknown as { AGENT_STATUS: Record<'ONLINE' | 'OFFLINE' | 'ACW', string> }).AGENT_STATUS;

export class AgentBarVendorConnector extends VendorConnector {
  readonly #session: Session;
  readonly #telephony: TelephonyConnector;
  readonly #timeoutMs: number;
  /** The `connectorConfig` Salesforce sent (call-center settings), for the page to read. */
  config: Record<string, unknown> = {};

  constructor(session: Session, telephony: TelephonyConnector, options: { timeoutMs: number }) {
    super();
    this.#session = session;
    this.#telephony = telephony;
    this.#timeoutMs = options.timeoutMs;
  }

  override async init(config: Record<string, unknown>): Promise<InitResult> {
    this.config = { ...config };
    await until(this.#session, (s) => (s.connection === 'connected' ? true : undefined), this.#timeoutMs, 'Connecting to the contact centre');
    if (this.#session.snapshot.agent.state === 'loggedOut') await this.#session.command('login');
    return new InitResult({} as ConstructorParameters<typeof InitResult>[0]);
  }

  override async getTelephonyConnector(): Promise<TelephonyConnector> {
    return this.#telephony;
  }

  override async setAgentStatus(status: string): Promise<GenericResult> {
    const state = this.#session.snapshot.agent.state;
    if (status === AGENT_STATUS.ONLINE && state !== 'ready') await this.#session.command('ready');
    else if (status === AGENT_STATUS.OFFLINE && state === 'ready') {
      // Salesforce's Offline has no reason: the backend's first not-ready reason stands for it.
      const reasonCode = this.#session.snapshot.reasons[0]?.code;
      if (!reasonCode) throw new Error('The contact centre has no not-ready reason to go offline with.');
      await this.#session.command('notReady', { reasonCode });
    }
    // AfterCallWork is Salesforce's own state: the backend's wrap-up follows the call.
    return new GenericResult({ success: true });
  }

  override async logout(): Promise<LogoutResult> {
    if (this.#session.snapshot.agent.state !== 'loggedOut') await this.#session.command('logout');
    return new LogoutResult({ success: true, loginFrameHeight: 350 });
  }

  override async getSharedCapabilities(): Promise<SharedCapabilitiesResult> {
    return new SharedCapabilitiesResult({
      debugEnabled: false,
      hasContactSearch: this.#session.snapshot.destinations.length > 0,
      hasAgentAvailability: false,
      hasQueueWaitTime: false,
      hasTransferToOmniFlow: false,
      hasPendingStatusChange: false,
      hasSFDCPendingState: false,
      hasAutoAcceptEnabled: false,
    } as ConstructorParameters<typeof SharedCapabilitiesResult>[0]);
  }

  override handleMessage(): void {
    // No vendor messages between Salesforce and this connector.
  }
}
