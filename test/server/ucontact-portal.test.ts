/**
 * The portal connector's own rules, with stand-in windows (the real windows and porthole.js are in
 * test/e2e/ucontact-{portal,uphone}.spec.ts): answers matched in order per action, an answer
 * nobody waits for ignored, a silent portal a TIMEOUT, a disconnect settling what waits, the
 * campaign required to dial, no parent frame a readable refusal, and what each flavour supports.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PortalConnector } from '../../src/connectors/ucontact/portal-connector.ts';
import type { UcontactConfig } from '../../src/connectors/ucontact/ucontact-config.ts';
import type { CanonicalEvent } from '../../src/core/events.ts';
import type { Command } from '../../src/core/commands.ts';

const PORTAL = 'https://acme.ucontactcloud.com';
const CRM = 'https://crm.example';

/** Our window and the portal's, as far as the connector can see them. */
function windows() {
  const listeners = new Set<(event: MessageEvent) => void>();
  const posted: Array<{ message: unknown; origin: string }> = [];
  const portal = { postMessage: (message: unknown, origin: string) => void posted.push({ message, origin }) };
  const self = {
    location: { origin: CRM },
    name: 'crm',
    addEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.add(l),
    removeEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.delete(l),
  };
  /** The portal answers through Porthole. */
  const reply = (data: unknown, from: { origin?: string; source?: unknown } = {}) => {
    const origin = from.origin ?? PORTAL;
    const envelope = JSON.stringify({ data, sourceOrigin: origin, targetOrigin: CRM, sourceWindowName: '', targetWindowName: 'crm' });
    for (const l of listeners) l({ origin, source: from.source ?? portal, data: envelope } as MessageEvent);
  };
  return { self, portal, posted, reply, sent: () => posted.map((p) => JSON.parse(p.message as string).data as Record<string, unknown>) };
}

let ids = 0;
const cmd = (operation: string, args: Record<string, unknown> = {}) => ({ id: `c${++ids}`, operation, args }) as Command;
const tick = () => new Promise((r) => setTimeout(r, 0));

async function connect(config: UcontactConfig = { campaign: 'Sales->', dispositions: { S: { label: 'Sale' } } }) {
  const w = windows();
  const events: CanonicalEvent[] = [];
  const connector = new PortalConnector({ agentId: 'agent1', flavour: 'porthole', endpoint: PORTAL, config, self: w.self, peer: () => w.portal });
  await connector.connect((e) => events.push(e));
  return { connector, events, ...w };
}

