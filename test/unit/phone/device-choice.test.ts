import { expect } from '@open-wc/testing';
import { DEVICE_CHOICE_EVENT, DEVICE_CHOICE_KEY, loadDeviceChoice, microphoneProblem, saveDeviceChoice, type DeviceChoice } from '../../../src/phone/device-choice.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

describe('device-choice', () => {
  it('saves device ids only, merged with the earlier choice, and announces the choice on the page', () => {
    const storage = memoryStorage();
    const heard: DeviceChoice[] = [];
    const listener = (e: Event) => heard.push((e as CustomEvent<DeviceChoice>).detail);
    window.addEventListener(DEVICE_CHOICE_EVENT, listener);
    try {
      saveDeviceChoice({ inputDeviceId: 'mic-1' }, storage);
      saveDeviceChoice({ outputDeviceId: 'default' }, storage);
    } finally {
      window.removeEventListener(DEVICE_CHOICE_EVENT, listener);
    }
    expect(JSON.parse(storage.data.get(DEVICE_CHOICE_KEY)!)).to.deep.equal({ inputDeviceId: 'mic-1', outputDeviceId: 'default' });
    expect(heard).to.deep.equal([{ inputDeviceId: 'mic-1' }, { inputDeviceId: 'mic-1', outputDeviceId: 'default' }]);
    expect(loadDeviceChoice(storage)).to.deep.equal({ inputDeviceId: 'mic-1', outputDeviceId: 'default' });
  });

  it('refuses an id that is not one a browser makes, and changes nothing', () => {
    const storage = memoryStorage({ [DEVICE_CHOICE_KEY]: JSON.stringify({ inputDeviceId: 'mic-1' }) });
    expect(() => saveDeviceChoice({ inputDeviceId: '<script>' }, storage)).to.throw('A device id must be the id the browser gave');
    expect(() => saveDeviceChoice({ outputDeviceId: '' }, storage)).to.throw();
    expect(loadDeviceChoice(storage)).to.deep.equal({ inputDeviceId: 'mic-1' });
  });

  it('reads nothing but valid ids from storage (other keys, junk, broken JSON)', () => {
    expect(loadDeviceChoice(memoryStorage({ [DEVICE_CHOICE_KEY]: JSON.stringify({ inputDeviceId: 'a b', outputDeviceId: 7, label: 'x', password: 'y' }) }))).to.deep.equal({});
    expect(loadDeviceChoice(memoryStorage({ [DEVICE_CHOICE_KEY]: '{not json' }))).to.deep.equal({});
    expect(loadDeviceChoice(memoryStorage())).to.deep.equal({});
    expect(loadDeviceChoice(undefined)).to.deep.equal({});
  });

  it('sorts each way the microphone can fail into what the agent can do about it', () => {
    expect(microphoneProblem('NotAllowedError')).to.equal('blocked');
    expect(microphoneProblem('SecurityError')).to.equal('blocked');
    expect(microphoneProblem('NotFoundError')).to.equal('missing');
    expect(microphoneProblem('OverconstrainedError')).to.equal('missing');
    expect(microphoneProblem('none')).to.equal('missing');
    expect(microphoneProblem('NotReadableError')).to.equal('busy');
    expect(microphoneProblem('AbortError')).to.equal('busy');
    expect(microphoneProblem('Whatever')).to.equal('failed');
    expect(microphoneProblem('')).to.equal('failed');
  });
});
