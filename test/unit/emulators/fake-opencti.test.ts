/**
 * The Open CTI fake pins the documented behaviours the bridge relies on, so a fake that drifts
 * from Salesforce's documentation fails here rather than passing the bridge's tests by accident.
 */
import { expect } from '@open-wc/testing';
import { FakeOpenCti, type FakeError } from '../../../server/emulators/salesforce/fake-opencti.ts';

type Result = { success: boolean; returnValue: any; errors: FakeError[] | null };
type Api = Record<string, any>;

/** Calls `method` and resolves its callback's result; records whether it came back synchronously. */
function call(api: Api, method: string, args: Record<string, unknown> = {}): Promise<Result & { sync: boolean }> {
  return new Promise((resolve) => {
    let returned = false;
    api[method]({ ...args, callback: (r: Result) => resolve({ ...r, sync: !returned }) });
    returned = true;
  });
}

const records = [
  { Id: '003000000000001AAA', Name: 'Ada Lovelace', RecordType: 'Contact', Phone: '+44 20 7946 0111' },
  { Id: '00Q000000000002AAA', Name: 'Ada Byron', RecordType: 'Lead', Phone: '020 7946 0222' },
  { Id: '003000000000003AAA', Name: 'Grace Hopper', RecordType: 'Contact', Phone: '020 7946 0222' },
];

