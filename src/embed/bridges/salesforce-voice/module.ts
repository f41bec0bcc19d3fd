/**
 * The Salesforce Voice partner-telephony connector's lazy module (dist/agent-bar-crm-salesforce-voice.js),
 * loaded by a bar with `crm="salesforce-voice"`: the page is the call center's adapter URL
 * (`reqAdapterUrl`) that Salesforce frames. It uses Salesforce's published SDK
 * (`scv-connector-base`, unmodified, as its terms require); see voice-bridge.ts. Works with any
 * backend the bar has.
 */
import { attachBridge, type StartBridge } from '../attach-bridge.ts';
import { VoiceBridge } from './voice-bridge.ts';

export const start: StartBridge = (bar, options) => {
  const bridge = new VoiceBridge(bar.session, options);
  // For the adapter page's own scripts (and tests): the connector Salesforce drives.
  (bar.element as EventTarget & { salesforceVoice?: unknown }).salesforceVoice = bridge.connector;
  return attachBridge(bar, bridge, options);
};
