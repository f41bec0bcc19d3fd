/**
 * POM's behaviour behind the bridge: agents, nailing, contacts, consult / transfer / conference,
 * wrap-up, callbacks and DNC, answering the bridge protocol's commands with POM's `…RESP` and
 * result codes and sending POM's notifications (vendor document: the Agent Desktop API of POM
 * 3.0.4). Several bridges (agents) share one centre, so a consult between two real bars works;
 * virtual colleagues (`DirectoryAgent.virtual`) let a single bar do the same.
 *
 * Ordering follows the document: a command's RESP first, then the notifications it causes; a
 * state change is followed by AGTCapabilitiesChanged with the capability matrix row of the new
 * state. Where the document is silent the choice is listed in docs/connectors/pom.md.
 */
import { ControlError } from '../harness/emulator-server.ts';
import { CAPABILITY_MATRIX, NO_FLAGS, type MatrixRow } from '../../../src/core/capability-matrix.ts';
import type { CapabilityFlags } from '../../../src/core/capability-flags.ts';
import { toPomCapabilities } from '../../../src/connectors/pom/capabilities.ts';
import { POM_ERRORS } from '../../../src/connectors/pom/error-codes.ts';
import {
  AGENT_STATES,
  ANSWER_MACHINE,
  CALLBACK_TYPES,
  DESTINATION_TYPES,
  DIAL_FAIL_REASONS,
  EXTERNAL_NUMBER,
  type BridgeStatus,
  type PomAgentState,
  type PomAttribute,
  type PomCallState,
  type PomCapabilities,
  type PomCommandName,
  type PomContact,
  type PomDestination,
  type PomDialFailReason,
  type PomNailupStatus,
  type PomNotificationName,
  type PomWrapupData,
} from '../../../src/connectors/pom/protocol.ts';
import {
  ADDRESS_BOOK,
  AGENTS,
  CALLBACK_CAMPAIGNS,
  COMPLETION_CODES,
  DEFAULT_COMP_CODE,
  JOB,
  WINBACK_CODES,
  WINBACK_JOB,
  NUMERIC_ATTRIBUTES,
  TIMEZONES,
  ZONES,
  defaultAttributes,
  type DirectoryAgent,
} from './pom-data.ts';

/** Where one agent's notifications go: its bridge connection, when one is attached. */
export interface AgentLink {
  notify(name: PomNotificationName, args: Record<string, unknown>): void;
  /** POM (or a forced logon elsewhere) ends this desktop's session. */
  close(): void;
}

export interface CenterOptions {
  /** Preview dial / redial / external consult: Dialing → Talking after this long (ms). */
  connectDelayMs?: number;
  acwMaxTime?: number;
  acwExtendable?: boolean;
  allowFreeForm?: boolean;
  /**
   * The job's strategy allows AGTRedial in wrap-up (default true): its Wrapup capabilities then
   * carry Originate = Y; without it AGTRedial answers 9004 (docs/connectors/pom.md §7).
   */
  allowRedial?: boolean;
  /** AGTGetCallbackTypesRESP's defaultExpiryTime, in minutes. */
  callbackExpiryMinutes?: number;
}

/** What a command handler answers: the RESP's result and extra arguments, then side effects. */
interface Outcome {
  result: number;
  args?: Record<string, unknown>;
  after?: () => void;
}

interface Contact {
  sessionID: string;
  contact: PomContact;
  attributes: PomAttribute[];
  notes: string[];
  customer: 'dialing' | 'connected' | 'gone' | 'none';
  owner: string;
  passive?: string;
  /** The consulted party: another agent (`passive`) or an external address. */
  consult?: { kind: 'agent' | 'external'; state: 'pending' | 'active'; destination: PomDestination };
  conference?: 'agent' | 'external';
}

interface Agent {
  dir: DirectoryAgent;
  loggedOn: boolean;
  mode: 'elite' | 'aacc';
  ext: string;
  zone: string;
  locale: string;
  timeZone: string;
  state: PomAgentState;
  reasonCode?: string;
  walkedAway: boolean;
  availableForNailup: boolean;
  nailup: PomNailupStatus;
  job?: string;
  /** The job POM nails the agent for next (`job-start`); default Renewals. */
  nextJob?: string;
  outbound: boolean;
  inPacing: boolean;
  callState: PomCallState;
  sessionID?: string;
  wrapup?: PomWrapupData;
  /** Sessions of consults queued for this agent (at most 2). */
  pendingConsults: string[];
  pendingLogout: boolean;
  /** Each logon is a new POMAgent object (getPOMAgent before every AGTLogon). */
  generation: number;
  link?: AgentLink;
  lastCaps?: string;
}

