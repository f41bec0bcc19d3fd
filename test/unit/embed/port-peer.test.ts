import { expect } from '@open-wc/testing';
import { PortPeer, EmbedError } from '../../../src/embed/port-peer.ts';
import { protocolMajor, speaks, exactOrigin } from '../../../src/embed/protocol.ts';

const settle = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: EmbedError) => ({ code: error.code, message: error.message, name: error.name }));

function pair(onRequest: (m: string, a: unknown) => unknown = () => undefined) {
  const { port1, port2 } = new MessageChannel();
  const notes: [string, unknown][] = [];
  const a = new PortPeer(port1, () => undefined, (n, d) => notes.push([n, d]));
  const b = new PortPeer(port2, onRequest, () => {});
  return { a, b, notes };
}

describe('PortPeer', () => {
  it('answers a request with the handler’s value, and a thrown coded error with its code', async () => {
    const { a } = pair((m, args) => {
      if (m === 'echo') return args;
      throw Object.assign(new Error('No such agent state.'), { code: 'NOT_ALLOWED', operation: 'ready', vendorCode: 101, stack: 'secret stack' });
    });
    expect(await a.request('echo', { x: 1 }, 1000)).to.deep.equal({ x: 1 });
    const failed = await a.request('other', null, 1000).catch((e: EmbedError) => e);
    expect(failed).to.be.instanceOf(EmbedError);
    expect((failed as EmbedError).code).to.equal('NOT_ALLOWED');
    expect((failed as EmbedError).operation).to.equal('ready');
    expect((failed as EmbedError).vendorCode).to.equal(101);
    expect((failed as EmbedError).stack).not.to.contain('secret stack');
  });

  it('times a request out with TIMEOUT when nobody answers', async () => {
    const { a } = pair(() => new Promise(() => {}));
    expect(await settle(a.request('slow', null, 30))).to.include({ code: 'TIMEOUT' });
  });

  it('close() rejects pending requests with the given code and refuses new ones', async () => {
    const { a } = pair(() => new Promise(() => {}));
    const pending = a.request('slow', null, 5000);
    a.close('DESTROYED');
    expect(await settle(pending)).to.include({ code: 'DESTROYED' });
    expect(await settle(a.request('x', null, 1000))).to.include({ code: 'DISCONNECTED' });
  });

  it('answers an uncloneable value with an error instead of never', async () => {
    const { a } = pair(() => ({ fn: () => 1 }));
    expect(await settle(a.request('bad', null, 1000))).to.include({ code: 'INVALID_ARGUMENT' });
  });

  it('drops malformed messages', async () => {
    const { port1, port2 } = new MessageChannel();
    const notes: unknown[] = [];
    new PortPeer(port1, () => { throw new Error('no requests expected'); }, (n, d) => notes.push([n, d]));
    const replies: unknown[] = [];
    port2.onmessage = (e) => replies.push(e.data);
    for (const junk of [null, 42, 'hello', { t: 'q' }, { t: 'q', i: 'x', m: 'y' }, { t: 'n', n: 5 }, { t: 'r', i: 99 }]) port2.postMessage(junk);
    port2.postMessage({ t: 'n', n: 'fine', d: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(notes).to.deep.equal([['fine', 1]]);
    expect(replies).to.deep.equal([]);
  });
});

describe('iframe protocol helpers', () => {
  it('reads the major and speaks only agentbar/1', () => {
    expect(protocolMajor('agentbar/1')).to.equal(1);
    expect(protocolMajor('agentbar/1.4')).to.equal(1);
    expect(speaks('agentbar/1')).to.equal(true);
    for (const p of ['agentbar/2', 'agentbar/0', 'penpal/1', '', undefined, 1, 'agentbar/1x']) expect(speaks(p), String(p)).to.equal(false);
  });

  it('accepts only exact http(s) origins', () => {
    expect(exactOrigin('https://crm.example.com')).to.equal('https://crm.example.com');
    expect(exactOrigin('http://127.0.0.1:5173/')).to.equal('http://127.0.0.1:5173');
    for (const o of ['*', 'https://crm.example.com/path', 'javascript:alert(1)', 'file:///x', 'crm.example.com', '', null]) {
      expect(exactOrigin(o), String(o)).to.equal(undefined);
    }
  });
});
