/**
 * The connector contract (test/unit/connectors/contract.ts) run against every connector we have:
 * the simulator in-process, the server connector against the real reference server, the gateway
 * connector against a real gateway with signed tokens, and the vendor connectors against their
 * emulators (POM over the bridge WebSocket, Noojee over REST). Each declares the operations it
 * supports (its declaration's `supports`): the checks use only those, and the rest must be
 * refused. A deliberately broken connector (double delivery, a secret in an error, more than it
 * declares) is caught by it. Each vendor connector adds itself here.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { runConnectorContract, CONTRACT_CHECKS, type ContractBackend } from '../unit/connectors/contract.ts';
import { connectorDefinition, createConnectorNow } from '../../src/connectors/registry.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createTokenIssuer } from '../../server/tokens.ts';
import type { Connector, EventSink } from '../../src/core/connector.ts';
import type { Command } from '../../src/core/commands.ts';
import type { SimulatorConnector } from '../../src/connectors/simulator/simulator-connector.ts';
import type { ServerConnector } from '../../src/connectors/server/server-connector.ts';
import type { WebSocketLike } from '../../src/transports/websocket-transport.ts';
import { CtiError } from '../../src/core/errors.ts';
import { OPERATIONS } from '../../src/core/operations.ts';
import pomDeclaration from '../../src/connectors/pom/declaration.ts';
import noojeeDeclaration from '../../src/connectors/noojee/declaration.ts';
import type { PomConnector } from '../../src/connectors/pom/pom-connector.ts';
import { start as startPom } from '../../server/emulators/pom/index.ts';
import { start as startNoojee } from '../../server/emulators/noojee/index.ts';

/** What a connector's declaration says it supports. */
const declared = (name: string) => connectorDefinition(name)!.supports;

let agents = 0;
const nextAgent = (prefix: string) => `${prefix}${++agents}`;
const CALL = { number: '+442079460555', name: 'Contract Caller' };
const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;
const fast = { backoff: { initialMs: 50, maxMs: 200 }, heartbeatIntervalMs: 60_000, connectTimeoutMs: 5000 };

const simulatorBackend: ContractBackend = {
  offerCall: async (c) => (c as SimulatorConnector).simulator.offerCall(CALL),
  failNext: async (c, operation) => (c as SimulatorConnector).simulator.failNext(operation, 101),
  drop: async (c) => (c as SimulatorConnector).simulator.dropConnection(),
};

runConnectorContract({
  name: 'simulator',
  supports: declared('simulator'),
  create: () => createConnectorNow('simulator', { agentId: nextAgent('sim'), config: { latencyMs: 5, connectDelayMs: 5, reconnectDelayMs: 20 } }),
  backend: simulatorBackend,
});

let reference: RunningServer;
let gateway: RunningServer;
const TOKEN_SECRET = 'contract-test-secret-0123456789abcdef-0123';
const issuer = createTokenIssuer(TOKEN_SECRET);
/** Every token handed to the gateway connector: none may appear in an event, error or log. */
const issuedTokens: string[] = [];

before(async () => {
  reference = await startServer({ port: 0, connectorConfig: { latencyMs: 5, connectDelayMs: 5 } });
  gateway = await startServer({ port: 0, gateway: true, tokenSecret: TOKEN_SECRET, connectorConfig: { latencyMs: 5, connectDelayMs: 5 } });
});
after(async () => {
  await reference?.close();
  await gateway?.close();
});

