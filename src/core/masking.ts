/**
 * Masked customer values (POM's `maskedWrite` attributes: card numbers, dates of birth …) stop at
 * the connector. The session masks every incoming event before it reaches the reducer, so the
 * snapshot (`bar.session.snapshot`), every host event (`cti-call-*`, which any script on the CRM
 * page can read) and the DOM only ever hold the fixed mask. The agent can still replace such a
 * value (`setCustomerField`): writing does not need the old value.
 */
import type { Call, CustomerField } from './model.ts';
import type { CanonicalEvent } from './events.ts';

/** What a masked value becomes: fixed, so not even its length or presence leaks. */
export const MASKED_VALUE = '••••••';

/** The event with every `maskedWrite` value replaced by `MASKED_VALUE`; the same object when
 * there was nothing to mask (the common case costs no copy). */
export function maskEvent(event: CanonicalEvent): CanonicalEvent {
  if (event.type === 'call') {
    const call = maskCall(event.call);
    return call === event.call ? event : { ...event, call };
  }
  if (event.type === 'calls') {
    const calls = event.calls.map(maskCall);
    return calls.every((c, i) => c === event.calls[i]) ? event : { ...event, calls };
  }
  return event;
}

export function maskCall(call: Call): Call {
  const fields = call?.fields;
  if (!Array.isArray(fields) || !fields.some(needsMask)) return call;
  return { ...call, fields: fields.map((f) => (needsMask(f) ? { ...f, value: MASKED_VALUE } : f)) };
}

function needsMask(field: CustomerField): boolean {
  return field?.type === 'maskedWrite' && field.value !== MASKED_VALUE;
}
