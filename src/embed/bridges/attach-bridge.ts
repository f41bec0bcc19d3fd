/**
 * Binds one `HostBridge` to the bar's session. CRM-neutral: the same code drives Salesforce and
 * Dynamics, so what a bridge does on ringing, on a click, on wrap-up is the same for every CRM.
 *
 * - click-to-dial in the CRM → the bar dials (the record it was clicked on is the call's context);
 * - a ringing call → the softphone panel opens, the label shows the phase, CIF 2.0 opens a session
 *   and shows its incoming-call toast (Accept answers, Reject hangs up where the backend can);
 * - the caller's records are searched through the existing host hooks (`searchContacts`,
 *   `screenPop`, `logCall`, run by hook-runner.ts with its time limit), so one match pops, several
 *   are offered to the agent in the bar, none says so; the host may veto the CRM's pop with
 *   `preventDefault()` on the cancelable `cti-crm-pop` event (the search then pops nothing);
 * - wrap-up → the call is logged regarding the picked record, else the clicked one, else the
 *   record on screen.
 *
 * Every CRM failure is reported to the agent (`report`) and changes nothing in the call.
 */
import type { Session } from '../../core/session.ts';
import type { Call, Snapshot } from '../../core/model.ts';
import type { CallRecord, HostHooks } from '../hooks.ts';
import type { BarPhase, ClickToDialRequest, CrmOptions, CrmRecord, HostBridge } from './host-bridge.ts';
import { describeFailure } from './crm-error.ts';

export interface BarLink {
  session: Session;
  /** The `<agent-bar>` element: `cti-crm-pop` is dispatched on it. */
  element: EventTarget;
  dial(number: string, options: { recordId?: string }): Promise<void>;
  /** Shows a CRM failure to the agent (the bar's alert region). */
  report(message: string): void;
}

export interface BridgeLink {
  /** The hooks the bar's hook runner calls for this CRM. */
  readonly hooks: HostHooks;
  /** Resolves true once the CRM is usable, false if it could not be reached (already reported). */
  readonly ready: Promise<boolean>;
  /** A hook failure line from the hook runner, reported with the CRM's name. */
  log(line: string): void;
  dispose(): void;
}

/** The signature of every bridge module's `start` (src/embed/bridges/<crm>/module.ts). */
export type StartBridge = (bar: BarLink, options: CrmOptions) => BridgeLink;

export const PHASE_LABELS: Readonly<Record<BarPhase, string>> = {
  idle: 'Phone',
  ringing: 'Incoming call',
  talking: 'On a call',
  wrapup: 'Wrap-up',
};

/** Calls remembered for their log at wrap-up (an agent has a handful at a time). */
const MAX_CONTEXTS = 50;

const LIVE = new Set<Call['state']>(['dialing', 'talking', 'held', 'consult', 'conferenceOwner', 'conferencePassive']);

export function phaseOf(snapshot: Snapshot): BarPhase {
  const states = snapshot.calls.map((c) => c.state);
  if (states.includes('ringing')) return 'ringing';
  if (states.some((s) => LIVE.has(s))) return 'talking';
  return states.includes('wrapup') ? 'wrapup' : 'idle';
}

/** Digits only: a clicked "(415) 555-0100" and the dialled "+14155550100" are the same number. */
const digits = (n: string) => n.replace(/\D/g, '');
const sameNumber = (a: string, b: string) => {
  const x = digits(a);
  const y = digits(b);
  return x.length > 0 && y.length > 0 && (x.endsWith(y) || y.endsWith(x));
};

interface CallContext {
  /** The record the call was dialled from, or the record on screen when it was offered. */
  regarding?: CrmRecord;
  /** Dialled by a click in the CRM: the agent is already on the record, nothing to pop. */
  fromClick?: boolean;
  /**
   * One match or none: the CRM popped by its own rules, or the host vetoed the pop. Only a pick
   * among several matches (the agent's choice) pops from the bar.
   */
  settled?: boolean;
}

