/**
 * The MaxContact emulator (docs/connectors/maxcontact.md §9): the agent remote-control API under
 * `/webservices/services/telephony` — every method a GET, the `TokenKey` cookie checked on every
 * request (HTTP 401 when missing, wrong or expired), a `CallActionResponse` in XML by default or
 * JSON when the request says `Content-Type: application/json` — plus the token service
 * (`/webservices/services/apitoken/login/{login}`, the password Base64 in `Authorization`) and the
 * centre behind them (`MaxContactCentre`). `npm run emulator -- maxcontact` → `http://127.0.0.1:PORT`;
 * the shared control API is on the same port.
 */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { METHODS, RESPONSE_CODES as R, TELEPHONY_API, TOKEN_API, TOKEN_COOKIE, XML_ITEM, isTelephonyMethod, type TelephonyMethod } from '../../../src/connectors/maxcontact/protocol.ts';
import { ControlError, startEmulator, type EmulatorRequest, type StartedEmulator, type VendorEmulator } from '../harness/emulator-server.ts';
import { ACD_QUEUES, CAMPAIGNS, DEFAULT_API_LOGIN, DEFAULT_API_PASSWORD, DEFAULT_TOKEN_KEY, RESULT_CODES } from './maxcontact-data.ts';
import { MaxContactCentre, MaxRefusal, type CentreOptions } from './maxcontact-centre.ts';
import { formatOf, sendEnvelope, type Format } from './wire.ts';

export interface MaxContactEmulatorOptions extends CentreOptions {
  port?: number;
  /** The always-valid token (default `emulator-token-key`, or MAXCONTACT_TOKEN_KEY). */
  tokenKey?: string;
  apiLogin?: string;
  apiPassword?: string;
  /** How long a token from the token service lives (default 1 hour). */
  tokenTtlMs?: number;
}

export async function start(options: MaxContactEmulatorOptions = {}): Promise<StartedEmulator & { centre: MaxContactCentre; tokenKey: string }> {
  const centre = new MaxContactCentre(options);
  const tokenKey = options.tokenKey ?? process.env.MAXCONTACT_TOKEN_KEY ?? DEFAULT_TOKEN_KEY;
  const started = await startEmulator(() => maxcontactVendor(centre, tokenKey, options), { port: options.port });
  return { ...started, centre, tokenKey };
}