describe('ucontact portal connector (stand-in windows)', () => {
  it('starts ready with dial usable, and posts every message to the portal\'s exact origin', async () => {
    const { connector, events, posted } = await connect();
    assert.deepEqual(events.find((e) => e.type === 'agentState'), { type: 'agentState', state: 'ready', agentId: 'agent1', seq: 4 });
    assert.deepEqual([...connector.supports].sort(), ['createCallback', 'dial', 'hangup', 'wrapUp']);
    const dialing = connector.execute(cmd('dial', { number: '+442079460018' }));
    await tick();
    assert.deepEqual(posted.map((p) => p.origin), [PORTAL]);
    connector.disconnect();
    await assert.rejects(dialing, { code: 'DESTROYED' });
  });

  it('matches answers in order per action; an unasked or foreign answer changes nothing', async () => {
    const { connector, events, reply, sent } = await connect();
    reply({ guid: 'unasked' });
    reply({ guid: 'foreign' }, { origin: 'https://evil.example' });
    reply({ guid: 'other-window' }, { source: {} });
    const dial = connector.execute(cmd('dial', { number: '+442079460018' }));
    await tick();
    assert.deepEqual(sent()[0], { action: 'call', campaign: 'Sales->', callerid: '', destination: '+442079460018' });
    reply({ action: 'hangup', guid: 'g-1', result: '1' }); // not the dial's answer
    reply({ guid: 'g-1' });
    await dial;
    const calls = events.filter((e) => e.type === 'call').map((e) => (e as { call: { id: string; state: string } }).call);
    assert.deepEqual(calls.map((c) => [c.id, c.state]), [['g-1', 'dialing']]);

    const hangup = connector.execute(cmd('hangup'));
    await tick();
    assert.deepEqual(sent()[1], { action: 'hangup', guid: 'g-1' });
    reply({ action: 'hangup', guid: 'g-1', result: '0', message: 'no such channel' });
    await assert.rejects(hangup, (e: { message: string; vendorCode: string }) => e.vendorCode === '0' && /could not hang up the call \(answer 0\)\. \(no such channel\)/.test(e.message));
    connector.disconnect();
  });

  it('a silent portal is a readable TIMEOUT; its late answer is not taken for the next dial\'s', async () => {
    const { connector, events, reply } = await connect({ campaign: 'Sales->', commandTimeoutMs: 150 });
    await assert.rejects(connector.execute(cmd('dial', { number: '+442079460018' })), (e: { code: string; message: string }) => e.code === 'TIMEOUT' && /did not answer/.test(e.message));
    const next = connector.execute(cmd('dial', { number: '+442079460019' }));
    await tick();
    reply({ guid: 'late-for-the-first' });
    reply({ guid: 'for-the-second' });
    await next;
    const calls = events.filter((e) => e.type === 'call').map((e) => (e as { call: { id: string; remote: { number: string } } }).call);
    assert.deepEqual(calls.map((c) => [c.id, c.remote.number]), [['for-the-second', '+442079460019']]);
    connector.disconnect();
  });

  it('needs a campaign to dial, and a parent frame to connect; uPhone supports dial only', async () => {
    const { connector } = await connect({});
    await assert.rejects(connector.execute(cmd('dial', { number: '+442079460018' })), /config.campaign/);
    connector.disconnect();
    const w = windows();
    const orphan = new PortalConnector({ agentId: 'a', flavour: 'porthole', endpoint: PORTAL, config: {}, self: w.self, peer: () => undefined });
    await assert.rejects(orphan.connect(() => {}), /not inside the uContact portal/);
    const uphone = new PortalConnector({ agentId: 'a', flavour: 'uphone', endpoint: PORTAL, config: {}, self: w.self, peer: () => undefined });
    assert.deepEqual([...uphone.supports], ['dial']);
    await assert.rejects(uphone.connect(() => {}), /uPhone frame was not found/);
  });

  it('a tagged disposition tags the recording first (tagRecord), then dispositions; closeForm after it when configured; a refused tag dispositions nothing', async () => {
    const config: UcontactConfig = { campaign: 'Sales->', dispositions: { S: { label: 'Sale', tag: 'won' }, N: { label: 'No' } }, closeForm: true };
    const { connector, reply, sent } = await connect(config);
    reply({ action: 'gettingCall', params: { guid: 'in-1', number: '+59899123456' } });
    reply({ action: 'finishedCall', params: { guid: 'in-1' } });
    await tick();
    // The portal refuses the tag: the wrap-up fails readably, no disposition is sent.
    const refused = connector.execute(cmd('wrapUp', { code: 'S' }));
    await tick();
    assert.deepEqual(sent().at(-1), { action: 'tagRecord', guid: 'in-1', tag: 'won' });
    reply({ action: 'tagRecord', guid: 'in-1', result: '0' });
    await assert.rejects(refused, (e: { message: string; vendorCode: string }) => e.vendorCode === '0' && /could not tag the call's recording \(answer 0\)/.test(e.message));
    assert.equal(sent().length, 1);
    const done = connector.execute(cmd('wrapUp', { code: 'S' }));
    await tick();
    reply({ action: 'tagRecord', guid: 'in-1', result: '1' });
    await tick();
    assert.deepEqual(sent().at(-1), { action: 'disposition', campaign: 'Sales->', guid: 'in-1', l1: 'S', tag: 'won' });
    reply({ action: 'disposition', guid: 'in-1', result: '1' });
    await tick();
    assert.deepEqual(sent().at(-1), { action: 'closeForm' });
    reply({ action: 'closeForm', result: '1' });
    await done;
    assert.deepEqual(sent().map((m) => m.action), ['tagRecord', 'tagRecord', 'disposition', 'closeForm']);
    connector.disconnect();
  });

  it('events: gettingCall offers a call once, finishedCall wraps it up, sentDispositions ends it', async () => {
    const { connector, events, reply } = await connect({ campaign: 'Sales->', dispositions: { S: { label: 'Sale' } }, screenPopUrl: 'https://crm.example/pop?n={number}' });
    reply({ action: 'gettingCall', params: { guid: 'in-1', number: '+59899123456', campaign: 'Support<-', account: 'A-1' } });
    reply({ action: 'gettingCall', params: { guid: 'in-1', number: '+59899123456' } });
    reply({ action: 'finishedCall', params: { guid: 'in-1' } });
    reply({ action: 'sentDispositions', params: { guid: 'in-1' } });
    await tick();
    const seen = events.flatMap((e) => (e.type === 'call' ? [`${e.call.id}:${e.call.state}`] : e.type === 'callRemoved' ? [`-${e.callId}`] : []));
    assert.deepEqual(seen, ['in-1:ringing', 'in-1:wrapup', '-in-1']);
    const offered = events.find((e) => e.type === 'call') as { call: { fields: unknown[] } };
    assert.deepEqual(offered.call.fields, [
      { key: 'screenPop', label: 'Record', value: 'https://crm.example/pop?n=%2B59899123456', type: 'screenPop' },
      { key: 'account', label: 'account', value: 'A-1', type: 'readOnly' },
    ]);
    connector.disconnect();
  });

  it('the v6 Events API {event, data}: assignedInteraction offers a call, finishedInteraction wraps it up, sentDisposition ends it; other channels and odd shapes change nothing', async () => {
    const { connector, events, reply } = await connect({ campaign: 'Sales->', dispositions: { S: { label: 'Sale' } }, screenPopUrl: 'https://crm.example/pop?g={guid}' });
    const seen = () => events.flatMap((e) => (e.type === 'call' ? [`${e.call.id}:${e.call.state}`] : e.type === 'callRemoved' ? [`-${e.callId}`] : []));
    // Not calls, or not the Events API's shape: nothing.
    reply({ event: 'assignedInteraction', data: { guid: 'chat-1', campaign: 'Web<-', channel: 'webchat' } });
    reply({ event: 'assignedInteraction', data: { guid: 'x-1', channel: 'telephony' }, extra: 1 });
    reply({ event: 'assignedInteraction', data: 'g-2' });
    reply({ event: 'somethingElse', data: { guid: 'x-2' } });
    reply({ event: 'changedTheme', data: { theme: 'dark' } });
    reply({ event: 'assignedInteraction', data: { campaign: 'Support<-', channel: 'telephony' } }); // no guid: nothing to show
    await tick();
    assert.deepEqual(seen(), []);

    reply({ event: 'assignedInteraction', data: { guid: 'in-9', campaign: 'Support<-', channel: 'Telephony', clientId: 'C-77' } });
    reply({ event: 'assignedInteraction', data: { guid: 'in-9', campaign: 'Support<-', channel: 'telephony', clientId: 'C-77' } });
    await tick();
    const offered = events.find((e) => e.type === 'call') as { call: { direction: string; campaign: string; fields: unknown[] } };
    assert.equal(offered.call.direction, 'inbound');
    assert.equal(offered.call.campaign, 'Support<-');
    assert.deepEqual(offered.call.fields, [
      { key: 'screenPop', label: 'Record', value: 'https://crm.example/pop?g=in-9', type: 'screenPop' },
      { key: 'clientId', label: 'clientId', value: 'C-77', type: 'readOnly' },
    ]);
    // A chat finishing is not this call finishing.
    reply({ event: 'finishedInteraction', data: { guid: 'in-9', channel: 'sms' } });
    reply({ event: 'finishedInteraction', data: { guid: 'in-9', channel: 'telephony' } });
    reply({ event: 'sentDisposition', data: { guid: 'in-9' } });
    await tick();
    assert.deepEqual(seen(), ['in-9:ringing', 'in-9:wrapup', '-in-9']);
    connector.disconnect();
  });

  it('the Events API in the uPhone flavour: a call uPhone told of without a GUID is the one later assigned with one', async () => {
    const w = windows();
    const uphone = { postMessage: (message: unknown, origin: string) => void w.posted.push({ message, origin }) };
    const listeners: Array<(event: MessageEvent) => void> = [];
    const self = { ...w.self, addEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.push(l), removeEventListener: () => {} };
    const post = (data: unknown) => listeners.forEach((l) => l({ origin: PORTAL, source: uphone, data } as MessageEvent));
    const events: CanonicalEvent[] = [];
    const connector = new PortalConnector({ agentId: 'agent1', flavour: 'uphone', endpoint: PORTAL, config: { campaign: 'Sales->', dispositions: { S: { label: 'Sale' } } }, self, peer: () => uphone });
    await connector.connect((e) => events.push(e));
    post({ action: 'gettingCall', params: { number: '+59899123456' } });
    post({ event: 'assignedInteraction', data: { guid: 'g-5', campaign: 'Support<-', channel: 'telephony', clientId: 'C-1' } });
    post({ event: 'finishedInteraction', data: { guid: 'g-5' } });
    await tick();
    const calls = events.filter((e) => e.type === 'call').map((e) => (e as { call: { id: string; state: string; campaign?: string; fields: Array<{ key: string }> } }).call);
    assert.deepEqual(calls.map((c) => `${c.id}:${c.state}`), ['uc-1:ringing', 'uc-1:ringing', 'uc-1:wrapup']);
    assert.equal(calls[1]!.campaign, 'Support<-');
    assert.ok(calls[1]!.fields.some((f) => f.key === 'clientId'));
    connector.disconnect();
  });
});
