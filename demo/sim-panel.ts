import { LitElement, html, css } from 'lit';
import { property, state } from 'lit/decorators.js';
import { OPERATIONS, isOperation } from '../src/core/operations.ts';
import type { CustomerField } from '../src/core/model.ts';
import type { SimulatorControl } from '../src/connectors/simulator/control.ts';
import type { AgentBar } from '../components/agent-bar/agent-bar.ts';
import { defineElement } from '../components/define.ts';
import { elementStyles } from '../styles/tokens.ts';

/** Customer data of a demo call: one field of each POM attribute type. */
function sampleFields(name: string): CustomerField[] {
  return [
    { key: 'account', label: 'Account', value: 'ACC-20417', type: 'readOnly' },
    { key: 'customer', label: 'Customer name', value: name, type: 'readOnly' },
    { key: 'email', label: 'Email', value: 'customer@example.com', type: 'write' },
    { key: 'card', label: 'Card number', value: '4111111111111111', type: 'maskedWrite' },
    { key: 'crm', label: 'CRM record', value: 'https://crm.example.com/accounts/20417', type: 'screenPop' },
  ];
}

/** Where the demo's bar gets its contact centre from. */
type BackendChoice = 'simulator' | 'websocket' | 'long-poll' | 'poll';

const BACKENDS: Record<BackendChoice, string> = {
  simulator: 'In-page simulator',
  websocket: 'Server (WebSocket)',
  'long-poll': 'Server (long-polling)',
  poll: 'Server (interval polling)',
};

/**
 * The demo's simulator control panel: plays the contact centre and the customer against the
 * `<agent-bar>` named by `for` (its id), through `bar.simulator`.
 */
export class SimPanel extends LitElement {
  static override styles = [
    ...elementStyles,
    css`
      [hidden] {
        display: none !important;
      }
      section {
        display: grid;
        gap: var(--_cti-space-3);
        padding: var(--_cti-space-3);
        background: var(--_cti-surface);
        border: 1px solid var(--_cti-border);
        border-radius: var(--_cti-radius);
      }
      h2 {
        font-size: 1rem;
        margin: 0;
      }
      fieldset {
        display: grid;
        gap: var(--_cti-space-2);
        border: 1px solid var(--_cti-border);
        border-radius: var(--_cti-radius);
        margin: 0;
      }
      input {
        width: 11em;
      }
    `,
  ];

  /** The id of the `<agent-bar>` to drive. */
  @property() for = '';
  @state() private callerNumber = '+442079460123';
  @state() private callerName = 'Ada Lovelace';
  @state() private previewSeconds = '15';
  @state() private failOperation = 'hold';
  @state() private failCode = '101';
  @state() private status = '';
  @state() private backend: BackendChoice = 'simulator';
  @state() private serverUrl = 'http://127.0.0.1:8787';
  #applied = 'simulator http://127.0.0.1:8787';

