import { expect } from '@open-wc/testing';
import '../../../components/index.ts';
import { defineElement } from '../../../components/define.ts';
import { ELEMENTS, LAZY_ELEMENT_TAGS, loadElement } from '../../../components/index.ts';

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

  it('the lazy elements are defined only once loaded, each by loadElement, and stay defined', async () => {
    // Nothing in this file renders an <agent-bar>, so nothing has asked for them yet.
    for (const tag of LAZY_ELEMENT_TAGS) expect(customElements.get(tag), tag).to.equal(undefined);
    await loadElement('customer-card');
    expect(customElements.get('customer-card')).to.exist;
    expect(customElements.get('transfer-dialog')).to.equal(undefined);
    const card = customElements.get('customer-card');
    await Promise.all(LAZY_ELEMENT_TAGS.map(loadElement));
    for (const tag of LAZY_ELEMENT_TAGS) expect(customElements.get(tag), tag).to.exist;
    expect(customElements.get('customer-card')).to.equal(card);
  });
});
