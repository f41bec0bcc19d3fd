/**
 * Salesforce Voice behind the CRM-neutral `HostBridge`. Here Salesforce's own softphone is the
 * agent's UI and owns the screen pop and the call's record (VoiceCall), so most of the interface
 * has nothing to do: the work is in the SDK connector (`AgentBarVendorConnector` and
 * `AgentBarTelephonyConnector`, driven by Salesforce) and `EventPublisher` (the bar's changes
 * told to Salesforce). `ownsCallRecords` tells the bar not to search or log on its side.
 */
import { initializeConnector } from 'scv-connector-base';
import type { Session } from '../../../core/session.ts';
import type { CrmOptions, CrmRecord, HostBridge } from '../host-bridge.ts';
import { EventPublisher } from './event-publisher.ts';
import { AgentBarTelephonyConnector } from './telephony-connector.ts';
import { AgentBarVendorConnector } from './vendor-connector.ts';

export class VoiceBridge implements HostBridge {
  readonly crm = 'Salesforce Voice';
  readonly ownsCallRecords = true;
  /** The SDK connector Salesforce drives (its `config` is the call center's settings). */
  readonly connector: AgentBarVendorConnector;
  readonly #publisher: EventPublisher;

  constructor(session: Session, options: CrmOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.#publisher = new EventPublisher(session);
    const telephony = new AgentBarTelephonyConnector(session, { timeoutMs, expect: (callId, what) => this.#publisher.expect(callId, what) });
    this.connector = new AgentBarVendorConnector(session, telephony, { timeoutMs });
  }

  async init(): Promise<void> {
    // The SDK keeps one connector per page and listens until the first SETUP_CONNECTOR.
    initializeConnector(this.connector);
  }

  onClickToDial(): void {
    // Salesforce's click-to-dial arrives as DIAL, answered by the telephony connector with the started call.
  }

  onNavigation(): void {
    // Salesforce tells a Voice connector nothing about the page.
  }

  async searchAndPop(): Promise<CrmRecord[]> {
    return [];
  }

  async screenPop(): Promise<void> {}

  async saveCallLog(): Promise<undefined> {
    return undefined;
  }

  async setPanelVisible(): Promise<void> {}

  async setPanelSize(): Promise<void> {}

  async setLabel(): Promise<void> {}

  dispose(): void {
    this.#publisher.dispose();
  }
}