async function control(server: RunningServer, agentId: string, action: string, body: unknown, token?: string): Promise<void> {
  const res = await fetch(`${server.url}/control/${agentId}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `control ${action}: ${await res.text()}`);
}

runConnectorContract({
  name: 'server',
  supports: declared('server'),
  create: () => createConnectorNow('server', { agentId: nextAgent('srv'), endpoint: reference.wsUrl, config: { ...fast, createSocket } }),
  backend: {
    offerCall: (c) => control(reference, (c as ServerConnector).agentId, 'offer-call', CALL),
    failNext: (c, operation) => control(reference, (c as ServerConnector).agentId, 'fail-next', { operation, code: 101 }),
    drop: (c) => control(reference, (c as ServerConnector).agentId, 'drop-connections', {}),
  },
});

runConnectorContract({
  name: 'gateway',
  supports: declared('gateway'),
  create: () => {
    const agentId = nextAgent('gw');
    return createConnectorNow('gateway', {
      agentId,
      endpoint: gateway.wsUrl,
      config: {
        ...fast,
        createSocket,
        getToken: async () => {
          const token = await issuer.issue(agentId);
          issuedTokens.push(token);
          return token;
        },
      },
    });
  },
  backend: {
    secrets: issuedTokens,
    offerCall: async (c) => control(gateway, (c as ServerConnector).agentId, 'offer-call', CALL, await issuer.issue((c as ServerConnector).agentId)),
    failNext: async (c, operation) =>
      control(gateway, (c as ServerConnector).agentId, 'fail-next', { operation, code: 101 }, await issuer.issue((c as ServerConnector).agentId)),
    drop: async (c) => control(gateway, (c as ServerConnector).agentId, 'drop-connections', {}, await issuer.issue((c as ServerConnector).agentId)),
  },
});

/**
 * A connector with two classic bugs on top of the real simulator: every event is delivered twice,
 * and a vendor failure's message quotes the API key from its config.
 */
const BROKEN_SECRET = 'sk-live-BROKEN-0123456789';
class BrokenConnector implements Connector {
  readonly name = 'broken';
  readonly #inner: SimulatorConnector;
  constructor(inner: SimulatorConnector) {
    this.#inner = inner;
  }
  get supports() {
    return this.#inner.supports;
  }
  get simulator() {
    return this.#inner.simulator;
  }
  connect(sink: EventSink): Promise<void> {
    return this.#inner.connect((event) => {
      sink(event);
      sink(event);
    });
  }
  async execute(command: Command): Promise<void> {
    try {
      await this.#inner.execute(command);
    } catch (error) {
      const e = CtiError.from(error);
      throw new CtiError({ ...e.toJSON(), message: `${e.message} (request with apiKey=${BROKEN_SECRET})` });
    }
  }
  disconnect(): void {
    this.#inner.disconnect();
  }
}

describe('the contract catches a broken connector', () => {
  const broken = {
    name: 'broken',
    supports: declared('simulator'),
    create: async () =>
      new BrokenConnector((await createConnectorNow('simulator', { agentId: nextAgent('broken'), config: { latencyMs: 5, connectDelayMs: 5, reconnectDelayMs: 20 } })) as SimulatorConnector),
    backend: { ...simulatorBackend, secrets: [BROKEN_SECRET] },
  };

  it('double delivery fails "nothing delivered twice"', async () => {
    await assert.rejects(CONTRACT_CHECKS['sequence numbers only grow and nothing is delivered twice across a reconnect']!(broken), /delivered twice|seq grows/);
  });

  it('a secret in an error fails "no secret … in an event, error or log line"', async () => {
    await assert.rejects(CONTRACT_CHECKS['no secret from the config appears in an event, error or log line']!(broken), /config secret appeared/);
  });

  it('a connector that can do more than it declares fails "supports exactly what it declares"', async () => {
    const narrower = { ...broken, supports: OPERATIONS.filter((o) => o !== 'hold' && o !== 'conference') };
    await assert.rejects(CONTRACT_CHECKS['it supports exactly what it declares and refuses the rest with UNSUPPORTED']!(narrower), /declaration/);
  });

  it('while the checks it does not break still pass', async () => {
    await CONTRACT_CHECKS['commands are refused while offline with NOT_CONNECTED']!(broken);
  });
});

// ── Vendor connectors against their emulators ─────────────────────────────────────────────────

let pomEmulator: Awaited<ReturnType<typeof startPom>>;
let noojeeEmulator: Awaited<ReturnType<typeof startNoojee>>;
const NOOJEE_KEY = 'contract-noojee-api-key-0123456789';

before(async () => {
  pomEmulator = await startPom({ connectDelayMs: 20 });
  noojeeEmulator = await startNoojee({ apiKey: NOOJEE_KEY, connectDelayMs: -1 });
});
after(async () => {
  await pomEmulator?.close();
  await noojeeEmulator?.close();
});

async function emulatorControl(url: string, verb: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/__control/${verb}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, `${verb}: ${JSON.stringify(json)}`);
  return json;
}

/** POM's emulator knows a fixed set of agents: every check uses agent 1001, the emulator reset. */
const POM_AGENT = '1001';
runConnectorContract({
  name: 'pom',
  supports: pomDeclaration.supports,
  create: () => pomDeclaration.createNow({ agentId: POM_AGENT, endpoint: pomEmulator.bridgeUrl, config: { ...fast, createSocket } }),
  login: { extension: '5001', password: '1234', zone: 'Default' },
  failing: { operation: 'notReady', args: { reasonCode: 'BREAK' } },
  backend: {
    reset: async () => void (await emulatorControl(pomEmulator.url, 'reset')),
    offerCall: async (c) => {
      // A POM call reaches an agent over the nailed-up line: wait for the nailing first.
      const deadline = Date.now() + 5000;
      while ((c as PomConnector).view.nailup !== 'NailedUp' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await emulatorControl(pomEmulator.url, 'offer-inbound', { to: POM_AGENT, from: '+441632960001', name: 'Contract Caller' });
    },
    // POM answers a command with a result code; 1 is "Command Failure".
    failNext: async () => void (await emulatorControl(pomEmulator.url, 'fail-next', { match: 'AGTStateChange', body: '{"result":1}' })),
    drop: async () => void (await emulatorControl(pomEmulator.url, 'drop-bridge', { to: POM_AGENT })),
  },
});

/** A Noojee agent is its extension (the emulator has 100–119): every check uses 100, the emulator reset. */
const NOOJEE_AGENT = '100';
runConnectorContract({
  name: 'noojee',
  supports: noojeeDeclaration.supports,
  create: () =>
    noojeeDeclaration.createNow({
      agentId: NOOJEE_AGENT,
      endpoint: noojeeEmulator.url,
      config: { apiKey: NOOJEE_KEY, handset: 'Yealink', pollTimeoutS: 1, commandTimeoutMs: 3000, backoff: { initialMs: 20, maxMs: 100 } },
    }),
  failing: { operation: 'dial', args: { number: '+61412345678' } },
  backend: {
    secrets: [NOOJEE_KEY],
    reset: async () => void (await emulatorControl(noojeeEmulator.url, 'reset')),
    offerCall: async () => void (await emulatorControl(noojeeEmulator.url, 'offer-inbound', { to: NOOJEE_AGENT, from: '0298765432' })),
    // Noojee answers 200 with a negative Code for a refused call action.
    failNext: async () => void (await emulatorControl(noojeeEmulator.url, 'fail-next', { status: 200, body: '{"Message":"The extension is busy","Code":-3}', match: '/dial' })),
    // Three failed long polls in a row: past the transport's grace, the link is down; it recovers.
    drop: async () => {
      for (let i = 0; i < 3; i++) await emulatorControl(noojeeEmulator.url, 'fail-next', { drop: true, match: '/subscribe' });
    },
  },
});
