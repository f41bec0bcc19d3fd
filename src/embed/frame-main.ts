/**
 * Entry of `dist/agent-bar-frame.js`, loaded by `frame.html` next to `agent-bar.js`: starts the
 * bridge for the page's `<agent-bar>` with the host origins the page declares in
 * `<meta name="agent-bar-host-origins" content="https://crm.example.com …">`.
 */
import type { AgentBar } from '../../components/agent-bar/agent-bar.ts';
import { FrameBridge } from './frame-bridge.ts';

async function main(): Promise<void> {
  await customElements.whenDefined('agent-bar');
  const bar = document.querySelector<AgentBar>('agent-bar');
  const meta = document.querySelector<HTMLMetaElement>('meta[name="agent-bar-host-origins"]');
  const origins = (meta?.content ?? '').split(/[\s,]+/).filter(Boolean);
  if (!bar || origins.length === 0) {
    console.error('agent-bar frame: needs an <agent-bar> and <meta name="agent-bar-host-origins" content="…">; no host can connect.');
    return;
  }
  new FrameBridge({ bar, hostOrigins: origins }).start();
}

void main();
