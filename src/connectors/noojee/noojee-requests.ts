/**
 * Canonical → Noojee: each canonical command as the Noojee request that carries it (docs §6).
 * Pure: the agent's endpoint (technology + extension), the handset's answer string and the
 * current calls come in `RequestContext`. A command Noojee cannot take, or one whose arguments
 * are wrong, is refused here with a readable error and nothing is sent.
 */
import type { Command } from '../../core/commands.ts';
import type { Disposition } from '../../core/model.ts';
import type { Operation } from '../../core/operations.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { OPERATION_LABELS } from '../../core/operation-labels.ts';
import type { NoojeeRequest } from './codec.ts';
import type { TrackedCall } from './noojee-mapping.ts';
import { SUBSCRIBE_MAX_TIMEOUT_S, type Technology } from './protocol.ts';

/** What Noojee can do (and nothing else: no login, agent states, hold, transfer or DTMF). */
export const NOOJEE_SUPPORTS: readonly Operation[] = ['dial', 'answer', 'hangup', 'startRecording', 'stopRecording', 'wrapUp'];

export interface CampaignIds {
  templateId: number;
  campaignId: number;
  allocationId: number;
}

export interface RequestContext {
  extension: string;
  tech: Technology;
  /** The handset's auto-answer header (from the handset make or given as is). */
  answerString?: string;
  callerId?: string;
  phoneCaption?: string;
  /** Owner of recordings started from the bar (Noojee uses the extension's user otherwise). */
  agentLoginName?: string;
  /** Record from connect, tagged with the CRM record id, on every dial that carries one. */
  recordOnDial?: boolean;
  calls: readonly TrackedCall[];
  campaign?: CampaignIds;
  dispositions: readonly Disposition[];
}

/** The extension as dial and answer name it: `SIP/100`. */
export function endpointOf(ctx: Pick<RequestContext, 'tech' | 'extension'>): string {
  return `${ctx.tech}/${ctx.extension}`;
}

const call = (method: string, params: Array<[string, string]>, http: 'POST' | 'GET' = 'POST'): NoojeeRequest => ({ api: 'call', method, http, params, readOnly: false });

/** The request for one canonical command. `recordId`: the CRM record a dial is for. */
export function toNoojeeRequest(command: Command, ctx: RequestContext): NoojeeRequest {
  const op = command.operation;
  const a = command.args as Record<string, unknown>;
  switch (op) {
    case 'dial': {
      const number = typeof a.number === 'string' ? a.number.replace(/[\s().-]/g, '') : '';
      if (!/^\+?[0-9]{2,20}$/.test(number)) throw invalid(op, 'Enter a phone number (digits, optionally starting with +).');
      const recordId = optionalText(a.recordId, op, 'CRM record id');
      const params: Array<[string, string]> = [
        ['number', number],
        ['extenOrUniqueId', endpointOf(ctx)],
      ];
      if (ctx.callerId) params.push(['callerId', ctx.callerId]);
      if (ctx.phoneCaption) params.push(['phoneCaption', ctx.phoneCaption]);
      if (ctx.answerString) params.push(['autoAnswer', ctx.answerString]);
      // Without monitored=yes Noojee keeps the call out of subscribe, and the bar would never see it.
      params.push(['monitored', 'yes']);
      if (ctx.recordOnDial && recordId) params.push(['record', 'true'], ['tag', recordId]);
      return call('dial', params);
    }
    case 'answer': {
      const target = callOf(ctx, a.callId, op);
      if (target.status !== 'Ringing' || !target.inbound || !target.canAnswer) throw notAllowed(op, 'The call is not ringing.');
      if (!ctx.answerString) throw invalid(op, 'Answering from the bar needs the handset make (config "handset") or its auto-answer header (config "autoAnswer").');
      return call('answer', [
        ['uniqueId', target.id],
        ['exten', endpointOf(ctx)],
        ['answerString', ctx.answerString],
      ]);
    }
    case 'hangup': {
      const target = callOf(ctx, a.callId, op);
      if (target.wrapupAt !== undefined) throw notAllowed(op, 'The call has ended already.');
      // By unique id: by extension could hang up another call on the same handset.
      return call('hangup', [['extenOrUniqueId', target.id]]);
    }
    case 'startRecording': {
      const target = callOf(ctx, a.callId, op);
      if (target.status !== 'Connected' || target.wrapupAt !== undefined) throw notAllowed(op, 'Only a connected call can be recorded.');
      const tag = optionalText(a.tag, op, 'recording tag') ?? target.recordId;
      const params: Array<[string, string]> = [['extenOrUniqueId', target.id]];
      if (ctx.agentLoginName) params.push(['agentLoginName', ctx.agentLoginName]);
      if (tag) params.push(['tag', tag]);
      return call('start', params);
    }
    case 'stopRecording': {
      const target = callOf(ctx, a.callId, op);
      const params: Array<[string, string]> = [['extenOrUniqueId', target.id]];
      if (ctx.agentLoginName) params.push(['agentLoginName', ctx.agentLoginName]);
      return call('stop', params);
    }
    case 'wrapUp': {
      const target = callOf(ctx, a.callId, op);
      if (target.wrapupAt === undefined) throw notAllowed(op, 'The call has not ended yet.');
      if (!ctx.campaign || !target.recordId) throw notAllowed(op, 'Only a campaign call dialled for a CRM record takes a disposition.');
      const code = String(a.code ?? '');
      const disposition = ctx.dispositions.find((d) => d.code === code);
      if (!disposition) throw invalid(op, `"${code.slice(0, 40)}" is not one of the campaign's dispositions.`);
      return {
        api: 'campaign',
        method: 'updateLeadFast',
        http: 'POST',
        params: [
          ['fTemplateId', String(ctx.campaign.templateId)],
          ['fCampaignId', String(ctx.campaign.campaignId)],
          ['fAllocationId', String(ctx.campaign.allocationId)],
        ],
        body: JSON.stringify([{ njExternalLeadId: target.recordId, njDisposition: disposition.label }]),
        readOnly: false,
      };
    }
    default:
      throw new CtiError({ code: ErrorCode.Unsupported, operation: op, message: `${OPERATION_LABELS[op]} is not available with Noojee.` });
  }
}