const DIGIT = /^[0-9*#]$/;
/** The completion codes of the contact's job (AGTGetCompCodes answers them; AGTWrapupContact accepts them). */
const codesOf = (c: { contact: PomContact }) => (c.contact.campaignName === WINBACK_JOB.campaignName ? WINBACK_CODES : COMPLETION_CODES);

const CALLBACK_TIME = /^(\d{4})\/(\d{2})\/(\d{2})\/? (\d{2}):(\d{2})$/;
const ADDRESS = /^\+?[0-9][0-9 ()-]{2,30}$/;
/** Commands a bridge may send before AGTLogon succeeds. */
const BEFORE_LOGON = new Set<PomCommandName>(['AGTLogon', 'AGTGetZoneList', 'AGTGetErrorInfo', 'AGTGetErrorString', 'AGTGetTimezones']);

export class PomCenter {
  readonly #options: Required<CenterOptions>;
  #config: Required<CenterOptions>;
  #agents = new Map<string, Agent>();
  #contacts = new Map<string, Contact>();
  #dnc = new Set<string>();
  #callbacks: Array<Record<string, unknown>> = [];
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #nextSession = 1;
  #pomAvailable = true;
  /** Armed by control verbs: the next preview dial / external consult fails with this reason. */
  #dialFails?: PomDialFailReason;
  #consultDialFails?: PomDialFailReason;

  constructor(options: CenterOptions = {}) {
    this.#options = {
      connectDelayMs: options.connectDelayMs ?? 300,
      acwMaxTime: options.acwMaxTime ?? 30,
      acwExtendable: options.acwExtendable ?? true,
      allowFreeForm: options.allowFreeForm ?? true,
      allowRedial: options.allowRedial ?? true,
      callbackExpiryMinutes: options.callbackExpiryMinutes ?? 60,
    };
    this.#config = { ...this.#options };
    this.reset();
  }

  get pomAvailable(): boolean {
    return this.#pomAvailable;
  }

  reset(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const agent of this.#agents.values()) agent.link = undefined;
    this.#config = { ...this.#options };
    this.#agents = new Map(AGENTS.map((dir) => [dir.id, this.#blankAgent(dir)]));
    this.#contacts.clear();
    this.#dnc.clear();
    this.#callbacks = [];
    this.#nextSession = 1;
    this.#pomAvailable = true;
    this.#dialFails = undefined;
    this.#consultDialFails = undefined;
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  configure(values: Record<string, unknown>): Required<CenterOptions> {
    const next = { ...this.#config };
    for (const key of ['connectDelayMs', 'acwMaxTime', 'callbackExpiryMinutes'] as const) {
      if (values[key] === undefined) continue;
      const v = values[key];
      if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`"${key}" must be a whole number ≥ 0.`);
      next[key] = v as number;
    }
    for (const key of ['acwExtendable', 'allowFreeForm', 'allowRedial'] as const) {
      if (values[key] === undefined) continue;
      if (typeof values[key] !== 'boolean') throw new Error(`"${key}" must be true or false.`);
      next[key] = values[key] as boolean;
    }
    this.#config = next;
    return next;
  }

  knowsAgent(agentId: string): boolean {
    return this.#agents.has(agentId);
  }

  /**
   * A bridge connection receives the agent's notifications unless another live one already does
   * (a second desktop for the same agent stands by until its own AGTLogon, which POM refuses with
   * 7 unless forced). A reconnect after a drop (or a page reload) finds no live link and takes over, with the status.
   */
  attach(agentId: string, link: AgentLink): BridgeStatus {
    const agent = this.#agents.get(agentId);
    if (!agent) return { loggedOn: false };
    // Another desktop holds this agent: to this one POM's session is someone else's.
    if (agent.link && agent.link !== link) return { loggedOn: false };
    agent.link = link;
    return this.status(agentId);
  }

  detach(agentId: string, link: AgentLink): void {
    const agent = this.#agents.get(agentId);
    if (agent?.link === link) agent.link = undefined;
  }

  /** The last value of every state notification, as a bridge folding them would remember it. */
  status(agentId: string): BridgeStatus {
    const a = this.#agents.get(agentId);
    if (!a?.loggedOn) return { loggedOn: false };
    const c = a.sessionID ? this.#contacts.get(a.sessionID) : undefined;
    const out: BridgeStatus = {
      loggedOn: true,
      agentState: a.state,
      nailupStatus: a.nailup,
      callState: a.callState,
      capabilities: this.#capabilities(a),
    };
    if (a.job) out.campaignName = a.job;
    if (a.zone) out.zoneName = a.zone;
    if (c) {
      out.sessionID = c.sessionID;
      out.contact = c.contact;
    }
    if (a.wrapup && a.callState === 'Wrapup') out.wrapupDetails = a.wrapup;
    return out;
  }

  state(): unknown {
    return {
      pomAvailable: this.#pomAvailable,
      config: this.#config,
      agents: [...this.#agents.values()].map((a) => ({
        id: a.dir.id,
        virtual: a.dir.virtual === true,
        attached: a.link !== undefined,
        loggedOn: a.loggedOn,
        generation: a.generation,
        mode: a.mode,
        state: a.state,
        reasonCode: a.reasonCode,
        walkedAway: a.walkedAway,
        nailup: a.nailup,
        job: a.job,
        outbound: a.outbound,
        callState: a.callState,
        sessionID: a.sessionID,
        pendingConsults: a.pendingConsults,
        capabilities: a.loggedOn ? this.#capabilities(a) : undefined,
      })),
      contacts: [...this.#contacts.values()],
      dnc: [...this.#dnc],
      callbacks: this.#callbacks,
    };
  }

  // ── Commands ──────────────────────────────────────────────────────────────────────────────

  /**
   * One command from `agentId`'s bridge. `respond` gets the RESP (before any notification the
   * command causes); the return value is the RESP's result.
   */
  execute(
    agentId: string,
    name: PomCommandName,
    args: Record<string, unknown>,
    respond: (result: number, args: Record<string, unknown>) => void,
    link?: AgentLink,
  ): number {
    const agent = this.#agents.get(agentId);
    let outcome: Outcome;
    if (!this.#pomAvailable) outcome = { result: 9999 };
    // getPOMAgent accepts any id; POM itself does not know this one.
    else if (!agent) outcome = { result: name === 'AGTLogon' ? 2 : 9002 };
    else if (!agent.loggedOn && !BEFORE_LOGON.has(name)) outcome = { result: 9002 };
    else if (name === 'AGTLogon') outcome = this.#logon(agent, args, link);
    else outcome = this.#handlers[name](agent, args);
    respond(outcome.result, outcome.args ?? {});
    if (outcome.result === 0 && outcome.after) outcome.after();
    this.#settle();
    return outcome.result;
  }

  /** Synchronous RESP arguments for a refused command (every field the RESP has, empty). */
  readonly #handlers: Record<PomCommandName, (agent: Agent, args: Record<string, unknown>) => Outcome> = {
    AGTLogon: (a, args) => this.#logon(a, args),
    AGTLogoff: (a) => {
      if (a.state !== 'NotReady' || a.sessionID) return { result: 541 };
      return { result: 0, after: () => this.#logout(a, false) };
    },
    AGTStateChange: (a, args) => this.#stateChange(a, args),
    AGTHoldCall: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 103, args: { sessionID: args.sessionID } };
      if (a.callState !== 'Talking') return { result: c.customer === 'gone' ? 102 : 101, args: { sessionID: c.sessionID } };
      return { result: 0, args: { sessionID: c.sessionID }, after: () => this.#setCall(a, 'Held') };
    },
    AGTUnholdCall: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 123, args: { sessionID: args.sessionID } };
      if (a.callState !== 'Held') return { result: c.customer === 'gone' ? 122 : 121, args: { sessionID: c.sessionID } };
      return { result: 0, args: { sessionID: c.sessionID }, after: () => this.#setCall(a, 'Talking') };
    },
    AGTReleaseLine: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || a.callState === 'Wrapup') return { result: 82, args: { sessionID: args.sessionID } };
      if (a.callState !== 'Talking') return { result: 81, args: { sessionID: c.sessionID } };
      const wrapup = this.#wrapupData();
      return {
        result: 0,
        args: { wrapupDetails: wrapup, sessionID: c.sessionID },
        after: () => {
          c.customer = 'gone';
          a.wrapup = wrapup;
          this.#setCall(a, 'Wrapup');
        },
      };
    },
    AGTGetCompCodes: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 201, args: { sessionID: args.sessionID } };
      if (a.callState !== 'Talking' && a.callState !== 'Wrapup') return { result: 9004, args: { sessionID: c.sessionID } };
      return { result: 0, args: { completionCodesList: codesOf(c), sessionID: c.sessionID } };
    },
    AGTWrapupContact: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 201, args: { sessionID: args.sessionID } };
      if (a.callState !== 'Wrapup') return { result: 9004, args: { sessionID: c.sessionID } };
      const code = (args.completionCode as { code?: unknown }).code;
      const known = codesOf(c).some((k) => k.code === code) || code === a.wrapup?.defaultCompCode || code === ANSWER_MACHINE;
      if (!known) return { result: 202, args: { sessionID: c.sessionID } };
      return { result: 0, args: { sessionID: c.sessionID }, after: () => this.#finish(a, c) };
    },
    AGTExtendWrapup: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || a.callState !== 'Wrapup') return { result: 501, args: { sessionID: args.sessionID } };
      if (!a.wrapup?.acwExtendable) return { result: 9004, args: { sessionID: c.sessionID } };
      const wrapup = this.#wrapupData(a.wrapup.defaultCompCode);
      return { result: 0, args: { wrapupDetails: wrapup, sessionID: c.sessionID }, after: () => (a.wrapup = wrapup) };
    },
    AGTGetConsultTypes: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || a.callState !== 'Talking') return { result: 9004, args: { allowFreeForm: false, sessionID: args.sessionID } };
      return { result: 0, args: { destinationTypes: [...DESTINATION_TYPES], allowFreeForm: this.#config.allowFreeForm, sessionID: c.sessionID } };
    },
    AGTGetConsultDestsForType: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || a.callState !== 'Talking') return { result: 9004, args: { destinations: [], sessionID: args.sessionID } };
      if (args.destinationType === 'Agent') {
        const agents = [...this.#agents.values()]
          .filter((o) => o !== a && o.loggedOn && o.state === 'Ready' && o.nailup === 'NailedUp' && o.job === a.job)
          .map((o): PomDestination => ({ destinationType: 'Agent', id: o.dir.id, name: o.dir.name }));
        return { result: agents.length ? 0 : 383, args: { destinations: agents, sessionID: c.sessionID } };
      }
      if (args.destinationType === 'External') {
        return { result: ADDRESS_BOOK.length ? 0 : 382, args: { destinations: ADDRESS_BOOK, sessionID: c.sessionID } };
      }
      return { result: 9008, args: { destinations: [], sessionID: c.sessionID } };
    },
    AGTConsultCall: (a, args) => this.#consult(a, args),
    AGTCompleteTransfer: (a, args) => this.#completeTransfer(a, args),
    AGTCancelConsult: (a, args) => this.#cancelConsult(a, args),
    AGTStartConf: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || a.callState !== 'Consult' || c.owner !== a.dir.id) return { result: 181, args: { sessionID: args.sessionID } };
      if (c.consult?.state !== 'active') return { result: 182, args: { sessionID: c.sessionID } };
      const passive = c.passive ? this.#agents.get(c.passive) : undefined;
      if (c.consult.kind === 'agent' && !passive?.loggedOn) return { result: 183, args: { sessionID: c.sessionID } };
      return {
        result: 0,
        args: { sessionID: c.sessionID },
        after: () => {
          c.conference = c.consult!.kind;
          c.consult = undefined;
          if (passive) {
            this.#notify(passive, 'AGTConferenceNotify', { pomContact: c.contact, sessionID: c.sessionID });
            this.#setCall(passive, 'ConferencePassive');
          }
          this.#setCall(a, 'ConferenceOwner');
        },
      };
    },
    AGTEndConf: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || !c.conference) return { result: 301, args: { sessionID: args.sessionID } };
      return { result: 0, args: { sessionID: c.sessionID }, after: () => this.#endConference(a, c) };
    },
    AGTConfChangeOwnership: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || !c.conference) return { result: 301, args: { sessionID: args.sessionID } };
      if (c.owner !== a.dir.id) return { result: 302, args: { sessionID: c.sessionID } };
      if (c.conference !== 'agent' || !c.passive) return { result: 321, args: { sessionID: c.sessionID } };
      const other = this.#agent(c.passive);
      return {
        result: 0,
        args: { sessionID: c.sessionID },
        after: () => {
          c.owner = other.dir.id;
          c.passive = a.dir.id;
          this.#notify(other, 'AGTConferenceOwnershipChanged', { sessionID: c.sessionID });
          this.#setCall(other, 'ConferenceOwner');
          this.#setCall(a, 'ConferencePassive');
        },
      };
    },
    AGTRedial: (a, args) => {
      const c = a.sessionID ? this.#contacts.get(a.sessionID) : undefined;
      if (!c || a.callState !== 'Wrapup') return { result: 361 };
      // The strategy forbids redial (its Wrapup capabilities said Originate = N).
      if (!this.#config.allowRedial) return { result: 9004, args: { sessionID: c.sessionID } };
      const n = args.contactNumber as { Name?: unknown; Number?: unknown };
      const number = n.Number;
      if (typeof number !== 'string' || !ADDRESS.test(number)) return { result: 362, args: { sessionID: c.sessionID } };
      return { result: 0, args: { sessionID: c.sessionID }, after: () => this.#dialOn(a, c, n, number) };
    },
    AGTSendDTMF: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (typeof args.dtmf !== 'string' || !DIGIT.test(args.dtmf)) return { result: 341, args: { sessionID: args.sessionID } };
      const onCall = ['Talking', 'Consult', 'ConferenceOwner', 'ConferencePassive'].includes(a.callState);
      if (!c || !onCall) return { result: 342, args: { sessionID: args.sessionID } };
      return { result: 0, args: { sessionID: c.sessionID } };
    },
    AGTGetCallbackTypes: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || !['Preview', 'Callback', 'Talking', 'Wrapup'].includes(a.callState)) return { result: 483, args: { sessionID: args.sessionID } };
      return { result: 0, args: { callbackTypes: [...CALLBACK_TYPES], defaultExpiryTime: String(this.#config.callbackExpiryMinutes), sessionID: c.sessionID } };
    },
    AGTGetCallbackDestsForType: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 483, args: { sessionID: args.sessionID } };
      const type = args.callbackType;
      if (!CALLBACK_TYPES.includes(type as never)) return { result: 221, args: { sessionID: c.sessionID } };
      if (!ZONES.some((z) => z.name === args.zoneName)) return { result: 222, args: { sessionID: c.sessionID } };
      const dests =
        type === 'Agent'
          ? [...this.#agents.values()].filter((o) => o.dir.zone === args.zoneName).map((o) => ({ callbackType: type, id: o.dir.id, name: o.dir.name }))
          : type === 'Campaign'
            ? CALLBACK_CAMPAIGNS.map((k) => ({ callbackType: type, id: k.id, name: k.name }))
            : [];
      return { result: 0, args: { callbackType: type, callbackDests: dests, sessionID: c.sessionID } };
    },
    AGTCreateCallback: (a, args) => this.#createCallback(a, args),
    AGTGetTimezones: () => ({ result: 0, args: { timezones: TIMEZONES } }),
    AGTGetErrorString: (_a, args) => {
      const entry = LIBRARY_CODES.has(Number(args.errorCode)) ? undefined : POM_ERRORS[Number(args.errorCode)];
      if (!entry) return { result: 1001 };
      return { result: 0, args: { errorMsg: entry.message, localizedErrorMsg: entry.message } };
    },
    AGTGetErrorInfo: (_a, args) => {
      const info = args.errorCode as { errorCode?: unknown; apiName?: unknown };
      const code = Number(info.errorCode);
      const entry = LIBRARY_CODES.has(code) ? undefined : POM_ERRORS[code];
      if (!entry) return { result: 1001 };
      const errorType = entry.severity[0]!.toUpperCase() + entry.severity.slice(1);
      return {
        result: 0,
        args: { errorInfo: { errorCode: code, errorType, errorString: entry.message, localizedErrorString: entry.message, apiName: info.apiName ?? null } },
      };
    },
    AGTPreviewDial: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || (a.callState !== 'Preview' && a.callState !== 'Callback')) return { result: 241, args: { sessionID: args.sessionID } };
      const n = args.contactNumber as { Name?: unknown; Number?: unknown };
      const number = typeof n.Number === 'string' && n.Number !== '' ? n.Number : c.contact.contactNumbers[0]?.Number;
      if (!number || !ADDRESS.test(number)) return { result: 9008, args: { sessionID: c.sessionID } };
      return {
        result: 0,
        args: { sessionID: c.sessionID },
        after: () => this.#dialOn(a, c, n, number),
      };
    },
    AGTPreviewCancel: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c || (a.callState !== 'Preview' && a.callState !== 'Callback')) return { result: 242, args: { sessionID: args.sessionID } };
      const wrapup = this.#wrapupData();
      return {
        result: 0,
        args: { wrapupDetails: wrapup, sessionID: c.sessionID },
        after: () => {
          a.wrapup = wrapup;
          this.#setCall(a, 'Wrapup');
        },
      };
    },
    AGTGetCustomerDetails: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 521, args: { sessionID: args.sessionID } };
      return { result: 0, args: { customerDetails: { attributes: c.attributes.map((x) => ({ ...x })) }, sessionID: c.sessionID } };
    },
    AGTSetCustomerDetail: (a, args) => {
      const c = this.#own(a, args.sessionID);
      const pair = args.pomKeyValuePair as { key?: unknown; value?: unknown };
      if (!c) return { result: 521, args: { sessionID: args.sessionID } };
      const attribute = c.attributes.find((x) => x.name === pair.key);
      if (!attribute) return { result: 521, args: { sessionID: c.sessionID } };
      if (c.owner !== a.dir.id) return { result: 9004, args: { sessionID: c.sessionID } };
      if (attribute.type === 'READ_ONLY' || attribute.type === 'SCREEN_POP') return { result: 641, args: { sessionID: c.sessionID } };
      if (typeof pair.value !== 'string' || (NUMERIC_ATTRIBUTES.has(attribute.name) && !/^-?\d+(\.\d+)?$/.test(pair.value))) {
        return { result: 642, args: { sessionID: c.sessionID } };
      }
      return {
        result: 0,
        args: { sessionID: c.sessionID },
        after: () => {
          attribute.value = pair.value as string;
          const passive = c.passive ? this.#agents.get(c.passive) : undefined;
          if (passive) this.#notify(passive, 'AGTCustomerDetailsChanged', { attribute: { ...attribute }, sessionID: c.sessionID });
        },
      };
    },
    AGTGetContactAttributes: (a) => ({ result: a.sessionID ? 0 : 521 }),
    AGTAddAgentNote: (a, args) => {
      if (typeof args.agentNote !== 'string' || args.agentNote.trim() === '') return { result: 561 };
      const c = a.sessionID ? this.#contacts.get(a.sessionID) : undefined;
      if (!c) return { result: 563 };
      return { result: 0, args: { sessionID: c.sessionID }, after: () => c.notes.push(args.agentNote as string) };
    },
    AGTRefreshAgentNotes: (a, args) => {
      const c = this.#own(a, args.sessionID);
      if (!c) return { result: 563, args: { agentNotes: [], sessionID: args.sessionID } };
      return { result: 0, args: { agentNotes: [...c.notes], sessionID: c.sessionID } };
    },
    AGTAddToDNC: (a, args) => {
      const list = args.addressList as unknown[];
      const values: string[] = [];
      for (const item of list) {
        const value = item && typeof item === 'object' ? (item as { value?: unknown }).value : undefined;
        if (typeof value !== 'string') return { result: 623 };
        if (!ADDRESS.test(value)) return { result: 624 };
        values.push(value);
      }
      if (values.length === 0) return { result: 623 };
      if (values.every((v) => this.#dnc.has(v))) return { result: 621 };
      return { result: 0, args: { sessionID: a.sessionID ?? null }, after: () => values.forEach((v) => this.#dnc.add(v)) };
    },
    AGTIsInDNC: (_a, args) => ({ result: 0, args: { present: this.#dnc.has(args.addressValue as string) } }),
    AGTGetZoneList: () => ({ result: 0, args: { zoneList: ZONES.map((z) => z.name) } }),
    AGTAvailableForNailup: (a) => {
      if (a.nailup === 'NailedUp') return { result: 5 };
      return {
        result: 0,
        after: () => {
          a.availableForNailup = true;
          this.#startNailing(a);
        },
      };
    },
    AGTReadyForNailup: (a) => {
      if (a.nailup !== 'PendingNailup') return { result: 9004 };
      return {
        result: 0,
        after: () => {
          // POM places the nailing call; the agent's phone answers it.
          a.nailup = 'NailedUp';
          a.job = a.nextJob ?? JOB.campaignName;
          this.#notify(a, 'AGTNailupChange', { nailupStatus: 'NailedUp' });
          this.#sendCaps(a, true);
          this.#notify(a, 'AGTJobAttached', { campaignName: a.job });
          this.#startPendingConsult(a);
        },
      };
    },
    AGTLostNailing: (a) => {
      const c = a.sessionID ? this.#contacts.get(a.sessionID) : undefined;
      const wrapup = c ? this.#wrapupData() : undefined;
      return {
        result: 0,
        args: { wrapupDetails: wrapup ?? null, sessionID: c?.sessionID ?? null },
        after: () => {
          a.nailup = 'NotNailedUp';
          this.#notify(a, 'AGTNailupChange', { nailupStatus: 'NotNailedUp' });
          if (c && a.callState !== 'Wrapup') {
            c.customer = 'gone';
            a.wrapup = wrapup;
            this.#setCall(a, 'Wrapup');
          } else this.#sendCaps(a, true);
        },
      };
    },
    AGTPendingLogout: (a) => ({
      result: 0,
      after: () => {
        a.pendingLogout = true;
        if (!a.sessionID) this.#logout(a, true);
        else if (a.state !== 'PendingNotReady' && a.state !== 'NotReady') {
          a.state = 'PendingNotReady';
          this.#notify(a, 'AGTStateChangedNotify', { agentState: a.state });
          this.#sendCaps(a, true);
        }
      },
    }),
    GetAgentStatusResponse: () => ({ result: 0 }),
    AGTBlendToInbound: (a) => {
      if (!a.outbound) return { result: 581 };
      return {
        result: 0,
        after: () => {
          a.outbound = false;
          this.#unnail(a);
          this.#notify(a, 'AGTBlendedToInbound', {});
          this.#sendCaps(a, true);
        },
      };
    },
    AGTBlendToOutbound: (a) => {
      if (a.outbound) return { result: 601 };
      return {
        result: 0,
        after: () => {
          a.outbound = true;
          this.#notify(a, 'AGTBlendedToOutbound', {});
        },
      };
    },
    AGTNailupAgent: (a) => ({ result: a.nailup === 'NailedUp' ? 5 : 0, after: () => this.#startNailing(a) }),
    AGTSkillsChanged: () => ({ result: 0 }),
    AGTAgentDisconnected: (a) => ({ result: 0, after: () => (a.inPacing = false) }),
  };

  #logon(a: Agent, args: Record<string, unknown>, link?: AgentLink): Outcome {
    const aacc = 'agentName' in args && args.agentName !== undefined;
    const zone = ZONES.find((z) => z.name === args.zoneName);
    if (!zone) return { result: 12 };
    if (!zone.managed) return { result: 9998 };
    if (args.locale === null || args.locale === undefined) return { result: 13 };
    if (args.timeZone === null || args.timeZone === undefined) return { result: 15 };
    const ext = String(args.agentExt);
    if (aacc) {
      if (typeof args.agentName !== 'string' || args.agentName.trim() === '') return { result: 16 };
      // The AACC extension is the SIP URL POM places the nailing call to.
      if (!/^sips?:[^@\s]+@[^@\s]+$/.test(ext)) return { result: 14 };
    } else {
      if (!/^[0-9]{3,15}$/.test(ext)) return { result: 14 };
      // The library refuses a null password; an empty one is sent (valid when CM's is empty).
      if (args.pwd === null || args.pwd === undefined) return { result: 9997 };
      if (args.pwd !== a.dir.password) return { result: 17 };
    }
    if (a.dir.virtual) return { result: 7 };
    if (a.loggedOn) {
      if (args.isForce !== true) return { result: 7 };
    }
    return {
      result: 0,
      after: () => {
        // A forced logon resets the session: the customer call and the nailing call are dropped.
        if (a.loggedOn) this.#dropSession(a);
        else if (link && a.link && a.link !== link) a.link.close();
        if (link) a.link = link;
        a.loggedOn = true;
        a.generation += 1;
        a.mode = aacc ? 'aacc' : 'elite';
        a.ext = ext;
        a.zone = zone.name;
        a.locale = String(args.locale);
        a.timeZone = String(args.timeZone);
        a.state = 'NotReady';
        a.reasonCode = undefined;
        a.walkedAway = false;
        a.availableForNailup = false;
        a.nailup = 'NotNailedUp';
        a.job = undefined;
        a.outbound = true;
        a.inPacing = true;
        a.callState = 'Idle';
        a.sessionID = undefined;
        a.wrapup = undefined;
        a.pendingLogout = false;
        a.lastCaps = undefined;
        this.#notify(a, 'AGTStateChangedNotify', { agentState: 'NotReady' });
        this.#sendCaps(a, true);
      },
    };
  }

  #stateChange(a: Agent, args: Record<string, unknown>): Outcome {
    const wanted = args.agentState;
    if (!AGENT_STATES.includes(wanted as never)) return { result: 9008, args: { pomAgentState: a.state } };
    const onCall = a.sessionID !== undefined;
    if (wanted === 'Ready') {
      if (a.state === 'Ready') return { result: 61, args: { pomAgentState: a.state } };
      return {
        result: 0,
        args: { pomAgentState: 'Ready' },
        after: () => {
          a.state = 'Ready';
          a.reasonCode = undefined;
          a.walkedAway = false;
          a.inPacing = true;
          this.#notify(a, 'AGTStateChangedNotify', { agentState: 'Ready' });
          this.#sendCaps(a, true);
          this.#startPendingConsult(a);
        },
      };
    }
    if (wanted === 'PendingNotReady') return { result: 64, args: { pomAgentState: a.state } };
    if (args.hasWalkedAway === true && onCall) return { result: 62, args: { pomAgentState: a.state } };
    if ((a.state === 'NotReady' || a.state === 'PendingNotReady') && a.reasonCode === args.reasonCode) {
      return { result: 63, args: { pomAgentState: a.state } };
    }
    const next: PomAgentState = onCall || a.pendingConsults.length > 0 ? 'PendingNotReady' : 'NotReady';
    return {
      result: 0,
      args: { pomAgentState: next },
      after: () => {
        const changed = a.state !== next;
        a.state = next;
        a.reasonCode = String(args.reasonCode);
        if (args.hasWalkedAway === true) {
          // POM takes a walked-away agent out of pacing.
          a.walkedAway = true;
          a.inPacing = false;
        }
        if (changed) this.#notify(a, 'AGTStateChangedNotify', { agentState: next });
        this.#sendCaps(a, changed);
      },
    };
  }

  #consult(a: Agent, args: Record<string, unknown>): Outcome {
    const c = this.#own(a, args.sessionID);
    const sid = { sessionID: c?.sessionID ?? args.sessionID };
    if (!c || a.callState !== 'Talking' || c.owner !== a.dir.id || c.consult) return { result: 9004, args: sid };
    const d = args.destination as Partial<PomDestination>;
    if (d.destinationType === 'Agent') {
      const target = typeof d.id === 'string' ? this.#agents.get(d.id) : undefined;
      if (!target || target === a) return { result: 143, args: sid };
      if (!target.loggedOn) return { result: 142, args: sid };
      if (target.state !== 'Ready' || target.nailup !== 'NailedUp') return { result: 141, args: sid };
      const destination: PomDestination = { destinationType: 'Agent', id: target.dir.id, name: target.dir.name };
      if (target.sessionID) {
        if (target.pendingConsults.length >= 2) return { result: 144, args: sid };
        return {
          result: 0,
          args: sid,
          after: () => {
            c.consult = { kind: 'agent', state: 'pending', destination };
            c.passive = target.dir.id;
            target.pendingConsults.push(c.sessionID);
            // The owner stays Talking until the target is free: the consult then starts and
            // the owner gets AGTPendingConsultComplete.
            this.#notify(target, 'AGTConsultPending', {
              requestingAgent: a.dir.name,
              requestingAgentID: a.dir.id,
              requestingCampaign: c.contact.campaignName,
              sessionID: c.sessionID,
            });
          },
        };
      }
      return {
        result: 0,
        args: sid,
        after: () => {
          c.consult = { kind: 'agent', state: 'active', destination };
          c.passive = target.dir.id;
          this.#joinConsult(a, target, c);
        },
      };
    }
    if (d.destinationType === 'External') {
      const listed = ADDRESS_BOOK.find((x) => x.id === d.id);
      const freeForm = !listed && this.#config.allowFreeForm && typeof d.address === 'string' && ADDRESS.test(d.address);
      if (!listed && !freeForm) return { result: 143, args: sid };
      const destination: PomDestination = listed ?? { destinationType: 'External', id: EXTERNAL_NUMBER, name: d.address!, address: d.address! };
      return {
        result: 0,
        args: sid,
        after: () => {
          const fails = this.#consultDialFails;
          this.#consultDialFails = undefined;
          if (fails) {
            // The agent stays Talking with the customer.
            this.#notify(a, 'AGTConsultDialFailed', { dialFailReason: fails, sessionID: c.sessionID });
            return;
          }
          c.consult = { kind: 'external', state: 'active', destination };
          this.#setCall(a, 'Consult');
          this.#notify(a, 'AGTEnableCancelConsult', { sessionID: c.sessionID });
        },
      };
    }
    return { result: 143, args: sid };
  }

  #joinConsult(owner: Agent, target: Agent, c: Contact): void {
    target.sessionID = c.sessionID;
    this.#notify(target, 'AGTConsultNotify', { contact: c.contact, requestingAgentId: owner.dir.id, sessionID: c.sessionID });
    this.#setCall(target, 'Consult');
    if (owner.callState !== 'Consult') this.#setCall(owner, 'Consult');
    this.#notify(owner, 'AGTEnableCancelConsult', { sessionID: c.sessionID });
  }

  /** A queued consult starts once its target is free (idle and Ready). */
  #startPendingConsult(target: Agent): void {
    if (target.sessionID || target.state !== 'Ready' || target.nailup !== 'NailedUp') return;
    const sessionID = target.pendingConsults.shift();
    if (!sessionID) return;
    const c = this.#contacts.get(sessionID);
    const owner = c ? this.#agents.get(c.owner) : undefined;
    if (!c || !owner || c.consult?.state !== 'pending') return this.#startPendingConsult(target);
    c.consult.state = 'active';
    this.#notify(owner, 'AGTPendingConsultComplete', { sessionID });
    this.#joinConsult(owner, target, c);
  }

  #completeTransfer(a: Agent, args: Record<string, unknown>): Outcome {
    const c = this.#own(a, args.sessionID);
    const fail = { canDispose: false, wrapupDetails: null, sessionID: c?.sessionID ?? args.sessionID };
    if (!c || c.owner !== a.dir.id) return { result: 9004, args: fail };
    const externalConference = a.callState === 'ConferenceOwner' && c.conference === 'external';
    if (!externalConference && c.consult?.state === 'pending') return { result: 421, args: fail };
    if (!externalConference && (a.callState !== 'Consult' || c.consult?.state !== 'active')) return { result: 9004, args: fail };
    const external = externalConference || c.consult?.kind === 'external';
    const wrapup = external ? this.#wrapupData() : null;
    return {
      result: 0,
      args: { canDispose: external, wrapupDetails: wrapup, sessionID: c.sessionID },
      after: () => {
        if (external) {
          // The call leaves POM's agents for the external party; this agent dispositions it.
          c.consult = undefined;
          c.conference = undefined;
          c.customer = 'gone';
          a.wrapup = wrapup ?? undefined;
          this.#setCall(a, 'Wrapup');
          return;
        }
        const passive = this.#agent(c.passive!);
        c.owner = passive.dir.id;
        c.passive = undefined;
        c.consult = undefined;
        this.#notify(passive, 'AGTTransferNotify', { contact: c.contact, sessionID: c.sessionID });
        this.#setCall(passive, 'Talking');
        this.#leaveCall(a);
      },
    };
  }

  #cancelConsult(a: Agent, args: Record<string, unknown>): Outcome {
    const c = this.#own(a, args.sessionID);
    const sid = { sessionID: c?.sessionID ?? args.sessionID };
    const pendingOwn = c?.consult?.state === 'pending' && c.owner === a.dir.id;
    if (!c || !c.consult || (a.callState !== 'Consult' && !pendingOwn)) return { result: 401, args: sid };
    return {
      result: 0,
      args: sid,
      after: () => {
        const consult = c.consult!;
        const owner = this.#agent(c.owner);
        const passive = c.passive ? this.#agents.get(c.passive) : undefined;
        c.consult = undefined;
        c.passive = undefined;
        if (consult.state === 'pending' && passive) {
          passive.pendingConsults = passive.pendingConsults.filter((s) => s !== c.sessionID);
          this.#setCall(owner, 'Talking');
          return;
        }
        if (a === owner) {
          if (passive) {
            this.#notify(passive, 'AGTConsultCancelled', { requestingAgentId: owner.dir.id, sessionID: c.sessionID });
            this.#leaveCall(passive);
          }
          this.#setCall(owner, 'Talking');
        } else {
          this.#notify(owner, 'AGTConsultCancelled', { requestingAgentId: a.dir.id, sessionID: c.sessionID });
          this.#setCall(owner, 'Talking');
          this.#leaveCall(a);
        }
      },
    };
  }

  #endConference(a: Agent, c: Contact): void {
    const owner = this.#agent(c.owner);
    const passive = c.passive ? this.#agents.get(c.passive) : undefined;
    c.conference = undefined;
    c.passive = undefined;
    if (a === owner) {
      if (passive) {
        this.#notify(passive, 'AGTConferenceEnded', { sessionID: c.sessionID });
        this.#leaveCall(passive);
      }
      this.#setCall(owner, 'Talking');
    } else {
      this.#notify(owner, 'AGTConferenceEnded', { sessionID: c.sessionID });
      this.#setCall(owner, 'Talking');
      this.#leaveCall(a);
    }
  }

  #createCallback(a: Agent, args: Record<string, unknown>): Outcome {
    const c = this.#own(a, args.sessionID);
    const sid = { sessionID: c?.sessionID ?? args.sessionID };
    if (!c || !['Preview', 'Callback', 'Talking', 'Wrapup'].includes(a.callState)) return { result: 483, args: sid };
    const type = args.callbackType;
    if (!CALLBACK_TYPES.includes(type as never)) return { result: 485, args: sid };
    const m = CALLBACK_TIME.exec(String(args.callbackTime));
    if (!m) return { result: 486, args: sid };
    const when = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
    if (Number.isNaN(when)) return { result: 486, args: sid };
    if (!/^\d+$/.test(String(args.callbackExpiryTime))) return { result: 487, args: sid };
    // The time is whole minutes: a callback for the current minute is not in the past.
    if (when < Math.floor(Date.now() / 60_000) * 60_000) return { result: 488, args: sid };
    const dest = args.callbackDest as { id?: unknown } | null | undefined;
    if (type === 'Campaign' && !CALLBACK_CAMPAIGNS.some((k) => k.id === dest?.id)) return { result: 484, args: sid };
    if (type === 'Agent' && dest && !this.#agents.has(String(dest.id))) return { result: 482, args: sid };
    const number = args.contactNumber as { Name?: unknown; Number?: unknown };
    if (typeof number.Number !== 'string' || !ADDRESS.test(number.Number)) return { result: 9008, args: sid };
    return {
      result: 0,
      args: sid,
      after: () => {
        this.#callbacks.push({
          sessionID: c.sessionID,
          agentId: a.dir.id,
          callbackType: type,
          callbackDest: dest ?? null,
          callbackTime: new Date(when).toISOString(),
          callbackTimezone: args.callbackTimezone,
          callbackExpiryTime: Number(args.callbackExpiryTime),
          contactNumber: number,
          agentNotes: args.agentNotes ?? '',
        });
        if (this.#callbacks.length > 1000) this.#callbacks.shift();
      },
    };
  }

  // ── The contact centre and the customer (control verbs) ──────────────────────────────────

  /** A predictive/progressive contact: the customer is already connected on the nailed line. */
  offerCall(to: string, input: { from: string; name?: string; fields?: Record<string, unknown>; contactType?: string }): string {
    const a = this.#readyForContact(to);
    const c = this.#newContact(a, input.from, input.name, input.fields, input.contactType === 'Predictive' ? 'Predictive' : 'Progressive');
    c.customer = 'connected';
    this.#notify(a, 'AGTCallNotify', { contact: c.contact, sessionID: c.sessionID });
    this.#setCall(a, 'Talking');
    this.#settle();
    return c.sessionID;
  }

  /** A preview (or callback) contact, presented before dialling. */
  offerPreview(
    to: string,
    input: { number: string; name?: string; fields?: Record<string, unknown>; timeoutSec?: number; callback?: boolean; numbers?: string[] },
  ): string {
    const a = this.#readyForContact(to);
    const c = this.#newContact(a, input.number, input.name, input.fields, input.callback ? 'Callback' : 'Preview');
    c.contact.previewTimeout = Math.max(0, Math.floor(input.timeoutSec ?? 0));
    for (const [i, n] of (input.numbers ?? []).entries()) c.contact.contactNumbers.push({ Name: `Phone${i + 2}`, Number: n });
    this.#notify(a, 'AGTCallNotify', { contact: c.contact, sessionID: c.sessionID });
    this.#setCall(a, input.callback ? 'Callback' : 'Preview');
    this.#settle();
    return c.sessionID;
  }

  /** POM tells the agent a scheduled callback is due shortly. */
  callbackPending(to: string, dueTime: string): string {
    const a = this.#loggedOn(to);
    const sessionID = `S${this.#nextSession++}`;
    this.#notify(a, 'AGTPreviewCallbackPending', { dueTime, sessionID });
    return sessionID;
  }

  callbackExpired(to: string, sessionID: string, dueTime: string): void {
    this.#notify(this.#loggedOn(to), 'AGTPreviewCallbackCancelled', { dueTime, sessionID });
  }

  /** The customer hangs up (answering machine: acwMaxTime 0 and the Answer_Machine code). */
  customerHangup(sessionID: string, answerMachine = false): void {
    const c = this.#contacts.get(sessionID);
    if (!c || c.customer === 'gone' || c.customer === 'none') throw new ControlError(409, `No customer is on the line for ${sessionID}.`);
    const owner = this.#agent(c.owner);
    const wrapup = answerMachine ? { acwMaxTime: 0, acwExtendable: false, defaultCompCode: ANSWER_MACHINE } : this.#wrapupData();
    if (c.customer === 'dialing') {
      c.customer = 'gone';
      owner.wrapup = wrapup;
      this.#notify(owner, 'AGTDialFailed', { wrapupDetails: wrapup, dialFailReason: 'NoAnswer', sessionID });
      this.#setCall(owner, 'Wrapup');
      this.#settle();
      return;
    }
    c.customer = 'gone';
    const passive = c.passive ? this.#agents.get(c.passive) : undefined;
    if (c.consult?.state === 'pending' && passive) passive.pendingConsults = passive.pendingConsults.filter((s) => s !== sessionID);
    else if (passive && c.consult) {
      this.#notify(passive, 'AGTConsultCancelled', { requestingAgentId: owner.dir.id, sessionID });
      this.#leaveCall(passive);
    } else if (passive && c.conference) {
      this.#notify(passive, 'AGTConferenceEnded', { sessionID });
      this.#leaveCall(passive);
    }
    c.consult = undefined;
    c.conference = undefined;
    c.passive = undefined;
    owner.wrapup = wrapup;
    this.#notify(owner, 'AGTAutoReleaseLine', { wrapupDetails: wrapup, sessionID });
    this.#setCall(owner, 'Wrapup');
    this.#settle();
  }

  /** A dialling customer answers (only needed with connectDelayMs set very high). */
  customerAnswer(sessionID: string): void {
    const c = this.#contacts.get(sessionID);
    if (!c || c.customer !== 'dialing') throw new ControlError(409, `${sessionID} is not dialling.`);
    this.#connect(c);
  }

  armDialFailure(reason: unknown, consult: boolean): void {
    const r = (reason ?? 'Busy') as PomDialFailReason;
    if (!DIAL_FAIL_REASONS.includes(r)) throw new ControlError(400, `"reason" must be one of ${DIAL_FAIL_REASONS.join(', ')}.`);
    if (consult) this.#consultDialFails = r;
    else this.#dialFails = r;
  }

  /**
   * The job the agent is attached to is over: POM drops the nailing (PendingNailupDrop, then
   * NotNailedUp); the agent stays Ready and available for the next job.
   */
  jobEnd(to: string): void {
    const a = this.#loggedOn(to);
    if (!a.job) throw new ControlError(409, `Agent ${to} is not attached to a job.`);
    if (a.sessionID) throw new ControlError(409, `Agent ${to} is on a contact; POM ends the job after it.`);
    this.#unnail(a);
    this.#sendCaps(a, true);
  }

  /** A job starts and POM nails the agent for it (AGTJobAttached once nailed). */
  jobStart(to: string, campaign: string): void {
    const a = this.#loggedOn(to);
    if (campaign !== JOB.campaignName && campaign !== WINBACK_JOB.campaignName) throw new ControlError(400, `No job for campaign ${campaign}.`);
    if (a.job) throw new ControlError(409, `Agent ${to} is already attached to ${a.job}.`);
    if (!a.availableForNailup) throw new ControlError(409, `Agent ${to} has not offered itself for nailing.`);
    a.nextJob = campaign;
    this.#startNailing(a);
  }

  /** The site's do-not-call list already holds `number` (what AGTIsInDNC answers for). */
  listInDnc(number: string): void {
    if (!ADDRESS.test(number)) throw new Error(`"${number}" is not a phone number.`);
    this.#dnc.add(number);
  }

  nailingLost(to: string): void {
    const a = this.#loggedOn(to);
    if (a.nailup !== 'NailedUp') throw new ControlError(409, `Agent ${to} is not nailed up.`);
    a.nailup = 'NailingLost';
    this.#notify(a, 'AGTNailupChange', { nailupStatus: 'NailingLost' });
    this.#sendCaps(a, true);
  }

  zoneDown(zoneName: string, gracePeriodInMillis: number): void {
    for (const a of this.#agents.values()) if (a.loggedOn && a.zone === zoneName) this.#notify(a, 'AGTZoneDown', { zoneName, gracePeriodInMillis });
  }

  /** The library loses (or regains) the Agent Manager: POMNotAvailable / POMAvailable. */
  setPomAvailable(available: boolean): void {
    if (this.#pomAvailable === available) return;
    this.#pomAvailable = available;
    for (const a of this.#agents.values()) this.#notify(a, available ? 'POMAvailable' : 'POMNotAvailable', {});
  }

  rawNotify(to: string, name: string, args: Record<string, unknown>): void {
    this.#agent(to).link?.notify(name as PomNotificationName, args);
  }

  askAgentStatus(to: string): void {
    this.#notify(this.#agent(to), 'GetAgentStatus', { agentID: to });
  }

  // ── Helpers ─────────────────────────────────────────────────────────────────────────────

  #blankAgent(dir: DirectoryAgent): Agent {
    const a: Agent = {
      dir,
      loggedOn: false,
      mode: 'elite',
      ext: '',
      zone: dir.zone,
      locale: 'en_US',
      timeZone: 'UTC',
      state: 'NotReady',
      walkedAway: false,
      availableForNailup: false,
      nailup: 'NotNailedUp',
      outbound: true,
      inPacing: true,
      callState: 'Idle',
      pendingConsults: [],
      pendingLogout: false,
      generation: 0,
    };
    if (dir.virtual) {
      Object.assign(a, { loggedOn: true, state: 'Ready', availableForNailup: true, nailup: 'NailedUp', job: JOB.campaignName, ext: `5${dir.id}` });
    }
    return a;
  }

  #agent(id: string): Agent {
    const a = this.#agents.get(id);
    if (!a) throw new ControlError(404, `Unknown POM agent "${id}".`);
    return a;
  }

  #loggedOn(id: string): Agent {
    const a = this.#agent(id);
    if (!a.loggedOn) throw new ControlError(409, `Agent ${id} is not logged on.`);
    return a;
  }

  #readyForContact(id: string): Agent {
    const a = this.#loggedOn(id);
    if (a.state !== 'Ready') throw new ControlError(409, `Agent ${id} is not Ready.`);
    if (a.nailup !== 'NailedUp') throw new ControlError(409, `Agent ${id} is not nailed up (POM only delivers contacts to nailed agents).`);
    if (a.sessionID) throw new ControlError(409, `Agent ${id} is already handling ${a.sessionID}.`);
    return a;
  }

  /** The contact the agent is on, when `sessionID` names it (or is absent). */
  #own(a: Agent, sessionID: unknown): Contact | undefined {
    if (!a.sessionID || (sessionID !== undefined && sessionID !== null && sessionID !== a.sessionID)) return undefined;
    return this.#contacts.get(a.sessionID);
  }

  #newContact(a: Agent, number: string, name: string | undefined, fields: Record<string, unknown> | undefined, contactType: PomContact['contactType']): Contact {
    const sessionID = `S${this.#nextSession++}`;
    const contact: PomContact = {
      contactId: `K${sessionID.slice(1)}`,
      contactType,
      campaignName: a.job ?? JOB.campaignName,
      jobId: (a.job === WINBACK_JOB.campaignName ? WINBACK_JOB : JOB).jobId,
      skillset: (a.job === WINBACK_JOB.campaignName ? WINBACK_JOB : JOB).skillset,
      agentScriptURL: 'https://scripts.example.com/renewals',
      contactNumbers: [{ Name: 'Phone1', Number: number }],
    };
    if (name) contact.customerName = name;
    const c: Contact = { sessionID, contact, attributes: toAttributes(fields, name, number), notes: [], customer: 'none', owner: a.dir.id };
    this.#contacts.set(sessionID, c);
    if (this.#contacts.size > 500) this.#contacts.delete(this.#contacts.keys().next().value!);
    a.sessionID = sessionID;
    return c;
  }

  #dial(a: Agent, c: Contact): void {
    c.customer = 'dialing';
    this.#setCall(a, 'Dialing');
    const fails = this.#dialFails;
    this.#dialFails = undefined;
    this.#after(this.#config.connectDelayMs, () => {
      if (c.customer !== 'dialing' || a.sessionID !== c.sessionID) return;
      if (fails) {
        c.customer = 'gone';
        const wrapup = this.#wrapupData();
        a.wrapup = wrapup;
        this.#notify(a, 'AGTDialFailed', { wrapupDetails: wrapup, dialFailReason: fails, sessionID: c.sessionID });
        this.#setCall(a, 'Wrapup');
      } else this.#connect(c);
      this.#settle();
    });
  }

  /** Dials the contact on `number`; a free-form one is kept first among its numbers (what was dialled). */
  #dialOn(a: Agent, c: Contact, n: { Name?: unknown }, number: string): void {
    if (n.Name === EXTERNAL_NUMBER || !c.contact.contactNumbers.some((k) => k.Number === number)) {
      c.contact = { ...c.contact, contactNumbers: [{ Name: EXTERNAL_NUMBER, Number: number }, ...c.contact.contactNumbers] };
    }
    this.#dial(a, c);
  }

  #connect(c: Contact): void {
    c.customer = 'connected';
    this.#setCall(this.#agent(c.owner), 'Talking');
    this.#settle();
  }

  /** The contact is wrapped up: Idle, then PendingNotReady → NotReady and queued work. */
  #finish(a: Agent, c: Contact): void {
    if (c.owner === a.dir.id) this.#contacts.delete(c.sessionID);
    this.#leaveCall(a);
  }

  /** The agent has no contact any more (wrapped up, transferred away, dropped as passive). */
  #leaveCall(a: Agent): void {
    a.sessionID = undefined;
    a.wrapup = undefined;
    this.#setCall(a, 'Idle', false);
    if (a.pendingLogout) {
      this.#logout(a, true);
      return;
    }
    if (a.state === 'PendingNotReady' && a.pendingConsults.length === 0) {
      a.state = 'NotReady';
      this.#notify(a, 'AGTStateChangedNotify', { agentState: 'NotReady' });
    }
    this.#sendCaps(a, true);
    this.#startPendingConsult(a);
  }

  #setCall(a: Agent, state: PomCallState, caps = true): void {
    a.callState = state;
    this.#notify(a, 'AGTCallStateChangedNotify', { callState: state });
    if (caps) this.#sendCaps(a, true);
  }

  #startNailing(a: Agent): void {
    if (!a.availableForNailup || !a.outbound || a.nailup === 'NailedUp' || a.nailup === 'PendingNailup') return;
    a.nailup = 'PendingNailup';
    this.#notify(a, 'AGTNailupChange', { nailupStatus: 'PendingNailup' });
  }

  #unnail(a: Agent): void {
    if (a.nailup !== 'NailedUp' && a.nailup !== 'PendingNailup') return;
    a.nailup = 'PendingNailupDrop';
    this.#notify(a, 'AGTNailupChange', { nailupStatus: 'PendingNailupDrop' });
    a.nailup = 'NotNailedUp';
    a.job = undefined;
    this.#notify(a, 'AGTNailupChange', { nailupStatus: 'NotNailedUp' });
  }

  #logout(a: Agent, confirm: boolean): void {
    if (a.state !== 'NotReady') {
      a.state = 'NotReady';
      this.#notify(a, 'AGTStateChangedNotify', { agentState: 'NotReady' });
    }
    this.#unnail(a);
    a.loggedOn = false;
    a.pendingLogout = false;
    a.availableForNailup = false;
    a.lastCaps = undefined;
    if (confirm) this.#notify(a, 'AGTAgentLoggedOut', {});
  }

  /** A forced logon elsewhere: the old desktop is told and cut off; its calls are dropped. */
  #dropSession(a: Agent): void {
    const c = a.sessionID ? this.#contacts.get(a.sessionID) : undefined;
    if (c) {
      const other = [c.owner, c.passive].filter((id) => id && id !== a.dir.id).map((id) => this.#agents.get(id!)).find(Boolean);
      if (other) {
        this.#notify(other, c.conference ? 'AGTConferenceEnded' : 'AGTConsultCancelled', c.conference ? { sessionID: c.sessionID } : { requestingAgentId: a.dir.id, sessionID: c.sessionID });
        if (c.owner === a.dir.id) this.#leaveCall(other);
        else this.#setCall(other, 'Talking');
      }
      this.#contacts.delete(c.sessionID);
    }
    this.#notify(a, 'AGTAgentLoggedOut', {});
    a.link?.close();
    a.link = undefined;
    a.sessionID = undefined;
  }

  #wrapupData(defaultCompCode = DEFAULT_COMP_CODE): PomWrapupData {
    return { acwMaxTime: this.#config.acwMaxTime, acwExtendable: this.#config.acwExtendable, defaultCompCode };
  }

  /** Virtual colleagues finish a call they are left alone with, straight away. */
  #settle(): void {
    for (const v of this.#agents.values()) {
      if (!v.dir.virtual || !v.sessionID) continue;
      if (v.callState === 'Talking' || v.callState === 'Held' || v.callState === 'Wrapup') {
        const c = this.#contacts.get(v.sessionID);
        if (c) this.#contacts.delete(c.sessionID);
        v.sessionID = undefined;
        v.callState = 'Idle';
        v.state = 'Ready';
      }
    }
  }

  #row(a: Agent): MatrixRow | null {
    if (!a.loggedOn) return null;
    const c = a.sessionID ? this.#contacts.get(a.sessionID) : undefined;
    switch (a.callState) {
      case 'Talking':
        return 'talking';
      case 'Held':
        return 'held';
      case 'Consult':
        return c?.owner === a.dir.id ? 'consultOwner' : 'consultRecipient';
      case 'ConferenceOwner':
        return c?.conference === 'external' ? 'externalConferenceOwner' : 'agentConferenceOwner';
      case 'ConferencePassive':
        return 'conferenceRecipient';
      case 'Wrapup':
        return 'wrapup';
      case 'Preview':
      case 'Callback':
        return 'previewCallback';
      case 'Dialing':
        return 'dialing';
      default:
        return a.state === 'Ready' ? 'ready' : a.state === 'NotReady' ? 'notReady' : 'pendingNotReady';
    }
  }

  #capabilities(a: Agent): PomCapabilities {
    const row = this.#row(a);
    let flags: CapabilityFlags = row ? CAPABILITY_MATRIX[row] : NO_FLAGS;
    // PendingNotReady on a call: Ready stays possible (the Pending Not Ready row), so the agent
    // can take back a break asked for by mistake.
    if (a.state === 'PendingNotReady' && a.sessionID) flags = { ...flags, ready: true };
    // Wrap-up of the agent's own contact: Originate = Y when the strategy allows AGTRedial (the
    // flag the desktop reads for Redial; the matrix's Wrapup row has N and names no redial flag).
    if (row === 'wrapup' && this.#config.allowRedial) flags = { ...flags, originate: true };
    // The External Conference (Owner) row is sent as the document prints it (ChangeOwnership = Y).
    return toPomCapabilities(flags);
  }

  /** AGTCapabilitiesChanged after a status change (only when they differ unless `force`). */
  #sendCaps(a: Agent, force: boolean): void {
    const caps = this.#capabilities(a);
    const key = JSON.stringify(caps);
    if (!force && key === a.lastCaps) return;
    a.lastCaps = key;
    this.#notify(a, 'AGTCapabilitiesChanged', { capabilities: caps });
  }

  #notify(a: Agent, name: PomNotificationName, args: Record<string, unknown>): void {
    a.link?.notify(name, args);
  }

  #after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }
}

const LIBRARY_CODES = new Set([9996, 9997, 9998, 9999]);


/** Control `fields`: a plain value is a READ_ONLY attribute; `{value, type}` keeps its type. */
function toAttributes(fields: Record<string, unknown> | undefined, name: string | undefined, number: string): PomAttribute[] {
  if (!fields) return defaultAttributes(name, number);
  return Object.entries(fields).map(([key, raw]) => {
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const r = raw as { value?: unknown; type?: unknown };
      const type = ['READ_ONLY', 'WRITE', 'SCREEN_POP', 'MASKED_WRITE'].includes(String(r.type)) ? (r.type as PomAttribute['type']) : 'READ_ONLY';
      return { name: key, value: String(r.value ?? ''), type };
    }
    return { name: key, value: String(raw ?? ''), type: 'READ_ONLY' as const };
  });
}

export type { PomContact };