function maxcontactVendor(centre: MaxContactCentre, staticToken: string, options: MaxContactEmulatorOptions): VendorEmulator {
  const login = options.apiLogin ?? process.env.MAXCONTACT_API_LOGIN ?? DEFAULT_API_LOGIN;
  const password = options.apiPassword ?? process.env.MAXCONTACT_API_PASSWORD ?? DEFAULT_API_PASSWORD;
  let tokenTtlMs = options.tokenTtlMs ?? 3_600_000;
  let forced: Format | 'auto' = 'auto';
  /** Issued token → expiry (epoch ms). */
  const tokens = new Map<string, number>();
  /** `stall-next`: the next matching request is answered only after `ms` (a slow MaxContact). */
  let stalls: Array<{ ms: number; match?: string }> = [];

  return {
    handle: async (request, response) => {
      const key = `${request.method} ${request.path}${request.url.search}`;
      const stall = stalls.findIndex((st) => st.match === undefined || key.includes(st.match));
      if (stall >= 0) {
        const [{ ms }] = stalls.splice(stall, 1) as [{ ms: number }];
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      if (request.path.startsWith(`${TOKEN_API}/`)) return tokenService(request, response);
      if (!request.path.startsWith(`${TELEPHONY_API}/`)) return false;
      return telephony(request, response);
    },
    offerInbound: ({ to, from, name }) => ({ callId: String(guard(() => centre.offerInbound(userIdOf(to), from, name))) }),
    customerHangup: (callId) => guard(() => centre.customerHangup(callIdOf(callId))),
    customerAnswer: (callId) => guard(() => centre.customerAnswer(callIdOf(callId))),
    reset: () => {
      centre.reset();
      tokens.clear();
      stalls = [];
      forced = 'auto';
    },
    state: () => ({ ...(centre.state() as object), format: forced, tokensIssued: tokens.size }),
    control: {
      configure: (body) =>
        guard(() => {
          if (body.format !== undefined) {
            if (body.format !== 'auto' && body.format !== 'xml' && body.format !== 'json') throw new ControlError(400, '"format" is auto, xml or json.');
            forced = body.format;
          }
          if (body.tokenTtlMs !== undefined) {
            if (typeof body.tokenTtlMs !== 'number' || body.tokenTtlMs < 0) throw new ControlError(400, '"tokenTtlMs" must be a number ≥ 0.');
            tokenTtlMs = body.tokenTtlMs;
          }
          centre.configure(body);
        }),
      'stall-next': (body) => {
        const ms = body.ms;
        if (typeof ms !== 'number' || ms < 0 || ms > 60_000) throw new ControlError(400, '"ms" must be a number 0..60000.');
        if (body.match !== undefined && typeof body.match !== 'string') throw new ControlError(400, '"match" must be text.');
        stalls.push({ ms, ...(typeof body.match === 'string' ? { match: body.match } : {}) });
      },
      'expire-tokens': () => {
        tokens.clear();
      },
      'agent-login': (body) => guard(() => centre.setLoggedIn(userIdOf(body.userId), true)),
      'agent-logout': (body) => guard(() => centre.setLoggedIn(userIdOf(body.userId), false)),
      'go-ready': (body) => guard(() => centre.goReady(userIdOf(body.userId))),
      users: (body) => guard(() => centre.ensureUsers(Math.min(10_000, Number(body.count) || 0))),
    },
    close: () => centre.close(),
  };

  function send(request: EmulatorRequest, response: ServerResponse, status: number, success: boolean, data: unknown, code: number, detail: string, item?: string): true {
    sendEnvelope(response, status, formatOf(request.headers, forced), { Success: success, Data: data, ResponseCode: code, ResponseDetail: detail }, item);
    return true;
  }

  function tokenService(request: EmulatorRequest, response: ServerResponse): boolean {
    const match = /^\/login\/([^/]+)$/.exec(request.path.slice(TOKEN_API.length));
    if (!match) return false;
    if (request.method !== 'GET') return send(request, response, 405, false, null, R.BAD_PARAMETER, 'The token service takes GET');
    const given = String(request.headers.authorization ?? '');
    const ok = decodeURIComponent(match[1]!) === login && given === Buffer.from(password, 'utf8').toString('base64');
    if (!ok) return send(request, response, 401, false, null, R.BAD_LOGIN, 'Invalid login or password');
    const token = randomBytes(24).toString('hex');
    tokens.set(token, Date.now() + tokenTtlMs);
    return send(request, response, 200, true, { TokenKey: token, ExpiresIn: Math.max(1, Math.round(tokenTtlMs / 1000)) }, R.OK, 'OK');
  }

  function validToken(request: EmulatorRequest): boolean {
    const cookie = String(request.headers.cookie ?? '');
    const token = cookie
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${TOKEN_COOKIE}=`))
      ?.slice(TOKEN_COOKIE.length + 1);
    if (!token) return false;
    if (token === staticToken) return true;
    const expires = tokens.get(token);
    if (expires === undefined) return false;
    if (Date.now() >= expires) {
      tokens.delete(token);
      return false;
    }
    return true;
  }

  function telephony(request: EmulatorRequest, response: ServerResponse): boolean {
    const parts = request.path.slice(TELEPHONY_API.length + 1).split('/').map((p) => safeDecode(p));
    const method = parts[0] ?? '';
    if (!isTelephonyMethod(method)) return notFound(response);
    if (request.method !== 'GET') return send(request, response, 405, false, null, R.BAD_PARAMETER, `${method} takes GET`);
    // The token is checked before anything else: a 401 never did anything.
    if (!validToken(request)) return send(request, response, 401, false, null, R.INVALID_TOKEN, 'Invalid or missing token');
    const spec = METHODS[method];
    const names = ['user', ...spec.segments];
    if (parts.length !== 1 + names.length * 2 || names.some((name, i) => parts[1 + i * 2] !== name)) return notFound(response);
    const seg: Record<string, string> = {};
    names.forEach((name, i) => (seg[name] = parts[2 + i * 2]!));
    const q = request.query;
    try {
      const userId = int(seg.user!, 'UserID');
      const missing = spec.required.find((name) => (q.get(name) ?? '') === '');
      if (missing) throw new MaxRefusal(R.BAD_PARAMETER, `Missing parameter ${missing}`);
      const data = dispatch(method, userId, seg, q);
      return send(request, response, 200, true, data ?? null, R.OK, 'OK', XML_ITEM[method]);
    } catch (error) {
      if (!(error instanceof MaxRefusal)) throw error;
      return send(request, response, 200, false, null, error.code, error.message);
    }
  }

  function dispatch(method: TelephonyMethod, userId: number, seg: Record<string, string>, q: URLSearchParams): unknown {
    switch (method) {
      case 'getcalls':
        return centre.getCalls(userId);
      case 'goready':
        return centre.goReady(userId);
      case 'dial': {
        const lead = q.get('leadid');
        return centre.dial(userId, seg.phone!, lead === null || lead === '' ? undefined : int(lead, 'LeadID'));
      }
      case 'hangup':
        return centre.hangup(userId, int(seg.call!, 'CallID'));
      case 'dispose':
        return centre.dispose(userId, int(seg.call!, 'CallID'), q.get('resultcode')!);
      case 'hold':
        return centre.hold(userId, int(seg.call!, 'CallID'));
      case 'retrieve':
        return centre.retrieve(userId, int(seg.call!, 'CallID'));
      case 'startrecord':
      case 'stoprecord':
        return centre.record(userId, int(seg.call!, 'CallID'), method === 'startrecord');
      case 'campaigns':
        centre.checkUser(userId);
        return CAMPAIGNS.map(campaignEntity);
      case 'users':
        centre.checkUser(userId);
        return centre.users();
      case 'resultcodes':
        centre.checkUser(userId);
        return RESULT_CODES;
      case 'acdqueues':
        centre.checkUser(userId);
        return ACD_QUEUES.map(queueEntity);
      case 'leadphones':
        return centre.leadPhones(userId, int(seg.lead!, 'LeadID'));
      case 'changelead':
        return centre.changeLead(userId, int(seg.call!, 'CallID'), int(seg.leadphone!, 'LeadPhoneID'));
      case 'createnewlead':
        return centre.createNewLead(userId, int(seg.call!, 'CallID'), seg.phone!);
      case 'connectcalls': {
        const optionalInt = (name: string) => (q.get(name) ? int(q.get(name)!, name) : undefined);
        const bridge = {
          call1: int(q.get('call1')!, 'call1'),
          call2: int(q.get('call2')!, 'call2'),
          resultCode1: q.get('resultcode1')!,
          resultCode2: q.get('resultcode2')!,
          ...(q.get('notes1') ? { notes1: q.get('notes1')! } : {}),
          ...(q.get('notes2') ? { notes2: q.get('notes2')! } : {}),
          ...(optionalInt('numsales1') !== undefined ? { numSales1: optionalInt('numsales1')! } : {}),
          ...(optionalInt('numsales2') !== undefined ? { numSales2: optionalInt('numsales2')! } : {}),
        };
        return centre.connectCalls(userId, bridge);
      }
    }
  }
}

/** Every documented Campaign field (zeros and empties where our seed says nothing). */
function campaignEntity(c: (typeof CAMPAIGNS)[number]): Record<string, unknown> {
  return {
    Active: c.Active, AlwaysRun: false, AutoRecord: c.AutoRecord, BlackoutDates: '', BlackoutDateses: [], CalculatedLines: 0,
    CallerID: c.CallerID, CallsPlacedThisMinute: 0, CampaignID: c.CampaignID, CampaignIcon: '', CampaignName: c.CampaignName, Cps: 0,
    DefaultListID: 0, DefaultPhoneType: 0, Description: '', DropQueue: [], EndLine: 0, EstimatedRecordCount: 0, FirstCreated: '',
    InitialPacing: 0, IvrSessions: [], LastFetch: '', LastModified: '', LastPacingAdjust: '', Leads: null, LeadsInProgress: [],
    LinesToReturn: 0, Lists: [], ListsForStats: [], LiveStats: null, LiveStatsTemp: null, MOTD: '', MaxCallCap: 0, NumToCall: 0,
    Pacing: 0, PlacedPredictiveCallsLock: null, PlacingInterval: 0, PreviewQueue: [], ReadyUsers: [], ResultSessions: [], Schedule: '',
    SchedulePlanID: 0, Schedules: [], SchedulesUI: [], SessionID: 0, SessionStats: null, SoftCap: 0, StartLine: 0, Status: 1,
    TargetDropPercent: 0, TeleParamPlanID: 0, TenantID: 1, Type: 0, UncalledLeads: [], UseAutoPacing: false, UseGlobalBlackoutDates: false,
    UserAddress: '', UserName: '', ZipTone: 0, ZipToneBeep: 0, ZipToneWav: null,
  };
}

function queueEntity(q: (typeof ACD_QUEUES)[number]): Record<string, unknown> {
  return {
    AbandonThreshold: 0, AcceptableQueueTime: 20, AcdIcon: '', AcdName: q.AcdName, Active: q.Active, DefaultTimeout: 0, DefaultTimeoutIvr: 0,
    ID: q.ID, SessionStats: null, SkipIndex: 0, SnapshotStats: null, TenMinuteOffers: null, TenMinuteOffersVirtualQueue: null,
    UserAddress: '', UserName: '', ZipTone: 0, ZipToneBeep: 0, ZipToneWav: null,
  };
}

/** An unknown method or path: the web server's HTML 404. */
function notFound(response: ServerResponse): true {
  response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end('<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>');
  return true;
}

function int(text: string, name: string): number {
  if (!/^[0-9]{1,15}$/.test(text)) throw new MaxRefusal(R.BAD_PARAMETER, `${name} must be a whole number`);
  return Number(text);
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function userIdOf(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  if (!/^[0-9]{1,10}$/.test(text)) throw new ControlError(400, 'The user id is a number.');
  return Number(text);
}

function callIdOf(value: string): number {
  if (!/^[0-9]{1,15}$/.test(value)) throw new ControlError(400, 'The call id is a number.');
  return Number(value);
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ControlError) throw error;
    throw new ControlError(error instanceof MaxRefusal && error.code === R.NO_SUCH_CALL ? 404 : 409, error instanceof Error ? error.message : String(error));
  }
}
