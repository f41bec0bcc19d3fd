/**
 * `agent-bar/core` (dist/agent-bar-core.js): the bar's DOM-free core for integrators who build
 * their own front end or run the session elsewhere (a worker, Node): the session, the canonical
 * model and events, errors and operations. No element is defined by importing it.
 */
export { Session } from './session.ts';
export type { SessionOptions, SnapshotListener, HostEventListener } from './session.ts';
export { CtiError, ErrorCode } from './errors.ts';
export type { CtiErrorInit } from './errors.ts';
export { OPERATIONS, isOperation } from './operations.ts';
export type { Operation } from './operations.ts';
export { HOST_EVENT_TYPES } from './host-events.ts';
export type { HostEvent, HostEventMap, HostEventType } from './host-events.ts';
export { MASKED_VALUE, maskEvent } from './masking.ts';
export type * from './model.ts';
export type { CanonicalEvent, CanonicalEventType } from './events.ts';
export type { Command, CommandArgs } from './commands.ts';
export type { Connector, EventSink, LoginFieldInfo } from './connector.ts';
