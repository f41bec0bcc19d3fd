/**
 * The embedded default connector: a `ContactCentreSimulator` in the page, reached without a
 * network. Supports every canonical operation, and exposes the simulator's control API as
 * `connector.simulator` (the agent bar re-exports it as `bar.simulator`).
 */
import type { Connector, EventSink } from '../../core/connector.ts';
import type { Command } from '../../core/commands.ts';
import type { CanonicalEvent } from '../../core/events.ts';
import { OPERATIONS, type Operation } from '../../core/operations.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { ContactCentreSimulator, type SimulatorOptions, type TransferInInput } from './contact-centre-simulator.ts';
import type { OfferCallInput, OfferPreviewInput, SimulatorControl } from './control.ts';
import { SimulatorStateStorage, type KeyValueStore } from './state-storage.ts';

export interface SimulatorConnectorOptions extends SimulatorOptions {
  /** How long `dropConnection()` stays offline before reconnecting, ms (default 1000; 0 when latencyMs is 0). */
  reconnectDelayMs?: number;
  /** Where to keep the state across page reloads (the browser passes `sessionStorage`). */
  storage?: KeyValueStore;
}

/** The control API plus transfer-in (used by the server's control endpoint and tests). */
export interface SimulatorControls extends SimulatorControl {
  transferIn(input: TransferInInput): void;
}

export class SimulatorConnector implements Connector {
  readonly name = 'simulator';
  readonly supports: ReadonlySet<Operation> = new Set(OPERATIONS);
  /** The state machine itself (the server reads `seq`, `snapshotEvents()` from it). */
  readonly engine: ContactCentreSimulator;
  readonly simulator: SimulatorControls;
  readonly #reconnectDelayMs: number;
  #sink: EventSink | undefined;
  #online = false;
  #unsubscribe: (() => void) | undefined;
  #reconnectTimer: ReturnType<typeof globalThis.setTimeout> | undefined;
  #disposed = false;
  #seq = 0;
  readonly #saved: SimulatorStateStorage | undefined;

  constructor(options: SimulatorConnectorOptions) {
    this.engine = new ContactCentreSimulator(options);
    if (options.storage) {
      this.#saved = new SimulatorStateStorage(options.storage, options.agentId);
      const events = this.#saved.load();
      if (events) this.engine.restoreState(events);
      this.engine.onEvent(() => this.#saved?.save(this.engine.savedState()));
    }
    const latency = options.latencyMs ?? 20;
    this.#reconnectDelayMs = Math.max(0, options.reconnectDelayMs ?? (latency === 0 ? 0 : 1000));
    const engine = this.engine;
    this.simulator = {
      offerCall: (input: OfferCallInput) => engine.offerCall(input),
      customerHangup: () => engine.customerHangup(),
      offerPreview: (input: OfferPreviewInput) => engine.offerPreview(input),
      answerConsult: () => engine.answerConsult(),
      failNext: (operation: Operation, code: number) => engine.failNext(operation, code),
      transferIn: (input: TransferInInput) => engine.transferIn(input),
      dropConnection: () => this.#dropConnection(),
    };
  }

  async connect(sink: EventSink): Promise<void> {
    if (this.#disposed) throw new CtiError({ code: ErrorCode.Destroyed, message: 'The simulator connector was disconnected.' });
    this.#sink = sink;
    this.#unsubscribe ??= this.engine.onEvent((event) => {
      if (this.#online) this.#deliver(event);
    });
    this.#goOnline();
  }

  execute(command: Command): Promise<void> {
    if (this.#disposed || !this.#online) {
      return Promise.reject(
        new CtiError({
          code: ErrorCode.NotConnected,
          operation: command.operation,
          commandId: command.id,
          message: 'Not connected to the contact centre: the command was not sent.',
        }),
      );
    }
    return this.engine.execute(command);
  }

  disconnect(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#online = false;
    if (this.#reconnectTimer !== undefined) globalThis.clearTimeout(this.#reconnectTimer);
    this.#unsubscribe?.();
    this.engine.dispose();
    // The bar was removed (not the page reloaded: that never disconnects): the session is over.
    this.#saved?.clear();
    this.#sink = undefined;
  }

  /** For the server's state file (see server/agent-hub.ts). */
  restoreState(events: CanonicalEvent[]): void {
    this.engine.restoreState(events);
  }

  /**
   * Simulates a network drop: `offline` now, then after the reconnect delay `connected` and the
   * whole state again as events (as a real connector does when it cannot replay), so nothing that
   * happened while offline is lost.
   */
  #dropConnection(): void {
    if (!this.#online || this.#disposed) return;
    this.#online = false;
    this.#deliver({ type: 'connection', status: 'offline' });
    this.#reconnectTimer = globalThis.setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#disposed) this.#goOnline();
    }, this.#reconnectDelayMs);
  }

  #goOnline(): void {
    this.#online = true;
    if (!this.#sink) return;
    this.#deliver({ type: 'connection', status: 'connected' });
    for (const event of this.engine.snapshotEvents()) this.#deliver(event);
  }

  /**
   * Every event leaves numbered by this connector, the state re-sent after a drop included, so
   * the numbers only grow (the engine's own numbering covers its live events only).
   */
  #deliver(event: CanonicalEvent): void {
    const sink = this.#sink;
    if (!sink) return;
    this.#seq += 1;
    sink({ ...event, seq: this.#seq } as CanonicalEvent);
  }
}
