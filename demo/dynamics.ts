/**
 * demo/dynamics.html: the agent bar as a CIF channel provider inside a fake Dynamics 365 (1.0 with
 * `?cif=1`, else 2.0). Dynamics is `FakeCif` (server/emulators/dynamics/), the fake the end-to-end
 * tests use, given to the bar through `crmOptions.loadScript` (a real widget loads
 * `msdyn_ciLibrary.js` from the environment). Everything customer-related is written as text.
 */
import '../components/index.ts';
import type { AgentBar } from '../components/agent-bar/agent-bar.ts';
import { FakeCif } from '../server/emulators/dynamics/fake-cif.ts';
import { byId as $, button, callerButtons, faultButtons, item, jsonItem } from './crm-shell.ts';

const CONTACTS = [
  { contactid: '6f1c3a52-0000-4000-8000-00000000a001', fullname: 'Ada Lovelace', telephone1: '+442079460111' },
  { contactid: '6f1c3a52-0000-4000-8000-00000000a002', fullname: 'Ada Byron', telephone1: '+442079460222' },
  { contactid: '6f1c3a52-0000-4000-8000-00000000a003', fullname: 'Grace Hopper', mobilephone: '+442079460222' },
  { contactid: '6f1c3a52-0000-4000-8000-00000000a004', fullname: 'Katherine Johnson', telephone1: '+442079460444' },
];

const params = new URLSearchParams(location.search);
const version = params.get('cif') === '1' ? 1 : 2;
const fake = new FakeCif({ version, data: { contact: CONTACTS } });
const bar = document.querySelector('agent-bar') as AgentBar;
const loaded: string[] = [];
bar.crmOptions = {
  scriptUrl: 'https://contoso.crm.dynamics.com/webresources/Widget/msdyn_ciLibrary.js',
  loadScript: async (url: string) => {
    loaded.push(url);
    fake.install();
  },
  timeoutMs: Number(params.get('crmTimeoutMs')) || 10_000,
  panel: { width: 420 },
};
Object.assign(window, { fakeCif: fake, cifLoads: loaded });
$('shell-title').textContent = `Fake Dynamics 365 — Channel Integration Framework ${version}.0`;

for (const c of CONTACTS) {
  const phone = c.telephone1 ?? c.mobilephone!;
  const field = c.telephone1 ? 'telephone1' : 'mobilephone';
  const open = () => fake.simulatePageNavigate({ pagetype: 'entityrecord', etn: 'contact', id: c.contactid });
  $('records').append(
    item(
      button(`Open ${c.fullname}`, open),
      button(`Call ${phone}`, () => {
        // A number is clicked on the contact's form: the form is on screen first.
        open();
        if (!fake.simulateClickToAct({ value: phone, name: field, format: 'phone', entityLogicalName: 'contact' })) {
          $('fault-status').textContent = 'Click-to-act is not enabled (the softphone has not started).';
        }
      }),
    ),
  );
}

callerButtons((caller) => bar.simulator?.offerCall(caller));

faultButtons([
  ['createRecord fails next', () => fake.failNext('createRecord', { errorCode: '0x80040220', message: 'Principal user is missing prvCreateActivity privilege' })],
  ['createRecord hangs next', () => fake.hangNext('createRecord')],
  ['search fails next', () => fake.failNext('searchAndOpenRecords', { errorCode: '0x80060888', message: 'Search is unavailable' })],
  ['setMode fails next', () => fake.failNext('setMode', { errorCode: 'GenericError', message: 'The panel is not available' })],
  ['notification template missing', () => fake.templates.clear()],
]);

$('panel-toggle').addEventListener('click', () => fake.simulateModeChange(fake.mode === 1 ? 0 : 1));

function render(): void {
  const docked = fake.mode === 1;
  const panel = $('softphone');
  panel.hidden = !docked;
  panel.style.width = `${fake.width}px`;
  $('panel-toggle').textContent = docked ? 'Minimise the phone panel' : 'Show the phone panel';
  $('panel-toggle').setAttribute('aria-expanded', String(docked));
  $('panel-mode').textContent = `mode ${fake.mode} (${['minimised', 'docked', 'hidden'][fake.mode]}), width ${fake.width}px`;
  const contact = CONTACTS.find((c) => c.contactid === fake.page.id);
  $('view').textContent = fake.page.etn ? `${fake.page.etn} ${contact?.fullname ?? ''} (${fake.page.id ?? ''})` : fake.page.pagetype;
  $('pops').replaceChildren(...fake.opened.map((o) => item(JSON.stringify(o))));
  $('sessions').replaceChildren(...fake.sessions.map((s) => item(`${s.sessionId}: ${s.title ?? ''}${fake.focusedSession === s.sessionId ? ' (focused)' : ''}`)));
  $('notifications').replaceChildren(
    ...[...fake.notifications.values()].map((n) =>
      item(
        `Incoming call: ${String(n.input.templateParameters?.customerName ?? '')}`,
        button('Accept', () => fake.respondToNotification('Accept', 'Accept', n.token)),
        button('Reject', () => fake.respondToNotification('Reject', 'DeclinedByAgent', n.token)),
      ),
    ),
  );
  $('tasks').replaceChildren(...fake.rows('phonecall').map(jsonItem));
}
fake.onChange(render);
render();
