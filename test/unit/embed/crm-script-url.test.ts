/**
 * Where the bridges load the CRM's library from: only an https origin of the CRM's own domains,
 * taken from the parameter the CRM adds to the softphone's URL, the frame's ancestor or the
 * referrer; anything else is refused with a readable reason (set `crmOptions.scriptUrl`).
 */
import { expect } from '@open-wc/testing';
import { openCtiScriptUrl } from '../../../src/embed/bridges/salesforce/open-cti-bridge.ts';
import { cifScriptUrl } from '../../../src/embed/bridges/dynamics/cif-bridge.ts';

const at = (href: string, ancestors: string[] = []) => {
  const url = new URL(href);
  return { search: url.search, href, ancestorOrigins: Object.assign([...ancestors], { contains: () => false }) } as unknown as Location;
};

describe('CRM library URLs', () => {
  it('Open CTI: from sfdcIframeOrigin, the ancestor or the referrer, only https *.force.com / *.salesforce.com', () => {
    expect(openCtiScriptUrl({}, at('https://bar.example.com/a.html?sfdcIframeOrigin=https://acme.lightning.force.com&mode=Lightning'), '')).to.equal(
      'https://acme.lightning.force.com/support/api/66.0/lightning/opencti_min.js',
    );
    expect(openCtiScriptUrl({ apiVersion: '60.0' }, at('https://bar.example.com/a.html', ['https://acme.my.salesforce.com']), '')).to.equal(
      'https://acme.my.salesforce.com/support/api/60.0/lightning/opencti_min.js',
    );
    expect(openCtiScriptUrl({}, at('https://bar.example.com/a.html'), 'https://acme.lightning.force.com/lightning/page/home')).to.equal(
      'https://acme.lightning.force.com/support/api/66.0/lightning/opencti_min.js',
    );
    for (const bad of ['https://evil.example.com', 'http://acme.lightning.force.com', 'https://force.com.evil.example', 'javascript:alert(1)']) {
      expect(() => openCtiScriptUrl({}, at(`https://bar.example.com/a.html?sfdcIframeOrigin=${encodeURIComponent(bad)}`), bad), bad).to.throw(/not inside Salesforce/);
    }
    expect(openCtiScriptUrl({ scriptUrl: '/fake/opencti.js' }, at('https://bar.example.com/a.html'), '')).to.equal('/fake/opencti.js');
  });

  it('CIF: from ucilib, the ancestor or the referrer, only https *.dynamics.com', () => {
    const lib = 'https://contoso.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js';
    expect(cifScriptUrl({}, at(`https://bar.example.com/w.html?ucilib=${encodeURIComponent(lib)}`), '')).to.deep.equal({ url: lib, crmUrl: 'https://contoso.crm.dynamics.com' });
    expect(cifScriptUrl({}, at('https://bar.example.com/w.html', ['https://contoso.crm4.dynamics.com']), '')).to.deep.equal({
      url: 'https://contoso.crm4.dynamics.com/webresources/Widget/msdyn_ciLibrary.js',
      crmUrl: 'https://contoso.crm4.dynamics.com',
    });
    expect(() => cifScriptUrl({}, at(`https://bar.example.com/w.html?ucilib=${encodeURIComponent('https://evil.example.com/x.js')}`), '')).to.throw(/not inside Dynamics 365/);
    expect(() => cifScriptUrl({}, at('https://bar.example.com/w.html'), 'http://contoso.crm.dynamics.com/')).to.throw(/not inside Dynamics 365/);
  });
});