/** The long poll: `exten` bare, the last sequence number, how long Noojee may hold it. */
export function subscribeRequest(extensions: readonly string[], lastSequenceNumber: number, timeOutS: number): NoojeeRequest {
  const timeOut = Math.max(0, Math.min(SUBSCRIBE_MAX_TIMEOUT_S, Math.floor(timeOutS)));
  return {
    api: 'call',
    method: 'subscribe',
    http: 'POST',
    params: [
      ['exten', extensions.join(',')],
      ['lastSequenceNumber', String(lastSequenceNumber)],
      ['timeOut', String(timeOut)],
    ],
    readOnly: true,
  };
}

/** The campaign's disposition list (read-only, may be retried). */
export function dispositionListRequest(templateId: number): NoojeeRequest {
  return { api: 'campaign', method: 'getDispositionList', http: 'GET', params: [['fTemplateId', String(templateId)]], readOnly: true };
}

export function campaignListRequest(templateId: number): NoojeeRequest {
  return { api: 'campaign', method: 'getCampaignList', http: 'GET', params: [['fTemplateId', String(templateId)]], readOnly: true };
}

/** Recording legs of a call (to learn, after a restart, whether it is being recorded). */
export function recordingLegsRequest(uniqueId: string): NoojeeRequest {
  return { api: 'recording', method: 'retrieveMetaDataByUniqueId', http: 'POST', params: [['uniqueId', uniqueId]], readOnly: true };
}

/** The call a command is about: the given id, or the current call (a live one first). */
export function callOf(ctx: Pick<RequestContext, 'calls'>, callId: unknown, op: Operation): TrackedCall {
  const calls = ctx.calls;
  const found =
    typeof callId === 'string' && callId !== '' ? calls.find((c) => c.id === callId) : (calls.find((c) => c.wrapupAt === undefined) ?? calls[0]);
  if (!found) throw notAllowed(op, 'There is no such call.');
  return found;
}

function optionalText(value: unknown, op: Operation, what: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 64 || /[\u0000-\u001f]/.test(value)) throw invalid(op, `The ${what} must be text of at most 64 characters.`);
  return value;
}

function invalid(op: Operation, message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, operation: op, severity: 'minor', message });
}

function notAllowed(op: Operation, message: string): CtiError {
  return new CtiError({ code: ErrorCode.NotAllowed, operation: op, severity: 'minor', message: `${OPERATION_LABELS[op]}: ${message}` });
}
