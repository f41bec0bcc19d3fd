import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { errorText, useLocale } from '../../../components/locale/localization.ts';
import { BY_CAUSE, BY_STATUS, FAILED, REFUSED, callFailure, registrationFailure } from '../../../src/phone/sip-errors.ts';
import { sipReasons } from '../../../components/locale/phone-error-messages.ts';
import { checkCompanionOptions } from '../../../src/phone/phone-companion.ts';
import { allByRole, byRole, deepAll, settled, until } from './fixtures.ts';

/**
 * The browser phone in Spanish: the phone panel's state and registration error, the audio
 * devices and the guidance for each way the microphone can fail, and the phone's own error
 * sentences (src/phone writes English; the locale runtime says them again).
 */

/** What the browser's media devices answer, for one state (restored after each test). */
interface MediaStub {
  devices: Array<Pick<MediaDeviceInfo, 'kind' | 'label' | 'deviceId'>>;
  /** The name of the DOMException getUserMedia rejects with; undefined: it gives a silent stream. */
  refuse?: string;
}

const media = navigator.mediaDevices;

function stubMedia(stub: MediaStub): void {
  Object.defineProperty(media, 'enumerateDevices', { configurable: true, value: async () => stub.devices.map((d) => ({ groupId: '', ...d, toJSON: () => d })) });
  Object.defineProperty(media, 'getUserMedia', {
    configurable: true,
    value: async () => {
      if (stub.refuse) throw new DOMException('refused by the test', stub.refuse);
      return new AudioContext().createMediaStreamDestination().stream;
    },
  });
}

function restoreMedia(): void {
  delete (media as unknown as Record<string, unknown>).enumerateDevices;
  delete (media as unknown as Record<string, unknown>).getUserMedia;
  delete (navigator as unknown as Record<string, unknown>).mediaDevices;
}

const unnamedMic = { kind: 'audioinput' as const, label: '', deviceId: 'default' };

/** A bar in Spanish on the simulator with `bar.phone`: its phone panel is loaded lazily. */
async function spanishBarWithPhone(phone: Record<string, unknown>): Promise<AgentBar> {
  const el = await fixture<AgentBar>(html`<agent-bar agent-id="phone-es" lang="es" .config=${{ latencyMs: 0 }} .phone=${phone}></agent-bar>`);
  await until(() => deepAll(el, 'section[aria-label="Teléfono"]').length === 1, 'the phone region, named in Spanish');
  return el;
}

const phoneOptions = () => ({
  // Nothing listens on the discard port of this computer: the registration fails at once.
  endpoint: 'ws://127.0.0.1:9',
  uri: 'sip:1001@pbx.example.com',
  getCredentials: () => ({ password: 'not-used' }),
});

/** Opens the audio devices afresh (closing them first when open) and waits for what they show. */
async function reopenDevices(el: AgentBar): Promise<void> {
  const toggle = byRole(el, 'button', 'Dispositivos de audio');
  if (toggle.getAttribute('aria-expanded') === 'true') {
    toggle.click();
    await until(() => allByRole(el, 'group', 'Dispositivos de audio').length === 0, 'the devices closed');
  }
  toggle.click();
  await until(() => allByRole(el, 'group', 'Dispositivos de audio').length === 1, 'the devices open');
}

const devicesAlert = (el: AgentBar) => deepAll(el, 'phone-devices')[0]!.shadowRoot!.querySelector('[role="alert"]')?.textContent?.trim();

