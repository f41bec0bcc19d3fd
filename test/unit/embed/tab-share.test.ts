/**
 * TabSharedConnector with real sessions: three "tabs" in one page (BroadcastChannel delivers to
 * every other channel object of the name, Web Locks queue across them), each a Session over a
 * TabSharedConnector whose connector is the real simulator, created only when that tab leads
 * (LazyConnector) and restoring the contact centre from one shared store — so a new leader finds
 * the call the old one was on, as a server would give it back.
 */
import { expect } from '@open-wc/testing';
import { Session } from '../../../src/core/session.ts';
import { LazyConnector } from '../../../src/connectors/kit/lazy-connector.ts';
import { SimulatorConnector } from '../../../src/connectors/simulator/simulator-connector.ts';
import type { KeyValueStore } from '../../../src/connectors/simulator/state-storage.ts';
import { TabSharedConnector } from '../../../src/embed/tab-share.ts';
import type { HostEvent } from '../../../src/core/host-events.ts';
import { ErrorCode, type CtiError } from '../../../src/core/errors.ts';
import type { Command } from '../../../src/core/commands.ts';

async function until(predicate: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The contact centre's state, outliving any tab: a closed tab's simulator clears its entry when it
 * is disconnected (what the in-page simulator does), a backend does not, so removal is ignored.
 */
function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: () => {} };
}

interface Tab {
  shared: TabSharedConnector;
  session: Session;
  events: HostEvent[];
  /** The simulator of this tab, once it leads. */
  simulator: () => SimulatorConnector | undefined;
  /** Commands the real connector of this tab carried out (ids as sent to the backend). */
  executed: Command[];
}

function openTab(key: string, store: KeyValueStore): Tab {
  let sim: SimulatorConnector | undefined;
  const executed: Command[] = [];
  // The contact centre as this tab finds it when it connects (a server's state): the simulator is
  // made from the shared store at connect time, not before (a follower preloads its connector).
  const inner = new LazyConnector({
    name: 'simulator',
    supports: new SimulatorConnector({ agentId: '7001' }).supports,
    loginFields: [],
    load: async () => ({
      name: 'simulator',
      supports: new SimulatorConnector({ agentId: '7001' }).supports,
      connect: (sink) => {
        sim = new SimulatorConnector({ agentId: '7001', latencyMs: 0, wrapupMaxTimeSec: 600, storage: store });
        return sim.connect(sink);
      },
      execute: (command) => {
        executed.push(command);
        return sim!.execute(command);
      },
      disconnect: () => sim?.disconnect(),
    }),
  });
  const shared = new TabSharedConnector(inner, key);
  const session = new Session(shared, { agentId: '7001' });
  const events: HostEvent[] = [];
  session.onHostEvent((e) => events.push(e));
  return { shared, session, events, simulator: () => sim, executed };
}

const count = (tab: Tab, type: string) => tab.events.filter((e) => e.type === type).length;

