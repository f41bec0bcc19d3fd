import { expect } from '@open-wc/testing';
import '../../../components/index.ts';
import { defineElement } from '../../../components/define.ts';
import { ELEMENTS } from '../../../components/index.ts';

describe('element registration', () => {
  it('defines every element', () => {
    for (const tag of Object.keys(ELEMENTS)) expect(customElements.get(tag), tag).to.exist;
  });

  it('is idempotent: evaluating the registration module again does not throw and keeps the definitions', async () => {
    const first = customElements.get('agent-bar');
    // A query string makes the browser evaluate index.ts again, so defineAll() runs a second time.
    const again = (await import(/* @vite-ignore */ `../../../components/index.ts?copy=${Date.now()}`)) as typeof import('../../../components/index.ts');
    expect(() => again.defineAll()).to.not.throw();
    expect(customElements.get('agent-bar')).to.equal(first);
  });

  it('a second copy of the classes (another bundle) registering the same tags does not throw', () => {
    const first = customElements.get('agent-bar');
    class SecondCopy extends ELEMENTS['agent-bar'] {}
    expect(() => defineElement('agent-bar', SecondCopy)).to.not.throw();
    expect(customElements.get('agent-bar')).to.equal(first);
  });

  it('defineElement ignores a tag that is already defined', () => {
    class Other extends HTMLElement {}
    expect(() => defineElement('call-panel', Other)).to.not.throw();
    expect(customElements.get('call-panel')).to.not.equal(Other);
  });
});
