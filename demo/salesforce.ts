/**
 * demo/salesforce.html: the agent bar as an Open CTI softphone inside a fake Lightning console.
 * The console is `FakeOpenCti` (server/emulators/salesforce/), the fake the end-to-end tests use;
 * it is given to the bar through `crmOptions.loadScript`, the hook a real page leaves alone (the
 * bar then loads `opencti_min.js` from the org). Everything customer-related is written as text.
 */
import '../components/index.ts';
import type { AgentBar } from '../components/agent-bar/agent-bar.ts';
import { FakeOpenCti } from '../server/emulators/salesforce/fake-opencti.ts';
import { byId as $, button, callerButtons, faultButtons, item, jsonItem } from './crm-shell.ts';

const RECORDS = [
  { Id: '0035g00000AdaLvAAF', Name: 'Ada Lovelace', RecordType: 'Contact', Phone: '+44 20 7946 0111' },
  { Id: '00Q5g00000AdaByAAF', Name: 'Ada Byron', RecordType: 'Lead', Phone: '+44 20 7946 0222' },
  { Id: '0035g00000GrcHpAAF', Name: 'Grace Hopper', RecordType: 'Contact', Phone: '+44 20 7946 0222' },
  { Id: '0015g00000AnlEnAAF', Name: 'Analytical Engines Ltd', RecordType: 'Account', Phone: '+44 20 7946 0333' },
];

const params = new URLSearchParams(location.search);
const fake = new FakeOpenCti(RECORDS.map((r) => ({ ...r })));
const bar = document.querySelector('agent-bar') as AgentBar;
/** The script URLs the bar asked to load (a real page would get `opencti_min.js` from them). */
const loaded: string[] = [];
bar.crmOptions = {
  scriptUrl: 'https://demo.my.salesforce.com/support/api/66.0/lightning/opencti_min.js',
  loadScript: async (url: string) => {
    loaded.push(url);
    fake.install();
  },
  // The tests shorten the console's time limit to see a stuck console fail quickly.
  timeoutMs: Number(params.get('crmTimeoutMs')) || 10_000,
  panel: { width: 420, height: 640 },
};
// Tests and curious developers reach the fake from the console.
Object.assign(window, { fakeOpenCti: fake, openCtiLoads: loaded });

for (const r of RECORDS) {
  $('records').append(
    item(
      button(`Open ${r.Name}`, () => fake.simulateNavigation({ recordId: r.Id, recordName: r.Name, objectType: r.RecordType })),
      `${r.RecordType}`,
      button(`Call ${r.Phone}`, () => {
        if (!fake.simulateClickToDial({ number: r.Phone, recordId: r.Id, recordName: r.Name, objectType: r.RecordType })) {
          $('fault-status').textContent = 'Click-to-dial is not enabled (the softphone has not started).';
        }
      }),
    ),
  );
}

callerButtons((caller) => bar.simulator?.offerCall(caller));

faultButtons([
  ['saveLog fails next', () => fake.failNext('saveLog', [{ code: 'SERVER_ERROR', description: 'Record locked by another user' }])],
  ['saveLog hangs next', () => fake.hangNext('saveLog')],
  ['search fails next', () => fake.failNext('searchAndScreenPop', [{ code: 'GENERIC_ERROR', description: 'Search is unavailable' }])],
  ['panel fails next', () => fake.failNext('setSoftphonePanelVisibility', [{ code: 'SOFTPHONE_CONTAINER_ERROR', description: 'No softphone utility' }])],
  ['User has no call center', () => (fake.inCallCenter = false)],
]);

$('utility-item').addEventListener('click', () => {
  fake.panelVisible = !fake.panelVisible;
  render();
});

function render(): void {
  const panel = $('softphone');
  panel.hidden = !fake.panelVisible;
  panel.style.width = `${fake.panelWidth}px`;
  $('utility-item').textContent = fake.itemLabel;
  $('utility-item').setAttribute('aria-expanded', String(fake.panelVisible));
  $('utility-icon').textContent = `icon: ${fake.itemIcon}`;
  $('panel-label').textContent = fake.itemLabel;
  const v = fake.view;
  $('view').textContent = v.recordId ? `${String(v.objectType)} ${String(v.recordName)} (${String(v.recordId)})` : 'Home';
  $('pops').replaceChildren(...fake.pops.map((p) => item(`${p.type} ${JSON.stringify(p.params)}`)));
  $('tasks').replaceChildren(...[...fake.tasks.values()].map(jsonItem));
}
fake.onChange(render);
render();
