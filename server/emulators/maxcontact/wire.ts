/**
 * The emulator's answers on the wire: a `CallActionResponse` as JSON when the request asked for it
 * (`Content-Type: application/json`, or `Accept: application/json`), else as XML — one element per
 * property under `<CallActionResponse>`, list items wrapped in their entity's element
 * (`<Data><Call>…</Call></Data>`), booleans `true`/`false`, `<Data />` for none
 * (docs/connectors/maxcontact.md §2).
 */
import type { ServerResponse } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { CallActionResponse } from '../../../src/connectors/maxcontact/protocol.ts';

export type Format = 'json' | 'xml';

/** What the request asked for; a forced format (a deployment that ignores the header) wins. */
export function formatOf(headers: IncomingHttpHeaders, forced: Format | 'auto'): Format {
  if (forced !== 'auto') return forced;
  const type = String(headers['content-type'] ?? '');
  const accept = String(headers.accept ?? '');
  return type.includes('application/json') || accept.includes('application/json') ? 'json' : 'xml';
}

export function sendEnvelope(res: ServerResponse, status: number, format: Format, envelope: CallActionResponse, item?: string): void {
  const text = format === 'json' ? JSON.stringify(envelope) : toXml(envelope, item);
  res.writeHead(status, {
    'Content-Type': format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function toXml(envelope: CallActionResponse, item = 'Item'): string {
  const items = Array.isArray(envelope.Data) ? envelope.Data.map((entry) => element(item, entry)).join('') : undefined;
  const data = items === undefined ? element('Data', envelope.Data) : items === '' ? '<Data />' : `<Data>${items}</Data>`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<CallActionResponse>${element('Success', envelope.Success)}${data}${element('ResponseCode', envelope.ResponseCode)}${element('ResponseDetail', envelope.ResponseDetail)}</CallActionResponse>`
  );
}

/** `value` as one element (text escaped; nested lists as `<Item>`s). */
function element(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${name} />`;
  if (Array.isArray(value)) return value.length === 0 ? `<${name} />` : `<${name}>${value.map((v) => element('Item', v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('');
    return inner === '' ? `<${name} />` : `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
