/**
 * Canonical events: the only thing connectors tell the session. Deliberately few and
 * state-carrying (a call event carries the whole call), so that a missed intermediate event can
 * never leave the UI in a state the backend is not in; the session derives the fine-grained host
 * events (offered, connected, held …) by comparing snapshots.
 */
import type { AgentState, Call, CallbackTarget, ConnectionStatus, Destination, Disposition, PhoneLineState, Reason } from './model.ts';
import type { CapabilityFlags } from './capability-flags.ts';
import type { CtiErrorInit } from './errors.ts';

export type CanonicalEvent = (
  | {
      type: 'agentState';
      state: AgentState;
      reason?: Reason;
      agentId?: string;
      /** With `state: 'unknown'`: the backend's own name for the state (set by the protocol guard). */
      rawState?: string;
    }
  /** Upsert of one call (new or changed). */
  | { type: 'call'; call: Call }
  /** The whole call list (a resync after a reconnect): calls not in it are gone. */
  | { type: 'calls'; calls: Call[] }
  /** The call is gone (wrapped up, transferred away, passive party dropped …). */
  | { type: 'callRemoved'; callId: string; dispositionCode?: string }
  /** Server-sent capability flags; `null` means "derive them yourself". */
  | { type: 'capabilities'; flags: CapabilityFlags | null }
  | { type: 'lists'; reasons?: Reason[]; dispositions?: Disposition[]; destinations?: Destination[]; callbackTargets?: CallbackTarget[] }
  /** An unsolicited failure (e.g. POM AGTConsultDialFailed, Noetica Operation Failed). */
  | { type: 'error'; error: CtiErrorInit }
  /**
   * `degraded`: still connected, but the last exchange failed (e.g. one failed poll); the bar
   * says so and keeps every control usable until the link is really down.
   * `error` (with `offline` only): the connector stopped trying because of this (e.g. its token
   * was refused); the session shows it and calls `connect()` again with backoff. An `offline`
   * without it means the connector is coming back by itself.
   */
  | { type: 'connection'; status: ConnectionStatus; degraded?: boolean; error?: CtiErrorInit }
  /** The phone line's nailing state (POM), and the job it serves (POM AGTJobAttached) when attached. */
  | { type: 'phoneLine'; state: PhoneLineState; job?: string }
) & {
  /** Monotonic per agent when the backend numbers its events (used to resume and dedupe). */
  seq?: number;
  /** Epoch ms when the backend produced the event. */
  at?: number;
};

export type CanonicalEventType = CanonicalEvent['type'];
