/**
 * `bar.simulator` when the simulator runs on the reference server: the same `SimulatorControl`
 * as in the page, carried out through the server's control API
 * (`POST /control/{agentId}/{action}`). Fire-and-forget like the in-page one (its methods return
 * nothing); the effect arrives as events. `settled()` lets a test wait for the requests.
 */
import type { Operation } from '../../core/operations.ts';
import type { OfferCallInput, OfferPreviewInput, SimulatorControl } from '../simulator/control.ts';
import type { FetchLike } from '../../transports/polling-transport.ts';

export class RemoteSimulatorControl implements SimulatorControl {
  #base: string;
  #fetch: FetchLike;
  #inFlight = new Set<Promise<void>>();

  constructor(httpBase: string, agentId: string, fetchImpl?: FetchLike) {
    this.#base = `${httpBase}/control/${encodeURIComponent(agentId)}`;
    this.#fetch = fetchImpl ?? ((url, init) => globalThis.fetch(url, init));
  }

  offerCall(input: OfferCallInput): void {
    this.#post('offer-call', input);
  }
  customerHangup(): void {
    this.#post('customer-hangup', {});
  }
  offerPreview(input: OfferPreviewInput): void {
    this.#post('offer-preview', input);
  }
  answerConsult(): void {
    this.#post('answer-consult', {});
  }
  failNext(operation: Operation, code: number): void {
    this.#post('fail-next', { operation, code });
  }
  dropConnection(): void {
    this.#post('drop-connections', {});
  }

  /** Resolves when every control request sent so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #post(action: string, body: unknown): void {
    const request = this.#fetch(`${this.#base}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(
      async (response) => {
        if (!response.ok) console.warn(`simulator ${action}: HTTP ${response.status}`);
        await response.text().catch(() => '');
      },
      (error: unknown) => console.warn(`simulator ${action}: ${(error as Error)?.message ?? error}`),
    );
    const tracked = request.finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }
}
