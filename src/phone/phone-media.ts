/**
 * What the phone asks of the browser for a call: the microphone constraints (the chosen device,
 * audio processing on or off) and the peer connection's configuration. Shared by the `sip`
 * connector and the phone that works alongside another connector.
 */
import type { PhoneConfig } from './phone-config.ts';
import { loadDeviceChoice } from './device-choice.ts';

/**
 * The microphone the agent chose in this browser (device-choice.ts) wins over the configured one.
 * Asked for as `exact` (Chromium ignores an `ideal` device id), and only while the browser still
 * lists it: a microphone unplugged since falls back to the default instead of failing the call.
 * A configured id is `exact`, as documented.
 */
export async function mediaConstraints(config: Pick<PhoneConfig, 'audioProcessing' | 'inputDeviceId'>): Promise<MediaStreamConstraints> {
  const processing = config.audioProcessing !== false;
  const audio: MediaTrackConstraints = processing ? {} : { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
  const chosen = loadDeviceChoice().inputDeviceId;
  if (chosen && (await isPresent(chosen))) audio.deviceId = { exact: chosen };
  else if (config.inputDeviceId) audio.deviceId = { exact: config.inputDeviceId };
  return { audio: Object.keys(audio).length > 0 ? audio : true, video: false };
}

async function isPresent(deviceId: string): Promise<boolean> {
  try {
    const devices = (await globalThis.navigator?.mediaDevices?.enumerateDevices()) ?? [];
    return devices.some((d) => d.kind === 'audioinput' && d.deviceId === deviceId);
  } catch {
    return false;
  }
}

/** The speaker: the agent's choice in this browser, else the configured one. */
export function outputDevice(config: Pick<PhoneConfig, 'outputDeviceId'>): string | undefined {
  return loadDeviceChoice().outputDeviceId ?? config.outputDeviceId;
}

export function pcConfig(config: Pick<PhoneConfig, 'iceServers'>): RTCConfiguration {
  return { iceServers: config.iceServers ?? [] };
}
