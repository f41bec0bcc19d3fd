/**
 * The Noojee Contact emulator (docs/connectors/noojee.md §8): the CallManagementAPI, CampaignAPI
 * and RecordingAPI paths with Noojee's conventions — every parameter in the query string (POST
 * with an empty body), `apiKey` first and checked on every request, `Code`/`Message` answers with
 * HTTP 200 (401 for a bad key), lower-case `code`/`message`/`entities` for campaign lists — and the
 * PBX behind them (`NoojeePbx`). `npm run emulator -- noojee` → `http://127.0.0.1:PORT`; the shared
 * control API is on the same port.
 */
import type { ServerResponse } from 'node:http';
import {
  API_KEY_PARAM,
  CALL_API,
  CALL_METHODS,
  CAMPAIGN_API,
  CAMPAIGN_METHODS,
  LEAD_CODES,
  NOOJEE_CODES,
  RECORDING_API,
  SUBSCRIBE_DEFAULT_TIMEOUT_S,
  SUBSCRIBE_MAX_TIMEOUT_S,
  type CallMethod,
  type CampaignMethod,
} from '../../../src/connectors/noojee/protocol.ts';
import { ControlError, sendJson, startEmulator, type EmulatorRequest, type StartedEmulator, type VendorEmulator } from '../harness/emulator-server.ts';
import { ALLOCATIONS, CAMPAIGNS, DEFAULT_API_KEY, TEMPLATES, defaultLeads, type Lead } from './noojee-data.ts';
import { NoojeePbx, NoojeeRefusal, type PbxOptions } from './noojee-pbx.ts';

export interface NoojeeEmulatorOptions extends PbxOptions {
  port?: number;
  /** The one valid API key (default `emulator-api-key`, or NOOJEE_API_KEY). */
  apiKey?: string;
}

export async function start(options: NoojeeEmulatorOptions = {}): Promise<StartedEmulator & { pbx: NoojeePbx; apiKey: string }> {
  const pbx = new NoojeePbx(options);
  const apiKey = options.apiKey ?? process.env.NOOJEE_API_KEY ?? DEFAULT_API_KEY;
  const started = await startEmulator(() => noojeeVendor(pbx, apiKey), { port: options.port });
  return { ...started, pbx, apiKey };
}

