import { html, css, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import type { Call, Snapshot } from '../../src/core/model.ts';
import { CtiElement } from '../cti-element.ts';
import { ClockController } from '../controllers/clock-controller.ts';
import { DtmfQueue } from '../controllers/dtmf-queue.ts';
import { callStateLabel, formatDuration } from '../format.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { loadElement } from '../lazy/load-element.ts';

const KEYPAD_DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** Call states in which a talk timer runs (the customer is connected). */
const CONNECTED_STATES: ReadonlySet<Call['state']> = new Set([
  'talking',
  'held',
  'consult',
  'conferenceOwner',
  'conferencePassive',
]);

/**
 * The current call (`calls[0]`): who, state, talk and hold timers, and the call controls
 * `Answer`, `Hang up`, `Hold`, `Retrieve`, `Keypad` (toggles the DTMF digits `0`–`9`, `*`, `#`),
 * `Mute` (or `Unmute` while muted), `Start recording`, `Stop recording` and `Transfer` (opens the `<transfer-dialog>` it contains).
 * Every control is always present and disabled while its capability is false, so the layout never
 * jumps under the agent's pointer.
 *
 * @csspart panel - the call section
 * @csspart button - every button
 * @csspart timer - the talk and hold timers
 * @csspart keypad - the DTMF keypad
 * @cssprop --cti-color-success - the Answer button
 * @cssprop --cti-color-danger - the Hang up button
 * @tagname call-panel
 */
export class CallPanel extends CtiElement {
  static override styles = [
    ...elementStyles,
    css`
      section {
        display: grid;
        gap: var(--_cti-space-2);
      }
      .who {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_cti-space-2);
        align-items: baseline;
      }
      .name {
        font-weight: 600;
      }
      .keypad {
        display: grid;
        grid-template-columns: repeat(3, 3em);
        gap: var(--_cti-space-1);
      }
    `,
  ];

  @state() private keypadOpen = false;
  @state() private transferOpen = false;
  /** Digits of this call, sent in order one at a time and read back once the backend accepted
   * them: an agent steering an IVR needs to see what was keyed (UI feedback only; the backend
   * keeps no digit history). */
  readonly #digits = new DtmfQueue(
    (digit) => this.run('sendDtmf', { digit, callId: this.snapshot?.calls[0]?.id }),
    () => this.requestUpdate(),
  );

  readonly #clock = new ClockController(this, () => {
    const call = this.snapshot?.calls[0];
    return !!call && (CONNECTED_STATES.has(call.state) || call.state === 'dialing');
  });

  protected override selectSnapshot(s: Snapshot): readonly unknown[] {
    return [s.capabilities, s.calls[0], s.connection];
  }

  protected override willUpdate(): void {
    // Keypad and dialog belong to a call: the next call starts with both closed.
    const callId = this.snapshot?.calls[0]?.id;
    if (callId !== this.#shownCallId) {
      this.#shownCallId = callId;
      this.keypadOpen = false;
      this.transferOpen = false;
      this.#digits.reset();
    }
  }

  #shownCallId: string | undefined;

  /** The dialog is a lazy module (dist/agent-bar-transfer.js): fetched on the first open. */
  #toggleTransfer = (): void => {
    this.transferOpen = !this.transferOpen;
    if (this.transferOpen) loadElement('transfer-dialog').catch((error: unknown) => console.error('agent-bar: the transfer dialog did not load', error));
  };

  override render() {
    const call = this.snapshot?.calls[0];
    // The capability is masked while a digit is in flight; the keypad stays open meanwhile, so
    // digits typed at human speed are queued rather than lost (a refused one closes it again).
    const canDtmf = this.can('sendDtmf') || (!!call && this.#digits.busy && this.snapshot?.connection === 'connected');
    const canTransfer = this.can('blindTransfer') || this.can('consult');
    return html`
      <section part="panel" aria-label="Call">
        ${call ? this.#renderCall(call) : html`<p class="muted">No call</p>`}
        <div class="row" role="group" aria-label="Call controls">
          <button part="button" class="success" ?disabled=${!this.can('answer')} @click=${() => this.run('answer', { callId: call?.id })}>
            Answer
          </button>
          <button part="button" class="danger" ?disabled=${!this.can('hangup')} @click=${() => this.run('hangup', { callId: call?.id })}>
            Hang up
          </button>
          <button part="button" ?disabled=${!this.can('hold')} @click=${() => this.run('hold', { callId: call?.id })}>Hold</button>
          <button part="button" ?disabled=${!this.can('retrieve')} @click=${() => this.run('retrieve', { callId: call?.id })}>
            Retrieve
          </button>
          ${call?.muted
            ? html`<button part="button" ?disabled=${!this.can('unmute')} @click=${() => this.run('unmute', { callId: call.id })}>
                Unmute
              </button>`
            : html`<button part="button" ?disabled=${!this.can('mute')} @click=${() => this.run('mute', { callId: call?.id })}>Mute</button>`}
          <button
            part="button"
            aria-expanded=${this.keypadOpen && canDtmf ? 'true' : 'false'}
            aria-controls="keypad"
            ?disabled=${!canDtmf}
            @click=${() => (this.keypadOpen = !this.keypadOpen)}
          >
            Keypad
          </button>
          <button
            part="button"
            ?disabled=${!this.can('startRecording')}
            @click=${() => this.run('startRecording', { callId: call?.id })}
          >
            Start recording
          </button>
          <button part="button" ?disabled=${!this.can('stopRecording')} @click=${() => this.run('stopRecording', { callId: call?.id })}>
            Stop recording
          </button>
          <button
            part="button"
            aria-expanded=${this.transferOpen ? 'true' : 'false'}
            aria-controls="transfer"
            ?disabled=${!canTransfer}
            @click=${this.#toggleTransfer}
          >
            Transfer
          </button>
        </div>
        ${this.keypadOpen && canDtmf
          ? html`<div class="keypad" id="keypad" part="keypad" role="group" aria-label="Keypad">
              ${KEYPAD_DIGITS.map((digit) => html`<button part="button" @click=${() => this.#digits.press(digit)}>${digit}</button>`)}
            </div>
            <p class="muted">
              Sent: <output aria-label="Digits sent">${this.#digits.sent}</output>${this.#digits.queued
                ? html` <span>(sending ${this.#digits.queued})</span>`
                : nothing}
            </p>`
          : nothing}
        <transfer-dialog
          id="transfer"
          exportparts="panel, button, input"
          .session=${this.snapshots.session}
          ?open=${this.transferOpen && !!call}
          @dialog-close=${() => (this.transferOpen = false)}
        ></transfer-dialog>
      </section>
    `;
  }

  #renderCall(call: Call) {
    const now = this.#clock.now;
    const talkFrom = call.timestamps.connectedAt;
    const heldAt = call.state === 'held' ? call.timestamps.heldAt : undefined;
    return html`
      <div class="who">
        <span class="name">${call.remote.name ?? call.remote.number}</span>
        ${call.remote.name ? html`<span class="muted">${call.remote.number}</span>` : nothing}
        <span>${callStateLabel(call.state)}</span>
        ${call.recording ? html`<span>Recording</span>` : nothing}
        ${call.muted ? html`<span>Muted</span>` : nothing}
        ${talkFrom !== undefined && CONNECTED_STATES.has(call.state)
          ? html`<span class="timer" part="timer" role="timer" aria-label="Talk time">Talk ${formatDuration(now - talkFrom)}</span>`
          : nothing}
        ${call.state === 'dialing'
          ? html`<span class="timer" part="timer" role="timer" aria-label="Dialing time"
              >Dialing ${formatDuration(now - call.timestamps.offeredAt)}</span
            >`
          : nothing}
        ${heldAt !== undefined
          ? html`<span class="timer" part="timer" role="timer" aria-label="Hold time">Hold ${formatDuration(now - heldAt)}</span>`
          : nothing}
      </div>
    `;
  }
}
