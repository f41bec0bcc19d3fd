// An integrator with a front end of their own: the DOM-free core and one connector.
import { Session, ErrorCode, OPERATIONS, type Connector, type HostEvent, type Operation } from 'agent-bar/core';
import { create as createServerConnector } from 'agent-bar/connectors/server';
import { create as createSimulator } from 'agent-bar/connectors/simulator';

const connector: Connector = createServerConnector({ agentId: '1001', endpoint: 'wss://cti.example.com/ws', config: { heartbeatIntervalMs: 5000 } });
const session = new Session(connector, { agentId: '1001', commandTimeoutMs: 8000 });
session.onHostEvent((event: HostEvent) => {
  if (event.type === 'call-offered') console.log(event.detail.call.remote.number);
});
const operations: readonly Operation[] = OPERATIONS;
console.log(operations.length, ErrorCode.NotConnected);

export async function start(): Promise<void> {
  await session.connect();
  await session.command('dial', { number: '+442079460018' });
  await session.command('notReady', { reasonCode: 'LUNCH' });
  // @ts-expect-error commands are typed by operation
  await session.command('dial', { digits: 1 });
}

export const simulated = createSimulator({ agentId: '1002', config: { latencyMs: 0, persist: false } });
