import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * One shared one-second ticker for every visible timer on the page, so that all timers change
 * together and an idle bar runs no interval at all.
 */
const listeners = new Set<() => void>();
/** A render this recent (ms) already shows the current time; see `ClockController.#tick`. */
const RECENT_RENDER_MS = 100;
let interval: ReturnType<typeof globalThis.setInterval> | undefined;

function listen(listener: () => void): void {
  listeners.add(listener);
  interval ??= globalThis.setInterval(() => {
    for (const l of [...listeners]) l();
  }, 1000);
}

function unlisten(listener: () => void): void {
  listeners.delete(listener);
  if (listeners.size === 0 && interval !== undefined) {
    globalThis.clearInterval(interval);
    interval = undefined;
  }
}

/** Calls `listener` on the shared one-second tick until the returned function is called. */
export function everySecond(listener: () => void): () => void {
  const own = (): void => listener();
  listen(own);
  return () => unlisten(own);
}

/** How many hosts are ticking now (for tests: an idle bar must run no timer). */
export function activeClockCount(): number {
  return listeners.size;
}

/**
 * Re-renders its host once a second, only while `isActive()` says a timer is on screen
 * (talk, hold, wrap-up, preview countdown, state time). Checked after every render, so a timer
 * that appears starts the clock and one that disappears stops it.
 */
export class ClockController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #isActive: () => boolean;
  #ticking = false;
  #renderedAt = -Infinity;
  /**
   * A host that rendered moments ago drew its timers with the current time already: a tick then
   * would be a second render in the same frame (during a burst of events, one per frame is the
   * budget), so it is skipped and the next tick, a second later, moves the timers on.
   */
  readonly #tick = (): void => {
    if (globalThis.performance.now() - this.#renderedAt < RECENT_RENDER_MS) return;
    this.#host.requestUpdate();
  };

  constructor(host: ReactiveControllerHost, isActive: () => boolean) {
    this.#host = host;
    this.#isActive = isActive;
    host.addController(this);
  }

  /** The time to render timers against. */
  get now(): number {
    return Date.now();
  }

  get ticking(): boolean {
    return this.#ticking;
  }

  hostUpdated(): void {
    this.#renderedAt = globalThis.performance.now();
    const active = this.#isActive();
    if (active && !this.#ticking) listen(this.#tick);
    if (!active && this.#ticking) unlisten(this.#tick);
    this.#ticking = active;
  }

  /** A host moved in the DOM renders again, which restarts its clock if a timer is shown. */
  hostConnected(): void {
    this.#host.requestUpdate();
  }

  hostDisconnected(): void {
    if (this.#ticking) unlisten(this.#tick);
    this.#ticking = false;
  }
}
