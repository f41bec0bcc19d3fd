/**
 * `/metrics` in the Prometheus text exposition format (0.0.4): the default answer, checked line by
 * line against the format's grammar, with the figures an operator scrapes — agents, sockets,
 * events, command latency (a histogram), and on a cluster node its Redis state, agents owned and
 * lease take-overs, every series labelled with the node. JSON stays for `Accept: application/json`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../../server/app.ts';
import { ProtocolClient, startRedis, until, type RedisProcess } from './cluster-kit.ts';

const TOKEN = 'metrics-token-prometheus-0123';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Parses the text format strictly: `# HELP name text`, `# TYPE name type`, or
 * `name{label="value",…} number`; every sample belongs to a family declared by TYPE before it.
 * Throws on any other line.
 */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${name})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*",?)*)\\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|\\+Inf|-Inf|NaN))$`);
  assert.ok(text.endsWith('\n'), 'the exposition ends with a line feed');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      assert.ok(!types.has(type[1]!), `TYPE of ${type[1]} given once`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (new RegExp(`^# HELP ${name} .*$`).test(line)) continue;
    const sample = sampleLine.exec(line);
    assert.ok(sample, `not a Prometheus text line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const family = sample[1]!.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(sample[1]!) || types.get(family) === 'histogram' || types.get(family) === 'summary', `sample ${sample[1]} without a TYPE line`);
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

const scrape = async (server: RunningServer): Promise<{ contentType: string; text: string }> => {
  const response = await fetch(`${server.url}/metrics`, { headers: auth });
  assert.equal(response.status, 200);
  return { contentType: response.headers.get('content-type') ?? '', text: await response.text() };
};
const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('/metrics in Prometheus text format', () => {
  let redis: RedisProcess;
  const servers: RunningServer[] = [];
  const clients: ProtocolClient[] = [];

  before(async () => {
    redis = await startRedis();
  });

  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(servers.map((s) => s.close()));
    await redis.destroy();
  });

  it('a single server: agents, sockets, events and command latency, in the text format', async () => {
    const server = await startServer({ metricsToken: TOKEN });
    servers.push(server);
    const tab = await ProtocolClient.open(server.wsUrl);
    clients.push(tab);
    await tab.hello('p-3001');
    assert.equal((await tab.command('l', 'login', { agentId: 'p-3001' })).ok, true);
    assert.equal((await tab.command('r', 'ready')).ok, true);
    await tab.waitFor((f) => f.t === 'event' && f.event.type === 'agentState' && f.event.state === 'ready', 'ready');

    const { contentType, text } = await scrape(server);
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    const { types, samples } = parseExposition(text);
    assert.equal(types.get('agentbar_agents'), 'gauge');
    assert.equal(types.get('agentbar_events_total'), 'counter');
    assert.equal(types.get('agentbar_command_duration_seconds'), 'histogram');
    assert.equal(value(samples, 'agentbar_agents'), 1);
    assert.equal(value(samples, 'agentbar_sockets'), 1);
    // One agent: every event it ever had (before the hello too) is numbered 1 … last.
    assert.equal(value(samples, 'agentbar_events_total'), tab.events().at(-1)!.seq);
    assert.equal(value(samples, 'agentbar_commands_total'), 2);
    assert.equal(value(samples, 'agentbar_command_duration_seconds_count'), 2);
    assert.equal(value(samples, 'agentbar_command_duration_seconds_bucket', { le: '+Inf' }), 2);
    assert.ok(value(samples, 'agentbar_resident_memory_bytes')! > 0);
    assert.ok(!text.includes('agentbar_cluster_'), 'no cluster series without a cluster');

    // JSON for whoever asks for it; both need the token.
    const json = await fetch(`${server.url}/metrics`, { headers: { ...auth, accept: 'application/json' } });
    assert.equal(((await json.json()) as { agents: number }).agents, 1);
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
  });

  it('a cluster node: Redis state, agents owned, forwarded commands and take-overs, labelled with the node', async () => {
    const n1 = await startServer({ metricsToken: TOKEN, redisUrl: redis.url, nodeId: 'pm-1', leaseMs: 600 });
    const n2 = await startServer({ metricsToken: TOKEN, redisUrl: redis.url, nodeId: 'pm-2', leaseMs: 600 });
    servers.push(n1, n2);
    const owner = await ProtocolClient.open(n1.wsUrl);
    const mirror = await ProtocolClient.open(n2.wsUrl);
    clients.push(owner, mirror);
    await owner.hello('p-3002');
    await mirror.hello('p-3002');
    assert.equal((await mirror.command('l', 'login', { agentId: 'p-3002' })).ok, true);

    let parsed = parseExposition((await scrape(n1)).text);
    assert.equal(value(parsed.samples, 'agentbar_cluster_redis_up', { node: 'pm-1' }), 1);
    assert.equal(value(parsed.samples, 'agentbar_cluster_agents_owned', { node: 'pm-1' }), 1);
    assert.equal(value(parsed.samples, 'agentbar_cluster_lease_takeovers_total', { node: 'pm-1' }), 1);
    assert.ok(parsed.samples.every((s) => s.labels.node === 'pm-1'), 'every series names its node');
    parsed = parseExposition((await scrape(n2)).text);
    assert.equal(value(parsed.samples, 'agentbar_cluster_agents_owned', { node: 'pm-2' }), 0);
    assert.equal(value(parsed.samples, 'agentbar_cluster_commands_forwarded_total', { node: 'pm-2' }), 1);
    assert.equal(value(parsed.samples, 'agentbar_command_duration_seconds_count', { node: 'pm-2' }), 1);

    // The owner goes: n2 takes the agent over, and says so.
    await n1.close();
    await until(async () => value(parseExposition((await scrape(n2)).text).samples, 'agentbar_cluster_agents_owned') === 1, 'n2 owns the agent', 5000);
    parsed = parseExposition((await scrape(n2)).text);
    assert.equal(value(parsed.samples, 'agentbar_cluster_lease_takeovers_total'), 1);
  });
});
