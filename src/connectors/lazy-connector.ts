/**
 * A connector whose code loads on first use. The bundle's budget is for the bar that every page
 * gets (elements, session, the embedded simulator); the code for a remote backend (the server and
 * gateway connectors with their transports) is a separate chunk next to the bundle, fetched only
 * by a bar configured for that backend. The bar cannot connect before the backend's code is here
 * anyway, so `connect()` waiting for the import costs one request and nothing else.
 */
import type { Connector, EventSink } from '../core/connector.ts';
import type { Command } from '../core/commands.ts';
import { CtiError, ErrorCode } from '../core/errors.ts';
import { OPERATIONS, type Operation } from '../core/operations.ts';

const ALL: ReadonlySet<Operation> = new Set(OPERATIONS);

export class LazyConnector implements Connector {
  readonly name: string;
  readonly #load: () => Promise<Connector>;
  #inner: Connector | undefined;
  #disconnected = false;

  constructor(name: string, load: () => Promise<Connector>) {
    this.name = name;
    this.#load = load;
  }

  /** Until the backend's code is here, nothing is ruled out; then the real connector's set. */
  get supports(): ReadonlySet<Operation> {
    return this.#inner?.supports ?? ALL;
  }

  /** Extras of the real connector (e.g. the reference server's `simulator` control). */
  get simulator(): unknown {
    return (this.#inner as { simulator?: unknown } | undefined)?.simulator;
  }

  async connect(sink: EventSink): Promise<void> {
    if (!this.#inner) {
      let inner: Connector;
      try {
        inner = await this.#load();
      } catch (error) {
        throw new CtiError({
          code: ErrorCode.NotConnected,
          message: `The code for the ${this.name} connector could not be loaded (${error instanceof Error ? error.message : String(error)}).`,
        });
      }
      if (this.#disconnected) {
        inner.disconnect();
        throw new CtiError({ code: ErrorCode.Destroyed, message: 'The connector was closed while it was loading.' });
      }
      this.#inner = inner;
    }
    return this.#inner.connect(sink);
  }

  execute(command: Command): Promise<void> {
    if (!this.#inner) {
      return Promise.reject(
        new CtiError({ code: ErrorCode.NotConnected, operation: command.operation, message: 'Not connected to the contact centre yet.' }),
      );
    }
    return this.#inner.execute(command);
  }

  disconnect(): void {
    this.#disconnected = true;
    this.#inner?.disconnect();
  }
}
