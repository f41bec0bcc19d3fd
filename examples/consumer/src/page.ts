// A CRM page that puts the bar in with a script import: the elements, typed events and methods.
import 'agent-bar';
import { CtiError, type AgentBar, type Snapshot } from 'agent-bar/elements';
import manifest from 'agent-bar/custom-elements.json' with { type: 'json' };

const bar: AgentBar = document.createElement('agent-bar');
bar.agentId = '1001';
bar.connector = 'server';
bar.endpoint = 'wss://cti.example.com/ws';
bar.ownConnection = false;
bar.hooks = { searchContacts: async (number: string) => [{ id: '1', name: `Caller ${number}` }] };
document.body.append(bar);

bar.addEventListener('cti-call-offered', (e) => {
  const number: string = e.detail.call.remote.number;
  console.log(number);
});
bar.addEventListener('cti-operation-failed', (e) => console.log(e.detail.operation, e.detail.error.code));

export async function clickToDial(number: string): Promise<void> {
  try {
    await bar.dial(number, { recordId: 'crm-42' });
  } catch (error) {
    if (error instanceof CtiError) console.log(error.code, error.vendorCode);
  }
  const snapshot: Snapshot | undefined = bar.session?.snapshot;
  console.log(snapshot?.agent.state, snapshot?.calls.length);
}

export const log: Promise<string> = bar.downloadLog({ save: false });
export const tags: string[] = manifest.modules.map((m: { path: string }) => m.path);

// @ts-expect-error dial takes a number as text
void bar.dial(44207946001);
// @ts-expect-error the events are typed: no such field
bar.addEventListener('cti-call-held', (e) => e.detail.nothing);
