import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../src/core/session.ts';
import type { Snapshot } from '../../src/core/model.ts';
import { loadElement, type LazyElementTag } from '../lazy/load-element.ts';

/**
 * The lazy elements a snapshot calls for: the preview card once the agent can ask for a record or
 * one is shown, the customer card and the wrap-up form with the first call (so the form is here
 * before the call ends), the transfer dialog while a consult or conference is in progress (the
 * `Transfer` button loads it too).
 */
export function elementsFor(s: Snapshot, supports: ReadonlySet<string>): LazyElementTag[] {
  const tags: LazyElementTag[] = [];
  const call = s.calls[0];
  if ((s.agent.state !== 'loggedOut' && supports.has('nextRecord')) || call?.state === 'preview' || call?.state === 'callback') tags.push('preview-card');
  if (call) tags.push('customer-card', 'disposition-picker');
  if (call && (call.consult || call.state === 'consult' || call.state === 'conferenceOwner' || call.state === 'conferencePassive')) tags.push('transfer-dialog');
  return tags;
}

/**
 * Loads each lazy element (components/lazy/load-element.ts) the first time the session's state
 * calls for it. Subscribed to the session itself, so a state that lasts less than a frame still
 * counts.
 */
export class LazyElementsController implements ReactiveController {
  readonly #getSession: () => Session | undefined;
  #session: Session | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #requested = new Set<LazyElementTag>();

  constructor(host: ReactiveControllerHost, getSession: () => Session | undefined) {
    this.#getSession = getSession;
    host.addController(this);
  }

  hostConnected(): void {
    this.hostUpdate();
  }

  hostUpdate(): void {
    const session = this.#getSession();
    if (session === this.#session) return;
    this.hostDisconnected();
    this.#session = session;
    if (!session) return;
    const check = (s: Snapshot) => {
      for (const tag of elementsFor(s, session.connector.supports)) this.load(tag);
    };
    this.#unsubscribe = session.subscribe(check);
    check(session.snapshot);
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#session = undefined;
  }

  /** Loads `tag` once; a module that failed to load is logged and tried again when next called for. */
  load(tag: LazyElementTag): void {
    if (this.#requested.has(tag)) return;
    this.#requested.add(tag);
    loadElement(tag).catch((error: unknown) => {
      this.#requested.delete(tag);
      console.error(`agent-bar: the <${tag}> module did not load`, error);
    });
  }
}