  get #bar(): AgentBar | null {
    return this.for ? (this.ownerDocument.getElementById(this.for) as AgentBar | null) : null;
  }

  #drive(action: string, fn: (sim: SimulatorControl) => void): void {
    const sim = this.#bar?.simulator;
    if (!sim) {
      this.status = 'The bar is not on the in-page simulator.';
      return;
    }
    try {
      fn(sim);
      this.status = `${action}.`;
    } catch (error) {
      this.status = `${action} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  override render() {
    const text = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
    return html`
      <section aria-labelledby="sim-title">
        <h2 id="sim-title">Simulator</h2>
        <label
          >Backend
          <select @change=${(e: Event) => this.#switchBackend((e.target as HTMLSelectElement).value as BackendChoice)}>
            ${Object.entries(BACKENDS).map(([value, label]) => html`<option .value=${value} ?selected=${value === this.backend}>${label}</option>`)}
          </select>
        </label>
        <label ?hidden=${this.backend === 'simulator'}
          >Server URL
          <input .value=${this.serverUrl} @change=${(e: Event) => this.#switchBackend(this.backend, (e.target as HTMLInputElement).value)} />
        </label>
        <fieldset>
          <legend>Customer</legend>
          <label>Caller number <input .value=${this.callerNumber} @input=${text((v) => (this.callerNumber = v))} /></label>
          <label>Caller name <input .value=${this.callerName} @input=${text((v) => (this.callerName = v))} /></label>
          <div class="row">
            <button
              @click=${() =>
                this.#drive('Inbound call offered', (sim) =>
                  sim.offerCall({ number: this.callerNumber, name: this.callerName, fields: sampleFields(this.callerName) }),
                )}
            >
              Inbound call
            </button>
            <button @click=${() => this.#drive('Customer hung up', (sim) => sim.customerHangup())}>Customer hangs up</button>
          </div>
        </fieldset>
        <fieldset>
          <legend>Outbound</legend>
          <label
            >Preview seconds
            <input type="number" min="0" max="600" .value=${this.previewSeconds} @input=${text((v) => (this.previewSeconds = v))}
          /></label>
          <div class="row">
            <button
              @click=${() =>
                this.#drive('Preview record presented', (sim) =>
                  sim.offerPreview({
                    number: this.callerNumber,
                    name: this.callerName,
                    campaign: 'Renewals',
                    timeoutSec: Math.max(0, Number(this.previewSeconds) || 0),
                    fields: sampleFields(this.callerName),
                  }),
                )}
            >
              Preview record
            </button>
            <button @click=${() => this.#drive('Consult answered', (sim) => sim.answerConsult())}>Consult answered</button>
          </div>
        </fieldset>
        <fieldset>
          <legend>Faults</legend>
          <label
            >Operation
            <select @change=${text((v) => (this.failOperation = v))}>
              ${OPERATIONS.map((op) => html`<option .value=${op} ?selected=${op === this.failOperation}>${op}</option>`)}
            </select>
          </label>
          <label>Error code <input inputmode="numeric" .value=${this.failCode} @input=${text((v) => (this.failCode = v))} /></label>
          <div class="row">
            <button @click=${this.#failNext}>Fail next command</button>
            <button @click=${() => this.#drive('Connection dropped', (sim) => sim.dropConnection())}>Drop connection</button>
          </div>
        </fieldset>
        <p role="status">${this.status}</p>
      </section>
    `;
  }

  /**
   * Points the bar at another backend. The reference server (`npm run server`, port 8787) runs the
   * same simulator; its control API stands behind `bar.simulator`, so this panel drives either.
   */
  #switchBackend(backend: BackendChoice, serverUrl = this.serverUrl): void {
    const bar = this.#bar;
    if (!bar) return;
    // A change event also fires when the URL box loses focus; rebuilding the bar then would drop
    // its connection for nothing.
    const key = `${backend} ${serverUrl}`;
    if (key === this.#applied) return;
    this.#applied = key;
    this.backend = backend;
    this.serverUrl = serverUrl;
    if (backend === 'simulator') {
      bar.config = undefined;
      bar.removeAttribute('endpoint');
      bar.connector = 'simulator';
    } else {
      const http = serverUrl.replace(/\/+$/, '');
      bar.config = backend === 'websocket' ? undefined : { transport: 'polling', longPoll: backend === 'long-poll' };
      bar.endpoint = backend === 'websocket' ? `${http.replace(/^http/, 'ws')}/ws` : http;
      bar.connector = 'server';
    }
    this.status = `Backend: ${BACKENDS[backend]}.`;
  }

  #failNext = (): void => {
    const code = Number(this.failCode);
    if (!isOperation(this.failOperation) || !Number.isInteger(code)) {
      this.status = 'Choose an operation and enter a numeric POM error code.';
      return;
    }
    const operation = this.failOperation;
    this.#drive(`The next ${operation} will fail with code ${code}`, (sim) => sim.failNext(operation, code));
  };
}

defineElement('sim-panel', SimPanel);

declare global {
  interface HTMLElementTagNameMap {
    'sim-panel': SimPanel;
  }
}
