/**
 * HTTP control API of the simulator: `POST /control/{agentId}/{action}` does what `bar.simulator`
 * does in the browser (SimulatorControl) — the contact centre and the customer, driven from a test.
 * `drop-connections` is the server's own: it cuts the agent's sockets and pending long-polls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import { isOperation } from '../src/core/operations.ts';
import type { CustomerField, FieldType } from '../src/core/model.ts';
import type { OfferCallInput, OfferPreviewInput, SimulatorControl } from '../src/connectors/simulator/control.ts';
import type { HubRegistry } from './hub-registry.ts';
import type { AccessPolicy } from './access.ts';
import type { Redactor } from './redactor.ts';
import { badRequest, bearerToken, readJsonBody, sendError, sendJson } from './http-util.ts';
import { safeDecode } from './polling-endpoint.ts';
import { isAgentId } from './tokens.ts';
import { AGENT_ID_RULE } from './agent-id.ts';

export const CONTROL_ACTIONS = [
  'offer-call',
  'transfer-in',
  'customer-hangup',
  'offer-preview',
  'answer-consult',
  'fail-next',
  'drop-connections',
] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

const ROUTE = /^\/control\/([^/]+)\/([a-z-]+)$/;

export interface ControlEndpointOptions {
  registry: HubRegistry;
  access: AccessPolicy;
  redact: Redactor;
  /** Cuts the agent's live connections; returns how many were cut. */
  dropConnections: (agentId: string) => number;
}

export class ControlEndpoint {
  #options: ControlEndpointOptions;

  constructor(options: ControlEndpointOptions) {
    this.#options = options;
  }

  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const match = ROUTE.exec(url.pathname);
    if (!match) return false;
    void this.#serve(req, res, safeDecode(match[1]!), match[2]!).catch((error: unknown) =>
      sendError(res, error, this.#options.redact),
    );
    return true;
  }

  async #serve(req: IncomingMessage, res: ServerResponse, agentId: string, action: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, { ok: false, error: badRequest('Use POST for control actions.').toJSON() }, this.#options.redact);
      return;
    }
    if (!isControlAction(action)) {
      sendJson(
        res,
        404,
        { ok: false, error: badRequest(`Unknown control action; one of ${CONTROL_ACTIONS.join(', ')}.`).toJSON() },
        this.#options.redact,
      );
      return;
    }
    if (!isAgentId(agentId)) throw badRequest(`${AGENT_ID_RULE}.`);
    await this.#options.access.check(agentId, bearerToken(req));
    const input = await readJsonBody(req);
    if (action === 'drop-connections') {
      sendJson(res, 200, { ok: true, dropped: this.#options.dropConnections(agentId) }, this.#options.redact);
      return;
    }
    // Validated before the hub opens: bad input changes nothing, not even which agents exist.
    const run = prepare(action, input);
    const hub = await this.#options.registry.open(agentId);
    const simulator = hub.simulator;
    if (!simulator) {
      throw new CtiError({
        code: ErrorCode.Unsupported,
        message: `Agent ${agentId} is served by the "${hub.connector.name}" connector, which has no simulator controls.`,
      });
    }
    try {
      run(simulator);
    } catch (error) {
      throw CtiError.from(error, { code: ErrorCode.InvalidArgument });
    }
    sendJson(res, 200, { ok: true, seq: hub.seq }, this.#options.redact);
  }
}

/** The simulator's extra control (SimulatorControls in simulator-connector.ts). */
interface SimulatorTransferIn {
  transferIn(input: OfferCallInput & { fromAgent?: string }): void;
}

function isControlAction(value: string): value is ControlAction {
  return (CONTROL_ACTIONS as readonly string[]).includes(value);
}

/** Validates the body of `action` and returns the call to make on the simulator. */
function prepare(action: Exclude<ControlAction, 'drop-connections'>, input: unknown): (sim: SimulatorControl) => void {
  const body = asObject(input);
  switch (action) {
    case 'offer-call': {
      const call = offerCallInput(body);
      return (sim) => sim.offerCall(call);
    }
    case 'offer-preview': {
      const preview: OfferPreviewInput = { ...offerCallInput(body) };
      if (body.timeoutSec !== undefined) {
        if (typeof body.timeoutSec !== 'number' || !Number.isFinite(body.timeoutSec) || body.timeoutSec < 0 || body.timeoutSec > 86_400) {
          throw badRequest('"timeoutSec" must be a number of seconds 0..86400.');
        }
        preview.timeoutSec = body.timeoutSec;
      }
      if (body.isCallback !== undefined) {
        if (typeof body.isCallback !== 'boolean') throw badRequest('"isCallback" must be true or false.');
        preview.isCallback = body.isCallback;
      }
      if (body.numbers !== undefined) {
        if (!Array.isArray(body.numbers) || body.numbers.length > 20 || !body.numbers.every(isPhoneText)) {
          throw badRequest('"numbers" must be a list of up to 20 phone numbers.');
        }
        preview.numbers = body.numbers as string[];
      }
      return (sim) => sim.offerPreview(preview);
    }
    case 'transfer-in': {
      const call = offerCallInput(body);
      const fromAgent = optionalText(body, 'fromAgent', 64);
      return (sim) => {
        const transferIn = (sim as Partial<SimulatorTransferIn>).transferIn;
        if (typeof transferIn !== 'function') {
          throw new CtiError({ code: ErrorCode.Unsupported, message: 'This simulator cannot take a transferred call.' });
        }
        transferIn.call(sim, fromAgent === undefined ? call : { ...call, fromAgent });
      };
    }
    case 'customer-hangup':
      return (sim) => sim.customerHangup();
    case 'answer-consult':
      return (sim) => sim.answerConsult();
    case 'fail-next': {
      const { operation, code } = body;
      if (!isOperation(operation)) throw badRequest('"operation" must be a canonical operation name (e.g. "hold").');
      if (!Number.isSafeInteger(code)) throw badRequest('"code" must be an integer error code (e.g. 101).');
      return (sim) => sim.failNext(operation, code as number);
    }
  }
}

function asObject(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw badRequest('The body must be a JSON object.');
  return input as Record<string, unknown>;
}

const PHONE_TEXT = /^\+?[0-9 ()*#.-]{1,40}$/;
function isPhoneText(value: unknown): value is string {
  return typeof value === 'string' && PHONE_TEXT.test(value) && /\d/.test(value);
}

function optionalText(body: Record<string, unknown>, key: string, max: number): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) throw badRequest(`"${key}" must be text of at most ${max} characters.`);
  return value;
}

