/**
 * The uContact contact centre behind the emulator (docs/connectors/ucontact.md §8): users and their
 * tokens, agents (logged out / available / paused / on a break), calls by GUID, dispositions and
 * scheduled calls. Both faces of the emulator use it: the Integra REST API (index.ts) and the
 * portal's window proxy (the portal page forwards each proxy action here and posts the answer).
 * Events for the portal (an inbound call, a customer hang-up) go to whoever listens.
 */
import { randomUUID } from 'node:crypto';
import { SCHEDULE_FORMAT } from '../../../src/connectors/ucontact/protocol.ts';

export interface AgentSeed {
  name: string;
  password: string;
  /** The agent's phone (its SIP peer's callerid): AgentCall `phone`, HangupPhone, `SIP/<phone>`. */
  phone: string;
  context: string;
}

export interface EmulatedCall {
  guid: string;
  agent: string;
  direction: 'inbound' | 'outbound';
  number: string;
  campaign: string;
  /** `ringing` (agent's phone, or an inbound offer), `talking`, `finished`. */
  state: 'ringing' | 'talking' | 'finished';
  via: 'rest' | 'proxy';
  dispositioned: boolean;
  /** Offered through the v6 Events API: its finish and disposition are told as `{event, data}` too. */
  eventsApi?: boolean;
}

export interface DispositionRecord {
  [field: string]: string;
}

export type AgentStatus = { state: 'loggedOut' } | { state: 'available' } | { state: 'paused'; message: string } | { state: 'break'; motive: string };

/** A window-proxy event for the portal page: `{action, params}`, or the v6 Events API's `{event, data}`. */
export type PortalEvent = { action: string; params: Record<string, string> } | { event: string; data: Record<string, unknown> };

export const SUPERUSER = { user: 'superuser', password: 'super-secret-1' } as const;
export const AGENTS: readonly AgentSeed[] = [
  { name: 'agent1', password: 'agent1-pass', phone: '9001', context: 'from-internal' },
  { name: 'agent2', password: 'agent2-pass', phone: '9002', context: 'from-internal' },
];
export const BREAKS = ['Break', 'Lunch', 'Training'];

export class RefusalError extends Error {}

/**
 * The PBX side of uContact's two-step dial: AgentCall rings the agent's own phone first (marked
 * for auto-answer, `Call-Info: answer-after=0`), and HangupPhone or the customer's hang-up clears
 * that leg. The emulator has no SIP stack: whoever runs it (the phone tests) plugs in the PBX
 * that places and clears the SIP call.
 */
export interface AgentPhoneLine {
  ring(call: { guid: string; phone: string; destination: string }): void;
  clear(call: { guid: string; phone: string }): void;
}

export class UcontactCenter {
  readonly #agents = new Map<string, AgentSeed>(AGENTS.map((a) => [a.name, a]));
  #tokens = new Map<string, string>();
  #status = new Map<string, AgentStatus>();
  #calls: EmulatedCall[] = [];
  #dispositions: DispositionRecord[] = [];
  #schedules: Record<string, unknown>[] = [];
  #tasks: Record<string, unknown>[] = [];
  #proxyActions: Record<string, unknown>[] = [];
  /** The PBX leg to the agent's phone (two-step AgentCall), when one is plugged in. */
  agentPhone: AgentPhoneLine | undefined;
  /** What the portal did for the actions beyond call and disposition (tagRecord, respool, closeForm). */
  #proxyEffects: Record<string, unknown>[] = [];
  /** Proxy actions whose next one fails (`0`), from the control API. */
  #proxyFailures: string[] = [];
  #listeners = new Set<(event: PortalEvent) => void>();

  // ---- auth ---------------------------------------------------------------------------------------

  /** `auth/getUserToken`: base64("<user>:<uuid>"), or undefined for a wrong user or password. */
  userToken(user: string, password: string): string | undefined {
    if (user !== SUPERUSER.user || password !== SUPERUSER.password) return undefined;
    return this.#issue(user);
  }

