/**
 * Gateway mode over real sockets: each agent authenticates with a short-lived signed token and
 * receives only its own events; missing, expired, forged and other-agent tokens are refused with a
 * clear error; vendor secrets never leave the server.
 */
import { test, expect } from '@playwright/test';
import { SignJWT } from 'jose';
import { startServer, type RunningServer } from '../../server/app.ts';
import { createTokenIssuer, TOKEN_AUDIENCE } from '../../server/tokens.ts';
import { RecordingClient, getJson, postJson, standInDefinition, type Message } from './server-test-kit.ts';
import { registerConnector } from '../../src/connectors/registry.ts';

const SECRET = 'test-only-secret-0123456789abcdef-0123456789';
const VENDOR_CONFIG = { apiKey: 'sk-live-VENDOR-KEY-42', password: 'hunter2-vendor', region: 'eu' };
const METRICS_TOKEN = 'metrics-only-token-0123456789';
const issuer = createTokenIssuer(SECRET);

let gateway: RunningServer;
/** A second gateway whose stand-in vendor connector echoes its secrets (see the last test). */
let leaky: RunningServer;
const logLines: string[] = [];

test.beforeAll(async () => {
  registerConnector(standInDefinition);
  // The real simulator, created by name through the shared connector registry, as `npm run
  // server` with GATEWAY=1 does (its declaration takes only its own options).
  gateway = await startServer({
    port: 0,
    gateway: true,
    tokenSecret: SECRET,
    connector: 'simulator',
    connectorConfig: { latencyMs: 0 },
    log: (line) => logLines.push(line),
  });
  leaky = await startServer({
    port: 0,
    gateway: true,
    tokenSecret: SECRET,
    // By name, like any declared connector: its declaration marks apiKey and password secret.
    connector: 'stand-in',
    connectorConfig: VENDOR_CONFIG,
    metricsToken: METRICS_TOKEN,
    log: (line) => logLines.push(line),
  });
});
test.afterAll(async () => {
  await gateway?.close();
  await leaky?.close();
});

/** Logs in and makes the agent ready, over its own socket. */
async function loginReady(client: RecordingClient, agentId: string): Promise<void> {
  expect((await client.command(`${agentId}-login`, 'login', { agentId })).ok).toBe(true);
  expect((await client.command(`${agentId}-ready`, 'ready')).ok).toBe(true);
  await client.waitFor((m) => m.t === 'event' && m.event.type === 'agentState' && m.event.state === 'ready');
}

function hasCall(messages: Message[], number: string): boolean {
  return messages.some(
    (m) =>
      (m.t === 'event' && m.event.type === 'call' && m.event.call.remote.number === number) ||
      (m.t === 'snapshot' && JSON.stringify(m.events).includes(number)),
  );
}

async function signed(claims: { sub?: string; iat?: number; exp?: number; aud?: string }, secret = SECRET): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256' });
  if (claims.sub) jwt.setSubject(claims.sub);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  jwt.setAudience(claims.aud ?? TOKEN_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(secret));
}

async function refusedHello(agentId: string, token: unknown): Promise<{ code: number; error: Message }> {
  const client = await RecordingClient.open(gateway.wsUrl);
  client.send({ t: 'hello', agentId, after: 0, ...(token === undefined ? {} : { token }) });
  const code = await client.waitForClose();
  const error = client.messages.find((m) => m.t === 'error');
  expect(client.messages.filter((m) => m.t !== 'error')).toEqual([]);
  return { code, error: error?.error };
}

test('gateway mode will not start without a strong token secret', async () => {
  await expect(startServer({ port: 0, gateway: true })).rejects.toThrow(/TOKEN_SECRET is required/);
  await expect(startServer({ port: 0, gateway: true, tokenSecret: 'short' })).rejects.toThrow(/at least 32 bytes/);
});

test('two agents on one gateway each see only their own calls', async () => {
  const alice = await RecordingClient.open(gateway.wsUrl);
  const bob = await RecordingClient.open(gateway.wsUrl);
  expect((await alice.hello('alice', { token: await issuer.issue('alice') })).t).toBe('welcome');
  expect((await bob.hello('bob', { token: await issuer.issue('bob') })).t).toBe('welcome');
  await loginReady(alice, 'alice');
  await loginReady(bob, 'bob');

  const toAlice = await postJson(
    `${gateway.url}/control/alice/offer-call`,
    { number: '+15550111', name: 'For Alice' },
    { Authorization: `Bearer ${await issuer.issue('alice')}` },
  );
  expect(toAlice.status).toBe(200);
  const toBob = await postJson(
    `${gateway.url}/control/bob/offer-call`,
    { number: '+15550222', name: 'For Bob' },
    { Authorization: `Bearer ${await issuer.issue('bob')}` },
  );
  expect(toBob.status).toBe(200);

  await alice.waitFor((m) => m.t === 'event' && m.event.type === 'call');
  await bob.waitFor((m) => m.t === 'event' && m.event.type === 'call');
  // Bob answers and holds his call: commands on his socket act on his call only.
  expect((await bob.command('b-answer', 'answer')).ok).toBe(true);
  expect((await bob.command('b-hold', 'hold')).ok).toBe(true);
  const held = await bob.waitFor((m) => m.t === 'event' && m.event.type === 'call' && m.event.call.state === 'held');
  expect(held.event.call.remote.number).toBe('+15550222');
  // A ping answered after all that means everything sent before it has arrived.
  alice.send({ t: 'ping', id: 'sync' });
  bob.send({ t: 'ping', id: 'sync' });
  await alice.waitFor((m) => m.t === 'pong');
  await bob.waitFor((m) => m.t === 'pong');
  expect(hasCall(alice.messages, '+15550111')).toBe(true);
  expect(hasCall(alice.messages, '+15550222')).toBe(false);
  expect(hasCall(bob.messages, '+15550222')).toBe(true);
  expect(hasCall(bob.messages, '+15550111')).toBe(false);
  expect(alice.messages.some((m) => m.t === 'event' && m.event.call?.state === 'held')).toBe(false);

  // REST polling is separated the same way.
  const bobPoll = await getJson(`${gateway.url}/api/agents/bob/events?after=0`, {
    Authorization: `Bearer ${await issuer.issue('bob')}`,
  });
  expect(bobPoll.status).toBe(200);
  expect(JSON.stringify(bobPoll.body)).toContain('+15550222');
  expect(JSON.stringify(bobPoll.body)).not.toContain('+15550111');
  alice.close();
  bob.close();
});

