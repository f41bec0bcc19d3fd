/**
 * The canonical protocol over REST polling (docs/protocol.md):
 * `GET /api/agents/{agentId}/events?after=<seq>&wait=<ms>` (interval polling with `wait=0`,
 * long-polling otherwise) and `POST /api/agents/{agentId}/commands`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CtiError } from '../src/core/errors.ts';
import type { CatchUp } from './agent-hub.ts';
import type { HubRegistry } from './hub-registry.ts';
import type { AccessPolicy } from './access.ts';
import type { Redactor } from './redactor.ts';
import { badRequest, bearerToken, readJsonBody, sendError, sendJson } from './http-util.ts';
import { parseCommand } from '../src/protocol/command-guard.ts';
import type { CommandReplyBody, PollBody } from '../src/protocol/messages.ts';
import { isAgentId } from './tokens.ts';
import { AGENT_ID_RULE } from './agent-id.ts';

export const MAX_WAIT_MS = 30_000;
/** Events per response; the client asks again from the last one (`more: true`). */
export const MAX_EVENTS_PER_RESPONSE = 1000;

const ROUTE = /^\/api\/agents\/([^/]+)\/(events|commands)$/;

export interface PollingEndpointOptions {
  registry: HubRegistry;
  access: AccessPolicy;
  redact: Redactor;
}

export class PollingEndpoint {
  #options: PollingEndpointOptions;

  constructor(options: PollingEndpointOptions) {
    this.#options = options;
  }

  /** Handles the request when the path is one of ours; returns false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const match = ROUTE.exec(url.pathname);
    if (!match) return false;
    const [, rawAgentId, resource] = match;
    void this.#serve(req, res, url, safeDecode(rawAgentId!), resource as 'events' | 'commands').catch(
      (error: unknown) => sendError(res, error, this.#options.redact),
    );
    return true;
  }

  async #serve(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    agentId: string,
    resource: 'events' | 'commands',
  ): Promise<void> {
    const method = resource === 'events' ? 'GET' : 'POST';
    if (req.method !== method) {
      res.setHeader('Allow', method);
      sendJson(res, 405, { ok: false, error: badRequest(`Use ${method} for ${resource}.`).toJSON() }, this.#options.redact);
      return;
    }
    if (!isAgentId(agentId)) throw badRequest(`${AGENT_ID_RULE}.`);
    const { expiresAt } = await this.#options.access.check(agentId, bearerToken(req));
    if (resource === 'events') await this.#events(res, url, agentId, expiresAt);
    else await this.#command(req, res, agentId);
  }

  async #events(res: ServerResponse, url: URL, agentId: string, expiresAt = Infinity): Promise<void> {
    const after = integerParam(url, 'after', 0, Number.MAX_SAFE_INTEGER);
    // A held poll answers no later than its token's expiry: nothing is delivered on a dead token.
    const wait = Math.max(0, Math.min(integerParam(url, 'wait', 0, MAX_WAIT_MS) ?? 0, expiresAt - Date.now()));
    const hub = await this.#options.registry.open(agentId);
    // The client may give up (its own timeout, page closed): stop holding the request then.
    const abort = new AbortController();
    const onClose = (): void => abort.abort();
    res.on('close', onClose);
    try {
      const result = await hub.waitForEvents(after, wait, MAX_EVENTS_PER_RESPONSE, abort.signal);
      if (abort.signal.aborted) return;
      sendJson(res, 200, body(result), this.#options.redact);
    } finally {
      res.off('close', onClose);
    }
  }

  async #command(req: IncomingMessage, res: ServerResponse, agentId: string): Promise<void> {
    const command = parseCommand(await readJsonBody(req));
    const hub = await this.#options.registry.open(agentId);
    try {
      await hub.execute(command);
    } catch (error) {
      sendError(res, CtiError.from(error, { commandId: command.id, operation: command.operation }), this.#options.redact);
      return;
    }
    sendJson(res, 200, { ok: true, id: command.id } satisfies CommandReplyBody, this.#options.redact);
  }
}

function body(result: CatchUp): PollBody {
  if (result.kind === 'snapshot') return { seq: result.seq, snapshot: result.events };
  return result.more
    ? { seq: result.seq, events: result.events, more: true }
    : { seq: result.seq, events: result.events };
}

function integerParam(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,16}$/.test(raw)) throw badRequest(`"${name}" must be an integer ${min}..${max}.`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw badRequest(`"${name}" must be an integer ${min}..${max}.`);
  }
  return value;
}

/** Percent-decoding that never throws: a malformed escape just fails the agentId check. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
