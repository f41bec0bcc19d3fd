/**
 * The connector declaration in Node: config validation with readable errors, exactly the declared
 * secrets redacted by the server (audit finding 17), a bad config stopping the server at start.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { defineConnector } from '../../src/connectors/kit/define-connector.ts';
import { registerConnector, registerDeferredConnector, createConnector, createConnectorNow, connectorDefinition, connectorNames } from '../../src/connectors/registry.ts';
import { LazyConnector } from '../../src/connectors/kit/lazy-connector.ts';
import { BUILT_IN_CONNECTORS } from '../../scripts/lazy-builds.mjs';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRedactor, REDACTED } from '../../server/redactor.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { StandInConnector, standInDefinition } from '../e2e/server-test-kit.ts';
import { CtiError } from '../../src/core/errors.ts';
import { OPERATIONS } from '../../src/core/operations.ts';

const demo = defineConnector<Record<string, unknown>>({
  name: 'kit-demo',
  title: 'test',
  endpoint: 'required',
  configSchema: {
    apiKey: { type: 'string', secret: true, required: true, description: 'Vendor API key.' },
    region: { type: 'string', enum: ['london', 'paris'], description: 'Vendor region.' },
    pollMs: { type: 'integer', min: 100, max: 5000, description: 'Poll period.' },
  },
  loginFields: [{ name: 'extension', label: 'Extension', required: true }],
  supports: ['login', 'logout', 'ready'],
  load: async () => ({ agentId, config }) => new StandInConnector(agentId, config),
});

function invalid(pattern: RegExp, ...absent: string[]) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof CtiError);
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    for (const text of absent) assert.ok(!error.message.includes(text), `message must not quote ${text}`);
    return true;
  };
}

describe('defineConnector: config validation', () => {
  it('accepts a config that fits and says every problem of one that does not, without quoting values', () => {
    assert.deepEqual(demo.validateConfig({ apiKey: 'sk-123456', region: 'london' }), { apiKey: 'sk-123456', region: 'london' });
    assert.throws(
      () => demo.validateConfig({ apiKey: 42, region: 'mars', pollMs: 1.5, regoin: 'x' }),
      invalid(/unknown option "regoin".*"apiKey" must be text.*"region" must be one of london, paris.*"pollMs" must be a whole number/, 'mars'),
    );
    assert.throws(() => demo.validateConfig({}), invalid(/"apiKey" is required/));
    assert.throws(() => demo.validateConfig({ apiKey: 'sk-123456', pollMs: 50 }), invalid(/"pollMs" must be at least 100/));
    assert.throws(() => demo.validateConfig({ apiKey: 'abc' }), invalid(/"apiKey" is a secret and must be at least 6 characters/, 'abc'));
    assert.throws(() => demo.validateConfig('apiKey=1'), invalid(/config must be an object/));
  });

  it('refuses to create without an endpoint or agent, and refuses a malformed declaration', async () => {
    await assert.rejects(demo.createNow({ agentId: 'a1', config: { apiKey: 'sk-123456' } }), invalid(/needs an endpoint/));
    await assert.rejects(demo.createNow({ agentId: '', endpoint: 'http://x', config: { apiKey: 'sk-123456' } }), invalid(/agent id/));
    assert.throws(() => defineConnector({ ...standInDefinition, name: 'Bad Name', configSchema: {}, loginFields: [], supports: OPERATIONS }), invalid(/not a valid connector name/));
    assert.throws(
      () => defineConnector({ name: 'x', title: 'x', configSchema: {}, loginFields: [{ name: 'a', label: '' }], supports: [], load: async () => () => new StandInConnector('a') }),
      invalid(/login field needs a name .* and a label/),
    );
    assert.throws(
      () => defineConnector({ name: 'x', title: 'x', configSchema: {}, loginFields: [], supports: ['fly' as never], load: async () => () => new StandInConnector('a') }),
      invalid(/supports must list canonical operations/),
    );
  });

  it('a list option takes an array and refuses an object (POM\'s not-ready reasons)', async () => {
    const pom = (await import('../../src/connectors/pom/declaration.ts')).default;
    const reasons = [{ code: 'BRK', label: 'Break' }];
    assert.deepEqual(pom.validateConfig({ reasons }), { reasons });
    assert.throws(() => pom.validateConfig({ reasons: { BRK: 'Break' } }), invalid(/"reasons" must be a list/));
    assert.throws(() => pom.validateConfig({ reasons: [{ code: 1 }] }), invalid(/reasons must be a list of \{code, label\}/));
  });

  it('names exactly the declared secrets', () => {
    assert.deepEqual(demo.secretValues({ apiKey: 'sk-live-123456', region: 'london', pollMs: 500 }), ['sk-live-123456']);
    assert.deepEqual(connectorDefinition('gateway')!.secretValues({ token: 'eyJ-token-value', transport: 'websocket' }), ['eyJ-token-value']);
    assert.deepEqual(connectorDefinition('simulator')!.secretValues({ latencyMs: 0 }), []);
  });

  it('the registry creates the real connector in Node, validated', async () => {
    registerConnector(demo);
    const connector = await createConnectorNow('kit-demo', { agentId: 'a1', endpoint: 'http://vendor', config: { apiKey: 'sk-123456' } });
    assert.ok(connector instanceof StandInConnector);
    assert.equal(connectorDefinition('kit-demo')!.loginFields[0]!.label, 'Extension');
  });
});

describe('vendor connectors deferred from the bundle: known by name, declared on load', () => {
  it('a deferred connector validates its config and gets its login form when its module loads', async () => {
    let loads = 0;
    const deferredDemo = defineConnector<Record<string, unknown>>({
      name: 'kit-deferred',
      title: 'test',
      endpoint: 'required',
      configSchema: { apiKey: { type: 'string', secret: true, required: true, description: 'Vendor API key.' } },
      loginFields: [{ name: 'extension', label: 'Extension', required: true }],
      supports: ['login', 'logout', 'ready'],
      load: async () => ({ agentId, config }) => new StandInConnector(agentId, config),
    });
    registerDeferredConnector('kit-deferred', async () => {
      loads += 1;
      return deferredDemo;
    });
    assert.ok(connectorNames().includes('kit-deferred'));
    assert.equal(connectorDefinition('kit-deferred'), undefined, 'nothing is loaded before connect()');
    const bad = createConnector('kit-deferred', { agentId: 'a1', endpoint: 'http://x', config: { apiKey: 42 } });
    assert.ok(bad instanceof LazyConnector);
    assert.deepEqual(bad.loginFields, []);
    assert.equal(bad.supports.size, 0, 'nothing is offered before the declaration is here');
    await assert.rejects(bad.connect(() => {}), invalid(/"apiKey" must be text/));
    const good = createConnector('kit-deferred', { agentId: 'a1', endpoint: 'http://x', config: { apiKey: 'sk-123456' } }) as LazyConnector;
    await good.connect(() => {});
    assert.deepEqual(good.loginFields.map((f) => f.name), ['extension']);
    good.disconnect();
    assert.equal(connectorDefinition('kit-deferred'), deferredDemo, 'once loaded, the declaration is kept');
    assert.equal(loads, 1);
  });

  it('the built-in connectors are the same three in the registry, the bundle entry and the build', () => {
    const registry = readFileSync('src/connectors/registry.ts', 'utf8');
    const registered = [...registry.matchAll(/^registerConnector\((\w+)\);$/gm)].map((m) => m[1]);
    assert.deepEqual(registered.sort(), [...BUILT_IN_CONNECTORS].sort());
    const index = readFileSync('src/index.ts', 'utf8');
    assert.ok(index.includes(`'!./connectors/{${BUILT_IN_CONNECTORS.join(',')}}/declaration.ts'`), 'src/index.ts leaves out exactly the built-in ones');
    // Every other folder with a declaration is a vendor, deferred.
    const vendors = readdirSync('src/connectors').filter((n) => existsSync(`src/connectors/${n}/declaration.ts`) && !BUILT_IN_CONNECTORS.includes(n));
    assert.ok(vendors.length >= 1);
  });
});

describe('server redaction: exactly the declared secrets (audit finding 17)', () => {
  let server: RunningServer | undefined;
  after(() => server?.close());

  it('keeps "Ada from london" when region is london, and hides the API key the vendor echoed', async () => {
    const config = { apiKey: 'sk-live-VENDOR-KEY-42', password: 'hunter2-vendor', region: 'london' };
    registerConnector(standInDefinition);
    server = await startServer({ port: 0, connector: 'stand-in', connectorConfig: config });
    const post = (path: string, body: unknown) =>
      fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/control/ada1/offer-call', { number: '+442079460001', name: 'Ada from london' });
    const events = await (await fetch(`${server.url}/api/agents/ada1/events?after=0&wait=0`)).text();
    assert.ok(events.includes('Ada from london'), events);
    const failed = await (await post('/api/agents/ada1/commands', { id: 'n1', operation: 'addNote', args: { note: 'x' } })).text();
    assert.ok(failed.includes(REDACTED));
    assert.ok(!failed.includes(config.apiKey) && !failed.includes(config.password));
    assert.ok(failed.includes('region\\":\\"london'), 'a value not declared secret is left alone');
  });

  it('the redactor replaces both spellings of a secret and nothing shorter than 6 characters', () => {
    const redact = createRedactor(['pa"ss-word', 'abc']);
    assert.equal(redact('x pa"ss-word y'), `x ${REDACTED} y`);
    assert.equal(redact(JSON.stringify({ p: 'pa"ss-word' })), `{"p":"${REDACTED}"}`);
    assert.equal(redact('abc'), 'abc');
  });

  it('a config that does not fit the declaration stops the server at start with a readable message', async () => {
    await assert.rejects(
      startServer({ port: 0, connector: 'simulator', connectorConfig: { latencyMs: -1, apiKey: 'sk-live-XYZ-123' } }),
      (error: Error) => /unknown option "apiKey".*"latencyMs" must be at least 0/.test(error.message) && !error.message.includes('sk-live'),
    );
  });
});
