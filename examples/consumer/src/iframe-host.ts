// A CRM page that keeps the bar on its own origin: the host SDK.
import { createAgentBarFrame, EmbedError, type AgentBarFrame } from 'agent-bar/host';

const bar: AgentBarFrame = createAgentBarFrame({
  container: document.querySelector('#softphone')!,
  src: 'https://bar.example.com/frame.html',
  agentId: '1001',
  hooks: { logCall: async (record) => console.log(record.durationSec, record.disposition?.code) },
});
bar.iframe.addEventListener('cti-call-connected', (e) => console.log(e.detail.call.id));

export async function call(): Promise<void> {
  try {
    await bar.whenConnected();
    await bar.login();
    await bar.dial('+442079460018');
    await bar.wrapUp({ code: 'SALE', notes: 'ok' });
    const log: string = await bar.diagnosticLog();
    console.log(log.length);
  } catch (error) {
    if (error instanceof EmbedError) console.log(error.code);
  }
}