function noojeeVendor(pbx: NoojeePbx, apiKey: string): VendorEmulator {
  let leads = defaultLeads();
  return {
    handle: (request, response) => {
      const route = routeOf(request.path);
      if (!route) return false;
      if (request.query.get(API_KEY_PARAM) !== apiKey) {
        // The body keeps the API's casing: Code/Message for call control, code/message elsewhere.
        const body = route.api === 'call' ? { Message: 'Invalid apiKey', Code: NOOJEE_CODES.AUTH_FAILED } : { code: NOOJEE_CODES.AUTH_FAILED, message: 'Invalid apiKey' };
        sendJson(response, 401, body);
        return true;
      }
      if (route.api === 'call') return callApi(route.method, request, response);
      if (route.api === 'campaign') return campaignApi(route.method, request, response);
      return recordingApi(route.method, request, response);
    },
    offerInbound: ({ to, from, name }) => ({ callId: guard(() => pbx.offerInbound(to, from, name)) }),
    customerHangup: (callId) => guard(() => pbx.customerHangup(callId)),
    customerAnswer: (callId) => guard(() => pbx.customerAnswer(callId)),
    reset: () => {
      pbx.reset();
      leads = defaultLeads();
    },
    state: () => ({ ...(pbx.state() as object), leads }),
    control: {
      'customer-busy': (body) => guard(() => pbx.customerFails(str(body, 'callId'), 'Busy')),
      'customer-no-answer': (body) => guard(() => pbx.customerFails(str(body, 'callId'), 'No Answer')),
      'restart-sequence': () => pbx.restartSequence(),
      configure: (body) => guard(() => pbx.configure(body as Parameters<NoojeePbx['configure']>[0])),
    },
    close: () => pbx.close(),
  };

  async function callApi(method: CallMethod | undefined, request: EmulatorRequest, response: ServerResponse): Promise<boolean> {
    if (!method) return notFound(response);
    const spec = CALL_METHODS[method];
    if (!spec.http.includes(request.method)) {
      sendJson(response, 405, { Message: `${method} takes ${spec.http.join(' or ')}`, Code: NOOJEE_CODES.BAD_PARAMETER });
      return true;
    }
    const q = request.query;
    const missing = spec.required.find((name) => (q.get(name) ?? '') === '');
    if (missing) {
      sendJson(response, 200, { Message: `Missing parameter ${missing}`, Code: NOOJEE_CODES.BAD_PARAMETER });
      return true;
    }
    const ok = (body: Record<string, unknown>) => sendJson(response, 200, { ...body, Code: 0 });
    try {
      switch (method) {
        case 'dial': {
          const number = q.get('number')!.replace(/\s+/g, '');
          if (!/^\+?[0-9*#]{2,20}$/.test(number)) throw new NoojeeRefusal(NOOJEE_CODES.BAD_PARAMETER, `Invalid number ${number.slice(0, 24)}`);
          const callerId = q.get('callerId') ?? undefined;
          if (callerId !== undefined && !/^\+?[0-9]{2,20}$/.test(callerId)) throw new NoojeeRefusal(NOOJEE_CODES.BAD_PARAMETER, 'Invalid callerId');
          const record = q.get('record') === 'true';
          const sessionId = pbx.dial({
            endpoint: q.get('extenOrUniqueId')!,
            number,
            ...(callerId ? { callerId } : {}),
            ...(q.get('autoAnswer') ? { autoAnswer: q.get('autoAnswer')! } : {}),
            monitored: q.get('monitored') === 'yes',
            record,
            // A tag counts only together with record=true (Noojee 6.0.1).
            ...(record && q.get('tag') ? { tag: q.get('tag')! } : {}),
          });
          ok({ SessionID: sessionId, Message: 'Call initiated' });
          return true;
        }
        case 'hangup':
          pbx.hangup(q.get('extenOrUniqueId')!);
          ok({ Message: 'Channel Hungup' });
          return true;
        case 'answer':
          pbx.answer(q.get('uniqueId')!, q.get('exten')!);
          ok({ Message: 'Call answered' });
          return true;
        case 'start':
          pbx.startRecording(q.get('extenOrUniqueId')!, q.get('agentLoginName') || undefined, q.get('tag') ?? undefined);
          ok({ Message: 'Recording started' });
          return true;
        case 'stop':
          pbx.stopRecording(q.get('extenOrUniqueId')!);
          ok({ Message: 'Recording stopped' });
          return true;
        case 'checkState':
          ok({ State: pbx.checkState(q.get('extenOrUniqueId')!.split(',').filter(Boolean)) });
          return true;
        case 'subscribe': {
          const extens = q.get('exten')!.split(',').map((e) => e.trim()).filter(Boolean);
          const last = intParam(q, 'lastSequenceNumber', 0);
          const timeOut = intParam(q, 'timeOut', SUBSCRIBE_DEFAULT_TIMEOUT_S);
          if (last < 0 || timeOut < 0) throw new NoojeeRefusal(NOOJEE_CODES.BAD_PARAMETER, 'lastSequenceNumber and timeOut must be ≥ 0');
          const poll = pbx.subscribe(extens, last, Math.min(timeOut, SUBSCRIBE_MAX_TIMEOUT_S));
          // A client that gives up on a held poll must not leave it held.
          response.once('close', () => poll.cancel());
          let answer;
          try {
            answer = await poll.answer;
          } catch {
            request.raw.socket.destroy();
            return true;
          }
          if (!response.destroyed) sendJson(response, 200, answer);
          return true;
        }
      }
    } catch (error) {
      if (!(error instanceof NoojeeRefusal)) throw error;
      sendJson(response, 200, { Message: error.message, Code: error.code });
      return true;
    }
  }

  function campaignApi(method: CampaignMethod | undefined, request: EmulatorRequest, response: ServerResponse): boolean {
    if (!method) return notFound(response);
    const spec = CAMPAIGN_METHODS[method];
    if (!spec.http.includes(request.method)) {
      sendJson(response, 405, { code: 103, message: `EXCEPTION: ${method} takes ${spec.http.join(' or ')}` });
      return true;
    }
    const q = request.query;
    const missing = spec.required.find((name) => !/^[0-9]+$/.test(q.get(name) ?? ''));
    if (missing) {
      sendJson(response, 500, { code: 103, message: `EXCEPTION: ${missing} must be a number` });
      return true;
    }
    const id = (name: string) => Number(q.get(name));
    const list = (type: string, entities: unknown[]) => sendJson(response, 200, { type, code: 0, message: '', entities });
    switch (method) {
      case 'getCampaignTemplateList':
        list('CampaignTemplate', TEMPLATES.map(({ id: i, name }) => ({ id: i, name })));
        return true;
      case 'getCampaignList':
        list('Campaign', CAMPAIGNS.filter((c) => c.templateId === id('fTemplateId')).map(({ id: i, name }) => ({ id: i, name })));
        return true;
      case 'getAllocationList':
        list('Allocation', ALLOCATIONS.filter((a) => a.campaignId === id('fCampaignId')).map(({ id: i, name }) => ({ id: i, name })));
        return true;
      case 'getDispositionList': {
        const template = TEMPLATES.find((t) => t.id === id('fTemplateId'));
        list('Disposition', (template?.dispositions ?? []).map((name, i) => ({ id: i + 1, name })));
        return true;
      }
      case 'updateLeadFast':
        updateLeads(request, response, { templateId: id('fTemplateId'), campaignId: id('fCampaignId'), allocationId: id('fAllocationId') });
        return true;
    }
  }

  function updateLeads(request: EmulatorRequest, response: ServerResponse, where: Pick<Lead, 'templateId' | 'campaignId' | 'allocationId'>): void {
    const fail = (code: number, detail: string) => {
      const [name, status] = LEAD_CODES[code] ?? ['EXCEPTION', 500];
      sendJson(response, status, { code, message: `${name}: ${detail}` });
    };
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return fail(103, 'the body is not JSON');
    }
    if (!Array.isArray(body) || body.length === 0) return fail(103, 'the body must be a JSON array of leads');
    const template = TEMPLATES.find((t) => t.id === where.templateId);
    // Check every lead first: a refused batch changes nothing.
    const changes: Array<{ lead: Lead; disposition?: string }> = [];
    for (const item of body as unknown[]) {
      const fields = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      const external = typeof fields.njExternalLeadId === 'string' ? fields.njExternalLeadId : '';
      const lead = leads.find((l) => l.njExternalLeadId === external && l.templateId === where.templateId && l.campaignId === where.campaignId && l.allocationId === where.allocationId);
      if (!lead) return fail(101, `no lead with njExternalLeadId ${external.slice(0, 40)}`);
      const disposition = fields.njDisposition;
      if (disposition === undefined || disposition === '<No Change>') {
        if (!lead.njDisposition) return fail(107, 'the lead was never dispositioned');
        changes.push({ lead });
        continue;
      }
      if (typeof disposition !== 'string' || !template?.dispositions.includes(disposition)) return fail(106, `unknown disposition ${String(disposition).slice(0, 40)}`);
      changes.push({ lead, disposition });
    }
    for (const change of changes) if (change.disposition) change.lead.njDisposition = change.disposition;
    sendJson(response, 200, { code: 0, message: `Imported 0 Updated ${changes.length} Rejected 0 leads.` });
  }

  function recordingApi(method: string | undefined, request: EmulatorRequest, response: ServerResponse): boolean {
    if (method !== 'retrieveMetaData' && method !== 'retrieveMetaDataByUniqueId') return notFound(response);
    if (request.method !== 'POST') {
      sendJson(response, 405, { code: NOOJEE_CODES.BAD_PARAMETER, message: `${method} takes POST` });
      return true;
    }
    const key = method === 'retrieveMetaData' ? 'tag' : 'uniqueId';
    const value = request.query.get(key);
    if (!value) {
      sendJson(response, 400, { code: NOOJEE_CODES.BAD_PARAMETER, message: `Missing parameter ${key}` });
      return true;
    }
    sendJson(response, 200, pbx.legs(key === 'tag' ? { tag: value } : { uniqueId: value }));
    return true;
  }
}

type Route = { api: 'call'; method?: CallMethod } | { api: 'campaign'; method?: CampaignMethod } | { api: 'recording'; method?: string };

function routeOf(path: string): Route | undefined {
  const tail = (prefix: string) => (path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined);
  const call = tail(CALL_API);
  if (call !== undefined) return { api: 'call', method: Object.hasOwn(CALL_METHODS, call) ? (call as CallMethod) : undefined };
  const campaign = tail(CAMPAIGN_API);
  if (campaign !== undefined) return { api: 'campaign', method: Object.hasOwn(CAMPAIGN_METHODS, campaign) ? (campaign as CampaignMethod) : undefined };
  const recording = tail(RECORDING_API);
  if (recording !== undefined) return { api: 'recording', method: recording };
  return undefined;
}

/** An unknown method: the servlet container's HTML 404, as Noojee answers it. */
function notFound(response: ServerResponse): boolean {
  response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
  return true;
}

function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?[0-9]{1,15}$/.test(raw)) throw new NoojeeRefusal(NOOJEE_CODES.BAD_PARAMETER, `${name} must be a whole number`);
  return Number(raw);
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ControlError) throw error;
    throw new ControlError(error instanceof NoojeeRefusal && error.code === NOOJEE_CODES.NO_SUCH_CALL ? 404 : 400, error instanceof Error ? error.message : String(error));
  }
}

function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v === '') throw new ControlError(400, `"${key}" is required (a string).`);
  return v;
}
