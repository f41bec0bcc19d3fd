/**
 * The `sip` connector (docs/phone.md): the bar is the agent's phone. Connected means registered:
 * the registration state is the bar's connection state (connecting, connected, reconnecting while
 * JsSIP restores a lost WebSocket, offline with the server's refusal). The phone's calls are the
 * canonical calls; the agent is `ready` while registered (a phone has no agent states).
 *
 * Built on the connector kit: `ConnectorBase` (connect timeout, refusals while not registered,
 * numbering) and `PollDiffer` (the phone's calls → the fewest canonical events).
 */
import type { Command, CommandArgs } from '../../core/commands.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { ConnectorBase } from '../kit/connector-base.ts';
import { PollDiffer } from '../kit/poll-differ.ts';
import { SipPhone, type RegistrationState } from '../../phone/sip-phone.ts';
import type { PhoneCall } from '../../phone/phone-call.ts';
import { targetUri, type PhoneConfig } from '../../phone/phone-config.ts';
import { mediaConstraints, pcConfig } from '../../phone/phone-media.ts';
import { SIP_SUPPORTS, sipFlags, toCall } from './sip-mapping.ts';

/** The phone's options (src/phone/phone-config.ts) without the server, which is the connector's `endpoint`. */
export type SipConnectorConfig = Omit<PhoneConfig, 'server' | 'autoAnswer'> & {
  connectTimeoutMs?: number;
};

export interface SipConnectorOptions {
  agentId: string;
  endpoint: string;
  config: SipConnectorConfig;
}

export class SipConnector extends ConnectorBase {
  readonly #agentId: string;
  readonly #phoneConfig: PhoneConfig;
  #phone: SipPhone | undefined;
  #differ = new PollDiffer();

  constructor(options: SipConnectorOptions) {
    super({ name: 'sip', supports: SIP_SUPPORTS, loginFields: [], peer: 'the SIP server', reopen: true, connectTimeoutMs: options.config.connectTimeoutMs ?? 15_000 });
    if (!/^wss?:\/\/[^\s]+$/i.test(options.endpoint)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: 'The sip connector\'s endpoint must be the SIP server\'s WebSocket URL (ws:// or wss://).' });
    }
    this.#agentId = options.agentId;
    const { connectTimeoutMs: _timeout, ...phone } = options.config;
    this.#phoneConfig = { ...phone, server: options.endpoint };
  }

  /** The phone's calls (tests read their media stats). */
  get phoneCalls(): PhoneCall[] {
    return this.#phone?.calls ?? [];
  }

  protected async open(): Promise<void> {
    const phone = new SipPhone(this.#phoneConfig, {
      registration: (state, error) => {
        if (phone === this.#phone) this.#onRegistration(state, error);
      },
      call: () => {
        if (phone === this.#phone) this.#publish();
      },
      callEnded: (_call, error) => {
        if (phone !== this.#phone) return;
        this.#publish();
        if (error) this.emit({ type: 'error', error: error.toJSON() });
      },
    });
    this.#phone = phone;
    this.#differ.resync();
    await phone.start();
    this.#publish();
  }

  protected async send(command: Command): Promise<void> {
    const phone = this.#phone;
    if (!phone) throw new CtiError({ code: ErrorCode.NotConnected, message: 'The phone is not registered.' });
    const args = command.args as { callId?: string };
    if (command.operation === 'dial') {
      const { number } = command.args as CommandArgs['dial'];
      await phone.call(number, await mediaConstraints(this.#phoneConfig), pcConfig(this.#phoneConfig));
      return;
    }
    const call = this.#target(phone, args.callId, command);
    switch (command.operation) {
      case 'answer':
        call.answer(await mediaConstraints(this.#phoneConfig), pcConfig(this.#phoneConfig));
        return;
      case 'hangup':
        call.hangup();
        return;
      case 'hold':
        call.hold();
        return;
      case 'retrieve':
        call.retrieve();
        return;
      case 'mute':
        call.mute();
        return;
      case 'unmute':
        call.unmute();
        return;
      case 'sendDtmf':
        call.sendDtmf((command.args as CommandArgs['sendDtmf']).digit);
        return;
      case 'blindTransfer': {
        const { destination } = command.args as CommandArgs['blindTransfer'];
        await call.transfer(targetUri(destination.number ?? destination.id, this.#phoneConfig.uri));
        return;
      }
      default:
        throw new CtiError({ code: ErrorCode.Unsupported, message: `The phone cannot ${command.operation}.` });
    }
  }

  protected close(): void {
    const phone = this.#phone;
    this.#phone = undefined;
    phone?.stop();
  }

  #onRegistration(state: RegistrationState, error?: CtiError): void {
    if (state === 'registered') {
      this.setStatus('connected');
      this.#differ.resync();
      this.#publish();
    } else if (state === 'reconnecting') {
      this.setStatus('reconnecting');
    } else if (state === 'failed') {
      // Refused while running (e.g. the password changed): stop; the session starts again with backoff and fresh credentials.
      this.setStatus('offline', error ? { error } : {});
    }
  }

  #publish(): void {
    const calls = (this.#phone?.calls ?? []).filter((c) => c.state !== 'ended').map(toCall);
    for (const event of this.#differ.diff({ agent: { state: 'ready', agentId: this.#agentId }, calls, capabilities: sipFlags(calls[0]) })) this.emit(event);
  }

  #target(phone: SipPhone, callId: string | undefined, command: Command): PhoneCall {
    const calls = phone.calls.filter((c) => c.state !== 'ended');
    const call = callId ? calls.find((c) => c.id === callId) : calls[0];
    if (!call) throw new CtiError({ code: ErrorCode.NotAllowed, operation: command.operation, message: 'There is no such call on the phone.' });
    return call;
  }
}