export function attachBridge(bar: BarLink, bridge: HostBridge, options: CrmOptions): BridgeLink {
  const { session } = bar;
  let disposed = false;
  let current: CrmRecord | undefined;
  let pendingClick: ClickToDialRequest | undefined;
  /** Every record the CRM returned, by id: the runner keeps only id/name of the picked one. */
  const known = new Map<string, CrmRecord>();
  const contexts = new Map<string, CallContext>();
  const report = (reason: unknown) => {
    if (!disposed) bar.report(`${bridge.crm}: ${describeFailure(reason)}`);
  };
  const quietly = (run: () => Promise<unknown> | undefined) => {
    if (disposed) return;
    try {
      run()?.catch(report);
    } catch (error) {
      report(error);
    }
  };

  const ready = bridge.init().then(
    () => {
      if (disposed) return false;
      bridge.onClickToDial((request) => {
        if (disposed) return;
        pendingClick = { number: request.number, record: request.record ?? current };
        const recordId = pendingClick.record?.id;
        // A refused dial (not ready, bad number) shows in the bar's alert like any dial.
        bar.dial(request.number, recordId ? { recordId } : {}).catch(() => {});
      });
      bridge.onNavigation((record) => (current = record));
      if (options.panel) quietly(() => bridge.setPanelSize(options.panel!));
      quietly(() => bridge.setLabel(PHASE_LABELS.idle, 'idle'));
      return true;
    },
    (error: unknown) => {
      report(error);
      return false;
    },
  );
  const connected = async () => {
    if (!(await ready)) throw new Error(`${bridge.crm} is not connected.`);
  };

  let phase: BarPhase = 'idle';
  const offSnapshot = session.subscribe((snapshot) => {
    const next = phaseOf(snapshot);
    if (next === phase) return;
    phase = next;
    void ready.then((ok) => {
      if (!ok || phase !== next) return;
      if (next === 'ringing') {
        quietly(() => bridge.setPanelVisible(true));
        // A CRM (or the agent) may have resized the panel since the start.
        if (options.panel) quietly(() => bridge.setPanelSize(options.panel!));
      }
      quietly(() => bridge.setLabel(PHASE_LABELS[next], next));
    });
  });

  const offEvents = session.onHostEvent((event) => {
    if (event.type === 'call-offered') {
      const { call } = event.detail;
      const context: CallContext = {};
      if (call.direction === 'outbound' && pendingClick && sameNumber(pendingClick.number, call.remote.number)) {
        if (pendingClick.record) context.regarding = pendingClick.record;
        context.fromClick = true;
        pendingClick = undefined;
      } else if (current) {
        context.regarding = current;
      }
      contexts.set(call.id, context);
      // A call that never reaches wrap-up (transferred away, dropped) leaves its context behind: keep the newest only.
      if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
      void ready.then((ok) => ok && offered(call));
    } else if (event.type === 'call-connected' || event.type === 'call-disconnected') {
      bridge.cancelIncoming?.(event.detail.call.id);
    }
  });

  /** CIF 2.0: a session for the call, and the toast whose Accept answers a ringing call. */
  const offered = (call: Call) => {
    if (bridge.openCallSession) quietly(() => bridge.openCallSession!(call));
    if (!bridge.notifyIncoming || call.direction !== 'inbound' || call.state !== 'ringing') return;
    quietly(() =>
      bridge.notifyIncoming!(call).then((answer) => {
        const still = session.snapshot.calls.find((c) => c.id === call.id);
        if (disposed || still?.state !== 'ringing') return;
        // A refused answer/hang-up shows in the bar's alert like a click would.
        if (answer === 'accept') session.command('answer', { callId: call.id }).catch(() => {});
        else if (answer === 'reject' && session.snapshot.capabilities.hangup) session.command('hangup', { callId: call.id }).catch(() => {});
      }),
    );
  };

  const hooks: HostHooks = bridge.ownsCallRecords ? {} : {
    async searchContacts(number) {
      await connected();
      const call = session.snapshot.calls.find((c) => c.remote.number === number);
      if (!call) return [];
      const context = contexts.get(call.id) ?? {};
      if (context.fromClick && context.regarding) return [context.regarding];
      const pop = bar.element.dispatchEvent(
        new CustomEvent('cti-crm-pop', { detail: { callId: call.id, number, crm: bridge.crm }, bubbles: true, composed: true, cancelable: true }),
      );
      const records = await bridge.searchAndPop(call, { pop });
      for (const r of records) known.set(r.id, r);
      context.settled = records.length <= 1;
      contexts.set(call.id, context);
      // The type helps the agent choose between a contact and a lead of the same name.
      return records.map((r) => ({ ...r, detail: r.detail ?? r.type }));
    },
    async screenPop(call, match) {
      const context = contexts.get(call.id);
      if (!match || !context || context.fromClick || context.settled) return;
      await connected();
      await bridge.screenPop(call, known.get(match.id) ?? match);
    },
    async logCall(record: CallRecord) {
      const context = contexts.get(record.callId);
      contexts.delete(record.callId);
      await connected();
      const regarding = (record.contact && known.get(record.contact.id)) ?? context?.regarding ?? current;
      await bridge.saveCallLog(record, regarding);
    },
  };

  return {
    hooks,
    ready,
    log: report,
    dispose() {
      if (disposed) return;
      disposed = true;
      offSnapshot();
      offEvents();
      bridge.dispose();
    },
  };
}
