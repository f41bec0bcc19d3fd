/**
 * The bundle entry (`dist/agent-bar.js`): registers every element and every connector that runs in
 * the browser, and exports the typed API for integrators who import it as a module.
 */
import '../components/index.ts';
import './connectors/server/register.ts';
import './connectors/gateway/register.ts';

export * from '../components/index.ts';
export { Session } from './core/session.ts';
export { CtiError, ErrorCode } from './core/errors.ts';
export { OPERATIONS } from './core/operations.ts';
export { registerConnector, createConnector } from './connectors/registry.ts';
export type { Operation } from './core/operations.ts';
export type { Snapshot, Call, AgentState, CallState, Capabilities } from './core/model.ts';
export type { CanonicalEvent } from './core/events.ts';
export type { Command, CommandArgs } from './core/commands.ts';
export type { Connector, EventSink } from './core/connector.ts';