test.describe('bad tokens are refused with a clear error (WebSocket: error then close 4401)', () => {
  test('missing token', async () => {
    const { code, error } = await refusedHello('carol', undefined);
    expect(code).toBe(4401);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(error.message).toMatch(/Missing token/);
  });

  test('expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { code, error } = await refusedHello('carol', await signed({ sub: 'carol', iat: now - 900, exp: now - 60 }));
    expect(code).toBe(4401);
    expect(error.message).toMatch(/expired/);
  });

  test('forged token (signed with another secret)', async () => {
    const forged = await createTokenIssuer('not-the-gateway-secret-but-long-enough!!').issue('carol');
    const { code, error } = await refusedHello('carol', forged);
    expect(code).toBe(4401);
    expect(error.message).toMatch(/signature is invalid/);
  });

  test('tampered token (subject changed after signing)', async () => {
    const real = await issuer.issue('carol');
    const [header, , signature] = real.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'dave', aud: TOKEN_AUDIENCE, iat: 1, exp: 9e9 })).toString('base64url');
    const { code, error } = await refusedHello('dave', `${header}.${payload}.${signature}`);
    expect(code).toBe(4401);
    expect(error.message).toMatch(/signature is invalid/);
  });

  test('unsigned token (alg none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'carol', aud: TOKEN_AUDIENCE, iat: 1, exp: 9e9 })).toString('base64url');
    const { code, error } = await refusedHello('carol', `${header}.${payload}.`);
    expect(code).toBe(4401);
    expect(error.code).toBe('UNAUTHORIZED');
  });

  test('another agent’s token', async () => {
    const { code, error } = await refusedHello('carol', await issuer.issue('alice'));
    expect(code).toBe(4401);
    expect(error.message).toMatch(/another agent/);
  });

  test('a token living longer than 15 minutes', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { code, error } = await refusedHello('carol', await signed({ sub: 'carol', iat: now, exp: now + 3600 }));
    expect(code).toBe(4401);
    expect(error.message).toMatch(/lifetime exceeds 15 minutes/);
  });

  test('garbage instead of a token', async () => {
    const { code, error } = await refusedHello('carol', 'not.a.jwt');
    expect(code).toBe(4401);
    expect(error.message).toMatch(/Malformed token/);
  });
});

test.describe('bad tokens on REST and control: 401 JSON', () => {
  test('missing, forged and other-agent tokens get 401 with a reason and change nothing', async () => {
    const url = `${gateway.url}/api/agents/erin/events?after=0`;
    const missing = await getJson(url);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(missing.body.error.message).toMatch(/Missing token/);
    const forged = await getJson(url, {
      Authorization: `Bearer ${await createTokenIssuer('x'.repeat(40)).issue('erin')}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toMatch(/signature/);
    const command = await postJson(
      `${gateway.url}/api/agents/erin/commands`,
      { id: 'c', operation: 'login', args: {} },
      { Authorization: `Bearer ${await issuer.issue('alice')}` },
    );
    expect(command.status).toBe(401);
    const control = await postJson(`${gateway.url}/control/erin/offer-call`, { number: '+15550333' });
    expect(control.status).toBe(401);
    // None of these created an agent.
    expect(gateway.registry.get('erin')).toBeUndefined();
  });
});

test('vendor secrets and the token secret never appear in responses, events or logs', async () => {
  const client = await RecordingClient.open(leaky.wsUrl);
  await client.hello('frank', { token: await issuer.issue('frank') });
  // The stand-in vendor echoes its whole config (API key, password) in an error message.
  const failed = await client.command('n1', 'addNote', { note: 'hi' });
  expect(failed.ok).toBe(false);
  expect(failed.error.message).toContain('[redacted]');
  const rest = await postJson(
    `${leaky.url}/api/agents/frank/commands`,
    { id: 'n2', operation: 'addNote', args: { note: 'hi' } },
    { Authorization: `Bearer ${await issuer.issue('frank')}` },
  );
  expect(rest.status).toBe(422);
  expect(rest.body.error.message).toContain('[redacted]');
  const health = await getJson(`${leaky.url}/health`);
  expect(health.body).toEqual({ ok: true });
  const metrics = await getJson(`${leaky.url}/metrics`, { Authorization: `Bearer ${METRICS_TOKEN}`, Accept: 'application/json' });
  expect(metrics.body.mode).toBe('gateway');
  const gatewayHealth = await getJson(`${gateway.url}/health`);
  const everything = JSON.stringify([client.messages, rest.body, health.body, metrics.body, gatewayHealth.body, logLines]);
  for (const secret of [VENDOR_CONFIG.apiKey, VENDOR_CONFIG.password, SECRET]) {
    expect(everything).not.toContain(secret);
  }
  client.close();
});
