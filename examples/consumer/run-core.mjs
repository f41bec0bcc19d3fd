// Runs in plain Node from the installed package (no browser, no dev dependency): the core and the
// simulator connector drive a login and a ready; prints the agent state.
import { Session } from 'agent-bar/core';
import { create } from 'agent-bar/connectors/simulator';

const session = new Session(create({ agentId: '1001', config: { latencyMs: 0, persist: false } }), { agentId: '1001' });
await session.connect();
await session.command('login', {});
await session.command('ready', {});
console.log(JSON.stringify({ state: session.snapshot.agent.state, connection: session.snapshot.connection }));
session.destroy();
