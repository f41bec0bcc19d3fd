/**
 * The bundle entry (`dist/agent-bar.js`): registers every element and every connector that runs in
 * the browser, and exports the typed API for integrators who import it as a module.
 */
/// <reference types="vite/client" />
import '../components/index.ts';
import { registerDeferredConnector } from './connectors/registry.ts';
import type { ConnectorDefinition } from './connectors/kit/define-connector.ts';

// Every connector folder with a declaration is in the catalog. The built-in ones (simulator,
// server, gateway) are registered with their declarations by the registry itself; a vendor's is
// known here by its folder name only: its declaration and its code are one lazy module
// (dist/agent-bar-<name>.js), so each vendor costs the bundle a name, not its declaration.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const vendors = import.meta.glob<{ default: ConnectorDefinition<any> }>([
  './connectors/*/declaration.ts',
  '!./connectors/{simulator,server,gateway}/declaration.ts',
]);
for (const [path, load] of Object.entries(vendors)) {
  const name = /\/connectors\/([^/]+)\/declaration\.ts$/.exec(path)![1]!;
  registerDeferredConnector(name, () => load().then((module) => module.default));
}

export * from '../components/index.ts';
export { Session } from './core/session.ts';
export { CtiError, ErrorCode } from './core/errors.ts';
export { OPERATIONS } from './core/operations.ts';
export { registerConnector, registerDeferredConnector, createConnector, connectorDefinition, connectorNames } from './connectors/registry.ts';
export { defineConnector } from './connectors/kit/define-connector.ts';
export type { ConnectorDeclaration, ConnectorDefinition, LoginField } from './connectors/kit/define-connector.ts';
export type { ConfigSchema, ConfigOption } from './connectors/kit/config-schema.ts';
export type { Operation } from './core/operations.ts';
export type { Snapshot, Call, AgentState, CallState, Capabilities } from './core/model.ts';
export type { CanonicalEvent } from './core/events.ts';
export type { Command, CommandArgs } from './core/commands.ts';
export type { Connector, EventSink } from './core/connector.ts';
