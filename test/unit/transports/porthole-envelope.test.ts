import { expect } from '@open-wc/testing';
import { normalizeOrigin, parseEnvelope, serializeEnvelope } from '../../../src/transports/porthole-envelope.ts';

describe('Porthole envelope', () => {
  const envelope = {
    data: { action: 'dial', number: '+441234' },
    sourceOrigin: 'http://a.example',
    targetOrigin: 'http://b.example:8080',
    sourceWindowName: 'bar',
    targetWindowName: 'portal',
  };

  it('serialises to the Porthole 1.0 JSON string, field for field', () => {
    const text = serializeEnvelope(envelope);
    expect(typeof text).to.equal('string');
    expect(Object.keys(JSON.parse(text))).to.deep.equal(['data', 'sourceOrigin', 'targetOrigin', 'sourceWindowName', 'targetWindowName']);
    expect(parseEnvelope(text)).to.deep.equal(envelope);
  });

  it('reads what porthole.js itself would post', () => {
    // WindowProxyBase.post builds exactly this object and JSON.stringify-s it.
    const raw = JSON.stringify({ data: 'hi', sourceOrigin: 'http://x', targetOrigin: '*', sourceWindowName: '', targetWindowName: '' });
    expect(parseEnvelope(raw)?.data).to.equal('hi');
  });

  it('returns undefined for anything else, without throwing', () => {
    const bad: unknown[] = [
      undefined,
      null,
      42,
      {},
      envelope, // an object, not the string Porthole posts
      '',
      'not json',
      '[]',
      'null',
      '"text"',
      JSON.stringify({ ...envelope, sourceOrigin: 7 }),
      JSON.stringify({ sourceOrigin: 'a', targetOrigin: 'b', sourceWindowName: '', targetWindowName: '' }),
      JSON.stringify({ data: 1, sourceOrigin: 'a', targetOrigin: 'b', sourceWindowName: '' }),
      '{"data":1,"sourceOrigin":"a","targetOrigin":"b","sourceWindowName":"","targetWindowName":""'.repeat(2),
      JSON.stringify({ ...envelope, data: 'x'.repeat(300 * 1024) }),
    ];
    for (const value of bad) expect(parseEnvelope(value), String(value).slice(0, 40)).to.equal(undefined);
  });

  it('normalises origins like MessageEvent.origin and refuses wildcards', () => {
    expect(normalizeOrigin('HTTP://Example.COM:80/path?q')).to.equal('http://example.com');
    expect(normalizeOrigin('https://a.example:8443')).to.equal('https://a.example:8443');
    expect(normalizeOrigin('*')).to.equal(undefined);
    expect(normalizeOrigin('null')).to.equal(undefined);
    expect(normalizeOrigin('file:///etc/passwd')).to.equal(undefined);
    expect(normalizeOrigin('javascript:alert(1)')).to.equal(undefined);
  });
});
