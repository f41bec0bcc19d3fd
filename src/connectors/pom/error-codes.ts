/**
 * Avaya POM's global error table (vendor-apis.md §5.9) as data, and the mapping of a POM result
 * code to our `CtiError`. The vendor code is always kept in `vendorCode`, so support can look it
 * up in Avaya's documentation; the message shown to the agent is the table's text (tidied where
 * the document is truncated or conflicting, see below).
 */
import { CtiError, ErrorCode, type Severity } from '../../core/errors.ts';
import type { Operation } from '../../core/operations.ts';
import { OPERATION_LABELS } from '../../core/operation-labels.ts';

export interface PomErrorEntry {
  severity: Severity;
  message: string;
}

const e = (severity: Severity, message: string): PomErrorEntry => ({ severity, message });

export const POM_ERRORS: Readonly<Record<number, PomErrorEntry>> = {
  1: e('major', 'Command Failure.'),
  2: e('major', 'This agent is not registered with the system.'),
  3: e('minor', 'Unable to login. Check media server.'),
  5: e('minor', 'Agent is already nailed.'),
  6: e('major', 'Unable to verify password.'),
  7: e('major', 'Agent is already logged in.'),
  8: e('minor', 'Agent is forcefully logging in to the system.'),
  9: e('major', 'Agent skills not found.'),
  10: e('major', 'Unable to change the state of the agent.'),
  11: e('major', 'Internal error. Unable to login agent.'),
  12: e('major', 'Login failure. Zone not found.'),
  13: e('major', 'Login failure. Invalid Locale.'),
  14: e('major', 'Login failure. Invalid Agent Extension.'),
  15: e('major', 'Login failure. Invalid Timezone.'),
  16: e('major', 'Login failure. Invalid Agent Name.'),
  17: e('major', 'Login failure. Authentication of agent failed.'),
  61: e('info', 'Agent is already in ready state.'),
  62: e('minor', 'Agent walkaway received when agent is handling a call.'),
  63: e('info', 'State change request sent more than once with the same reason code.'),
  64: e('major', 'Unable to change the current state.'),
  81: e('minor', 'Unable to release the call.'),
  82: e('info', 'Call is already disconnected.'),
  101: e('major', 'Unable to hold.'),
  102: e('minor', 'Unable to hold as call is disconnected.'),
  103: e('minor', 'Unable to hold as agent is not on call.'),
  121: e('major', 'Unable to unhold.'),
  122: e('minor', 'Unable to unhold as call is disconnected.'),
  123: e('minor', 'Unable to unhold as agent is not on call.'),
  141: e('minor', 'Unable to consult as the selected agent is currently not ready.'),
  142: e('minor', 'Unable to consult as the selected agent has logged out.'),
  143: e('major', 'Unable to consult as the selected destination is invalid.'),
  144: e('minor', 'Unable to consult as the selected agent already has maximum pending consults.'),
  181: e('minor', 'Unable to conference.'),
  182: e('minor', 'Unable to conference as agent selected is not in a consult with this agent.'),
  183: e('minor', 'Unable to conference as agent selected for conference has logged out.'),
  184: e('minor', 'Unable to conference as agent selected for conference is currently not ready.'),
  201: e('major', 'Unable to wrapup as contact record not found.'),
  202: e('major', 'Unable to wrapup with this completion code.'),
  221: e('major', 'Cannot get destinations as callback type is invalid.'),
  222: e('minor', 'Unable to get zone of the contact.'),
  223: e('info', 'Unable to get campaigns for the organization.'),
  241: e('minor', 'Unable to dial as agent is not in a preview.'),
  242: e('minor', 'Unable to cancel as agent is not in a preview.'),
  261: e('minor', 'Moving agent to pending not ready state.'),
  281: e('minor', 'Conference owner cannot leave the conference.'),
  301: e('minor', 'Cannot end the conference as the agent is not in a conference.'),
  302: e('minor', 'Cannot end the conference as the agent is not the owner of the conference.'),
  303: e('major', 'Unable to end the conference as passive agent not found.'),
  321: e('minor', 'Cannot change ownership as this is not an agent type of conference.'),
  341: e('minor', 'Cannot send DTMF as invalid data received.'),
  342: e('minor', 'Unable to send DTMF as agent is not in a call.'),
  343: e('major', 'Unable to send DTMF.'),
  361: e('minor', 'Unable to redial as agent is not in wrapup.'),
  362: e('minor', 'Unable to redial as the address is invalid.'),
  382: e('info', 'No destinations available.'),
  383: e('info', 'Agents are not available.'),
  401: e('major', 'Unable to cancel the consult.'),
  402: e('minor', 'Unable to cancel the pending consult as it has already started.'),
  // The document's text is "Unable to consult."; AGTCompleteTransfer returns it for a failed
  // transfer, so the agent is told what actually failed.
  421: e('major', 'Unable to transfer the call. Try again or cancel the consult.'),
  441: e('minor', 'System error. Unable to start recording.'),
  461: e('minor', 'System error. Unable to stop recording.'),
  // Conflict: the global table repeats 461's text; AGTCreateCallback documents 481 as below.
  481: e('minor', 'Invalid callback type selected.'),
  // Truncated in the document ("… not found. Unable to create the callback.").
  482: e('minor', 'Callback destination not found. Unable to create the callback.'),
  483: e('minor', 'Unable to create the callback as the agent is not in a call.'),
  484: e('major', 'Unable to create callback as the campaign is not found.'),
  485: e('major', 'Unable to create the callback as invalid callback type received.'),
  486: e('major', 'Unable to create the callback as callback time received in invalid format.'),
  487: e('major', 'Unable to create callback as the expiry time is invalid.'),
  488: e('major', 'Unable to create callback as the callback time is invalid.'),
  501: e('info', 'Unable to extend the wrapup time as agent is not in wrapup state.'),
  521: e('minor', 'Unable to find the customer details.'),
  541: e('minor', 'Unable to logoff. Move to not ready state.'),
  561: e('info', 'Invalid data received. Unable to add agent notes.'),
  562: e('major', 'Unable to add agent notes.'),
  563: e('major', 'Unable to add agent notes.'),
  581: e('info', 'Agent is already assigned to Inbound.'),
  601: e('info', 'Agent is already assigned to Outbound.'),
  621: e('info', 'Unable to add to DNC. Contact address already present.'),
  622: e('major', 'Unable to add to DNC.'),
  623: e('major', 'Invalid data received. Unable to add to DNC.'),
  624: e('minor', 'Invalid address. Unable to add to DNC.'),
  641: e('minor', 'Attribute is read only, cannot update this attribute.'),
  642: e('major', 'Invalid value entered. Unable to save attribute.'),
  1001: e('info', 'Unable to find error string for this error code.'),
  9001: e('minor', 'Initialization failed as server is not reachable.'),
  9002: e('major', 'Agent is not registered.'),
  9003: e('major', 'System error. Unexpected command received.'),
  9004: e('minor', 'This request cannot be processed in the current agent state.'),
  9005: e('minor', 'System is not available.'),
  9006: e('major', 'Unable to process request as agent is not nailed.'),
  9007: e('major', 'System error. Check media server.'),
  9008: e('major', 'System error. Invalid data received in the request.'),
  9009: e('critical', 'System error. Media server not reachable.'),
  9010: e('major', 'Parameters received in request are less than expected.'),
  9011: e('major', 'System error. Invalid command name received.'),
  9012: e('minor', 'Please wait while system is initializing.'),
  9050: e('major', 'System error. Unable to process the request.'),
  // Library codes (§5.1): POM gives them no text, so these are ours.
  9996: e('major', 'The agent desktop library could not send the command (SDK failure).'),
  9997: e('major', 'The command was refused before sending: an argument is invalid.'),
  9998: e('critical', 'No POM agent manager serves the zone given at log in.'),
  9999: e('critical', 'The command could not be sent: POM is not available.'),
};

/** A POM result code (≠ 0) as a `CtiError` (code REJECTED, vendor code kept). */
export function pomError(code: number, operation?: Operation): CtiError {
  const entry = POM_ERRORS[code];
  const what = operation ? OPERATION_LABELS[operation] : 'The command';
  return new CtiError({
    code: ErrorCode.Rejected,
    message: entry ? entry.message : `${what} was refused by the contact centre (POM error ${code}).`,
    severity: entry?.severity ?? 'major',
    vendorCode: code,
    ...(operation ? { operation } : {}),
  });
}