describe('<phone-panel> in Spanish', () => {
  afterEach(async () => {
    restoreMedia();
    document.documentElement.lang = 'en';
    await useLocale('en');
  });

  it('the phone state, its registration error and each microphone guidance in Spanish, with no axe violations', async function () {
    this.timeout(60_000); // the phone module, then axe runs: slow on a loaded machine
    const el = await spanishBarWithPhone(phoneOptions());
    // The phone fails (nothing listens; in this test runner JsSIP, a CommonJS package, may not even
    // load): the state and the reason are Spanish.
    await until(() => allByRole(el, 'status', 'Teléfono sin conectar').length === 1, '"Teléfono sin conectar"');
    const reason = deepAll(el, 'phone-panel')[0]!.shadowRoot!.querySelector('.muted')!.textContent!.trim();
    expect(reason).to.be.oneOf(['El teléfono no pudo conectar con el servidor SIP.', 'No se cargó el módulo del teléfono.']);
    expect(allByRole(el, 'button', 'Audio devices'), 'no English left').to.have.length(0);

    const states: Array<[string, MediaStub, string]> = [
      ['blocked', { devices: [unnamedMic], refuse: 'NotAllowedError' }, 'El navegador bloquea el micrófono para este sitio: permítalo en la configuración del sitio (el icono a la izquierda de la dirección) e inténtelo de nuevo.'],
      ['missing', { devices: [] }, 'No se encontró ningún micrófono: conecte uno (o elija otro) e inténtelo de nuevo.'],
      ['busy', { devices: [unnamedMic], refuse: 'NotReadableError' }, 'Otro programa está usando el micrófono o no se pudo iniciar: cierre ese programa e inténtelo de nuevo.'],
      ['failed', { devices: [unnamedMic], refuse: 'SomethingElseError' }, 'No se pudo usar el micrófono: revíselo en la configuración de sonido del sistema e inténtelo de nuevo.'],
    ];
    for (const [name, stub, spanish] of states) {
      stubMedia(stub);
      await reopenDevices(el);
      await until(() => devicesAlert(el) === spanish, `the ${name} guidance in Spanish (shows: ${devicesAlert(el)})`);
      if (name === 'blocked') await expect(el).to.be.accessible();
    }

    // A page the browser gives no media devices at all (not a secure context).
    Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: undefined });
    await reopenDevices(el);
    await until(() => devicesAlert(el) === 'Esta página no puede usar un micrófono: debe servirse por https (o desde este ordenador).', 'the insecure-page guidance in Spanish');
    restoreMedia();

    // A working microphone: the pickers, the check and its level meter are Spanish.
    stubMedia({ devices: [unnamedMic, { kind: 'audiooutput', label: '', deviceId: 'spk' }] });
    await reopenDevices(el);
    await until(() => allByRole(el, 'combobox', 'Micrófono').length === 1, 'the microphone picker');
    expect(devicesAlert(el), 'no guidance when the microphone works').to.equal(undefined);
    const picker = byRole<HTMLSelectElement>(el, 'combobox', 'Micrófono');
    expect(picker.options[0]!.textContent).to.equal('Micrófono 1');
    byRole(el, 'button', 'Probar el micrófono').click();
    await until(() => deepAll(el, 'meter[aria-label="Nivel del micrófono"]').length === 1, 'the level meter');
    byRole(el, 'button', 'Detener la prueba').click();
    await settled();
    await expect(el).to.be.accessible();
  });

  it('bad phone options: the reason in Spanish', async () => {
    const el = await spanishBarWithPhone({ ...phoneOptions(), uri: 'not a sip address' });
    await until(() => allByRole(el, 'alert').some((a) => a.textContent!.includes('«uri»')), 'the reason in Spanish');
    const alert = allByRole(el, 'alert').find((a) => a.closest('section'))!;
    expect(alert.textContent).to.equal('La «uri» del teléfono debe ser una dirección SIP como sip:1001@pbx.example.com.');
  });

  it("the phone's error sentences in Spanish, with the SIP status and the server's words kept", async () => {
    await useLocale('es');
    expect(errorText(callFailure({ response: { status_code: 486 } }))).to.equal('La llamada falló: la línea está ocupada (SIP 486).');
    expect(errorText(callFailure({ cause: 'RTP Timeout' }))).to.equal('La llamada falló: el audio dejó de llegar.');
    expect(errorText(callFailure({ response: { status_code: 480 } }))).to.equal('La llamada falló: la persona no está disponible (desconectada o sin registrar) (SIP 480).');
    expect(errorText(registrationFailure({ cause: 'Authentication Error', response: { status_code: 401 } }))).to.equal(
      'El servidor SIP rechazó el usuario o la contraseña del teléfono (SIP 401): revise las credenciales SIP.',
    );
    expect(errorText(registrationFailure({ cause: 'Rejected', response: { status_code: 503, reason_phrase: 'Service Unavailable' } }))).to.equal(
      'El servidor SIP rechazó el registro del teléfono (SIP 503 Service Unavailable).',
    );
    expect(errorText({ message: 'Transfer failed: the call was declined (SIP 603).' })).to.equal('La transferencia falló: la llamada fue rechazada (SIP 603).');
    expect(errorText({ message: 'The call is held: it cannot be transferred now.' })).to.equal('La llamada está en espera: ahora no se puede transferir.');
    expect(errorText({ message: checkCompanionOptions({ ...phoneOptions(), autoAnswer: 'sometimes' })! })).to.equal(
      'El «autoAnswer» del teléfono debe ser uno de estos: header, always, off.',
    );
    // Every reason src/phone can give has its own Spanish words (a reason added there without a
    // translation fails here).
    const reasons = sipReasons();
    for (const english of new Set([...Object.values(BY_STATUS), ...Object.values(BY_CAUSE), REFUSED, FAILED])) {
      expect(reasons[english], english).to.be.a('string').and.not.equal(english);
      expect(errorText(callFailure({ cause: Object.entries(BY_CAUSE).find(([, v]) => v === english)?.[0] ?? 'x' })), english).to.match(/^La llamada falló: /);
    }
  });
});
