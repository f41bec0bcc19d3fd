import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { HubRegistry, type RegistryLimits } from '../../server/hub-registry.ts';
import { SimulatorConnector } from '../../src/connectors/simulator/simulator-connector.ts';

function registry(limits: Partial<RegistryLimits>): HubRegistry {
  return new HubRegistry({ createConnector: (agentId) => new SimulatorConnector({ agentId, latencyMs: 0 }), limits });
}

describe('HubRegistry: agent creation rate (audit finding 7)', () => {
  it('allows a burst of new agents, then refuses more with a readable retry time, creating nothing', async () => {
    const hubs = registry({ agentCreationPerSec: 1, agentCreationBurst: 3, hubIdleMs: 0 });
    for (const agentId of ['a1', 'a2', 'a3']) await hubs.open(agentId);
    await assert.rejects(hubs.open('a4'), /Too many new agents at once on this server; try again in 1 s/);
    assert.equal(hubs.size, 3);
    assert.equal(hubs.get('a4'), undefined);
    // Agents that exist are not new: they are never refused by the rate.
    for (let i = 0; i < 10; i++) await hubs.open('a1');
    hubs.close();
  });

  it('10,000 made-up agents in a loop: only the burst gets through', async () => {
    const hubs = registry({ agentCreationPerSec: 5, agentCreationBurst: 60, hubIdleMs: 0 });
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 10_000 }, (_, i) => hubs.open(`flood-${i}`)));
    const elapsedSec = (Date.now() - started) / 1000;
    const created = results.filter((r) => r.status === 'fulfilled').length;
    // The burst, plus what the rate refilled while the loop ran (slow on a busy machine).
    const most = 60 + Math.ceil(5 * elapsedSec) + 1;
    assert.ok(created >= 60 && created <= most, `created ${created} in ${elapsedSec} s (at most ${most})`);
    assert.equal(hubs.size, created);
    hubs.close();
  });
});

describe('HubRegistry: idle hubs are closed (audit finding 7)', () => {
  it('closes a hub with no socket, no call and no request for the idle time, and numbering continues after', async () => {
    const hubs = registry({ hubIdleMs: 40 });
    const hub = await hubs.open('idle-1');
    await hub.execute({ id: 'l', operation: 'login', args: {} });
    const seq = hub.seq;
    await waitUntil(() => hubs.size === 0, 2_000);
    assert.equal(hubs.get('idle-1'), undefined);
    const again = await hubs.open('idle-1');
    assert.notEqual(again, hub);
    assert.ok(again.seq > seq, `a returning client never sees a number twice (${again.seq} after ${seq})`);
    hubs.close();
  });

  it('keeps a hub that has a listening socket or a call', async () => {
    const hubs = registry({ hubIdleMs: 40 });
    const listened = await hubs.open('listened');
    const unsubscribe = listened.subscribe(() => {});
    const onCall = await hubs.open('on-call');
    await onCall.execute({ id: 'l', operation: 'login', args: {} });
    await onCall.execute({ id: 'r', operation: 'ready', args: {} });
    onCall.simulator!.offerCall({ number: '+15550100' });
    await hubs.open('idle-2');
    await waitUntil(() => hubs.get('idle-2') === undefined, 2_000);
    await sleep(120);
    assert.equal(hubs.get('listened'), listened);
    assert.equal(hubs.get('on-call'), onCall);
    unsubscribe();
    await waitUntil(() => hubs.get('listened') === undefined, 2_000);
    assert.equal(hubs.get('on-call'), onCall);
    hubs.close();
  });

  it('at the agent limit, idle hubs make room for a new agent', async () => {
    const hubs = registry({ maxAgents: 2, hubIdleMs: 60_000 });
    await hubs.open('m1');
    await hubs.open('m2');
    await assert.rejects(hubs.open('m3'), /Too many agents on this server \(limit 2\)/);
    assert.equal(hubs.evictIdle(Date.now() + 61_000), 2);
    await hubs.open('m3');
    assert.equal(hubs.size, 1);
    hubs.close();
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
