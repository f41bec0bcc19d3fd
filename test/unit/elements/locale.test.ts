import { expect } from '@open-wc/testing';
import '../../../components/index.ts';
import type { AgentBar } from '../../../components/agent-bar/agent-bar.ts';
import { currentLocale, resolveLocale, useLocale } from '../../../components/locale/localization.ts';
import { allByRole, byRole, deepAll, settled, simulatorBar, type, until } from './fixtures.ts';

let agents = 0;

/** A bar on the simulator (its own agent), `lang` as given (none: the page's). */
const bar = (lang?: string): Promise<AgentBar> => simulatorBar(`locale-${++agents}`, lang);

/** Waits until the bar shows the button named `name` (the locale's table may still be on its way). */
async function shows(el: AgentBar, name: string): Promise<void> {
  await until(() => allByRole(el, 'button', name).length === 1, `button "${name}"`);
}

const alertText = (el: AgentBar) => el.shadowRoot!.querySelector('[role="alert"]')!.textContent;

describe('<agent-bar> in English and Spanish', () => {
  afterEach(async () => {
    // One locale per page: every test starts in English, whatever the last one asked for.
    document.documentElement.lang = 'en';
    await useLocale('en');
  });

  it('resolves a language tag to one of its locales, English for anything else', () => {
    expect(resolveLocale('es')).to.equal('es');
    expect(resolveLocale('es-MX')).to.equal('es');
    expect(resolveLocale(' ES_ar ')).to.equal('es');
    expect(resolveLocale('en-GB')).to.equal('en');
    expect(resolveLocale('fr')).to.equal('en');
    expect(resolveLocale('')).to.equal('en');
    expect(resolveLocale(undefined)).to.equal('en');
  });

  it('lang="es": labels, accessible names, states and timers in Spanish, and no axe violations', async function () {
    this.timeout(60_000); // an axe run: slow on a loaded machine
    const el = await bar('es');
    await shows(el, 'Iniciar sesión');
    expect(currentLocale()).to.equal('es');
    expect(el.shadowRoot!.querySelector('.bar')!.getAttribute('lang'), 'the content says which language it is in').to.equal('es');
    expect(allByRole(el, 'button', 'Log in'), 'no English left').to.have.length(0);
    byRole(el, 'group', 'Estado del agente');
    expect(el.shadowRoot!.querySelector('header')!.textContent).to.contain('Sesión cerrada');
    byRole(el, 'button', 'Iniciar sesión').click();
    await until(() => el.session!.snapshot.capabilities.ready, 'logged in');
    await settled();
    byRole(el, 'button', 'Disponible').click();
    await until(() => el.session!.snapshot.agent.state === 'ready', 'ready');
    el.simulator!.offerCall({ number: '+442079460018', name: 'Pat Doe' });
    await shows(el, 'Contestar');
    byRole(el, 'group', 'Controles de la llamada');
    expect(deepAll(el, 'section[aria-label="Llamada"]'), 'the call section').to.have.length(1);
    const timer = byRole(el, 'timer', 'Tiempo en el estado');
    expect(timer.textContent!.trim()).to.match(/^\d{1,2}:\d{2}$/);
    expect(deepAll(el, '.badge')[0]!.textContent).to.equal('Sonando');
    await expect(el).to.be.accessible();
    byRole(el, 'button', 'Contestar').click();
    await shows(el, 'Colgar');
    byRole(el, 'button', 'Retener');
    byRole(el, 'timer', 'Tiempo de conversación');
    byRole(el, 'button', 'Más').click();
    await settled();
    byRole(el, 'group', 'Más acciones de la llamada');
    await expect(el).to.be.accessible();
  });

  it('the lazy elements speak Spanish too: the transfer dialog and the wrap-up form', async () => {
    const el = await bar('es');
    await el.session!.command('login', {});
    await el.session!.command('ready', {});
    el.simulator!.offerCall({ number: '+442079460018', name: 'Pat Doe' });
    await until(() => el.session!.snapshot.capabilities.answer, 'offered');
    await el.session!.command('answer', {});
    await shows(el, 'Transferir');
    byRole(el, 'button', 'Transferir').click();
    await until(() => allByRole(el, 'dialog', 'Transferir').length === 1, 'the transfer dialog');
    byRole(el, 'button', 'Transferencia directa');
    byRole(el, 'textbox', 'Destino');
    byRole(el, 'button', 'Cerrar').click();
    await el.session!.command('hangup', {});
    await shows(el, 'Finalizar');
    expect(deepAll(el, 'section[aria-label="Cierre"]'), 'the wrap-up section').to.have.length(1);
    byRole(el, 'textbox', 'Notas');
    // The simulator's wrap-up has a deadline: the countdown ("quedan 0:59").
    expect(byRole(el, 'timer', 'Tiempo restante de cierre').textContent).to.match(/^quedan \d{1,2}:\d{2}$/);
    byRole(el, 'button', 'Finalizar').click();
    await until(() => deepAll(el, '[role="status"]').some((s) => s.textContent === 'Elija primero un resultado.'), 'the hint in Spanish');
    // <recent-calls> (its own module, handed the main bundle's msg) once the call is done.
    allByRole(el, 'radio')[0]!.click();
    byRole(el, 'button', 'Finalizar').click();
    await shows(el, 'Llamadas recientes (1)');
  });

  it('switches language at run time when lang changes, and back', async () => {
    const el = await bar('es');
    await shows(el, 'Iniciar sesión');
    el.setAttribute('lang', 'en');
    await shows(el, 'Log in');
    expect(currentLocale()).to.equal('en');
    expect(el.shadowRoot!.querySelector('.bar')!.getAttribute('lang')).to.equal('en');
    el.setAttribute('lang', 'es-MX');
    await shows(el, 'Iniciar sesión');
    el.removeAttribute('lang');
    // No lang of its own: the page's (English here).
    await shows(el, 'Log in');
  });

  it('follows the page’s <html lang> when the bar has none; an unknown language is English', async () => {
    document.documentElement.lang = 'es';
    const el = await bar();
    await shows(el, 'Iniciar sesión');
    document.documentElement.lang = 'fr';
    await shows(el, 'Log in');
    const other = await bar('de');
    await settled();
    expect(currentLocale()).to.equal('en');
    byRole(other, 'button', 'Log in');
    byRole(other, 'group', 'Agent state');
    expect(other.shadowRoot!.querySelector('.bar')!.getAttribute('lang')).to.equal('en');
  });

  it('our own error messages in Spanish; in English exactly as the core wrote them', async () => {
    const el = await bar('es');
    await shows(el, 'Iniciar sesión');
    await el.session!.command('login', {});
    await until(() => el.session!.snapshot.capabilities.dial, 'can dial');
    await settled();
    type(byRole<HTMLInputElement>(el, 'textbox', 'Número de teléfono'), '+44 12');
    byRole(el, 'button', 'Marcar').click();
    await until(() => !!el.session!.snapshot.lastError, 'refused');
    await settled();
    const english = el.session!.snapshot.lastError!.message;
    expect(english).to.match(/^"\+44 ?12" is not/);
    expect(alertText(el)).to.match(/^«\+44 ?12» no es un número/);
    byRole(el, 'button', 'Descartar');
    el.setAttribute('lang', 'en');
    await shows(el, 'Log out');
    expect(alertText(el)).to.equal(english);
    // A message that is not ours (a vendor's text) is shown as written, in any language.
    el.setAttribute('lang', 'es');
    await shows(el, 'Cerrar sesión');
    await el.session!.command('ready', {});
    el.simulator!.failNext('hold', 101);
    el.simulator!.offerCall({ number: '+442079460018' });
    await until(() => el.session!.snapshot.capabilities.answer, 'offered');
    await el.session!.command('answer', {});
    await el.session!.command('hold', {}).catch(() => {});
    await settled();
    expect(alertText(el)).to.equal(el.session!.snapshot.lastError!.message);
  });
});
