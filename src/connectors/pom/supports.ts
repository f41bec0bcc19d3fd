/**
 * The canonical operations Avaya POM can do (no manual dial, answer, recording, busy/free or
 * alternate). Its own file: the declaration (in every page's bundle) needs it without the
 * connector's code.
 */
import type { Operation } from '../../core/operations.ts';

export const POM_SUPPORTS: ReadonlySet<Operation> = new Set<Operation>([
  'login',
  'logout',
  'ready',
  'notReady',
  'hangup',
  'hold',
  'retrieve',
  'sendDtmf',
  'consult',
  'blindTransfer',
  'completeTransfer',
  'cancelConsult',
  'conference',
  'leaveConference',
  'endConference',
  'changeConferenceOwner',
  'wrapUp',
  'extendWrapUp',
  'previewDial',
  'previewSkip',
  'createCallback',
  'addNote',
  'setCustomerField',
  'addToDnc',
  'redial',
]);
