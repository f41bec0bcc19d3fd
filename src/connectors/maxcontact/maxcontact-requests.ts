/**
 * Canonical → MaxContact (docs/connectors/maxcontact.md §6): what the connector supports, how a
 * number and a lead id go into a request, which result codes are the dispositions and which
 * ones a warm transfer uses. Bad input is refused here, before anything is sent.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';
import type { Destination, Disposition } from '../../core/model.ts';
import type { Operation } from '../../core/operations.ts';
import { PHONE, type AcdQueueSummary, type AgentNameIdPair, type ResultCode } from './protocol.ts';

/**
 * Exactly what the API has: no login/logout (the agent is logged in elsewhere), no not-ready, no
 * answer (MaxContact delivers calls connected), no DTMF, no blind transfer or conference.
 */
export const MAXCONTACT_SUPPORTS = [
  'ready',
  'dial',
  'hangup',
  'hold',
  'retrieve',
  'startRecording',
  'stopRecording',
  'wrapUp',
  'consult',
  'completeTransfer',
  'cancelConsult',
  'setCustomerField',
] as const satisfies readonly Operation[];

/** A number for a path segment: spaces, dots, dashes and brackets dropped; digits with an optional +. */
export function phoneOf(number: unknown, operation: Operation): string {
  const compact = typeof number === 'string' ? number.replace(/[\s.()-]/g, '') : '';
  if (!PHONE.test(compact)) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, operation, severity: 'minor', message: 'MaxContact dials phone numbers: digits with an optional leading +.' });
  }
  return compact;
}

/** The CRM's record id as MaxContact's lead id (a number), or nothing. */
export function leadIdOf(recordId: unknown): string | undefined {
  if (recordId === undefined || recordId === '') return undefined;
  if (typeof recordId !== 'string' || !/^[0-9]{1,18}$/.test(recordId)) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, operation: 'dial', severity: 'minor', message: 'A MaxContact lead id is a number.' });
  }
  return recordId;
}

/** The agent-viewable result codes are the dispositions the bar offers. */
export function dispositionsOf(codes: readonly ResultCode[]): Disposition[] {
  return codes
    .filter((c) => c.IsAgentViewable === true && typeof c.Code === 'string' && c.Code !== '')
    .map((c) => ({ code: c.Code, label: typeof c.Description === 'string' && c.Description !== '' ? c.Description : c.Code }));
}

/**
 * The bar's transfer destinations: MaxContact's users and ACD queues that the deployment gave a
 * number (MaxContact dials numbers only), named as MaxContact names them, then the configured
 * external ones (`transferDestinations`, label → number). The agent is never their own destination.
 */
export function destinationsOf(
  config: { userNumbers?: Record<string, unknown>; queueNumbers?: Record<string, unknown>; transferDestinations?: Record<string, unknown> },
  lists: { users?: readonly AgentNameIdPair[]; queues?: readonly AcdQueueSummary[]; self?: string } = {},
): Destination[] {
  const out: Destination[] = [];
  for (const user of lists.users ?? []) {
    const number = config.userNumbers?.[String(user.ID)];
    if (typeof number === 'string' && String(user.ID) !== lists.self) out.push({ id: `user:${user.ID}`, type: 'agent', label: String(user.FullName || user.ID), number });
  }
  for (const queue of lists.queues ?? []) {
    const number = config.queueNumbers?.[String(queue.ID)];
    if (typeof number === 'string' && queue.Active !== false) out.push({ id: `queue:${queue.ID}`, type: 'queue', label: String(queue.AcdName || queue.ID), number });
  }
  for (const [label, number] of Object.entries(config.transferDestinations ?? {})) out.push({ id: label, type: 'external', label, number: String(number) });
  return out;
}

/**
 * The result codes of a warm transfer: `connectcalls` needs one per call, a cancelled consult
 * disposes its call with one. Configured ones win; otherwise the first agent-viewable transfer
 * code for both legs, and the first agent-viewable plain code (no success, transfer or callback)
 * for a cancelled consult.
 */
export function transferCodes(config: Record<string, unknown> | undefined, codes: readonly ResultCode[], operation: Operation): { customer: string; consult: string; cancelled: string } {
  const viewable = codes.filter((c) => c.IsAgentViewable === true);
  const transfer = viewable.find((c) => c.IsTransfer === true)?.Code;
  const plain = viewable.find((c) => !c.IsTransfer && !c.IsSuccess && !c.IsCallback)?.Code;
  const pick = (key: string, fallback: string | undefined): string => {
    const chosen = typeof config?.[key] === 'string' ? (config[key] as string) : fallback;
    if (!chosen) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, operation, message: `No result code for the ${key} call of a transfer: configure "transferResultCodes".` });
    }
    return chosen;
  };
  return {
    customer: pick('customer', transfer),
    consult: pick('consult', transfer),
    cancelled: operation === 'cancelConsult' ? pick('cancelled', plain) : (config?.cancelled as string | undefined) ?? plain ?? '',
  };
}
