/**
 * Keypad digits, sent one at a time and in the order they were pressed. An agent steering an IVR
 * types faster than a backend answers (120 ms a key against a 150 ms round trip), and the session
 * refuses a second `sendDtmf` while one is in flight — so without a queue every other digit was
 * lost. A digit pressed while another is on its way waits here; the next one leaves as soon as the
 * previous one is answered.
 *
 * A refused digit empties the queue: sending the digits after it would key a different sequence
 * than the one the agent typed. The alert says why; the agent types again from there.
 * UI state only (nothing here is telephony state): it belongs to one call and is reset with it.
 */
export type DigitSender = (digit: string) => Promise<boolean>;

/** More than a card number and a PIN together; presses beyond it are ignored until it drains. */
export const DTMF_QUEUE_LIMIT = 32;

export class DtmfQueue {
  readonly #send: DigitSender;
  readonly #onChange: () => void;
  #waiting: string[] = [];
  #sending = false;
  /** Bumped by `reset()`, so the answer to a digit of a previous call changes nothing. */
  #generation = 0;
  #sent = '';

  constructor(send: DigitSender, onChange: () => void) {
    this.#send = send;
    this.#onChange = onChange;
  }

  /** Digits the backend accepted, in order (since the last reset). */
  get sent(): string {
    return this.#sent;
  }

  /** Digits pressed but not yet accepted: the one in flight, then those waiting. */
  get queued(): string {
    return this.#waiting.join('');
  }

  get busy(): boolean {
    return this.#sending || this.#waiting.length > 0;
  }

  /** Queues a digit; false when the queue is full (the press is ignored). */
  press(digit: string): boolean {
    if (this.#waiting.length >= DTMF_QUEUE_LIMIT) return false;
    this.#waiting.push(digit);
    this.#onChange();
    if (!this.#sending) void this.#drain();
    return true;
  }

  /** Forgets everything (another call): a digit in flight still completes but is not read back. */
  reset(): void {
    this.#generation += 1;
    this.#waiting = [];
    this.#sending = false;
    this.#sent = '';
  }

  async #drain(): Promise<void> {
    const generation = this.#generation;
    this.#sending = true;
    while (this.#waiting.length > 0 && generation === this.#generation) {
      const digit = this.#waiting[0]!;
      const ok = await this.#send(digit);
      if (generation !== this.#generation) return;
      if (ok) {
        this.#waiting.shift();
        this.#sent += digit;
      } else {
        this.#waiting = [];
      }
      this.#onChange();
    }
    this.#sending = false;
    this.#onChange();
  }
}
