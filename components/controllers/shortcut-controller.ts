import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../src/core/session.ts';
import type { Operation } from '../../src/core/operations.ts';

/** Where the shortcuts listen: inside the bar only (default), the whole page, or nowhere. */
export type ShortcutScope = 'bar' | 'page' | 'none';

export function parseShortcutScope(value: string | null | undefined): ShortcutScope {
  const v = (value ?? '').trim().toLowerCase();
  return v === 'page' || v === 'none' ? v : 'bar';
}

/** What a shortcut does besides a plain session command (the host knows its own elements). */
export interface ShortcutActions {
  /** Opens the not-ready reasons, as the `Not ready` button does (a reason is needed). */
  openNotReady(): void;
  /** Moves the focus to the dial box's phone-number text box. */
  focusDial(): void;
  /** Puts the focus back in the bar (on the bar itself) when the control that had it went away. */
  keepFocus(): void;
}

/**
 * Alt+Shift+letter, matched on `KeyboardEvent.code` (the physical key): on macOS Option+letter
 * types another character, so `key` would not match. Alt+Shift combinations are unused by the
 * browsers' and the CRMs' own shortcuts, and never type text in a text box.
 */
export const SHORTCUT_KEYS = {
  KeyA: 'answer',
  KeyH: 'hangup',
  KeyO: 'hold',
  KeyM: 'mute',
  KeyR: 'ready',
  KeyN: 'notReady',
  KeyD: 'dial',
} as const;

/** Whether the keystroke belongs to text entry (a text box, text area, select or editable content). */
function inTextEntry(e: KeyboardEvent): boolean {
  const target = e.composedPath()[0];
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  // Buttons, checkboxes and radios take no text: a shortcut pressed on them still works.
  return target instanceof HTMLInputElement && !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(target.type);
}

/**
 * Keyboard shortcuts for the frequent actions (`<agent-bar shortcuts>`): answer, hang up, hold or
 * retrieve, mute or unmute, ready, not ready, focus the dial box. Each runs the session command
 * its button runs, only when that button is enabled (the capability decides), so a shortcut can
 * do nothing a click could not. By default they listen inside the bar only; page-wide only when the
 * host asks (`shortcuts="page"`), since the host page's own keys come first otherwise.
 */
export class ShortcutController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #scope: () => ShortcutScope;
  readonly #session: () => Session | undefined;
  readonly #actions: ShortcutActions;
  /** Where the listener is now (undefined: none). */
  #target: EventTarget | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    scope: () => ShortcutScope,
    session: () => Session | undefined,
    actions: ShortcutActions,
  ) {
    this.#host = host;
    this.#scope = scope;
    this.#session = session;
    this.#actions = actions;
    host.addController(this);
  }

  hostConnected(): void {
    this.hostUpdated();
  }

  /** Follows the attribute: the listener moves between the bar and the document. */
  hostUpdated(): void {
    const scope = this.#scope();
    const target = scope === 'page' ? document : scope === 'bar' ? this.#host : undefined;
    if (target === this.#target) return;
    this.#target?.removeEventListener('keydown', this.#onKey as EventListener);
    this.#target = target;
    target?.addEventListener('keydown', this.#onKey as EventListener);
  }

  hostDisconnected(): void {
    this.#target?.removeEventListener('keydown', this.#onKey as EventListener);
    this.#target = undefined;
  }

  #onKey = (e: KeyboardEvent): void => {
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey || e.repeat || e.defaultPrevented) return;
    const action = SHORTCUT_KEYS[e.code as keyof typeof SHORTCUT_KEYS];
    if (!action || inTextEntry(e)) return;
    const session = this.#session();
    if (!session) return;
    e.preventDefault();
    const snap = session.snapshot;
    const can = (op: Operation) => snap.capabilities[op] === true;
    const callId = snap.calls[0]?.id;
    let op: Operation | undefined;
    if (action === 'dial') return this.#actions.focusDial();
    if (action === 'notReady') {
      if (can('notReady')) this.#actions.openNotReady();
      return;
    }
    // One key each for the pairs the call panel shows as one place: Hold/Retrieve, Mute/Unmute.
    if (action === 'hold') op = can('hold') ? 'hold' : 'retrieve';
    else if (action === 'mute') op = snap.calls[0]?.muted ? 'unmute' : 'mute';
    else op = action;
    if (!can(op)) return;
    const args = op === 'ready' ? {} : { callId };
    // A refusal shows in the bar's alert region (lastError), as for a click.
    const done = session.command(op, args as never).catch(() => {});
    if (e.composedPath().includes(this.#host)) void done.then(() => this.#keepFocus());
  };

  /**
   * A key pressed in the bar often disables the very button that had the focus (Answer), and the
   * browser then drops the focus to the page: the next shortcut would not reach the bar. Once the
   * elements have rendered (two frames), a lost focus goes back to the bar.
   */
  async #keepFocus(): Promise<void> {
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
    const active = document.activeElement;
    if (this.#target && (!active || active === document.body)) this.#actions.keepFocus();
  }
}
