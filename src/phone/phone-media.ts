/**
 * What the phone asks of the browser for a call: the microphone constraints (the chosen device,
 * audio processing on or off) and the peer connection's configuration. Shared by the `sip`
 * connector and the phone that works alongside another connector.
 */
import type { PhoneConfig } from './phone-config.ts';

export function mediaConstraints(config: Pick<PhoneConfig, 'audioProcessing' | 'inputDeviceId'>): MediaStreamConstraints {
  const processing = config.audioProcessing !== false;
  const audio: MediaTrackConstraints = processing ? {} : { echoCancellation: false, noiseSuppression: false, autoGainControl: false };
  if (config.inputDeviceId) audio.deviceId = { exact: config.inputDeviceId };
  return { audio: Object.keys(audio).length > 0 ? audio : true, video: false };
}

export function pcConfig(config: Pick<PhoneConfig, 'iceServers'>): RTCConfiguration {
  return { iceServers: config.iceServers ?? [] };
}
