import type { Operation } from './operations.ts';
import type { Command } from './commands.ts';
import type { CanonicalEvent } from './events.ts';

/** One field of the login form (see `LoginField` in src/connectors/kit/define-connector.ts). */
export interface LoginFieldInfo {
  name: string;
  label: string;
  secret?: boolean;
  required?: boolean;
  hint?: string;
  /**
   * The choices the backend allows, learnt at run time (POM's time zones after connect): the form
   * shows a list instead of a text box; the first choice is preselected.
   */
  options?: readonly LoginFieldOption[];
}

/** One choice of a login field: `value` is sent, `label` shown. */
export interface LoginFieldOption {
  value: string;
  label: string;
}

/** Where a connector delivers canonical events. */
export type EventSink = (event: CanonicalEvent) => void;

/**
 * One per backend. Translates canonical commands to vendor requests and vendor responses/events
 * to canonical events. Knows nothing of the DOM; the same code runs in the browser and in Node.
 */
export interface Connector {
  /** e.g. `simulator`, `pom`, `noojee`, `gateway`. */
  readonly name: string;
  /** Canonical operations this backend can do at all; the rest are always disabled. */
  readonly supports: ReadonlySet<Operation>;
  /**
   * What the bar asks for before `Log in` (from the connector's declaration); absent or empty
   * for a backend with no login step or one that needs nothing beyond the agent id.
   */
  readonly loginFields?: readonly LoginFieldInfo[];
  /**
   * True while this connector only mirrors a connection another tab holds (src/embed/tab-share.ts):
   * that tab runs the desktop duties and logs the calls, so they are not done twice.
   */
  readonly mirrored?: boolean;
  /**
   * True when the connector signs in with a short-lived token it asks the host for
   * (`config.getToken()`): a refusal then fires `token-needed` so the host can refresh it.
   */
  readonly usesHostToken?: boolean;
  /**
   * Starts delivering events to `sink`. Resolves once connected (events may already flow).
   * May be called again after it rejected, or after the connector reported
   * `{ type: 'connection', status: 'offline', error }` (it stopped: e.g. its token was refused):
   * the session retries that way, with backoff. Rejects with DESTROYED after `disconnect()`.
   */
  connect(sink: EventSink): Promise<void>;
  /**
   * Sends one command. Resolves when the backend accepted it (the resulting state arrives as
   * events, never from this promise); rejects with a `CtiError` carrying the vendor code.
   */
  execute(command: Command): Promise<void>;
  /** Stops events and rejects whatever is pending. Idempotent. */
  disconnect(): void;
}