  /** `auth/AgentLogin`: the agent's peer (with its token as md5secret), or undefined. */
  agentLogin(name: string, password: string): Record<string, string> | undefined {
    const agent = this.#agents.get(name);
    if (!agent || agent.password !== password) return undefined;
    this.#status.set(name, { state: 'available' });
    const token = this.#issue(name);
    return { id: agent.phone, name: agent.phone, callerid: agent.phone, accountcode: name, context: agent.context, md5secret: token, phonetype: 'softphone', transport: 'udp', fullname: name };
  }

  tokenUser(token: string): string | undefined {
    return this.#tokens.get(token);
  }

  endSession(user: string, token: string): boolean {
    if (this.#tokens.get(token) !== user) return false;
    this.#tokens.delete(token);
    return true;
  }

  #issue(user: string): string {
    const token = Buffer.from(`${user}:${randomUUID()}`).toString('base64');
    this.#tokens.set(token, user);
    return token;
  }

  // ---- agents -------------------------------------------------------------------------------------

  /** The agent named, logged in on `iface` (`SIP/<phone>`), or a refusal. */
  #loggedIn(name: string, iface?: string): AgentSeed {
    const agent = this.#agents.get(name);
    if (!agent) throw new RefusalError(`no agent ${name}`);
    if ((this.#status.get(name) ?? { state: 'loggedOut' }).state === 'loggedOut') throw new RefusalError(`${name} is not logged in`);
    if (iface !== undefined && iface.split('/')[1] !== agent.phone) throw new RefusalError(`${iface} is not ${name}'s interface`);
    return agent;
  }

  logoff(name: string, iface: string): void {
    this.#loggedIn(name, iface);
    this.#status.set(name, { state: 'loggedOut' });
  }

  pause(name: string, iface: string, message: string): void {
    this.#loggedIn(name, iface);
    this.#status.set(name, { state: 'paused', message });
  }

  unpause(name: string, iface: string): void {
    this.#loggedIn(name, iface);
    if (this.#status.get(name)?.state !== 'paused') throw new RefusalError('not paused');
    this.#status.set(name, { state: 'available' });
  }

  takeBreak(name: string, iface: string, motive: string): void {
    this.#loggedIn(name, iface);
    if (!BREAKS.includes(motive)) throw new RefusalError(`no break ${motive}`);
    this.#status.set(name, { state: 'break', motive });
  }

  endBreak(name: string, iface: string): void {
    this.#loggedIn(name, iface);
    if (this.#status.get(name)?.state !== 'break') throw new RefusalError('not on a break');
    this.#status.set(name, { state: 'available' });
  }

  // ---- calls --------------------------------------------------------------------------------------

  /** `Agents/AgentCall`: the agent's phone rings first, then the destination (two-step). */
  agentCall(form: { agent: string; phone: string; destination: string; outqueue: string }): string {
    const agent = this.#loggedIn(form.agent);
    if (agent.phone !== form.phone) throw new RefusalError('phone is not the agent\'s');
    if (!/^\+?[0-9]{3,20}$/.test(form.destination)) throw new RefusalError('bad destination');
    if (!form.outqueue.endsWith('->')) throw new RefusalError('not an outbound campaign');
    const guid = this.#newCall(agent.name, 'outbound', form.destination, form.outqueue, 'rest');
    this.agentPhone?.ring({ guid, phone: agent.phone, destination: form.destination });
    return guid;
  }

  hangupPhone(phone: string): void {
    const agent = [...this.#agents.values()].find((a) => a.phone === phone);
    const call = agent && this.#calls.find((c) => c.agent === agent.name && c.state !== 'finished');
    if (!call) throw new RefusalError('no call on that phone');
    call.state = 'finished';
    this.agentPhone?.clear({ guid: call.guid, phone });
  }

  disposition(form: DispositionRecord): void {
    const call = this.#calls.find((c) => c.guid === form.guid);
    if (!call) throw new RefusalError('no such call');
    if (!form.l1) throw new RefusalError('l1 is required');
    if (form.schedule !== undefined && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(form.schedule)) throw new RefusalError('bad schedule');
    call.dispositioned = true;
    this.#dispositions.push({ ...form });
  }

  scheduleDialerCall(callschedule: Record<string, unknown>): void {
    if (typeof callschedule.calldate !== 'string' || typeof callschedule.campaign !== 'string' || typeof callschedule.destination !== 'string') {
      throw new RefusalError('callschedule needs calldate, campaign, destination');
    }
    this.#schedules.push(callschedule);
  }

  dialerTask(call: Record<string, unknown>, keys: readonly string[]): void {
    for (const key of keys) if (!(key in call)) throw new RefusalError(`call.${key} is missing`);
    // calldate: null (any time) or uContact's date; a number to dial; an agent's phone or none.
    if (call.calldate !== null && !(typeof call.calldate === 'string' && SCHEDULE_FORMAT.test(call.calldate))) throw new RefusalError('call.calldate is not a date');
    if (typeof call.destination !== 'string' || !/^\+?[0-9]{3,20}$/.test(call.destination)) throw new RefusalError('call.destination is not a number');
    if (call.agent !== '' && ![...this.#agents.values()].some((a) => a.phone === call.agent)) throw new RefusalError('call.agent is no agent\'s phone');
    if (typeof call.bulk !== 'boolean' || typeof call.automatic !== 'boolean') throw new RefusalError('call.bulk and call.automatic are booleans');
    this.#tasks.push(call);
  }

  // ---- the portal (window proxy) -------------------------------------------------------------------

  /** One proxy action from the CRM frame, as the portal received it; the answer the portal posts back. */
  proxyAction(agentName: string, data: Record<string, unknown>): Record<string, unknown> | undefined {
    this.#proxyActions.push(data);
    const action = String(data.action ?? '');
    const failIndex = this.#proxyFailures.indexOf(action);
    const failed = failIndex >= 0;
    if (failed) this.#proxyFailures.splice(failIndex, 1);
    const str = (key: string): string => (typeof data[key] === 'string' ? (data[key] as string) : '');
    switch (action) {
      case 'call':
      case 'callWithPhone': {
        if (failed || !/^\+?[0-9]{3,20}$/.test(str('destination')) || this.#live(agentName)) return { guid: '0' };
        const guid = this.#newCall(agentName, 'outbound', str('destination'), str('campaign'), 'proxy');
        return { guid };
      }
      case 'makeCall': {
        // uPhone: answers with its event, not a reply.
        const params = (data.params ?? {}) as Record<string, unknown>;
        const number = String(params.number ?? '');
        if (failed || !/^\+?[0-9]{3,20}$/.test(number)) return undefined;
        const guid = this.#newCall(agentName, 'outbound', number, String(params.campaign ?? ''), 'proxy');
        this.#broadcast({ action: 'makeCall', params: { number, campaign: String(params.campaign ?? ''), guid } });
        return undefined;
      }
      case 'hangup': {
        const call = this.#calls.find((c) => c.guid === str('guid') && c.state !== 'finished');
        if (failed || !call) return { action, guid: str('guid'), result: '0' };
        call.state = 'finished';
        this.#finished(call);
        return { action, guid: call.guid, result: '1' };
      }
      case 'disposition': {
        if (failed) return { action, guid: str('guid'), result: '0' };
        const form: DispositionRecord = {};
        for (const [key, value] of Object.entries(data)) if (key !== 'action' && typeof value === 'string') form[key] = value;
        try {
          this.disposition(form);
        } catch (error) {
          return { action, guid: str('guid'), result: '0', message: (error as Error).message };
        }
        const told = this.#calls.find((c) => c.guid === str('guid'));
        this.#broadcast(told?.eventsApi ? { event: 'sentDisposition', data: { guid: str('guid') } } : { action: 'sentDispositions', params: { guid: str('guid') } });
        return { action, guid: str('guid'), result: '1' };
      }
      case 'schedule': {
        if (failed) return { action, result: '0' };
        try {
          this.scheduleDialerCall({ calldate: data.calldate, campaign: data.campaign, destination: data.destination });
        } catch (error) {
          return { action, result: '0', message: (error as Error).message };
        }
        return { action, result: '1' };
      }
      case 'tagRecord':
      case 'respool': {
        const call = this.#calls.find((c) => c.guid === str('guid'));
        const ok = !failed && call !== undefined && (action === 'tagRecord' ? str('tag') !== '' : str('respool') !== '');
        if (ok) this.#proxyEffects.push({ ...data });
        return { action, guid: str('guid'), result: ok ? '1' : '0' };
      }
      case 'closeForm':
        this.#proxyEffects.push({ action });
        return { action, result: failed ? '0' : '1' };
      default:
        return undefined; // the portal ignores actions it does not know
    }
  }

  failNextProxy(action: string): void {
    this.#proxyFailures.push(action);
  }

  /** An inbound call rings at the agent's portal (`gettingCall`). */
  offerInbound(agentName: string, from: string, name?: string, fields: Record<string, unknown> = {}): string {
    if (!this.#agents.has(agentName)) throw new RefusalError(`no agent ${agentName}`);
    const campaign = typeof fields.campaign === 'string' ? fields.campaign : 'Support<-';
    const guid = this.#newCall(agentName, 'inbound', from, campaign, 'proxy');
    const params: Record<string, string> = { guid, number: from, campaign };
    if (name) params.name = name;
    for (const [key, value] of Object.entries(fields)) if (typeof value === 'string' || typeof value === 'number') params[key] = String(value);
    this.#broadcast({ action: 'gettingCall', params });
    return guid;
  }

  /**
   * An inbound call assigned to the agent, told the v6 way: the Events API's `assignedInteraction`
   * `{guid, campaign, channel, clientId}` (no number: the Events API names none).
   */
  offerInteraction(agentName: string, campaign = 'Support<-', clientId?: string): string {
    if (!this.#agents.has(agentName)) throw new RefusalError(`no agent ${agentName}`);
    const guid = this.#newCall(agentName, 'inbound', '', campaign, 'proxy');
    this.#call(guid).eventsApi = true;
    this.#broadcast({ event: 'assignedInteraction', data: { guid, campaign, channel: 'telephony', ...(clientId ? { clientId } : {}) } });
    return guid;
  }

  customerAnswer(guid: string): void {
    const call = this.#call(guid);
    if (call.state !== 'ringing') throw new RefusalError('the call is not ringing');
    call.state = 'talking'; // uContact tells the CRM nothing of this
  }

  customerHangup(guid: string): void {
    const call = this.#call(guid);
    if (call.state === 'finished') throw new RefusalError('the call is over');
    call.state = 'finished';
    this.#finished(call);
    const phone = this.#agents.get(call.agent)?.phone;
    if (phone) this.agentPhone?.clear({ guid, phone });
  }

  /** `finishedCall`, or the Events API's `finishedInteraction` for a call offered that way. */
  #finished(call: EmulatedCall): void {
    this.#broadcast(
      call.eventsApi
        ? { event: 'finishedInteraction', data: { guid: call.guid, campaign: call.campaign, channel: 'telephony' } }
        : { action: 'finishedCall', params: { guid: call.guid } },
    );
  }

  /** A raw portal event (tests: `agentLogin`, `finishedSms`, odd params). */
  emit(event: PortalEvent): void {
    this.#broadcast(event);
  }

  listen(listener: (event: PortalEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  reset(): void {
    this.#tokens.clear();
    this.#status.clear();
    this.#calls = [];
    this.#dispositions = [];
    this.#schedules = [];
    this.#tasks = [];
    this.#proxyActions = [];
    this.#proxyEffects = [];
    this.#proxyFailures = [];
  }

  state(): unknown {
    return {
      agents: [...this.#agents.keys()].map((name) => ({ name, status: this.#status.get(name) ?? { state: 'loggedOut' } })),
      sessions: [...this.#tokens.values()],
      calls: this.#calls,
      dispositions: this.#dispositions,
      schedules: this.#schedules,
      dialerTasks: this.#tasks,
      proxyActions: this.#proxyActions,
      proxyEffects: this.#proxyEffects,
    };
  }

  #live(agent: string): EmulatedCall | undefined {
    return this.#calls.find((c) => c.agent === agent && c.state !== 'finished');
  }

  #call(guid: string): EmulatedCall {
    const call = this.#calls.find((c) => c.guid === guid);
    if (!call) throw new RefusalError(`no call ${guid}`);
    return call;
  }

  #newCall(agent: string, direction: EmulatedCall['direction'], number: string, campaign: string, via: EmulatedCall['via']): string {
    const guid = randomUUID();
    this.#calls.push({ guid, agent, direction, number, campaign, state: 'ringing', via, dispositioned: false });
    return guid;
  }

  #broadcast(event: PortalEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
