/**
 * The CIF fake pins the documented behaviours the bridge relies on (Promises, JSON strings both
 * ways, CIFInitDone, click-to-act gating, 1.0 vs 2.0), so a fake that drifts from Microsoft's
 * documentation fails here rather than passing the bridge's tests by accident.
 */
import { expect } from '@open-wc/testing';
import { FakeCif } from '../../../server/emulators/dynamics/fake-cif.ts';

type Api = Record<string, (...args: unknown[]) => Promise<any>>;
const tick = (ms = 10) => new Promise((r) => setTimeout(r, ms));
const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('resolved'); }, (e: unknown) => e as { errorCode: string; message: string });

const contacts = [
  { contactid: 'c-1', fullname: 'Ada Lovelace', telephone1: '+442079460111' },
  { contactid: 'c-2', fullname: 'Ada Byron', telephone1: '+442079460222' },
  { contactid: 'c-3', fullname: 'Grace Hopper', mobilephone: '+442079460222' },
];

/** A fake installed in a throw-away window-like target, initialised. */
async function ready(version: 1 | 2 = 2) {
  const fake = new FakeCif({ version, data: { contact: contacts } });
  const win = new EventTarget() as unknown as Window;
  let initEvents = 0;
  win.addEventListener('CIFInitDone', () => initEvents++);
  fake.install(win);
  const api = (win as unknown as { Microsoft: { CIFramework: Api } }).Microsoft.CIFramework;
  return { fake, api, win, initEvents: () => initEvents };
}

