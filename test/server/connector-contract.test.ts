/**
 * The connector contract (test/unit/connectors/contract.ts) run against every connector we have:
 * the simulator in-process, the server connector against the real reference server, and the
 * gateway connector against a real gateway with signed tokens. A deliberately broken connector
 * (double delivery, a secret in an error) is caught by it. Each vendor connector adds itself here.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { runConnectorContract, CONTRACT_CHECKS, type ContractBackend } from '../unit/connectors/contract.ts';
import { createConnectorNow } from '../../src/connectors/registry.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createTokenIssuer } from '../../server/tokens.ts';
import type { Connector, EventSink } from '../../src/core/connector.ts';
import type { Command } from '../../src/core/commands.ts';
import type { SimulatorConnector } from '../../src/connectors/simulator/simulator-connector.ts';
import type { ServerConnector } from '../../src/connectors/server/server-connector.ts';
import type { WebSocketLike } from '../../src/transports/websocket-transport.ts';
import { CtiError } from '../../src/core/errors.ts';

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
  create: () => createConnectorNow('server', { agentId: nextAgent('srv'), endpoint: reference.wsUrl, config: { ...fast, createSocket } }),
  backend: {
    offerCall: (c) => control(reference, (c as ServerConnector).agentId, 'offer-call', CALL),
    failNext: (c, operation) => control(reference, (c as ServerConnector).agentId, 'fail-next', { operation, code: 101 }),
    drop: (c) => control(reference, (c as ServerConnector).agentId, 'drop-connections', {}),
  },
});

runConnectorContract({
  name: 'gateway',
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

  it('while the checks it does not break still pass', async () => {
    await CONTRACT_CHECKS['commands are refused while offline with NOT_CONNECTED']!(broken);
  });
});
