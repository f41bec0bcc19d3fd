/**
 * A connector whose code loads on first use. The bundle's budget is for the bar that every page
 * gets (elements, session, the declarations); each backend's code is its own module next to the
 * bundle, fetched only by a bar configured for that backend. The bar cannot connect before the
 * backend's code is here anyway, so `connect()` waiting for the import costs one request and
 * nothing else. `supports` and `loginFields` come from the declaration, so the bar renders the
 * right controls before the code arrives.
 */
import type { Connector, EventSink } from '../../core/connector.ts';
import type { Command } from '../../core/commands.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import type { LoginField } from './define-connector.ts';

export interface LazyConnectorOptions {
  name: string;
  supports: ReadonlySet<Operation>;
  loginFields: readonly LoginField[];
  load: () => Promise<Connector>;
}

export class LazyConnector implements Connector {
  readonly name: string;
  #loginFields: readonly LoginField[];
  #declared: ReadonlySet<Operation>;
  readonly #load: () => Promise<Connector>;
  #inner: Connector | undefined;
  #loading: Promise<Connector> | undefined;
  /** Loaded by `preload()`, not connected (yet). */
  #loaded: Connector | undefined;
  #disconnected = false;

  constructor(options: LazyConnectorOptions) {
    this.name = options.name;
    this.#declared = options.supports;
    this.#loginFields = options.loginFields;
    this.#load = options.load;
  }

  /** The login form: the declaration's (a vendor's declaration may arrive with its code, see `learn`). */
  get loginFields(): readonly LoginField[] {
    // The gateway's client learns its vendor's form from the welcome; otherwise the declaration's.
    const learnt = this.#inner?.loginFields;
    return learnt && learnt.length > 0 ? learnt : this.#loginFields;
  }

  /**
   * A vendor connector's declaration travels in its lazy module with its code (the bundle knows
   * only its name): once loaded, its login form and operations replace the empty ones.
   */
  learn(declared: { supports: ReadonlySet<Operation>; loginFields: readonly LoginField[] }): void {
    this.#declared = declared.supports;
    this.#loginFields = declared.loginFields;
  }

  /** The declared set until the code is here; then the real connector's (it may narrow it). */
  get supports(): ReadonlySet<Operation> {
    return this.#inner?.supports ?? this.#declared;
  }

  /** Extras of the real connector (e.g. the simulator's control API, `bar.simulator`). */
  get simulator(): unknown {
    return ((this.#inner ?? this.#loaded) as { simulator?: unknown } | undefined)?.simulator;
  }

  get mirrored(): boolean | undefined {
    return this.#inner?.mirrored;
  }

  get usesHostToken(): boolean {
    return this.#inner?.usesHostToken === true;
  }

  /** The real connector once loaded (tests and diagnostics). */
  get inner(): Connector | undefined {
    return this.#inner;
  }

  async connect(sink: EventSink): Promise<void> {
    if (this.#disconnected) throw new CtiError({ code: ErrorCode.Destroyed, message: 'The connector was closed.' });
    if (!this.#inner) {
      let inner: Connector;
      try {
        inner = await this.preload();
      } catch (error) {
        if (error instanceof CtiError) throw error;
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

  /**
   * Loads the code (and a vendor's declaration: its login form and operations) without
   * connecting; `connect()` uses what was loaded. A tab that mirrors another tab's connection
   * does this, so that it shows the right controls and takes over without waiting for a download.
   */
  preload(): Promise<Connector> {
    this.#loading ??= this.#load().then(
      (inner) => (this.#loaded = inner),
      (error: unknown) => {
        this.#loading = undefined; // a later connect tries again
        throw error;
      },
    );
    return this.#loading;
  }

  execute(command: Command): Promise<void> {
    if (!this.#inner) {
      return Promise.reject(
        new CtiError({ code: ErrorCode.NotConnected, operation: command.operation, commandId: command.id, message: 'Not connected to the contact centre yet.' }),
      );
    }
    return this.#inner.execute(command);
  }

  disconnect(): void {
    this.#disconnected = true;
    this.#inner?.disconnect();
  }
}
