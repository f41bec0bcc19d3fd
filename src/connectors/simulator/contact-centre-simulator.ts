/**
 * A contact-centre simulator: the agent and call state machine of the Avaya POM document
 * (vendor-apis.md §5.3–5.10), answering canonical commands with canonical events. Plain
 * TypeScript with no DOM, so the browser's embedded simulator and the reference server run the
 * same code. Errors are POM result codes (`pomError`), capabilities are sent the way POM sends
 * them (after every change, the capability matrix row of the new state).
 *
 * Deliberate differences from POM are listed in docs/decisions-core.md ("Simulator").
 */
import type { Operation } from '../../core/operations.ts';
import type { Command, CommandArgs } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import type {
  AgentState,
  AgentStatus,
  Call,
  CustomerField,
  Destination,
  Disposition,
  Reason,
  WrapupInfo,
} from '../../core/model.ts';
import type { CapabilityFlags } from '../../core/capability-flags.ts';
import { deriveFlags } from '../../core/capability-matrix.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { pomError } from '../pom/error-codes.ts';
import type { OfferCallInput, OfferPreviewInput, SimulatorControl } from './control.ts';
import {
  DEFAULT_DESTINATIONS,
  DEFAULT_DISPOSITIONS,
  DEFAULT_REASONS,
  DEFAULT_WRAPUP_CODE,
  PREVIEW_RECORDS,
} from './simulator-data.ts';

export interface SimulatorOptions {
  agentId: string;
  /** Delay before a command is answered, ms (default 20; 0 answers in a microtask). */
  latencyMs?: number;
  /** Dialling → talking for manual and preview dials, ms (default 1500; 0 when latencyMs is 0). */
  connectDelayMs?: number;
  /** Wrap-up window in seconds (POM acwMaxTime, default 60; 0 = no limit). */
  wrapupMaxTimeSec?: number;
  wrapupExtendable?: boolean;
  now?: () => number;
  reasons?: Reason[];
  dispositions?: Disposition[];
  destinations?: Destination[];
}

export interface TransferInInput extends OfferCallInput {
  /** Who passed the call (shown nowhere yet; kept for the server's control API). */
  fromAgent?: string;
}

export type SimulatorListener = (event: CanonicalEvent) => void;

type Handlers = { [O in Operation]: (args: CommandArgs[O]) => void };

