import { AsyncDirective } from 'lit/async-directive.js';
import { directive, PartType, type ChildPart, type PartInfo } from 'lit/directive.js';

/**
 * One shared one-second tick for every timer on the page, so that all timers change together and
 * an idle bar runs no interval at all.
 */
const listeners = new Set<() => void>();
let interval: ReturnType<typeof globalThis.setInterval> | undefined;

function everySecond(listener: () => void): () => void {
  const own = (): void => listener();
  listeners.add(own);
  interval ??= globalThis.setInterval(() => {
    for (const l of [...listeners]) l();
  }, 1000);
  return () => {
    listeners.delete(own);
    if (listeners.size === 0 && interval !== undefined) {
      globalThis.clearInterval(interval);
      interval = undefined;
    }
  };
}

/** How many timers are ticking now (for tests: an idle bar must run no timer). */
export function activeClockCount(): number {
  return listeners.size;
}

/** Turns the time now (ms since the epoch) into a timer's text. */
export type ClockTextFormat = (now: number) => string;

/**
 * A timer's text, kept current on the shared one-second tick by writing only its own text node.
 *
 * Why not re-render the element every second: a render is an element's one render of its frame
 * (SnapshotController), so a tick landing in the same frame as a backend event made the event's
 * render wait for the next frame (or, in a frame longer than the tick's guard on a loaded
 * machine, made a second render); and over an eight-hour shift re-rendering a whole call panel
 * every second to move a few digits is work for nothing. The tick stops when the text leaves the
 * DOM (Lit disconnects the directive) and starts again if it comes back.
 *
 * Usage: `${clockText((now) => `Talk ${formatDuration(now - call.timestamps.connectedAt)}`)}`.
 */
class ClockText extends AsyncDirective {
  #format: ClockTextFormat | undefined;
  #stop: (() => void) | undefined;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.CHILD) throw new Error('clockText() belongs in a text position of a template.');
  }

  override render(format: ClockTextFormat): string {
    return format(Date.now());
  }

  override update(_part: ChildPart, [format]: [ClockTextFormat]): string {
    this.#format = format;
    if (this.isConnected) this.#start();
    return this.render(format);
  }

  #start(): void {
    this.#stop ??= everySecond(() => {
      if (this.#format) this.setValue(this.#format(Date.now()));
    });
  }

  protected override disconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
  }

  protected override reconnected(): void {
    this.#start();
  }
}

export const clockText = directive(ClockText);
