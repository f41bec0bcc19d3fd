import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../src/core/session.ts';
import type { Snapshot } from '../../src/core/model.ts';

/** A hidden page's stand-in for an animation frame, ms (a visible page's frame comes far sooner). */
const HIDDEN_FRAME_MS = 250;

/** Picks the parts of a snapshot an element renders; the element re-renders only when one changes. */
export type SnapshotSelector = (snapshot: Snapshot) => readonly unknown[];

/**
 * Subscribes its host to a session and re-renders it on snapshot changes, at most once per
 * animation frame during a burst but with no added latency for an isolated event:
 * - a change in a frame that has not rendered yet requests an update at once (Lit renders it in a
 *   microtask) and asks for the frame's animation callback;
 * - changes after that, in the same frame, only mark the host dirty. The animation callback runs
 *   just before the frame is painted; rendering there would be a second render before one paint,
 *   so it posts a task instead, which runs after the paint and renders the pending changes as the
 *   next frame's one render.
 * A hidden page gets no animation callbacks, so a slow timer stands in for the frame: renders in a
 * background tab go on at a few per second instead of stalling until the tab shows again (the DOM
 * stays current for anything that reads it, and nothing is painted meanwhile anyway).
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
  /** The current frame has rendered: further changes wait until it is painted. */
  #renderedThisFrame = false;
  #dirty = false;
  #frame = 0;
  #hiddenFrame: ReturnType<typeof setTimeout> | undefined;
  #trailing: ReturnType<typeof setTimeout> | undefined;
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

  /**
   * A render for any other reason (a timer, the element's own state) is this frame's render too:
   * a snapshot change later in the same frame waits for the next one, like after its own render.
   */
  hostUpdated(): void {
    if (!this.#session || this.#renderedThisFrame) return;
    this.#renderedThisFrame = true;
    this.#endOfFrame();
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
    this.#cancelFrame();
    if (this.#trailing !== undefined) globalThis.clearTimeout(this.#trailing);
    this.#frame = 0;
    this.#trailing = undefined;
    this.#renderedThisFrame = false;
    this.#dirty = false;
  }

  #onChange(snapshot: Snapshot): void {
    if (!this.#relevant(snapshot)) return;
    this.#dirty = true;
    if (this.#renderedThisFrame || this.#trailing !== undefined) return;
    this.#render();
  }

  #render(): void {
    this.#renderedThisFrame = true;
    this.#host.requestUpdate();
    this.#endOfFrame();
  }

  /** Asks for the end of this frame: the animation callback, or the stand-in timer when hidden. */
  #endOfFrame(): void {
    if (this.#frame) return;
    this.#frame = globalThis.requestAnimationFrame(this.#onFrame);
    this.#hiddenFrame = globalThis.setTimeout(this.#onFrame, HIDDEN_FRAME_MS);
  }

  #cancelFrame(): void {
    if (this.#frame) globalThis.cancelAnimationFrame(this.#frame);
    if (this.#hiddenFrame !== undefined) globalThis.clearTimeout(this.#hiddenFrame);
    this.#hiddenFrame = undefined;
  }

  readonly #onFrame = (): void => {
    this.#cancelFrame();
    this.#frame = 0;
    this.#renderedThisFrame = false;
    if (!this.#dirty) return;
    this.#trailing = globalThis.setTimeout(() => {
      this.#trailing = undefined;
      if (this.#dirty) this.#render();
    }, 0);
  };

  #relevant(snapshot: Snapshot): boolean {
    if (!this.#select || !this.#lastSelected) return true;
    const next = this.#select(snapshot);
    const last = this.#lastSelected;
    return next.length !== last.length || next.some((value, i) => value !== last[i]);
  }
}