const DIGIT = /^[0-9*#]$/;
/** Where the agent's microphone can be muted: someone is on the line with the agent. */
const SPEAKING_STATES: readonly Call['state'][] = ['talking', 'consult', 'conferenceOwner', 'conferencePassive'];
/** Callbacks and DNC numbers the simulator remembers per agent (a server runs one simulator per agent for days). */
const SIMULATOR_LIST_MAX = 1000;

export class ContactCentreSimulator implements Omit<SimulatorControl, 'dropConnection'> {
  readonly agentId: string;
  readonly #latencyMs: number;
  readonly #connectDelayMs: number;
  readonly #wrapupMaxTimeSec: number;
  readonly #wrapupExtendable: boolean;
  readonly #now: () => number;
  readonly #reasons: Reason[];
  readonly #dispositions: Disposition[];
  readonly #destinations: Destination[];

  readonly #listeners = new Set<SimulatorListener>();
  readonly #timers = new Set<ReturnType<typeof globalThis.setTimeout>>();
  /** Commands waiting for their latency (answered at once by `dispose()`). */
  readonly #waiting = new Set<() => void>();
  readonly #failNext = new Map<Operation, number>();
  readonly #dnc = new Set<string>();
  readonly #callbacks: { time: string; number: string; notes?: string }[] = [];
  #seq = 0;
  #agent: AgentStatus;
  #call: Call | undefined;
  /** The consulted party once a consult became a conference (for external-conference transfer). */
  /** What `free` returns to. */
  #beforeBusy: AgentState = 'ready';
  #removedCode: string | undefined;
  #callCount = 0;
  #recordIndex = 0;
  #disposed = false;

  constructor(options: SimulatorOptions) {
    this.agentId = options.agentId;
    this.#latencyMs = Math.max(0, options.latencyMs ?? 20);
    // Latency 0 is the tests' fast path: calls then connect at once too unless told otherwise.
    this.#connectDelayMs = Math.max(0, options.connectDelayMs ?? (this.#latencyMs === 0 ? 0 : 1500));
    this.#wrapupMaxTimeSec = Math.max(0, options.wrapupMaxTimeSec ?? 60);
    this.#wrapupExtendable = options.wrapupExtendable ?? true;
    this.#now = options.now ?? (() => Date.now());
    this.#reasons = options.reasons ?? DEFAULT_REASONS;
    this.#dispositions = options.dispositions ?? DEFAULT_DISPOSITIONS;
    this.#destinations = options.destinations ?? DEFAULT_DESTINATIONS;
    this.#agent = { id: this.agentId, state: 'loggedOut', since: this.#now() };
  }

  /** The last `seq` used. */
  get seq(): number {
    return this.#seq;
  }

  /** Receives every event (with `seq` and `at`). */
  onEvent(listener: SimulatorListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Answers one command after the configured latency; the state change follows as events. */
  execute(command: Command): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const run = () => {
        if (this.#disposed) {
          reject(new CtiError({ code: ErrorCode.Destroyed, operation: command.operation, message: 'The simulator was stopped.' }));
          return;
        }
        const code = this.#failNext.get(command.operation);
        if (code !== undefined) {
          this.#failNext.delete(command.operation);
          reject(pomError(code, command.operation));
          return;
        }
        const handler = this.#handlers[command.operation] as ((args: unknown) => void) | undefined;
        if (!handler) {
          reject(pomError(9011, command.operation));
          return;
        }
        try {
          this.#change(() => handler(command.args ?? {}));
          resolve();
        } catch (error) {
          reject(CtiError.from(error, { code: ErrorCode.Rejected, operation: command.operation }));
        }
      };
      if (this.#latencyMs > 0) {
        // Stopping the simulator clears its timers: a command waiting for one is answered then.
        const settle = () => {
          this.#waiting.delete(settle);
          run();
        };
        this.#waiting.add(settle);
        this.#after(this.#latencyMs, settle);
      } else queueMicrotask(run);
    });
  }

  /**
   * The current state as events, without `seq` (they describe the state at the current seq,
   * `this.seq`): agent state, lists, the whole call list, capabilities. The server sends them when
   * it cannot replay; the connector re-sends them after a reconnect.
   */
  snapshotEvents(): CanonicalEvent[] {
    const at = this.#now();
    const events: CanonicalEvent[] = [
      this.#agentEvent(at),
      { type: 'lists', reasons: this.#reasons, dispositions: this.#dispositions, destinations: this.#destinations, at },
      { type: 'calls', calls: this.#call ? [this.#call] : [], at },
      { type: 'capabilities', flags: this.flags(), at },
    ];
    return events;
  }

  /**
   * `snapshotEvents()` for `restoreState()` later (a page reload): the agent event carries the
   * time the agent entered the state, so the state timer goes on instead of starting again.
   */
  savedState(): CanonicalEvent[] {
    const events = this.snapshotEvents();
    events[0] = this.#agentEvent(this.#agent.since);
    return events;
  }

  /** Alias of `snapshotEvents()`. */
  state(): CanonicalEvent[] {
    return this.snapshotEvents();
  }

  /** Puts the simulator back into a state saved as events (the server's state file). */
  restoreState(events: readonly CanonicalEvent[]): void {
    for (const event of events) {
      if (event.type === 'agentState') {
        this.#agent = { id: this.agentId, state: event.state, since: event.at ?? this.#now(), ...(event.reason ? { reason: event.reason } : {}) };
      } else if (event.type === 'calls') {
        this.#call = event.calls[0];
      } else if (event.type === 'call') {
        this.#call = event.call;
      } else if (event.type === 'callRemoved' && this.#call?.id === event.callId) {
        this.#call = undefined;
      }
    }
    const n = Number(/-(\d+)$/.exec(this.#call?.id ?? '')?.[1] ?? 0);
    this.#callCount = Math.max(this.#callCount, n);
    if (this.#call?.state === 'dialing') this.#connectLater(this.#call.id);
  }

  /** The capability flags for the current state, as POM would send them. */
  flags(): CapabilityFlags {
    const flags = deriveFlags(this.#agent, this.#call);
    // POM's matrix has Record = N everywhere (POM has no recording command). The simulator
    // implements recording, so it advertises Record = Y while the agent talks to the customer.
    const record = this.#call?.state === 'talking' && this.#call.role === 'owner';
    // Redial (AGTRedial) is allowed in wrap-up, gated by Originate (docs/decisions-core.md): the
    // simulator's strategy allows it, so its wrap-up advertises Originate = Y to the owner.
    const originate = flags.originate || (this.#call?.state === 'wrapup' && this.#call.role === 'owner');
    return record === flags.record && originate === flags.originate ? flags : { ...flags, record, originate };
  }

  // ── Control (the contact centre and the customer) ──────────────────────────────────────────

  /** An inbound call rings at a Ready agent with no call. */
  offerCall(input: OfferCallInput): void {
    this.#control(() => {
      this.#requireIdleReady('offer a call');
      this.#call = this.#newCall(input, 'inbound', 'ringing');
    });
  }

  /** The customer hangs up: wrap-up for the owner, the call simply leaves a passive party. */
  customerHangup(): void {
    this.#control(() => {
      const call = this.#call;
      if (!call || !['ringing', 'dialing', 'talking', 'held', 'consult', 'conferenceOwner', 'conferencePassive'].includes(call.state)) {
        throw controlError('There is no customer on the line to hang up.');
      }
      if (call.state === 'ringing' || call.role === 'passive') {
        // An abandoned ringing call, or POM: "the passive agent goes to Idle".
        this.#removeCall();
      } else {
        // POM: the customer cannot be dropped in a consult or conference; if the customer hangs
        // up, POM drops the consult/conference and the owner goes to wrap-up.
        this.#toWrapup();
      }
    });
  }

  /** A preview (or callback) record is presented before dialling (POM AGTCallNotify). */
  offerPreview(input: OfferPreviewInput): void {
    this.#control(() => {
      this.#requireIdleReady('present a preview record');
      this.#presentPreview(input);
    });
  }

  /** The consulted party answers: the consult leg connects. */
  answerConsult(): void {
    this.#control(() => {
      const call = this.#call;
      if (!call?.consult || call.state !== 'consult' || call.consult.state !== 'dialing') {
        throw controlError('There is no consult call ringing.');
      }
      this.#call = { ...call, consult: { ...call.consult, state: 'connected', activeParty: 'consult' } };
    });
  }

  /** The next command of `operation` fails with POM error `code`. */
  failNext(operation: Operation, code: number): void {
    if (!Number.isSafeInteger(code) || code === 0) throw controlError('failNext needs a non-zero integer error code.');
    this.#failNext.set(operation, code);
  }

  /** Another agent passes a call to us (POM AGTTransferNotify): it arrives talking, we own it. */
  transferIn(input: TransferInInput): void {
    this.#control(() => {
      if (this.#agent.state === 'loggedOut') throw controlError('The agent is logged out.');
      if (this.#call) throw controlError('The agent already has a call.');
      const call = this.#newCall(input, 'inbound', 'talking');
      this.#call = { ...call, timestamps: { ...call.timestamps, connectedAt: this.#now() } };
    });
  }

  /** Cancels every timer and stops events. Idempotent. */
  dispose(): void {
    this.#disposed = true;
    for (const t of this.#timers) globalThis.clearTimeout(t);
    this.#timers.clear();
    // Commands still waiting for their latency are rejected (DESTROYED), never left hanging.
    for (const settle of [...this.#waiting]) settle();
    this.#listeners.clear();
  }

  // ── Commands (the agent) ────────────────────────────────────────────────────────────────────

  readonly #handlers: Handlers = {
    login: () => {
      if (this.#agent.state !== 'loggedOut') throw pomError(7, 'login');
      this.#setAgent('notReady');
      this.#emit({ type: 'lists', reasons: this.#reasons, dispositions: this.#dispositions, destinations: this.#destinations });
    },
    logout: () => {
      // POM 541: logoff only from NotReady (we also refuse with a call, so none is lost).
      if (this.#agent.state !== 'notReady' || this.#call) throw pomError(541, 'logout');
      this.#setAgent('loggedOut');
    },
    ready: () => {
      const s = this.#agent.state;
      this.#requireLoggedIn('ready');
      if (s === 'ready') throw pomError(61, 'ready');
      if (s === 'busy') throw pomError(9004, 'ready');
      this.#setAgent('ready');
    },
    notReady: ({ reasonCode }) => {
      this.#requireLoggedIn('notReady');
      const reason = this.#reasons.find((r) => r.code === reasonCode);
      if (!reason) throw pomError(9008, 'notReady');
      const s = this.#agent.state;
      if ((s === 'notReady' || s === 'pendingNotReady') && this.#agent.reason?.code === reason.code) throw pomError(63, 'notReady');
      if (s === 'busy') throw pomError(64, 'notReady');
      // POM: NotReady is immediate only when idle; during a call or wrap-up it is pending.
      this.#setAgent(this.#call ? 'pendingNotReady' : 'notReady', reason);
    },
    busy: () => {
      this.#requireLoggedIn('busy');
      const s = this.#agent.state;
      if (this.#call || (s !== 'ready' && s !== 'notReady')) throw pomError(9004, 'busy');
      this.#beforeBusy = s;
      this.#setAgent('busy', s === 'notReady' ? this.#agent.reason : undefined);
    },
    free: () => {
      if (this.#agent.state !== 'busy') throw pomError(9004, 'free');
      this.#setAgent(this.#beforeBusy, this.#agent.reason);
    },
    dial: ({ number }) => {
      this.#requireLoggedIn('dial');
      if (this.#call || this.#agent.state === 'busy') throw pomError(9004, 'dial');
      if (typeof number !== 'string' || number === '') throw pomError(9008, 'dial');
      this.#call = this.#newCall({ number }, 'outbound', 'dialing');
      this.#connectLater(this.#call.id);
    },
    answer: (args) => {
      const call = this.#callFor(args, 'answer');
      if (call.state !== 'ringing') throw pomError(9004, 'answer');
      this.#call = { ...call, state: 'talking', timestamps: { ...call.timestamps, connectedAt: this.#now() } };
    },
    hangup: (args) => {
      const call = this.#callFor(args, 'hangup');
      // POM AGTReleaseLine: Talking only (end a consult or conference first).
      if (call.state !== 'talking') throw pomError(call.state === 'wrapup' ? 82 : 81, 'hangup');
      this.#toWrapup();
    },
    hold: (args) => {
      const call = this.#callFor(args, 'hold', 103);
      if (call.state !== 'talking') throw pomError(call.state === 'held' ? 101 : 103, 'hold');
      this.#call = { ...call, state: 'held', timestamps: { ...call.timestamps, heldAt: this.#now() } };
    },
    retrieve: (args) => {
      const call = this.#callFor(args, 'retrieve', 123);
      if (call.state !== 'held') throw pomError(121, 'retrieve');
      const { heldAt: _heldAt, ...timestamps } = call.timestamps;
      this.#call = { ...call, state: 'talking', timestamps };
    },
    sendDtmf: (args) => {
      const call = this.#callFor(args, 'sendDtmf', 342);
      if (typeof args.digit !== 'string' || !DIGIT.test(args.digit)) throw pomError(341, 'sendDtmf');
      if (call.state !== 'talking') throw pomError(342, 'sendDtmf');
      // Tones go to the far end; nothing in the call's state changes.
    },
    startRecording: (args) => {
      const call = this.#callFor(args, 'startRecording', 441);
      if (call.state !== 'talking' || call.recording) throw pomError(441, 'startRecording');
      this.#call = { ...call, recording: true };
    },
    stopRecording: (args) => {
      const call = this.#callFor(args, 'stopRecording', 461);
      if (call.state !== 'talking' || !call.recording) throw pomError(461, 'stopRecording');
      this.#call = { ...call, recording: false };
    },
    consult: (args) => {
      const call = this.#callFor(args, 'consult');
      if (call.state !== 'talking' || call.role !== 'owner') throw pomError(9004, 'consult');
      const destination = this.#destination(args.destination);
      // The customer hears music on hold while the consult leg dials.
      this.#call = {
        ...call,
        state: 'consult',
        consult: { destination, state: 'dialing', activeParty: 'consult', startedAt: this.#now() },
      };
    },
    blindTransfer: (args) => {
      const call = this.#callFor(args, 'blindTransfer');
      if (call.state !== 'talking' || call.role !== 'owner') throw pomError(9004, 'blindTransfer');
      this.#destination(args.destination);
      this.#removeCall();
    },
    alternate: (args) => {
      const call = this.#callFor(args, 'alternate');
      if (call.state !== 'consult' || call.role !== 'owner' || call.consult?.state !== 'connected') throw pomError(9004, 'alternate');
      const activeParty = call.consult.activeParty === 'consult' ? 'customer' : 'consult';
      this.#call = { ...call, consult: { ...call.consult, activeParty } };
    },
    completeTransfer: (args) => {
      const call = this.#callFor(args, 'completeTransfer');
      const externalConference = call.state === 'conferenceOwner' && call.conferenceKind === 'external';
      const consultReady = call.state === 'consult' && call.role === 'owner' && call.consult?.state === 'connected';
      if (!externalConference && !consultReady) throw pomError(call.state === 'consult' ? 421 : 9004, 'completeTransfer');
      // POM: the consulted party now owns the call; this agent goes idle.
      this.#removeCall();
    },
    cancelConsult: (args) => {
      const call = this.#callFor(args, 'cancelConsult', 401);
      if (call.state !== 'consult') throw pomError(401, 'cancelConsult');
      if (call.role === 'passive') {
        this.#removeCall(); // POM: the passive agent goes idle
        return;
      }
      const { consult: _dropped, ...rest } = call;
      this.#call = { ...rest, state: 'talking' };
    },
    conference: (args) => {
      const call = this.#callFor(args, 'conference', 181);
      if (call.state !== 'consult' || call.role !== 'owner' || call.consult?.state !== 'connected') throw pomError(182, 'conference');
      const { consult: _joined, ...rest } = call;
      this.#call = {
        ...rest,
        state: 'conferenceOwner',
        conferenceKind: call.consult.destination.type === 'agent' ? 'agent' : 'external',
      };
    },
    leaveConference: (args) => {
      const call = this.#callFor(args, 'leaveConference', 301);
      if (call.state === 'conferenceOwner') throw pomError(281, 'leaveConference');
      if (call.state !== 'conferencePassive') throw pomError(301, 'leaveConference');
      this.#removeCall();
    },
    endConference: (args) => {
      const call = this.#callFor(args, 'endConference', 301);
      if (call.state === 'conferencePassive') throw pomError(302, 'endConference');
      if (call.state !== 'conferenceOwner') throw pomError(301, 'endConference');
      const { conferenceKind: _kind, ...rest } = call;
      this.#call = { ...rest, state: 'talking' };
    },
    changeConferenceOwner: (args) => {
      const call = this.#callFor(args, 'changeConferenceOwner', 301);
      if (call.state !== 'conferenceOwner') throw pomError(302, 'changeConferenceOwner');
      if (call.conferenceKind === 'external') throw pomError(321, 'changeConferenceOwner');
      this.#call = { ...call, state: 'conferencePassive', role: 'passive' };
    },
    wrapUp: (args) => {
      const call = this.#callFor(args, 'wrapUp', 201);
      if (call.state !== 'wrapup') throw pomError(9004, 'wrapUp');
      const known = this.#dispositions.some((d) => d.code === args.code) || call.wrapup?.defaultCode === args.code;
      if (!known) throw pomError(202, 'wrapUp');
      if (args.notes) this.#call = { ...call, notes: [...call.notes, args.notes] };
      this.#removeCall(args.code);
    },
    extendWrapUp: (args) => {
      const call = this.#callFor(args, 'extendWrapUp', 501);
      if (call.state !== 'wrapup' || !call.wrapup?.extendable) throw pomError(501, 'extendWrapUp');
      this.#call = { ...call, wrapup: this.#wrapupInfo(call.wrapup) };
    },
    createCallback: (args) => {
      const call = this.#callFor(args, 'createCallback', 483);
      if (!['talking', 'wrapup', 'preview', 'callback'].includes(call.state)) throw pomError(483, 'createCallback');
      const when = Date.parse(args.time);
      if (Number.isNaN(when)) throw pomError(486, 'createCallback');
      if (when < this.#now()) throw pomError(488, 'createCallback');
      this.#callbacks.push({ time: new Date(when).toISOString(), number: args.number ?? call.remote.number, ...(args.notes ? { notes: args.notes } : {}) });
      // Kept per agent for as long as a server runs: bounded, the oldest go first.
      if (this.#callbacks.length > SIMULATOR_LIST_MAX) this.#callbacks.shift();
    },
    addNote: (args) => {
      const call = this.#callFor(args, 'addNote', 563);
      if (typeof args.note !== 'string' || args.note.trim() === '') throw pomError(561, 'addNote');
      this.#call = { ...call, notes: [...call.notes, args.note] };
    },
    setCustomerField: (args) => {
      const call = this.#callFor(args, 'setCustomerField', 521);
      // POM recommends passive parties do not edit; the matrix gives them no UpdateRecord.
      if (call.role !== 'owner' || !['talking', 'preview', 'callback', 'held'].includes(call.state)) throw pomError(9004, 'setCustomerField');
      const field = call.fields.find((f) => f.key === args.key);
      if (!field) throw pomError(521, 'setCustomerField');
      if (field.type === 'readOnly' || field.type === 'screenPop') throw pomError(641, 'setCustomerField');
      if (typeof args.value !== 'string') throw pomError(642, 'setCustomerField');
      this.#call = { ...call, fields: call.fields.map((f) => (f === field ? { ...f, value: args.value } : f)) };
    },
    mute: (args) => {
      const call = this.#callFor(args, 'mute');
      if (!SPEAKING_STATES.includes(call.state) || call.muted) throw pomError(9004, 'mute');
      this.#call = { ...call, muted: true };
    },
    unmute: (args) => {
      const call = this.#callFor(args, 'unmute');
      if (!SPEAKING_STATES.includes(call.state) || !call.muted) throw pomError(9004, 'unmute');
      const { muted: _muted, ...rest } = call;
      this.#call = rest;
    },
    addToDnc: (args) => {
      const number = args.number ?? this.#call?.remote.number;
      if (!number) throw pomError(623, 'addToDnc');
      if (this.#dnc.has(number)) throw pomError(621, 'addToDnc');
      this.#dnc.add(number);
      if (this.#dnc.size > SIMULATOR_LIST_MAX) this.#dnc.delete(this.#dnc.values().next().value!);
    },
    previewDial: (args) => {
      const call = this.#callFor(args, 'previewDial', 241);
      if (call.state !== 'preview' && call.state !== 'callback') throw pomError(241, 'previewDial');
      const number = args.number ?? call.preview?.numbers[0] ?? call.remote.number;
      const { preview: _preview, ...rest } = call;
      this.#call = { ...rest, state: 'dialing', remote: { ...call.remote, number } };
      this.#connectLater(call.id);
    },
    redial: (args) => {
      // POM AGTRedial: from wrap-up only (361), the same contact dialled again.
      const call = this.#callFor(args, 'redial', 361);
      if (call.state !== 'wrapup' || call.role !== 'owner') throw pomError(361, 'redial');
      const { wrapup: _wrapup, ...rest } = call;
      this.#call = { ...rest, state: 'dialing', remote: { ...call.remote, number: args.number ?? call.remote.number } };
      this.#connectLater(call.id);
    },
    previewSkip: (args) => {
      const call = this.#callFor(args, 'previewSkip', 242);
      if (call.state !== 'preview' && call.state !== 'callback') throw pomError(242, 'previewSkip');
      // POM AGTPreviewCancel: to wrap-up, where a completion code is needed.
      this.#toWrapup();
    },
    nextRecord: () => {
      this.#requireLoggedIn('nextRecord');
      if (this.#call || this.#agent.state === 'busy') throw pomError(9004, 'nextRecord');
      const record = PREVIEW_RECORDS[this.#recordIndex++ % PREVIEW_RECORDS.length]!;
      this.#presentPreview({ ...record, timeoutSec: 0 });
    },
  };

  // ── State helpers ───────────────────────────────────────────────────────────────────────────

  /**
   * Runs a mutation and publishes what it changed, in POM's order: the call (or its removal), the
   * agent state, then the capabilities of the new state.
   */
  #change(mutate: () => void): void {
    const agentBefore = this.#agent;
    const callBefore = this.#call;
    this.#removedCode = undefined;
    mutate();
    if (this.#call !== callBefore) {
      if (this.#call) this.#emit({ type: 'call', call: this.#call });
      else if (callBefore) {
        this.#emit(
          this.#removedCode !== undefined
            ? { type: 'callRemoved', callId: callBefore.id, dispositionCode: this.#removedCode }
            : { type: 'callRemoved', callId: callBefore.id },
        );
      }
    }
    // POM: PendingNotReady becomes NotReady once the call is wrapped up and nothing is pending.
    if (!this.#call && callBefore && this.#agent.state === 'pendingNotReady') {
      this.#agent = { ...this.#agent, state: 'notReady', since: this.#now() };
    }
    if (this.#agent !== agentBefore) this.#emit(this.#agentEvent());
    if (this.#agent !== agentBefore || this.#call !== callBefore) {
      this.#emit({ type: 'capabilities', flags: this.flags() });
    }
  }

  #control(mutate: () => void): void {
    if (this.#disposed) throw controlError('The simulator was stopped.');
    this.#change(mutate);
  }

  #emit(event: CanonicalEvent): void {
    if (this.#disposed) return;
    const stamped = { ...event, seq: ++this.#seq, at: event.at ?? this.#now() } as CanonicalEvent;
    for (const listener of [...this.#listeners]) listener(stamped);
  }

  #agentEvent(at?: number): CanonicalEvent {
    const a = this.#agent;
    return { type: 'agentState', state: a.state, agentId: a.id, ...(a.reason ? { reason: a.reason } : {}), ...(at !== undefined ? { at } : {}) };
  }

  #setAgent(state: AgentState, reason?: Reason): void {
    const keep = (state === 'notReady' || state === 'pendingNotReady' || state === 'busy') && reason;
    this.#agent = { id: this.agentId, state, since: this.#now(), ...(keep ? { reason } : {}) };
  }

  #requireLoggedIn(operation: Operation): void {
    if (this.#agent.state === 'loggedOut') throw pomError(9002, operation);
  }

  #requireIdleReady(what: string): void {
    if (this.#agent.state !== 'ready') throw controlError(`Cannot ${what}: the agent is not Ready.`);
    if (this.#call) throw controlError(`Cannot ${what}: the agent already has a call.`);
  }

  /** The call a command acts on (its `callId`, default the current call), else POM `noCall`. */
  #callFor(args: { callId?: string } | undefined, operation: Operation, noCall = 9004): Call {
    const call = this.#call;
    if (!call || (args?.callId !== undefined && args.callId !== call.id)) throw pomError(noCall, operation);
    return call;
  }

  #newCall(input: OfferCallInput, direction: Call['direction'], state: Call['state']): Call {
    const now = this.#now();
    return {
      id: `${this.agentId}-call-${++this.#callCount}`,
      direction,
      state,
      role: 'owner',
      remote: input.name ? { number: input.number, name: input.name } : { number: input.number },
      fields: toFields(input.fields),
      ...(input.campaign ? { campaign: input.campaign } : {}),
      recording: false,
      notes: [],
      timestamps: { offeredAt: now },
    };
  }

  #presentPreview(input: OfferPreviewInput): void {
    const timeoutSec = Math.max(0, input.timeoutSec ?? 0);
    const isCallback = input.isCallback ?? false;
    const call = this.#newCall(input, 'outbound', isCallback ? 'callback' : 'preview');
    const deadline = timeoutSec > 0 ? this.#now() + timeoutSec * 1000 : undefined;
    this.#call = {
      ...call,
      preview: {
        timeoutSec,
        numbers: input.numbers?.length ? [...input.numbers] : [input.number],
        isCallback,
        ...(deadline !== undefined ? { deadline } : {}),
      },
    };
  }

  #destination(value: Destination | undefined): Destination {
    if (!value || typeof value !== 'object') throw pomError(143, 'consult');
    const listed = this.#destinations.find((d) => d.id === value.id && d.type === value.type);
    if (listed) return listed;
    // Free-form external numbers (POM "ExternalNumber"); agents must be known.
    if (value.type === 'external' && (value.number || value.id)) return value;
    throw pomError(143, 'consult');
  }

  #wrapupInfo(previous?: WrapupInfo): WrapupInfo {
    const maxTimeSec = this.#wrapupMaxTimeSec;
    return {
      maxTimeSec,
      extendable: this.#wrapupExtendable,
      defaultCode: previous?.defaultCode ?? DEFAULT_WRAPUP_CODE,
      ...(maxTimeSec > 0 ? { deadline: this.#now() + maxTimeSec * 1000 } : {}),
    };
  }

  /** The current call moves to wrap-up (consult and conference parties dropped). */
  #toWrapup(): void {
    const call = this.#call!;
    const { consult: _c, conferenceKind: _k, preview: _p, ...rest } = call;
    this.#call = {
      ...rest,
      state: 'wrapup',
      role: 'owner',
      wrapup: this.#wrapupInfo(),
      timestamps: { ...call.timestamps, wrapupAt: this.#now() },
    };
  }

  #removeCall(dispositionCode?: string): void {
    this.#removedCode = dispositionCode;
    this.#call = undefined;
  }

  /** Dialling → talking after the connect delay, if the call is still dialling by then. */
  #connectLater(callId: string): void {
    this.#after(this.#connectDelayMs, () => {
      const call = this.#call;
      if (!call || call.id !== callId || call.state !== 'dialing') return;
      this.#change(() => {
        this.#call = { ...call, state: 'talking', timestamps: { ...call.timestamps, connectedAt: this.#now() } };
      });
    });
  }

  #after(ms: number, fn: () => void): void {
    if (this.#disposed) return;
    const t = globalThis.setTimeout(() => {
      this.#timers.delete(t);
      if (!this.#disposed) fn();
    }, ms);
    this.#timers.add(t);
  }
}

function toFields(fields: OfferCallInput['fields']): CustomerField[] {
  if (!fields) return [];
  if (Array.isArray(fields)) return fields.map((f) => ({ key: String(f.key), label: String(f.label ?? f.key), value: String(f.value ?? ''), type: f.type ?? 'readOnly' }));
  return Object.entries(fields).map(([key, value]) => ({ key, label: key, value: String(value), type: 'readOnly' as const }));
}

function controlError(message: string): CtiError {
  return new CtiError({ code: ErrorCode.NotAllowed, message, severity: 'minor' });
}
