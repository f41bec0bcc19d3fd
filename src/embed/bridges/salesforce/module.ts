/**
 * The Salesforce Open CTI bridge's lazy module (dist/agent-bar-crm-salesforce.js): loaded only by
 * a bar with `crm="salesforce"` or one that finds itself inside Salesforce.
 */
import { attachBridge, type StartBridge } from '../attach-bridge.ts';
import { OpenCtiBridge } from './open-cti-bridge.ts';

export const start: StartBridge = (bar, options) => attachBridge(bar, new OpenCtiBridge(options), options);