describe('TabSharedConnector: one connection across tabs', () => {
  let tabs: Tab[] = [];
  let key = '';
  let store: KeyValueStore;

  beforeEach(() => {
    key = `test-${crypto.randomUUID()}`;
    store = memoryStore();
  });

  afterEach(() => {
    for (const tab of tabs) tab.session.destroy();
    tabs = [];
  });

  async function three(): Promise<[Tab, Tab, Tab]> {
    const a = openTab(key, store);
    tabs.push(a);
    await a.session.connect();
    const b = openTab(key, store);
    const c = openTab(key, store);
    tabs.push(b, c);
    await Promise.all([b.session.connect(), c.session.connect()]);
    return [a, b, c];
  }

  it('the first tab leads and connects; the others follow without a connection of their own, mirroring its state', async () => {
    const [a, b, c] = await three();
    expect([a.shared.role, b.shared.role, c.shared.role]).to.deep.equal(['leader', 'follower', 'follower']);
    expect(a.simulator()).to.not.equal(undefined);
    expect(b.simulator()).to.equal(undefined);
    expect(c.simulator()).to.equal(undefined);
    expect([a.session.mirrored, b.session.mirrored]).to.deep.equal([false, true]);
    await a.session.command('login', {});
    await until(() => c.session.snapshot.agent.state === 'notReady', 'the followers mirror the login');
    expect(b.session.snapshot.agent.state).to.equal('notReady');
    expect(b.session.snapshot.connection).to.equal('connected');
    expect(b.session.snapshot.reasons).to.deep.equal(a.session.snapshot.reasons);
  });

  it('a follower joining late gets the whole state, and commands from any tab go through the leader', async () => {
    const a = openTab(key, store);
    tabs.push(a);
    await a.session.connect();
    await a.session.command('login', {});
    await a.session.command('ready', {});
    a.simulator()!.simulator.offerCall({ number: '+441632960123', name: 'Kim Lee' });
    await until(() => a.session.snapshot.calls.length === 1, 'the call');

    const b = openTab(key, store);
    tabs.push(b);
    await b.session.connect();
    await until(() => b.session.snapshot.calls.length === 1, 'the late follower sees the call');
    expect(b.session.snapshot.agent.state).to.equal('ready');
    expect(b.shared.counters.resyncs).to.equal(1);

    await b.session.command('answer');
    await until(() => a.session.snapshot.calls[0]?.state === 'talking' && b.session.snapshot.calls[0]?.state === 'talking', 'answered from the follower');
    await b.session.command('hold');
    await until(() => a.session.snapshot.calls[0]?.state === 'held', 'held from the follower');
    // The follower's commands reach the one connection with ids of their own (c1 in both tabs).
    const ids = a.executed.map((c) => c.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids.filter((id) => id.includes('.'))).to.have.length(2);
    expect(b.executed).to.deep.equal([]);
  });

  it("a follower's refused command fails in that tab with the backend's code, and changes nothing", async () => {
    const [a, b] = await three();
    await b.session.command('login', {});
    await until(() => b.session.snapshot.agent.state === 'notReady', 'logged in');
    a.simulator()!.simulator.failNext('ready', 101);
    let error: CtiError | undefined;
    await b.session.command('ready', {}).catch((e: CtiError) => (error = e));
    expect(error?.code).to.equal(ErrorCode.Rejected);
    expect(error?.vendorCode).to.equal(101);
    expect(b.session.snapshot.lastError).to.deep.include({ code: 'REJECTED', vendorCode: 101, operation: 'ready' });
    expect(a.session.snapshot.agent.state).to.equal('notReady');
  });

  it('the leader gone mid-call, another tab leads at once with the call; no host event is lost or raised twice', async () => {
    const [a, b, c] = await three();
    await c.session.command('login', {});
    await c.session.command('ready', {});
    await until(() => b.session.snapshot.agent.state === 'ready', 'ready everywhere');
    a.simulator()!.simulator.offerCall({ number: '+441632960123', name: 'Kim Lee' });
    await until(() => c.session.snapshot.calls[0]?.state === 'ringing', 'offered everywhere');
    await c.session.command('answer');
    await until(() => b.session.snapshot.calls[0]?.state === 'talking', 'talking everywhere');

    const started = performance.now();
    a.session.destroy(); // the leader's tab closes
    await until(() => [b, c].some((t) => t.shared.role === 'leader'), 'a new leader', 1000);
    const leader = [b, c].find((t) => t.shared.role === 'leader')!;
    const follower = leader === b ? c : b;
    await until(() => follower.session.snapshot.connection === 'connected' && leader.session.snapshot.connection === 'connected', 'connected again', 1000);
    expect(performance.now() - started).to.be.lessThan(1000);
    expect(leader.session.snapshot.calls[0]?.state).to.equal('talking');
    expect(follower.shared.role).to.equal('follower');

    // The follower may not have heard the new leader's first message yet: a click in that moment
    // is refused as sent to the tab that went (never sent twice); the agent's next click goes through.
    for (let attempt = 0; ; attempt++) {
      const error = await follower.session.command('hold').then(() => undefined, (e: CtiError) => e);
      if (!error) break;
      expect(error.code, error.message).to.equal(ErrorCode.NotConnected);
      expect(attempt, 'refused only during the hand-over').to.be.lessThan(20);
      await new Promise((r) => setTimeout(r, 50));
    }
    await until(() => leader.session.snapshot.calls[0]?.state === 'held' && follower.session.snapshot.calls[0]?.state === 'held', 'held after the hand-over');
    leader.simulator()!.simulator.customerHangup();
    await until(() => follower.session.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
    const code = follower.session.snapshot.dispositions[0]!.code;
    await follower.session.command('wrapUp', { code });
    await until(() => b.session.snapshot.calls.length === 0 && c.session.snapshot.calls.length === 0, 'wrapped up');

    for (const tab of [b, c]) {
      for (const type of ['call-offered', 'call-connected', 'call-held', 'call-disconnected', 'wrapup-completed']) {
        expect(count(tab, type), `${type} in each tab`).to.equal(1);
      }
      expect(tab.shared.counters.repeated).to.equal(0);
    }
  });

  it("a command a follower sent to a leader that went away is refused at the hand-over, not sent again", async () => {
    const [a, b] = await three();
    await b.session.command('login', {});
    await until(() => a.session.snapshot.agent.state === 'notReady', 'logged in');
    // The leader's page freezes (it stops answering), then goes.
    const stalled = new Promise<void>(() => {});
    a.simulator()!.execute = () => stalled;
    const sent = b.session.command('ready', {});
    await new Promise((r) => setTimeout(r, 50));
    a.session.destroy();
    let error: CtiError | undefined;
    await sent.catch((e: CtiError) => (error = e));
    expect(error?.code).to.equal(ErrorCode.NotConnected);
    expect(error?.message).to.match(/closed before answering/);
    expect(b.executed.filter((c) => c.operation === 'ready')).to.deep.equal([]);
  });

  it('disconnecting a follower leaves the leader alone; disconnect is idempotent and refuses later commands', async () => {
    const [a, b] = await three();
    b.session.connector.disconnect();
    b.session.connector.disconnect();
    expect(b.shared.role).to.equal('closed');
    let error: CtiError | undefined;
    await b.shared.execute({ id: 'x1', operation: 'login', args: {} } as Command).catch((e: CtiError) => (error = e));
    expect(error?.code).to.equal(ErrorCode.NotConnected);
    await a.session.command('login', {});
    expect(a.shared.role).to.equal('leader');
  });
});
