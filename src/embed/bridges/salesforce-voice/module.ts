/**
 * The Salesforce Voice partner-telephony connector's lazy module (dist/agent-bar-crm-salesforce-voice.js),
 * loaded by a bar with `crm="salesforce-voice"`: the page is the call center's adapter URL
 * (`reqAdapterUrl`) that Salesforce frames. It uses Salesforce's published SDK
 * (`scv-connector-base`, unmodified, as its terms require): `initializeConnector` listens for
 * Salesforce's `SETUP_CONNECTOR`, after which Salesforce's softphone drives the bar's session
 * through `AgentBarVendorConnector` / `AgentBarTelephonyConnector`, and what happens in the bar
 * is published back (`EventPublisher`). Works with any backend the bar has.
 *
 * Unlike Open CTI and CIF, Salesforce Voice owns the screen pop and the call record (VoiceCall):
 * the bar searches and logs nothing itself here, so this module has no host hooks.
 */
import { initializeConnector } from 'scv-connector-base';
import type { StartBridge } from '../attach-bridge.ts';
import { EventPublisher } from './event-publisher.ts';
import { AgentBarTelephonyConnector } from './telephony-connector.ts';
import { AgentBarVendorConnector } from './vendor-connector.ts';

export const start: StartBridge = (bar, options) => {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const publisher = new EventPublisher(bar.session);
  const telephony = new AgentBarTelephonyConnector(bar.session, { timeoutMs, expect: (callId, what) => publisher.expect(callId, what) });
  const vendor = new AgentBarVendorConnector(bar.session, telephony, { timeoutMs });
  // The SDK keeps one connector per page and its window listener until the first SETUP_CONNECTOR.
  initializeConnector(vendor);
  (bar.element as EventTarget & { salesforceVoice?: AgentBarVendorConnector }).salesforceVoice = vendor;
  return {
    hooks: {},
    ready: Promise.resolve(true),
    log: (line) => bar.report(`Salesforce Voice: ${line}`),
    dispose: () => publisher.dispose(),
  };
};