describe('fake sforce.opencti', () => {
  it('answers every callback asynchronously with { success, returnValue, errors }', async () => {
    const fake = new FakeOpenCti(records);
    const r = await call(fake.api, 'isSoftphonePanelVisible');
    expect(r).to.deep.include({ sync: false, success: true, errors: null });
    expect(r.returnValue).to.deep.equal({ visible: false });
  });

  it('throws synchronously on a bad argument shape, a missing callback on a getter, a missing listener', () => {
    const api = new FakeOpenCti().api as Api;
    expect(() => api.screenPop()).to.throw(/non-empty object/);
    expect(() => api.screenPop({})).to.throw(/non-empty object/);
    expect(() => api.getAppViewInfo({ foo: 1 })).to.throw(/callback is required/);
    expect(() => api.saveLog({ value: {}, callback: 'no' })).to.throw(/callback must be a function/);
    expect(() => api.onClickToDial({})).to.throw(/listener is required/);
    expect(() => api.onNavigationChange()).to.throw(/listener is required/);
    // Documented no-argument methods.
    expect(() => api.enableClickToDial()).not.to.throw();
    expect(() => api.refreshView()).not.to.throw();
  });

  it('reports errors as { code, description } objects, and failNext injects them', async () => {
    const fake = new FakeOpenCti();
    const bad = await call(fake.api, 'setSoftphonePanelHeight', { heightPX: 100 });
    expect(bad.success).to.equal(false);
    expect(bad.returnValue).to.equal(null);
    expect(bad.errors![0]).to.include({ code: 'INVALID_PARAM' });
    expect(bad.errors![0]!.description).to.be.a('string');
    fake.failNext('setSoftphoneItemLabel', [{ code: 'SOFTPHONE_CONTAINER_ERROR', description: 'No utility bar' }]);
    const failed = await call(fake.api, 'setSoftphoneItemLabel', { label: 'x' });
    expect(failed.errors).to.deep.equal([{ code: 'SOFTPHONE_CONTAINER_ERROR', description: 'No utility bar' }]);
    expect(fake.itemLabel, 'a failed call changes nothing').to.equal('Phone');
  });

  it('panel sizes outside 240–2560 / 200–1920 are INVALID_PARAM; visibility is tracked', async () => {
    const fake = new FakeOpenCti();
    expect((await call(fake.api, 'setSoftphonePanelWidth', { widthPX: 199 })).errors![0]!.code).to.equal('INVALID_PARAM');
    expect((await call(fake.api, 'setSoftphonePanelWidth', { widthPX: 1921 })).success).to.equal(false);
    expect((await call(fake.api, 'setSoftphonePanelWidth', { widthPX: 200 })).success).to.equal(true);
    expect((await call(fake.api, 'setSoftphonePanelHeight', { heightPX: 2560 })).success).to.equal(true);
    await call(fake.api, 'setSoftphonePanelVisibility', { visible: true });
    expect((await call(fake.api, 'isSoftphonePanelVisible')).returnValue).to.deep.equal({ visible: true });
  });

  it('a click is a no-op until enableClickToDial; listeners stack; the number may be a string or a number', async () => {
    const fake = new FakeOpenCti();
    const heard: unknown[] = [];
    (fake.api as Api).onClickToDial({ listener: (p: unknown) => heard.push(['a', p]) });
    (fake.api as Api).onClickToDial({ listener: (p: unknown) => heard.push(['b', p]) });
    expect(fake.simulateClickToDial({ number: '4155550100' })).to.equal(false);
    await call(fake.api, 'enableClickToDial');
    expect(fake.simulateClickToDial({ number: 4155550100, recordId: '003000000000001AAA', objectType: 'Contact' })).to.equal(true);
    expect(heard, 'listeners are called asynchronously').to.have.length(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(heard).to.deep.equal([
      ['a', { number: 4155550100, recordId: '003000000000001AAA', objectType: 'Contact' }],
      ['b', { number: 4155550100, recordId: '003000000000001AAA', objectType: 'Contact' }],
    ]);
  });

  it('searchAndScreenPop: callType required; one match pops it, several pop the search page, deferred pops nothing', async () => {
    const fake = new FakeOpenCti(records);
    expect((await call(fake.api, 'searchAndScreenPop', { searchParams: '02079460111' })).errors![0]!.code).to.equal('INVALID_PARAM');
    const one = await call(fake.api, 'searchAndScreenPop', { searchParams: '+442079460111', callType: 'inbound' });
    expect(one.returnValue).to.deep.equal({ '003000000000001AAA': { Id: '003000000000001AAA', Name: 'Ada Lovelace', RecordType: 'Contact' } });
    expect(fake.pops).to.deep.equal([{ type: 'sobject', params: { recordId: '003000000000001AAA' } }]);
    const several = await call(fake.api, 'searchAndScreenPop', { searchParams: '+442079460222', callType: 'inbound' });
    expect(Object.keys(several.returnValue)).to.have.members(['00Q000000000002AAA', '003000000000003AAA']);
    expect(fake.pops[1]).to.deep.equal({ type: 'search', params: { searchString: '+442079460222' } });
    const deferred = await call(fake.api, 'searchAndScreenPop', { searchParams: '+442079460111', callType: 'inbound', deferred: true });
    expect(deferred.returnValue.SCREEN_POP_DATA).to.deep.equal({ type: 'sobject', params: { recordId: '003000000000001AAA' } });
    expect(fake.pops, 'deferred pops nothing').to.have.length(2);
    const none = await call(fake.api, 'searchAndScreenPop', { searchParams: '+15550000000', callType: 'outbound' });
    expect(none.returnValue).to.deep.equal({});
    expect(fake.pops).to.have.length(2);
  });

  it('saveLog: Id or entityApiName; create returns a new 18-character id, update keeps it; no call center fails', async () => {
    const fake = new FakeOpenCti();
    expect((await call(fake.api, 'saveLog', { value: { Subject: 'x' } })).errors![0]!.code).to.equal('INVALID_PARAM');
    const created = await call(fake.api, 'saveLog', { value: { entityApiName: 'Task', Subject: 'Call' } });
    const id = created.returnValue.recordId as string;
    expect(id).to.match(/^00T[0-9A-Za-z]{15}$/);
    const updated = await call(fake.api, 'saveLog', { value: { Id: id, Status: 'Completed' } });
    expect(updated.returnValue.recordId).to.equal(id);
    expect(fake.tasks.get(id)).to.include({ Subject: 'Call', Status: 'Completed' });
    fake.inCallCenter = false;
    const refused = await call(fake.api, 'saveLog', { value: { entityApiName: 'Task' } });
    expect(refused.success).to.equal(false);
    expect(refused.errors![0]!.code).to.equal('GENERIC_ERROR');
    expect(fake.tasks.size).to.equal(1);
  });

  it('navigation: getAppViewInfo and stacked onNavigationChange listeners follow the record on screen', async () => {
    const fake = new FakeOpenCti(records);
    const seen: unknown[] = [];
    (fake.api as Api).onNavigationChange({ listener: (p: any) => seen.push(p.recordId) });
    fake.simulateNavigation({ recordId: '003000000000003AAA', recordName: 'Grace Hopper', objectType: 'Contact' });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).to.deep.equal(['003000000000003AAA']);
    expect((await call(fake.api, 'getAppViewInfo')).returnValue).to.include({ recordId: '003000000000003AAA', objectType: 'Contact' });
  });

  it('hangNext: the next call never calls back (a stuck console)', async () => {
    const fake = new FakeOpenCti();
    fake.hangNext('refreshView');
    let answered = false;
    (fake.api as Api).refreshView({ callback: () => (answered = true) });
    await new Promise((r) => setTimeout(r, 30));
    expect(answered).to.equal(false);
    expect((await call(fake.api, 'refreshView')).success).to.equal(true);
  });
});
