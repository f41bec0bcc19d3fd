import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../src/core/session.ts';
import type { Snapshot } from '../../src/core/model.ts';

/** Picks the parts of a snapshot an element renders; the element re-renders only when one changes. */
export type SnapshotSelector = (snapshot: Snapshot) => readonly unknown[];

type Phase =
  /** No render scheduled and no frame being watched: the next change renders at once. */
  | 'idle'
  /** A render happened during this frame: further changes wait for the next frame. */
  | 'cooling';

/**
 * Subscribes its host to a session and re-renders it on snapshot changes, at most once per
 * animation frame during a burst but with no added latency for an isolated event:
 * - idle → a change requests an update at once (Lit renders it in a microtask) and starts
 *   watching frames;
 * - while watching, changes only mark the host dirty; each animation frame renders the pending
 *   changes once, and a frame that saw no change returns to idle.
 *
 * Snapshots are immutable with structural sharing, so a selector's values are compared with
 * `===`: an element whose slice did not change is not rendered at all.
 */
export class SnapshotController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #getSession: () => Session | undefined;
  readonly #select: SnapshotSelector | undefined;
  #session: Session | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected = false;
  #phase: Phase = 'idle';
  #dirty = false;
  #frame = 0;
  #lastSelected: readonly unknown[] | undefined;

  constructor(host: ReactiveControllerHost, getSession: () => Session | undefined, select?: SnapshotSelector) {
    this.#host = host;
    this.#getSession = getSession;
    this.#select = select;
    host.addController(this);
  }

  /** The session currently subscribed to (the property one, else the one from context). */
  get session(): Session | undefined {
    return this.#session;
  }

  /** The latest snapshot, or undefined while the element has no session. */
  get snapshot(): Snapshot | undefined {
    return this.#session?.snapshot;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#detach();
  }

  /** Runs before every render: picks up a session that arrived by property or by context. */
  hostUpdate(): void {
    this.#sync();
    // This render reads the latest snapshot, so changes seen so far are rendered by it.
    this.#dirty = false;
    const snapshot = this.snapshot;
    this.#lastSelected = snapshot && this.#select ? this.#select(snapshot) : undefined;
  }

  #sync(): void {
    const next = this.#connected ? this.#getSession() : undefined;
    if (next === this.#session) return;
    this.#detach();
    this.#session = next;
    if (next) this.#unsubscribe = next.subscribe((snapshot) => this.#onChange(snapshot));
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#session = undefined;
    if (this.#frame) globalThis.cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#phase = 'idle';
    this.#dirty = false;
  }

  #onChange(snapshot: Snapshot): void {
    if (!this.#relevant(snapshot)) return;
    if (this.#phase === 'idle') {
      this.#phase = 'cooling';
      this.#host.requestUpdate();
      this.#frame = globalThis.requestAnimationFrame(this.#onFrame);
    } else {
      this.#dirty = true;
    }
  }

  readonly #onFrame = (): void => {
    if (!this.#dirty) {
      this.#phase = 'idle';
      this.#frame = 0;
      return;
    }
    this.#dirty = false;
    this.#host.requestUpdate();
    this.#frame = globalThis.requestAnimationFrame(this.#onFrame);
  };

  #relevant(snapshot: Snapshot): boolean {
    if (!this.#select || !this.#lastSelected) return true;
    const next = this.#select(snapshot);
    const last = this.#lastSelected;
    return next.length !== last.length || next.some((value, i) => value !== last[i]);
  }
}
