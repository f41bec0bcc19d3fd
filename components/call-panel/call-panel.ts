import { html, css, nothing } from 'lit';
import { msg, str } from '@lit/localize';
import { state } from 'lit/decorators.js';
import type { Call, Snapshot } from '../../src/core/model.ts';
import { CtiElement } from '../cti-element.ts';
import { clockText } from '../directives/clock-text.ts';
import { DtmfQueue } from '../controllers/dtmf-queue.ts';
import { callStateLabel } from '../format.ts';
import { formatDuration } from '../locale/duration.ts';
import { elementStyles } from '../../styles/tokens.ts';
import { loadElement } from '../lazy/load-element.ts';
import { icon, type IconName } from '../icons.ts';
import type { Operation } from '../../src/core/operations.ts';

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
 * States in which the call panel shows no controls: the wrap-up form and the preview card hold
 * that call's actions, and a button appearing where Hang up just was would take an impatient
 * second click.
 */
const ENDED_OR_PENDING: ReadonlySet<Call['state']> = new Set(['wrapup', 'preview', 'callback']);

/**
 * The current call (`calls[0]`) as a card — who, direction, state, talk and hold timers — and
 * the controls that apply to it: `Answer` (large) while it rings; `Hang up`, `Hold` or `Retrieve`,
 * `Mute` (or `Unmute`), `Keypad` (toggles the DTMF digits `0`–`9`, `*`, `#`) and `Transfer` (opens
 * the `<transfer-dialog>` it contains) once connected; `Start recording`/`Stop recording` and a
 * `Note` box with `Add note` (a note on the call, where the backend keeps them) behind `More`. Nothing but "No call" without a call. A shown control is disabled while its capability is
 * false (a command in flight), so it does not vanish under the agent's pointer.
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
      /* The call card: who (name, number), direction, state, timers. */
      .card {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 var(--_cti-space-2);
        align-items: center;
      }
      .card > .icon {
        grid-row: span 2;
        width: 2em;
        height: 2em;
        padding: 0.35em;
        border-radius: 50%;
        background: var(--_cti-surface-alt);
      }
      .who,
      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: 0 var(--_cti-space-2);
        align-items: baseline;
      }
      .name {
        font-weight: 600;
        font-size: 1.15em;
      }
      .facts .icon {
        align-self: center;
      }
      .badge {
        font-weight: 600;
      }
      .controls {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(6.5em, 1fr));
        gap: var(--_cti-space-2);
      }
      /* A ringing call: one large Answer, pulsing gently unless the agent asked for less motion. */
      .answer {
        grid-column: 1 / -1;
        min-height: calc(var(--_cti-target) + 12px);
        font-size: 1.2em;
        font-weight: 600;
        animation: cti-ring 1.4s ease-in-out infinite;
      }
      @keyframes cti-ring {
        50% {
          box-shadow: 0 0 0 6px color-mix(in srgb, var(--_cti-success) 35%, transparent);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .answer {
          animation: none;
        }
      }
      .keypad {
        display: grid;
        grid-template-columns: repeat(3, var(--_cti-target));
        gap: var(--_cti-space-1);
      }
    `,
  ];

  @state() private keypadOpen = false;
  @state() private transferOpen = false;
  /** The rare call actions (recording) behind `More`. */
  @state() private moreOpen = false;
  /** Digits of this call, sent in order one at a time and read back once the backend accepted
   * them: an agent steering an IVR needs to see what was keyed (UI feedback only; the backend
   * keeps no digit history). */
  readonly #digits = new DtmfQueue(
    (digit) => this.run('sendDtmf', { digit, callId: this.snapshot?.calls[0]?.id }),
    () => this.requestUpdate(),
  );

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
      this.moreOpen = false;
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
    return html`
      <section part="panel" aria-label=${this.landmark(msg('Call'))}>
        ${call ? this.#renderCall(call) : html`<p class="muted">${msg('No call')}</p>`}
        ${call && !ENDED_OR_PENDING.has(call.state) ? this.#renderControls(call) : nothing}
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

  /** Whether the connector has `operation` at all (a control it never allows is not shown). */
  #supports(operation: Operation): boolean {
    return this.snapshots.session?.connector.supports.has(operation) ?? false;
  }

  /**
   * Only what applies to this call is shown: Answer (large) while it rings, Hang up and the live
   * call's actions once connected, the rare ones (recording) behind `More`. A control whose state
   * applies stays shown, disabled, while its command is in flight (no jump under the pointer);
   * and a control the backend allows right now is always shown, whatever the state.
   */
  #show(operation: Operation, applies: boolean): boolean {
    return this.can(operation) || (applies && this.#supports(operation));
  }

  #button(operation: Operation, label: string, iconName: IconName, cls = '') {
    const call = this.snapshot?.calls[0];
    return html`<button part="button" class=${cls} ?disabled=${!this.can(operation)} @click=${() => this.run(operation, { callId: call?.id })}>
      ${icon(iconName)}${label}
    </button>`;
  }

  #renderControls(call: Call) {
    const live = CONNECTED_STATES.has(call.state);
    const held = call.state === 'held';
    // The capability is masked while a digit is in flight; the keypad stays open meanwhile, so
    // digits typed at human speed are queued rather than lost (a refused one closes it again).
    const canDtmf = this.can('sendDtmf') || (this.#digits.busy && this.snapshot?.connection === 'connected');
    const canTransfer = this.can('blindTransfer') || this.can('consult');
    const showNote = this.#show('addNote', live);
    const showMore = showNote || this.#show('startRecording', live && !call.recording) || this.#show('stopRecording', live && !!call.recording);
    return html`<div class="controls" role="group" aria-label=${msg('Call controls')}>
        ${this.#show('answer', call.state === 'ringing') ? this.#button('answer', msg('Answer'), 'phone', 'success answer') : nothing}
        ${this.#show('hangup', live || call.state === 'dialing') ? this.#button('hangup', msg('Hang up'), 'hangup', 'danger') : nothing}
        ${this.#show('hold', live && !held) ? this.#button('hold', msg('Hold'), 'hold') : nothing}
        ${this.#show('retrieve', held) ? this.#button('retrieve', msg('Retrieve'), 'retrieve') : nothing}
        ${call.muted
          ? this.#show('unmute', true) ? this.#button('unmute', msg('Unmute'), 'micOff') : nothing
          : this.#show('mute', live) ? this.#button('mute', msg('Mute'), 'mic') : nothing}
        ${canDtmf || (live && this.#supports('sendDtmf'))
          ? html`<button
              part="button"
              aria-expanded=${this.keypadOpen && canDtmf ? 'true' : 'false'}
              aria-controls="keypad"
              ?disabled=${!canDtmf}
              @click=${() => (this.keypadOpen = !this.keypadOpen)}
            >
              ${icon('keypad')}${msg('Keypad')}
            </button>`
          : nothing}
        ${canTransfer || (live && (this.#supports('blindTransfer') || this.#supports('consult')))
          ? html`<button part="button" aria-expanded=${this.transferOpen ? 'true' : 'false'} aria-controls="transfer" ?disabled=${!canTransfer} @click=${this.#toggleTransfer}>
              ${icon('transfer')}${msg('Transfer')}
            </button>`
          : nothing}
        ${showMore
          ? html`<button part="button" aria-expanded=${this.moreOpen ? 'true' : 'false'} aria-controls="more" @click=${() => (this.moreOpen = !this.moreOpen)}>
              ${icon('more')}${msg('More')}
            </button>`
          : nothing}
      </div>
      ${showMore && this.moreOpen
        ? html`<div class="controls" id="more" role="group" aria-label=${msg('More call actions')}>
            ${this.#show('startRecording', !call.recording) ? this.#button('startRecording', msg('Start recording'), 'record') : nothing}
            ${this.#show('stopRecording', !!call.recording) ? this.#button('stopRecording', msg('Stop recording'), 'stop') : nothing}
            ${showNote
              ? html`<form @submit=${(e: Event) => this.#addNote(e, call)}>
                  <input name="note" aria-label=${msg('Note')} maxlength="2000" required />
                  <button part="button" ?disabled=${!this.can('addNote')}>${msg('Add note')}</button>
                </form>`
              : nothing}
          </div>`
        : nothing}
      ${this.keypadOpen && canDtmf
        ? html`<div class="keypad" id="keypad" part="keypad" role="group" aria-label=${msg('Keypad')}>
              ${KEYPAD_DIGITS.map((digit) => html`<button part="button" @click=${() => this.#digits.press(digit)}>${digit}</button>`)}
            </div>
            <p class="muted">
              ${msg('Sent:')} <output aria-label=${msg('Digits sent')}>${this.#digits.sent}</output>${this.#digits.queued
                ? html` <span>${msg(str`(sending ${this.#digits.queued})`)}</span>`
                : nothing}
            </p>`
        : nothing}`;
  }

  /** Sends the note; the box is emptied only once the backend has taken it (a refusal keeps the text). */
  async #addNote(event: Event, call: Call): Promise<void> {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('note') as HTMLInputElement;
    const note = input.value.trim();
    if (note && (await this.run('addNote', { note, callId: call.id }))) input.value = '';
  }

  #renderCall(call: Call) {
    const talkFrom = call.timestamps.connectedAt;
    const heldAt = call.state === 'held' ? call.timestamps.heldAt : undefined;
    const inbound = call.direction === 'inbound';
    return html`
      <div class="card">
        ${icon('user')}
        <div class="who">
          <span class="name">${call.remote.name ?? call.remote.number}</span>
          ${call.remote.name ? html`<span class="muted">${call.remote.number}</span>` : nothing}
        </div>
        <div class="facts">
          ${icon(inbound ? 'inbound' : 'outbound')}<span class="muted">${inbound ? msg('Inbound') : msg('Outbound')}</span>
          <span class="badge">${callStateLabel(call.state)}</span>
          ${call.recording ? html`<span>${msg('Recording')}</span>` : nothing}
          ${call.muted ? html`<span>${msg('Muted')}</span>` : nothing}
          ${talkFrom !== undefined && CONNECTED_STATES.has(call.state)
            ? html`<span class="timer" part="timer" role="timer" aria-label=${msg('Talk time')}>${clockText((now) => msg(str`Talk ${formatDuration(now - talkFrom)}`))}</span>`
            : nothing}
          ${call.state === 'dialing'
            ? html`<span class="timer" part="timer" role="timer" aria-label=${msg('Dialing time')}
                >${clockText((now) => msg(str`Dialing ${formatDuration(now - call.timestamps.offeredAt)}`))}</span
              >`
            : nothing}
          ${heldAt !== undefined
            ? html`<span class="timer" part="timer" role="timer" aria-label=${msg('Hold time')}>${clockText((now) => msg(str`Hold ${formatDuration(now - heldAt)}`))}</span>`
            : nothing}
        </div>
      </div>
    `;
  }
}
