import { expect } from '@open-wc/testing';
import { html, nothing, render, LitElement } from 'lit';
import { radioGroupName } from '../../../components/directives/radio-group-name.ts';
import { collectedAfterGc } from './leak-check.ts';

function shadowHost(): ShadowRoot {
  const host = document.createElement('div');
  document.body.append(host);
  return host.attachShadow({ mode: 'open' });
}

const radios = (named: boolean) => html`<section>
  ${['a', 'b'].map((v) => (named ? html`<label><input type="radio" name=${radioGroupName('pick')} value=${v} />${v}</label>` : html`<label><input type="radio" name="pick" value=${v} />${v}</label>`))}
</section>`;

describe('radioGroupName()', () => {
  afterEach(() => document.body.replaceChildren());

  it('names the radios, so they form one group (checking one unchecks the other)', () => {
    const root = shadowHost();
    render(radios(true), root);
    const [a, b] = root.querySelectorAll('input');
    expect(a!.name).to.equal('pick');
    a!.click();
    b!.click();
    expect(a!.checked).to.equal(false);
    expect(b!.checked).to.equal(true);
  });

  it('takes the name off before Lit removes the radios', () => {
    const root = shadowHost();
    render(radios(true), root);
    const inputs = [...root.querySelectorAll('input')];
    render(nothing, root);
    expect(inputs.map((i) => i.isConnected)).to.deep.equal([false, false]);
    expect(inputs.map((i) => i.hasAttribute('name'))).to.deep.equal([false, false]);
  });

  it('gives the name back when the same nodes are connected again (host re-attached)', async () => {
    class Host extends LitElement {
      override render() {
        return radios(true);
      }
    }
    customElements.define('radio-name-host', Host);
    const host = document.createElement('radio-name-host') as Host;
    document.body.append(host);
    await host.updateComplete;
    const input = host.shadowRoot!.querySelector('input')!;
    host.remove();
    expect(input.hasAttribute('name')).to.equal(false);
    document.body.append(host);
    expect(input.getAttribute('name')).to.equal('pick');
  });

  it('refuses any other attribute', () => {
    const root = shadowHost();
    expect(() => render(html`<input value=${radioGroupName('x')} />`, root)).to.throw(/name attribute/);
  });

  it('lets a removed section be collected (a plain name keeps it alive in Chromium)', async () => {
    const check = async (named: boolean) => {
      const root = shadowHost();
      render(radios(named), root);
      const section = new WeakRef(root.querySelector('section')!);
      render(nothing, root);
      return collectedAfterGc(section);
    };
    expect(await check(true), 'with radioGroupName').to.equal(true);
    expect(await check(false), 'with a plain name attribute').to.equal(false);
  });
});
