/**
 * The bundle entry (`dist/agent-bar.js`): registers every element and every connector that runs in
 * the browser, and exports the typed API for integrators who import it as a module.
 */
/// <reference types="vite/client" />
import '../components/index.ts';
import { registerConnector } from './connectors/registry.ts';
import type { ConnectorDefinition } from './connectors/kit/define-connector.ts';

// Every connector folder with a declaration is in the catalog (the built-in ones are registered
// by the registry itself); its code stays in its own lazy module.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const declarations = import.meta.glob<{ default: ConnectorDefinition<any> }>('./connectors/*/declaration.ts', { eager: true });
for (const module of Object.values(declarations)) if (module.default) registerConnector(module.default);

export * from '../components/index.ts';
export { Session } from './core/session.ts';
export { CtiError, ErrorCode } from './core/errors.ts';
export { OPERATIONS } from './core/operations.ts';
export { registerConnector, createConnector, connectorDefinition, connectorNames } from './connectors/registry.ts';
export { defineConnector } from './connectors/kit/define-connector.ts';
export type { ConnectorDeclaration, ConnectorDefinition, LoginField } from './connectors/kit/define-connector.ts';
export type { ConfigSchema, ConfigOption } from './connectors/kit/config-schema.ts';
export type { Operation } from './core/operations.ts';
export type { Snapshot, Call, AgentState, CallState, Capabilities } from './core/model.ts';
export type { CanonicalEvent } from './core/events.ts';
export type { Command, CommandArgs } from './core/commands.ts';
export type { Connector, EventSink } from './core/connector.ts';
