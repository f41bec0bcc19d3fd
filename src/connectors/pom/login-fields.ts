/**
 * The POM log-in form. Its own file: the declaration lists it, and the connector hands it back
 * with the time zones POM offers (AGTGetTimezones) once the bridge has welcomed it.
 */
import type { LoginField } from '../kit/define-connector.ts';
import type { LoginFieldOption } from '../../core/connector.ts';

export const POM_LOGIN_FIELDS: readonly LoginField[] = [
  { name: 'extension', label: 'Extension', required: true, hint: 'Your phone extension (AACC: your SIP address).' },
  { name: 'password', label: 'Password', secret: true },
  { name: 'zone', label: 'Zone', required: true },
  { name: 'force', label: 'Force log on', hint: 'yes to take over a session POM says is already logged on (a call there is dropped).' },
  { name: 'locale', label: 'Locale', hint: 'e.g. en_GB (default en_US).' },
  { name: 'timeZone', label: 'Time zone', hint: 'e.g. Europe/London (default UTC).' },
  { name: 'agentName', label: 'Agent name (AACC)', hint: 'Only for AACC: logs on with the AACC agent name.' },
];

/** Time zones a form shows at most (POM's list is a few dozen; a runaway list stays usable). */
const MAX_ZONES = 200;

/**
 * The form with `Time zone` as a list of POM's zones (`AGTGetTimezonesRESP.timezones`: the key is
 * sent, the value shown). The logon's default, UTC, comes first: POM's own entry when it
 * lists one, else an entry that sends nothing (the connector then sends UTC). No zones: the
 * declared text box.
 */
export function withTimeZones(zones: ReadonlyArray<{ key: string; value: string }>): readonly LoginField[] {
  if (zones.length === 0) return POM_LOGIN_FIELDS;
  const listed = zones.slice(0, MAX_ZONES).map((z): LoginFieldOption => ({ value: z.key, label: z.value || z.key }));
  const utc = listed.findIndex((o) => o.value.toUpperCase() === 'UTC');
  const options = utc >= 0 ? [listed[utc]!, ...listed.filter((_, i) => i !== utc)] : [{ value: '', label: 'UTC (default)' }, ...listed];
  return POM_LOGIN_FIELDS.map((field) => (field.name === 'timeZone' ? { name: field.name, label: field.label, options } : field));
}
