import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AgentHub } from '../../server/agent-hub.ts';
import { SimulatorConnector } from '../../src/connectors/simulator/simulator-connector.ts';
import type { Connector, EventSink } from '../../src/core/connector.ts';
import type { Command } from '../../src/core/commands.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Call } from '../../src/core/model.ts';
import { OPERATIONS } from '../../src/core/operations.ts';
import { CtiError } from '../../src/core/errors.ts';

let ids = 0;
const command = (operation: Command['operation'], args: Record<string, unknown> = {}): Command =>
  ({ id: `c${++ids}`, operation, args }) as Command;

function currentCall(hub: AgentHub): Call | undefined {
  const calls = hub.state().find((event): event is Extract<CanonicalEvent, { type: 'calls' }> => event.type === 'calls');
  return calls?.calls[0];
}

/** A hub on the real simulator with an answered call. */
async function hubOnCall(limits: ConstructorParameters<typeof AgentHub>[0]['limits']): Promise<AgentHub> {
  const connector = new SimulatorConnector({ agentId: 'a1', latencyMs: 0 });
  const hub = new AgentHub({ agentId: 'a1', connector, limits });
  await hub.start();
  await hub.execute(command('login'));
  await hub.execute(command('ready'));
  connector.simulator.offerCall({ number: '+15550100', name: 'Flood' });
  await hub.execute(command('answer'));
  assert.equal(currentCall(hub)?.state, 'talking');
  return hub;
}

/** What a refusal must look like: readable, INVALID_ARGUMENT, naming the command. */
function refusal(pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CtiError);
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('AgentHub bounds what a command may add (audit finding 1)', () => {
  it('refuses a note longer than the text bound, readably, and changes nothing', async () => {
    const hub = await hubOnCall({ textMaxChars: 2_000 });
    const seq = hub.seq;
    await assert.rejects(hub.execute(command('addNote', { note: 'x'.repeat(60_000) })), refusal(/at most 2,000 characters \(this one has 60,000\)/));
    assert.equal(hub.seq, seq, 'no event');
    assert.deepEqual(currentCall(hub)?.notes, []);
    await hub.execute(command('addNote', { note: 'y'.repeat(2_000) }));
    assert.equal(currentCall(hub)?.notes.length, 1);
    hub.close();
  });

  it('refuses the note after the per-call count, readably, and changes nothing', async () => {
    const hub = await hubOnCall({ notesMaxPerCall: 5 });
    for (let i = 0; i < 5; i++) await hub.execute(command('addNote', { note: `note ${i}` }));
    const seq = hub.seq;
    await assert.rejects(hub.execute(command('addNote', { note: 'one too many' })), refusal(/already has 5 notes/));
    assert.equal(hub.seq, seq);
    assert.deepEqual(currentCall(hub)?.notes, ['note 0', 'note 1', 'note 2', 'note 3', 'note 4']);
    hub.close();
  });

  it('counts notes still on their way to the backend: a burst of concurrent notes stops at the bound', async () => {
    const hub = await hubOnCall({ notesMaxPerCall: 5 });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => hub.execute(command('addNote', { note: `n${i}` }))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    assert.equal(currentCall(hub)?.notes.length, 5);
    hub.close();
  });

  it('bounds every text argument, not only notes', async () => {
    const hub = await hubOnCall({ textMaxChars: 100 });
    await assert.rejects(
      hub.execute(command('setCustomerField', { key: 'notes', value: 'z'.repeat(101) })),
      refusal(/"value" can be at most 100 characters/),
    );
    hub.close();
  });

  it('keeps the replay buffer under its byte bound while a call with large notes keeps changing', async () => {
    const hub = await hubOnCall({ textMaxChars: 2_000, notesMaxPerCall: 50, replayMaxBytes: 256 * 1024 });
    for (let i = 0; i < 50; i++) await hub.execute(command('addNote', { note: String(i).padEnd(2_000, '.') }));
    // Every hold/retrieve event carries the whole call, 100 KB of notes.
    for (let i = 0; i < 20; i++) {
      await hub.execute(command('hold'));
      await hub.execute(command('retrieve'));
    }
    assert.ok(hub.replayBytes <= 256 * 1024, `replay holds ${hub.replayBytes} bytes`);
    // A client that fell out of the buffer gets the state instead, with every note.
    const catchUp = hub.catchUp(1);
    assert.equal(catchUp.kind, 'snapshot');
    assert.equal(currentCall(hub)?.notes.length, 50);
    hub.close();
  });
});

/** A backend that never answers: commands wait until the hub's timeout. */
class SilentConnector implements Connector {
  readonly name = 'silent';
  readonly supports = new Set(OPERATIONS);
  async connect(sink: EventSink): Promise<void> {
    sink({ type: 'connection', status: 'connected' });
  }
  execute(): Promise<void> {
    return new Promise(() => {});
  }
  disconnect(): void {}
}

describe('AgentHub bounds its waiting structures', () => {
  it('refuses commands past the in-flight bound instead of queueing them', async () => {
    const hub = new AgentHub({ agentId: 'a2', connector: new SilentConnector(), limits: { commandsInFlightPerAgent: 3 } });
    await hub.start();
    const pending = [1, 2, 3].map(() => hub.execute(command('login')).catch(() => {}));
    await assert.rejects(hub.execute(command('login')), (error: unknown) => {
      assert.ok(error instanceof CtiError);
      assert.equal(error.code, 'IN_FLIGHT');
      assert.match(error.message, /limit 3/);
      return true;
    });
    hub.close();
    void pending;
  });

  it('refuses long-polls past the per-agent bound', async () => {
    const hub = new AgentHub({ agentId: 'a3', connector: new SilentConnector(), limits: { longPollsPerAgent: 2 } });
    await hub.start();
    const held = [hub.waitForEvents(hub.seq, 5_000, 10), hub.waitForEvents(hub.seq, 5_000, 10)];
    await assert.rejects(hub.waitForEvents(hub.seq, 5_000, 10), /Too many long-polls/);
    hub.close();
    await Promise.all(held);
  });
});

describe('AgentHub: connector events that do not fit the protocol (audit finding 15)', () => {
  it('drops and counts them: not published, not folded into state', async () => {
    let sink: EventSink | undefined;
    const connector: Connector = {
      name: 'broken',
      supports: new Set(OPERATIONS),
      async connect(s) {
        sink = s;
      },
      async execute() {},
      disconnect() {},
    };
    const reasons: string[] = [];
    const hub = new AgentHub({ agentId: 'b1', connector, onDropped: (reason) => reasons.push(reason) });
    await hub.start();
    sink!({ type: 'agentState', state: 'ready' });
    sink!({ type: 'call', call: { id: 'x', state: 'talking' } } as never);
    sink!({ type: 'teleport' } as never);
    assert.equal(hub.seq, 1);
    assert.equal(hub.droppedEvents, 2);
    assert.equal(reasons.length, 2);
    assert.equal(currentCall(hub), undefined);
    hub.close();
  });
});
