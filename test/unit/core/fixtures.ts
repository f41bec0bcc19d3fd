/** Shared builders and a controllable fake connector for the core tests. */
import type { Connector, EventSink } from '../../../src/core/connector.ts';
import type { Command } from '../../../src/core/commands.ts';
import type { CanonicalEvent } from '../../../src/core/events.ts';
import type { Call } from '../../../src/core/model.ts';
import { OPERATIONS, type Operation } from '../../../src/core/operations.ts';

export function makeCall(state: Call['state'], extra: Partial<Call> = {}): Call {
  return {
    id: 'call-1',
    direction: 'inbound',
    state,
    role: 'owner',
    remote: { number: '+441632960000', name: 'Kim Lee' },
    fields: [],
    recording: false,
    notes: [],
    timestamps: { offeredAt: 1000 },
    ...extra,
  };
}

/**
 * A connector whose commands stay pending until the test settles them: it records what was
 * sent, so a test can prove that nothing was.
 */
export class FakeConnector implements Connector {
  readonly name = 'fake';
  readonly supports: ReadonlySet<Operation>;
  readonly sent: Command[] = [];
  #sink: EventSink | undefined;
  readonly #waiting = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();
  disconnected = false;

  constructor(supports: Iterable<Operation> = OPERATIONS) {
    this.supports = new Set(supports);
  }

  async connect(sink: EventSink): Promise<void> {
    this.#sink = sink;
    sink({ type: 'connection', status: 'connected' });
  }

  execute(command: Command): Promise<void> {
    this.sent.push(command);
    return new Promise((resolve, reject) => this.#waiting.set(command.id, { resolve, reject }));
  }

  disconnect(): void {
    this.disconnected = true;
  }

  emit(event: CanonicalEvent): void {
    this.#sink?.(event);
  }

  resolve(id: string): void {
    this.#waiting.get(id)?.resolve();
    this.#waiting.delete(id);
  }

  reject(id: string, error: unknown): void {
    this.#waiting.get(id)?.reject(error);
    this.#waiting.delete(id);
  }
}

/** Lets pending promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}
