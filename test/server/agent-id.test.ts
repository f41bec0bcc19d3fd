import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { isAgentId } from '../../server/agent-id.ts';
import { HubRegistry } from '../../server/hub-registry.ts';
import { StateStore } from '../../server/state-store.ts';
import { SimulatorConnector } from '../../src/connectors/simulator/simulator-connector.ts';

describe('agent ids (audit finding 6)', () => {
  it('follow the documented pattern: 1..64 of A-Z a-z 0-9 . _ @ -, starting with a letter or digit', () => {
    for (const good of ['1001', 'alice', 'a.b_c@d-e', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(64)]) {
      assert.ok(isAgentId(good), good);
    }
    for (const bad of ['__proto__', '_x', '.', '..', '-1', '@a', '', 'x'.repeat(65), 'a b', 'a/b', 42, null]) {
      assert.ok(!isAgentId(bad), String(bad));
    }
  });

  it('a hub for __proto__ is refused with the rule, and creates nothing', async () => {
    const registry = new HubRegistry({ createConnector: (agentId) => new SimulatorConnector({ agentId, latencyMs: 0 }) });
    await assert.rejects(registry.open('__proto__'), /agentId must be 1\.\.64 characters .* starting with a letter or digit/);
    assert.equal(registry.size, 0);
    registry.close();
  });

  it('agents whose ids are Object.prototype names keep their state across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-id-'));
    try {
      const file = join(dir, 'state.json');
      const ids = ['constructor', 'toString', 'hasOwnProperty', 'valueOf'];
      const first = new HubRegistry({
        createConnector: (agentId) => new SimulatorConnector({ agentId, latencyMs: 0 }),
        store: new StateStore(file),
      });
      for (const agentId of ids) {
        const hub = await first.open(agentId);
        await hub.execute({ id: 'l', operation: 'login', args: {} });
      }
      const seqs = ids.map((agentId) => first.get(agentId)!.seq);
      first.close();
      const second = new HubRegistry({
        createConnector: (agentId) => new SimulatorConnector({ agentId, latencyMs: 0 }),
        store: new StateStore(file),
      });
      assert.deepEqual(second.restoredAgentIds.sort(), [...ids].sort());
      for (const [i, agentId] of ids.entries()) {
        const hub = await second.open(agentId);
        assert.ok(hub.seq > seqs[i]!, `${agentId} continues its numbering (${hub.seq} after ${seqs[i]})`);
        const agent = hub.state().find((event) => event.type === 'agentState');
        assert.equal(agent?.type === 'agentState' && agent.state, 'notReady', `${agentId} is still logged in`);
      }
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a state file naming __proto__ loses only that entry, never the others, and pollutes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-id-'));
    try {
      const file = join(dir, 'state.json');
      const agent = { seq: 7, reserved: 7, state: [{ type: 'agentState', state: 'ready' }] };
      writeFileSync(file, `{"version":1,"clean":true,"savedAt":0,"agents":{"__proto__":${JSON.stringify(agent)},"1001":${JSON.stringify(agent)}}}`);
      const lines: string[] = [];
      const loaded = new StateStore(file, { log: (line) => lines.push(line) }).load();
      assert.deepEqual([...loaded.keys()], ['1001']);
      assert.equal(loaded.get('1001')?.seq, 7);
      assert.match(lines.join('\n'), /1 malformed agent entries ignored/);
      assert.equal(({} as Record<string, unknown>).seq, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
