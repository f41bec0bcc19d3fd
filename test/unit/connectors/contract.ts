/**
 * The connector contract: what every connector must do, whatever its vendor. Runs in Node
 * (node:test), where gateway connectors run too:
 *
 *   runConnectorContract({ name, create, backend })
 *
 * `create()` returns a fresh connector (agent id and config are the caller's); `supports` is what
 * the connector's declaration says it can do (the checks use only those operations, and every
 * other one must be refused with UNSUPPORTED); `backend` drives the other side: `offerCall()`
 * makes events flow, `failNext(operation)` makes the next command of `failing.operation` fail with
 * a vendor code, `drop()` cuts the connection (the connector must come back by itself),
 * `reset()` (optional) runs before each check, and `secrets` lists the config values that must
 * never appear in an event, error or log line. `login` (the login command's args) and `failing`
 * (a command that reaches the vendor once logged in and ready) fit the connector's vendor.
 *
 * The checks are exported one by one (`CONTRACT_CHECKS`) so a test can prove that a broken
 * connector fails them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Connector } from '../../../src/core/connector.ts';
import type { CanonicalEvent } from '../../../src/core/events.ts';
import type { Command } from '../../../src/core/commands.ts';
import { OPERATIONS, type Operation } from '../../../src/core/operations.ts';
import { CtiError, ErrorCode } from '../../../src/core/errors.ts';

export interface ContractBackend {
  /** Config values that must never leave the connector (API keys, tokens, passwords). */
  secrets?: string[];
  /** The backend offers the agent an inbound call (after login + ready). */
  offerCall(connector: Connector): Promise<void>;
  /** The next command of `operation` fails at the vendor with a vendor code. */
  failNext(connector: Connector, operation: Operation): Promise<void>;
  /** Cuts the connection; the connector reconnects by itself. */
  drop(connector: Connector): Promise<void>;
  /** Puts the backend back to its first state (before every check). */
  reset?(): Promise<void>;
}

export interface ContractOptions {
  name: string;
  create: () => Connector | Promise<Connector>;
  /** The operations the connector declares (its declaration's `supports`). */
  supports: Iterable<Operation>;
  backend: ContractBackend;
  /** The login command's args (default `{ agentId: 'contract' }`); unused without `login`. */
  login?: Record<string, unknown>;
  /** A command the vendor can be made to fail once the agent is ready (default: notReady). */
  failing?: { operation: Operation; args: Record<string, unknown> };
  /** Bound on every wait (default 5 s). */
  timeoutMs?: number;
}

const DEFAULT_FAILING = { operation: 'notReady', args: { reasonCode: 'nope' } } as const;
const failingOf = (options: ContractOptions) => options.failing ?? DEFAULT_FAILING;
const supported = (options: ContractOptions) => new Set(options.supports);

export interface ContractRun {
  connector: Connector;
  events: CanonicalEvent[];
  errors: unknown[];
  logs: string[];
}

let commandIds = 0;
const command = (operation: Operation, args: Record<string, unknown> = {}): Command =>
  ({ id: `contract-${++commandIds}`, operation, args }) as Command;

async function until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Console output while `fn` runs (a connector must not log secrets either). */
async function capturingLogs<T>(logs: string[], fn: () => Promise<T>): Promise<T> {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void logs.push(args.map(String).join(' '));
  try {
    return await fn();
  } finally {
    methods.forEach((m, i) => (console[m] = originals[i]!));
  }
}

const lastConnection = (events: CanonicalEvent[]) =>
  [...events].reverse().find((e): e is Extract<CanonicalEvent, { type: 'connection' }> => e.type === 'connection')?.status;

/** Runs `execute` and records the failure, if any. */
async function attempt(run: ContractRun, cmd: Command): Promise<unknown> {
  try {
    await run.connector.execute(cmd);
    return undefined;
  } catch (error) {
    run.errors.push(error);
    return error;
  }
}

export type ContractCheck = (options: ContractOptions) => Promise<void>;

async function connected(options: ContractOptions, run: Partial<ContractRun> = {}): Promise<ContractRun> {
  const connector = await options.create();
  const events: CanonicalEvent[] = [];
  const full: ContractRun = { connector, events, errors: run.errors ?? [], logs: run.logs ?? [] };
  await connector.connect((event) => events.push(event));
  await until(() => lastConnection(events) === 'connected', 'connection: connected', options.timeoutMs ?? 5000);
  return full;
}

