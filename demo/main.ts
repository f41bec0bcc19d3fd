/**
 * The demo page: the agent bar on the in-page simulator, a simulator control panel and a log of
 * every `cti-*` event the page receives (as text, the way a CRM integration would see them).
 */
import '../components/index.ts';
// The demo can switch to the reference server: the registry knows the built-in connectors, whose
// code loads only when chosen.
import { CTI_EVENT_NAMES } from '../components/events.ts';
import './sim-panel.ts';

const LOG_LIMIT = 200;
const log = document.getElementById('event-log');

function summarise(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.state === 'string') parts.push(`${d.previous ?? ''} → ${d.state}`);
  const call = d.call as { id?: string; state?: string; remote?: { number?: string } } | undefined;
  if (call) parts.push(`call ${call.id} ${call.state} ${call.remote?.number ?? ''}`);
  if (typeof d.operation === 'string') parts.push(`${d.operation}: ${(d.error as { message?: string } | undefined)?.message ?? ''}`);
  if (typeof d.url === 'string') parts.push(d.url);
  if (typeof d.callId === 'string' && !call) parts.push(`call ${d.callId} ${d.dispositionCode ?? ''}`);
  return parts.join(' ').trim();
}

for (const name of CTI_EVENT_NAMES) {
  document.addEventListener(name, (event) => {
    if (!log) return;
    const item = document.createElement('li');
    const time = new Date().toLocaleTimeString();
    // textContent: event details carry customer data, which is never HTML.
    item.textContent = `${time} ${name} ${summarise((event as CustomEvent).detail)}`;
    log.prepend(item);
    while (log.childElementCount > LOG_LIMIT) log.lastElementChild?.remove();
  });
}
