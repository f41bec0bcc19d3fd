/**
 * Things POM leaves to the desktop (vendor-apis.md §5.5, §5.7), done here so that every host
 * page gets them without code:
 * - a timed preview auto-dials (`previewDial`) when its deadline passes, and a callback preview
 *   with timeout 0 dials at once;
 * - wrap-up auto-completes with the default completion code when its deadline passes, and at once
 *   when the limit is 0 and the default code is the answering-machine code.
 * Each duty runs at most once per (call, deadline): extending wrap-up gives a new deadline and so
 * a new duty; a failed auto-command is reported like any failed command and not retried.
 */
import type { Operation } from './operations.ts';
import type { CommandArgs } from './commands.ts';
import type { Snapshot } from './model.ts';

/** The part of `Session` the duties need (kept narrow so they can be tested alone). */
export interface DutyHost {
  readonly snapshot: Snapshot;
  subscribe(listener: (snapshot: Snapshot, previous: Snapshot) => void): () => void;
  command<O extends Operation>(operation: O, args?: CommandArgs[O]): Promise<void>;
  /** Another tab holds the connection and does the duties (src/embed/tab-share.ts). */
  readonly mirrored?: boolean;
}

/** POM's system completion code for answering machines (§5.5 AGTAutoReleaseLine). */
export const ANSWER_MACHINE_CODE = 'Answer_Machine';

interface Duty {
  key: string;
  at: number;
  run: () => void;
}

export class DesktopDuties {
  readonly #host: DutyHost;
  readonly #now: () => number;
  #unsubscribe?: () => void;
  #timer?: ReturnType<typeof globalThis.setTimeout>;
  #scheduledKey?: string;
  /** Keys already run, so a duty is never sent twice for the same deadline. */
  readonly #done = new Set<string>();

  constructor(host: DutyHost, now: () => number = () => Date.now()) {
    this.#host = host;
    this.#now = now;
  }

  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#host.subscribe((snapshot) => this.#plan(snapshot));
    this.#plan(this.#host.snapshot);
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#cancel();
  }

  #plan(snapshot: Snapshot): void {
    const duty = this.#dutyFor(snapshot);
    if (!duty || this.#done.has(duty.key) || this.#host.mirrored) {
      this.#cancel();
      return;
    }
    const delay = Math.max(0, duty.at - this.#now());
    // Same duty already scheduled: keep its timer unless the clock says it is due now (the timer
    // runs on wall-clock time; the session's clock may be another, e.g. a test's or a server's).
    if (duty.key === this.#scheduledKey && delay > 0) return;
    this.#cancel();
    this.#scheduledKey = duty.key;
    this.#timer = globalThis.setTimeout(() => {
      this.#timer = undefined;
      this.#scheduledKey = undefined;
      this.#done.add(duty.key);
      duty.run();
    }, delay);
  }

  #cancel(): void {
    if (this.#timer !== undefined) globalThis.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#scheduledKey = undefined;
  }

  #dutyFor(snapshot: Snapshot): Duty | undefined {
    const call = snapshot.calls[0];
    if (!call) return undefined;
    const callId = call.id;
    if ((call.state === 'preview' || call.state === 'callback') && call.preview) {
      const p = call.preview;
      const at = p.isCallback && p.timeoutSec === 0 ? this.#now() : p.deadline;
      if (at === undefined) return undefined;
      return {
        key: `previewDial:${callId}:${p.deadline ?? 'now'}`,
        at,
        run: () => this.#send('previewDial', { callId }),
      };
    }
    if (call.state === 'wrapup' && call.wrapup) {
      const w = call.wrapup;
      const immediate = w.maxTimeSec === 0 && w.defaultCode === ANSWER_MACHINE_CODE;
      const at = immediate ? this.#now() : w.deadline;
      if (at === undefined) return undefined;
      return {
        key: `wrapUp:${callId}:${w.deadline ?? 'now'}`,
        at,
        run: () => this.#send('wrapUp', { callId, code: w.defaultCode }),
      };
    }
    return undefined;
  }

  #send<O extends 'previewDial' | 'wrapUp'>(operation: O, args: CommandArgs[O]): void {
    const snapshot = this.#host.snapshot;
    const call = snapshot.calls[0];
    // The agent may have done it already (click just before the deadline): nothing to do.
    if (snapshot.pending.includes(operation) || !call || call.id !== args.callId) return;
    // Failures surface through the session (lastError, operation-failed); nothing to add here.
    this.#host.command(operation, args).catch(() => undefined);
  }
}