const FIELD_TYPES: readonly FieldType[] = ['readOnly', 'write', 'screenPop', 'maskedWrite'];

function offerCallInput(body: Record<string, unknown>): OfferCallInput {
  if (!isPhoneText(body.number)) throw badRequest('"number" must be a phone number (digits, optional +).');
  const out: OfferCallInput = { number: body.number };
  const name = optionalText(body, 'name', 200);
  if (name !== undefined) out.name = name;
  const campaign = optionalText(body, 'campaign', 200);
  if (campaign !== undefined) out.campaign = campaign;
  if (body.fields !== undefined) out.fields = fieldsInput(body.fields);
  return out;
}

function fieldsInput(value: unknown): Record<string, string> | CustomerField[] {
  const invalid = (): CtiError =>
    badRequest('"fields" must map names to text, or be a list of {key, label, value, type}; at most 100.');
  if (Array.isArray(value)) {
    if (value.length > 100) throw invalid();
    return value.map((field: unknown) => {
      const f = field as Partial<CustomerField> | null;
      if (
        !f ||
        typeof f.key !== 'string' ||
        typeof f.label !== 'string' ||
        typeof f.value !== 'string' ||
        !FIELD_TYPES.includes(f.type as FieldType)
      ) {
        throw invalid();
      }
      return { key: f.key, label: f.label, value: f.value, type: f.type as FieldType };
    });
  }
  if (!value || typeof value !== 'object') throw invalid();
  const entries = Object.entries(value);
  if (entries.length > 100 || !entries.every(([, v]) => typeof v === 'string')) throw invalid();
  return Object.fromEntries(entries) as Record<string, string>;
}
