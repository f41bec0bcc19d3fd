/**
 * The agent's microphone and speaker, remembered per browser: device ids only (no labels, nothing
 * else) under one localStorage key. The phone panel saves a choice and announces it on `window`
 * (`agent-bar-phone-devices`); every phone of the page applies it to the calls in progress and
 * reads it for the next ones (a phone in a lazy module of its own hears it too).
 */
export interface DeviceChoice {
  inputDeviceId?: string;
  outputDeviceId?: string;
}

export const DEVICE_CHOICE_KEY = 'agent-bar.phone.devices';
export const DEVICE_CHOICE_EVENT = 'agent-bar-phone-devices';

/** Device ids are opaque strings the browser made up; anything else in storage is ignored. */
const ID = /^[\w+/=.-]{1,200}$/;

export function loadDeviceChoice(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): DeviceChoice {
  try {
    const raw: unknown = JSON.parse(storage?.getItem(DEVICE_CHOICE_KEY) ?? '{}');
    const out: DeviceChoice = {};
    if (raw && typeof raw === 'object') {
      const { inputDeviceId, outputDeviceId } = raw as Record<string, unknown>;
      if (typeof inputDeviceId === 'string' && ID.test(inputDeviceId)) out.inputDeviceId = inputDeviceId;
      if (typeof outputDeviceId === 'string' && ID.test(outputDeviceId)) out.outputDeviceId = outputDeviceId;
    }
    return out;
  } catch {
    return {};
  }
}

/** Saves the choice (a bad id changes nothing and says so) and tells the page's phones. */
export function saveDeviceChoice(choice: DeviceChoice, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): DeviceChoice {
  for (const id of [choice.inputDeviceId, choice.outputDeviceId]) {
    if (id !== undefined && !ID.test(id)) throw new Error('A device id must be the id the browser gave (enumerateDevices()).');
  }
  const next = { ...loadDeviceChoice(storage), ...choice };
  try {
    storage?.setItem(DEVICE_CHOICE_KEY, JSON.stringify(next));
  } catch {
    // Storage full or blocked: the choice holds for this page only.
  }
  globalThis.dispatchEvent?.(new CustomEvent<DeviceChoice>(DEVICE_CHOICE_EVENT, { detail: next }));
  return next;
}

/**
 * Why the microphone cannot be used, from the browser's `getUserMedia` error name (`none` when the
 * browser lists no microphone at all): `blocked` by the browser or the site settings, `missing`,
 * `busy` (in use by another program, or it would not start), else `failed`. The phone panel says
 * what to do about each in the bar's language (components/phone-panel/phone-devices.ts); this layer
 * stays DOM- and locale-free.
 */
export type MicrophoneProblem = 'blocked' | 'missing' | 'busy' | 'failed';

export function microphoneProblem(errorName: string): MicrophoneProblem {
  switch (errorName) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'blocked';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'none':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}
