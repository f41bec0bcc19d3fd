/**
 * The Dynamics 365 CIF bridge's lazy module (dist/agent-bar-crm-dynamics.js): loaded only by a bar
 * with `crm="dynamics"` or one that finds itself inside Dynamics.
 */
import { attachBridge, type StartBridge } from '../attach-bridge.ts';
import { CifBridge } from './cif-bridge.ts';

export const start: StartBridge = (bar, options) => attachBridge(bar, new CifBridge(options), options);
