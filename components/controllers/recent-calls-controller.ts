import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../src/core/session.ts';
import type { Call, Snapshot } from '../../src/core/model.ts';

/** One finished call of this session. */
export interface RecentCall {
  id: string;
  direction: Call['direction'];
  number: string;
  name?: string;
  offeredAt: number;
  /** An inbound call that ended without ever being connected. */
  missed: boolean;
}

/** The list keeps the last calls only: it is a redial aid, not a call log. */
export const RECENT_CALLS_MAX = 20;

/**
 * The calls of this session that have ended, newest first, with the number of missed ones. Built
 * from every snapshot (subscribed directly, so a call that rings and ends within one frame still
 * counts), kept in memory only — nothing about customers is ever written to storage — and
 * forgotten with the session or the element.
 */
export class RecentCallsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #getSession: () => Session | undefined;
  #session: Session | undefined;
  #unsubscribe: (() => void) | undefined;
  /** Calls in progress, as last seen (to know how one ended once it is gone). */
  #live = new Map<string, Call>();
  #ended: RecentCall[] = [];
  #missed = 0;

  constructor(host: ReactiveControllerHost, getSession: () => Session | undefined) {
    this.#host = host;
    this.#getSession = getSession;
    host.addController(this);
  }

  get calls(): readonly RecentCall[] {
    return this.#ended;
  }

  /** Missed calls since the session started (also those that fell off the list). */
  get missed(): number {
    return this.#missed;
  }

  hostConnected(): void {
    this.hostUpdate();
  }

  /** Follows the host's session (property or context), starting afresh for another session. */
  hostUpdate(): void {
    const session = this.#getSession();
    if (session === this.#session) return;
    this.#stop();
    this.#session = session;
    this.#live.clear();
    this.#ended = [];
    this.#missed = 0;
    if (session) {
      this.#unsubscribe = session.subscribe((snapshot) => this.#follow(snapshot));
      this.#follow(session.snapshot);
    }
  }

  hostDisconnected(): void {
    this.#stop();
    this.#session = undefined;
  }

  #stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  #follow(snapshot: Snapshot): void {
    const now = new Map(snapshot.calls.filter((c) => c.state !== 'preview').map((c) => [c.id, c]));
    let changed = false;
    for (const [id, call] of this.#live) {
      if (now.has(id)) continue;
      const missed = call.direction === 'inbound' && call.timestamps.connectedAt === undefined;
      if (missed) this.#missed++;
      const entry: RecentCall = { id, direction: call.direction, number: call.remote.number, offeredAt: call.timestamps.offeredAt, missed };
      if (call.remote.name) entry.name = call.remote.name;
      this.#ended = [entry, ...this.#ended].slice(0, RECENT_CALLS_MAX);
      changed = true;
    }
    this.#live = now;
    if (changed) this.#host.requestUpdate();
  }
}