describe('fake Microsoft.CIFramework', () => {
  it('dispatches CIFInitDone asynchronously; calls before it reject', async () => {
    const fake = new FakeCif();
    const win = new EventTarget() as unknown as Window;
    let heard = 0;
    win.addEventListener('CIFInitDone', () => heard++);
    fake.install(win);
    expect(heard, 'not synchronously').to.equal(0);
    const api = (win as unknown as { Microsoft: { CIFramework: Api } }).Microsoft.CIFramework;
    const early = api.getMode!();
    await tick();
    expect(heard).to.equal(1);
    // The early call was queued before init completed and is answered after: init state is checked when answering.
    expect(await early.then(() => 'ok', (e: { errorCode: string }) => e.errorCode)).to.be.oneOf(['ok', 'NotInitialized']);
  });

  it('every method returns a Promise; results are JSON strings; object data where a string is expected is rejected', async () => {
    const { api, fake } = await ready();
    await tick();
    const env = await api.getEnvironment!();
    expect(env).to.be.a('string');
    expect(JSON.parse(env)).to.include({ pagetype: 'dashboard' });
    const created = await api.createRecord!('phonecall', JSON.stringify({ subject: 'x' }));
    expect(created).to.be.a('string');
    const id = JSON.parse(created).id;
    expect(fake.rows('phonecall')[0]).to.include({ subject: 'x', phonecallid: id });
    const bad = await rejection(api.createRecord!('phonecall', { subject: 'x' }));
    expect(bad.errorCode).to.equal('InvalidParams');
    expect(fake.rows('phonecall')).to.have.length(1);
    expect(JSON.parse(await api.retrieveRecord!('phonecall', id))).to.include({ subject: 'x' });
  });

  it('onclicktoact fires only after setClickToAct(true), with a JSON-string payload; handlers must return a Promise', async () => {
    const { api, fake } = await ready(1);
    await tick();
    const heard: unknown[] = [];
    await api.addHandler!('onclicktoact', (data: unknown) => (heard.push(data), Promise.resolve()));
    await api.addHandler!('onclicktoact', () => undefined);
    const payload = { value: '+442079460111', name: 'telephone1', format: 'phone', entityLogicalName: 'contact' };
    expect(fake.simulateClickToAct(payload)).to.equal(false);
    await api.setClickToAct!(true);
    expect(await api.getClickToAct!()).to.equal(true);
    expect(fake.simulateClickToAct(payload)).to.equal(true);
    await tick();
    expect(heard).to.deep.equal([JSON.stringify(payload)]);
    expect(fake.handlerErrors, 'a handler without a Promise is flagged').to.deep.equal(['onclicktoact']);
  });

  it('searchAndOpenRecords: OData $select/$filter, a JSON array string; opens one hit, the search page for several; searchOnly opens nothing', async () => {
    const { api, fake } = await ready();
    await tick();
    const one = JSON.parse(await api.searchAndOpenRecords!('contact', "?$select=fullname,telephone1&$filter=telephone1 eq '%2B442079460111'", false));
    expect(one).to.deep.equal([{ contactid: 'c-1', fullname: 'Ada Lovelace', telephone1: '+442079460111' }]);
    expect(fake.opened).to.deep.equal([{ form: 'contact', id: 'c-1' }]);
    expect(fake.page).to.include({ etn: 'contact', id: 'c-1' });
    const several = JSON.parse(
      await api.searchAndOpenRecords!('contact', "?$select=fullname&$filter=telephone1 eq '%2B442079460222' or mobilephone eq '%2B442079460222'", false),
    );
    expect(several.map((r: { contactid: string }) => r.contactid)).to.have.members(['c-2', 'c-3']);
    expect(fake.opened[1]).to.include({ entity: 'contact' });
    const quiet = JSON.parse(await api.searchAndOpenRecords!('contact', "?$filter=telephone1 eq '%2B442079460111'", true));
    expect(quiet).to.have.length(1);
    expect(fake.opened, 'searchOnly opens nothing').to.have.length(2);
    expect((await rejection(api.searchAndOpenRecords!('contact', '?$filter=x gt 1', true))).errorCode).to.equal('InvalidQuery');
  });

  it('setMode(2) only in 2.0; setWidth below 300 is ignored', async () => {
    const v1 = await ready(1);
    await tick();
    expect((await rejection(v1.api.setMode!(2))).errorCode).to.equal('InvalidParams');
    await v1.api.setMode!(1);
    expect(v1.fake.mode).to.equal(1);
    expect(await v1.api.setWidth!(250)).to.equal(340);
    expect(await v1.api.setWidth!(420)).to.equal(420);
    expect(v1.api.notifyEvent, '1.0 has no notifications').to.equal(undefined);
    const v2 = await ready(2);
    await tick();
    await v2.api.setMode!(2);
    expect(v2.fake.mode).to.equal(2);
  });

  it('2.0: notifyEvent stays pending until answered (JSON string); unknown templates fail; cancelEvent withdraws', async () => {
    const { api, fake } = await ready();
    await tick();
    let answer: string | undefined;
    void api.notifyEvent!({ templateName: 'msdyn_agentbar_incoming_call', templateParameters: {}, cancellationToken: 't1' }).then((a: string) => (answer = a));
    await tick(30);
    expect(answer, 'pending').to.equal(undefined);
    expect(fake.respondToNotification('Accept')).to.equal(true);
    await tick();
    expect(JSON.parse(answer!)).to.deep.equal({ value: { actionName: 'Accept', responseReason: 'Accept' } });
    expect((await rejection(api.notifyEvent!({ templateName: 'nope' }))).errorCode).to.equal('NotificationTemplateNotFoundError');
    const pending = api.notifyEvent!({ templateName: 'msdyn_agentbar_incoming_call', cancellationToken: 't2' });
    await tick();
    expect(await api.cancelEvent!('t2')).to.equal(true);
    expect(JSON.parse(await pending).value.actionName).to.equal('Cancel');
  });

  it('2.0: createSession fails after 10 sessions', async () => {
    const { api } = await ready();
    await tick();
    for (let i = 0; i < 10; i++) expect(await api.createSession!({ templateName: 's', templateParameters: {} })).to.match(/^session-id-/);
    expect(await api.canCreateSession!()).to.equal(false);
    expect((await rejection(api.createSession!({ templateName: 's' }))).errorCode).to.equal('MaxSessionsReached');
  });

  it('failNext rejects with { errorCode, message }; hangNext never settles', async () => {
    const { api, fake } = await ready();
    await tick();
    fake.failNext('createRecord', { errorCode: '0x80040217', message: 'Privilege denied' });
    expect(await rejection(api.createRecord!('phonecall', '{}'))).to.deep.equal({ errorCode: '0x80040217', message: 'Privilege denied' });
    fake.hangNext('getMode');
    let settled = false;
    void api.getMode!().finally(() => (settled = true));
    await tick(30);
    expect(settled).to.equal(false);
  });
});
