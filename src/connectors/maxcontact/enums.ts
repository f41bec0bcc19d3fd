/**
 * The one table of MaxContact's undocumented enumerations (docs/connectors/maxcontact.md §3).
 * The document types `CallState`, `CallStatus` and `RecordingState` as int and names no values,
 * so we chose them; the emulator speaks this table and a deployment whose MaxContact numbers
 * them differently overrides it with the `enums` config option (value → meaning).
 */

/** What a `CallState` value means: where the call's line is. */
export type LineMeaning = 'dialing' | 'ringing' | 'connected' | 'held' | 'disconnected';
/** What a `CallStatus` value means: where the call's record is in MaxContact's workflow. */
export type StatusMeaning = 'active' | 'awaitingDisposition' | 'disposed';
/** What a `RecordingState` value means. */
export type RecordingMeaning = 'off' | 'recording' | 'stopped';

export interface EnumTable {
  callState: Readonly<Record<number, LineMeaning>>;
  callStatus: Readonly<Record<number, StatusMeaning>>;
  recordingState: Readonly<Record<number, RecordingMeaning>>;
}

export const LINE_MEANINGS: readonly LineMeaning[] = ['dialing', 'ringing', 'connected', 'held', 'disconnected'];
export const STATUS_MEANINGS: readonly StatusMeaning[] = ['active', 'awaitingDisposition', 'disposed'];
export const RECORDING_MEANINGS: readonly RecordingMeaning[] = ['off', 'recording', 'stopped'];

/** Our choice (synthetic), used by the emulator and by default by the connector. */
export const DEFAULT_ENUMS: EnumTable = {
  callState: { 1: 'dialing', 2: 'ringing', 3: 'connected', 4: 'held', 5: 'disconnected' },
  callStatus: { 1: 'active', 2: 'awaitingDisposition', 3: 'disposed' },
  recordingState: { 0: 'off', 1: 'recording', 2: 'stopped' },
};

/** The value the emulator sends for a meaning (the inverse of the default table). */
export function valueOf<K extends keyof EnumTable>(kind: K, meaning: EnumTable[K][number]): number {
  const entry = Object.entries(DEFAULT_ENUMS[kind]).find(([, m]) => m === meaning);
  return Number(entry![0]);
}

const MEANINGS: { [K in keyof EnumTable]: readonly string[] } = {
  callState: LINE_MEANINGS,
  callStatus: STATUS_MEANINGS,
  recordingState: RECORDING_MEANINGS,
};

/** A readable problem with a deployment's override (`{ callState: { "7": "held" } }`), or undefined. */
export function checkEnumOverride(override: Record<string, unknown> | undefined): string | undefined {
  for (const [kind, values] of Object.entries(override ?? {})) {
    if (!Object.hasOwn(MEANINGS, kind)) return `"enums" takes ${Object.keys(MEANINGS).join(', ')}`;
    const known = MEANINGS[kind as keyof EnumTable];
    for (const [value, meaning] of Object.entries(values && typeof values === 'object' ? values : { '': '' })) {
      if (!/^-?[0-9]{1,9}$/.test(value) || !known.includes(meaning as string)) return `"enums.${kind}" maps whole numbers to ${known.join(', ')}`;
    }
  }
  return undefined;
}

/** The table with a deployment's override applied (checked by `checkEnumOverride`): the other values keep ours. */
export function resolveEnums(override: Record<string, unknown> | undefined): EnumTable {
  const out = { callState: { ...DEFAULT_ENUMS.callState }, callStatus: { ...DEFAULT_ENUMS.callStatus }, recordingState: { ...DEFAULT_ENUMS.recordingState } };
  for (const [kind, values] of Object.entries(override ?? {})) {
    for (const [value, meaning] of Object.entries(values as Record<string, string>)) (out[kind as keyof EnumTable] as Record<number, string>)[Number(value)] = meaning;
  }
  return out as EnumTable;
}
