/** The canonical wire protocol: types and runtime guards shared by client connectors and the server. */
export * from './messages.ts';
export { readServerMessage, readPollBody, readCommandReply, type ServerMessage } from './client-reader.ts';
export { readCanonicalEvent, type DropListener } from './event-guards.ts';
export { isCall, isReason, isDisposition, isDestination, isCustomerField, readError, isKnownAgentState, isCallState } from './model-guards.ts';
export { parseCommand } from './command-guard.ts';