/** Logs in and makes the agent ready, with whatever of that the connector supports. */
async function readyAgent(run: ContractRun, options: ContractOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const can = supported(options);
  const state = () => ([...run.events].reverse().find((e) => e.type === 'agentState') as { state?: string } | undefined)?.state;
  await until(() => state() !== undefined, 'an agent state', timeoutMs);
  if (state() === 'loggedOut' && can.has('login')) {
    await run.connector.execute(command('login', options.login ?? { agentId: 'contract' }));
    await until(() => state() === 'notReady' || state() === 'ready', 'logged in', timeoutMs);
  }
  if (state() !== 'ready' && can.has('ready')) await run.connector.execute(command('ready'));
  await until(() => state() === 'ready', 'ready', timeoutMs);
}

const lastCall = (events: CanonicalEvent[]) =>
  ([...events].reverse().find((e) => e.type === 'call') as Extract<CanonicalEvent, { type: 'call' }> | undefined)?.call;

export const CONTRACT_CHECKS: Record<string, ContractCheck> = {
  'connect emits connection and agent-state events': async (options) => {
    const run = await connected(options);
    try {
      await until(() => run.events.some((e) => e.type === 'agentState'), 'an agentState event', options.timeoutMs ?? 5000);
      assert.equal(run.events[0]?.type, 'connection', 'the first event says how the connection is');
    } finally {
      run.connector.disconnect();
    }
  },

  'it supports exactly what it declares and refuses the rest with UNSUPPORTED': async (options) => {
    const declared = supported(options);
    const run = await connected(options);
    try {
      assert.deepEqual([...run.connector.supports].sort(), [...declared].sort(), 'supports is the declaration\'s');
      for (const operation of OPERATIONS.filter((o) => !declared.has(o))) {
        await assert.rejects(run.connector.execute(command(operation, { callId: 'c' })), (error: unknown) => {
          assert.equal((error as CtiError).code, ErrorCode.Unsupported, `${operation} is refused as unsupported`);
          return true;
        });
      }
    } finally {
      run.connector.disconnect();
    }
  },

  'commands are refused while offline with NOT_CONNECTED': async (options) => {
    const connector = await options.create();
    const offline = supported(options).has('login') ? command('login', options.login ?? { agentId: 'contract' }) : command(failingOf(options).operation, failingOf(options).args);
    try {
      await assert.rejects(connector.execute(offline), (error: unknown) => {
        assert.ok(error instanceof CtiError || (error as CtiError)?.code !== undefined, 'a CtiError');
        assert.equal((error as CtiError).code, ErrorCode.NotConnected);
        return true;
      });
    } finally {
      connector.disconnect();
    }
  },

  'disconnect() twice is harmless and rejects what is pending': async (options) => {
    const run = await connected(options);
    if (!supported(options).has('login')) await readyAgent(run, options);
    const cut = supported(options).has('login') ? command('login', options.login ?? { agentId: 'contract' }) : command(failingOf(options).operation, failingOf(options).args);
    const pending = run.connector.execute(cut);
    run.connector.disconnect();
    run.connector.disconnect();
    const outcome = await Promise.race([
      pending.then(() => 'resolved', (error: unknown) => error),
      new Promise((r) => setTimeout(() => r('hung'), options.timeoutMs ?? 5000)),
    ]);
    assert.notEqual(outcome, 'hung', 'a pending command must settle on disconnect');
    assert.notEqual(outcome, 'resolved', 'a command cut off by disconnect() is rejected, not reported as done');
    assert.ok((outcome as CtiError).code !== undefined, 'rejected with a CtiError');
    const count = run.events.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(run.events.length, count, 'no event after disconnect()');
  },

  'sequence numbers only grow and nothing is delivered twice across a reconnect': async (options) => {
    const timeoutMs = options.timeoutMs ?? 5000;
    const can = supported(options);
    const run = await connected(options);
    try {
      await readyAgent(run, options);
      await options.backend.offerCall(run.connector);
      await until(() => run.events.some((e) => e.type === 'call'), 'a call', timeoutMs);
      const beforeDrop = run.events.length;
      await options.backend.drop(run.connector);
      await until(() => run.events.slice(beforeDrop).some((e) => e.type === 'connection' && e.status !== 'connected'), 'the drop seen', timeoutMs);
      await until(() => lastConnection(run.events) === 'connected', 'reconnected', timeoutMs);
      // Still in control of the call after the reconnect: answer it (ringing), or hold it.
      const call = lastCall(run.events)!;
      const [next, state] = call.state === 'ringing' && can.has('answer') ? (['answer', 'talking'] as const) : (['hold', 'held'] as const);
      assert.ok(can.has(next), `the contract needs ${next} for a ${call.state} call`);
      const since = run.events.length;
      await run.connector.execute(command(next, { callId: call.id }));
      await until(() => run.events.slice(since).some((e) => e.type === 'call' && e.call.state === state), state, timeoutMs);
      const seqs = run.events.map((e) => e.seq);
      assert.ok(seqs.every((s) => typeof s === 'number'), 'every event is numbered');
      for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq grows (${seqs[i - 1]} then ${seqs[i]})`);
      const bodies = run.events.map(({ seq: _s, at: _a, ...rest }) => JSON.stringify(rest));
      for (let i = 1; i < bodies.length; i++) assert.notEqual(bodies[i], bodies[i - 1], `event delivered twice: ${bodies[i]!.slice(0, 80)}`);
    } finally {
      run.connector.disconnect();
    }
  },

  'its first report of calls is the whole list, so a listener drops calls that ended unseen': async (options) => {
    // A gateway node taking an agent over (or a session outliving its connector) may still hold a
    // call that ended while nobody could report it; a fresh connector's first word on calls must
    // be the whole list (`calls`, empty or not), not only the calls it found.
    const run = await connected(options);
    try {
      await readyAgent(run, options);
      await options.backend.offerCall(run.connector);
      await until(() => run.events.some((e) => e.type === 'call' || e.type === 'calls'), 'a call', options.timeoutMs ?? 5000);
      const first = run.events.find((e) => e.type === 'call' || e.type === 'calls' || e.type === 'callRemoved');
      assert.equal(first?.type, 'calls', 'the first call report is the whole list');
    } finally {
      run.connector.disconnect();
    }
  },

  'every failure is a CtiError with the vendor code kept': async (options) => {
    const run = await connected(options);
    const failing = failingOf(options);
    try {
      await readyAgent(run, options);
      await options.backend.failNext(run.connector, failing.operation);
      const error = (await attempt(run, command(failing.operation, failing.args))) as CtiError | undefined;
      assert.ok(error, 'the command failed');
      assert.ok(typeof error.code === 'string' && typeof error.message === 'string' && error.message !== '', 'a readable CtiError');
      assert.notEqual(error.vendorCode, undefined, 'the vendor code is kept');
      assert.equal(error.operation, failing.operation);
    } finally {
      run.connector.disconnect();
    }
  },

  'no secret from the config appears in an event, error or log line': async (options) => {
    const logs: string[] = [];
    const errors: unknown[] = [];
    await capturingLogs(logs, async () => {
      const run = await connected(options, { errors, logs });
      const failing = failingOf(options);
      try {
        await readyAgent(run, options);
        await options.backend.failNext(run.connector, failing.operation);
        await attempt(run, command(failing.operation, failing.args));
        await attempt(run, command('hold', { callId: 'no-such-call' }));
        await attempt(run, { id: '', operation: 'fly', args: {} } as unknown as Command);
        const text = JSON.stringify([run.events, errors.map((e) => (e instanceof CtiError ? e.toJSON() : String(e))), errors.map(String), logs]);
        for (const secret of options.backend.secrets ?? []) {
          assert.ok(!text.includes(secret), 'a config secret appeared in an event, error or log line');
        }
      } finally {
        run.connector.disconnect();
      }
    });
  },
};

/** Registers the contract's tests for one connector. */
export function runConnectorContract(options: ContractOptions): void {
  describe(`connector contract: ${options.name}`, () => {
    for (const [name, check] of Object.entries(CONTRACT_CHECKS)) {
      it(name, async () => {
        await options.backend.reset?.();
        await check(options);
      });
    }
  });
}
