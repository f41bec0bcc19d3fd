import { expect } from '@open-wc/testing';
import { autoAnswerDelay, type AutoAnswerPolicy } from '../../../src/phone/auto-answer.ts';

/** An INVITE's headers as the phone reads them: every value of a name, case-insensitively. */
function invite(headers: Record<string, string[]>): (name: string) => string[] {
  const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => byName.get(name.toLowerCase()) ?? [];
}

const delay = (headers: Record<string, string[]>, policy: AutoAnswerPolicy = 'header') => autoAnswerDelay(policy, invite(headers));

describe('autoAnswerDelay', () => {
  it('reads Call-Info answer-after as the delay in seconds', () => {
    expect(delay({ 'Call-Info': ['<sip:pbx.example.com>;answer-after=0'] })).to.equal(0);
    expect(delay({ 'Call-Info': ['<sip:pbx.example.com>; answer-after = 2'] })).to.equal(2);
    expect(delay({ 'Call-Info': ['<http://x/photo.png>;purpose=icon', '<sip:pbx>;answer-after="1"'] })).to.equal(1);
  });

  it('caps a long answer-after at 10 s', () => {
    expect(delay({ 'Call-Info': ['<sip:pbx>;answer-after=3600'] })).to.equal(10);
  });

  it('reads the Alert-Info markers of Cisco, Yealink and dial strings', () => {
    expect(delay({ 'Alert-Info': ['<http://www.notused.com>;info=alert-autoanswer'] })).to.equal(0);
    expect(delay({ 'Alert-Info': ['info=alert-intercom'] })).to.equal(0);
    expect(delay({ 'Alert-Info': ['Auto Answer'] })).to.equal(0);
    expect(delay({ 'Alert-Info': ['<uri>;info=auto_answer'] })).to.equal(0);
    expect(delay({ 'Alert-Info': ['intercom'] })).to.equal(0);
  });

  it('reads RFC 5373 Answer-Mode and Priv-Answer-Mode', () => {
    expect(delay({ 'Answer-Mode': ['Auto'] })).to.equal(0);
    expect(delay({ 'Priv-Answer-Mode': ['auto;require'] })).to.equal(0);
    expect(delay({ 'Answer-Mode': ['Manual'] })).to.equal(undefined);
  });

  it('leaves an ordinary call ringing', () => {
    expect(delay({})).to.equal(undefined);
    expect(delay({ 'Alert-Info': ['<http://pbx/ring2.wav>'] })).to.equal(undefined);
    expect(delay({ 'Call-Info': ['<http://x/photo.png>;purpose=icon'] })).to.equal(undefined);
  });

  it('answers every call with `always` and none with `off`', () => {
    expect(delay({}, 'always')).to.equal(0);
    expect(delay({ 'Call-Info': ['<sip:pbx>;answer-after=0'] }, 'off')).to.equal(undefined);
  });
});
