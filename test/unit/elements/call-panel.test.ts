import { expect, fixture, html } from '@open-wc/testing';
import { loadElement } from '../../../components/index.ts';
import type { CallPanel } from '../../../components/call-panel/call-panel.ts';
import type { DispositionPicker } from '../../../components/disposition-picker/disposition-picker.ts';
import type { PreviewCard } from '../../../components/preview-card/preview-card.ts';
import type { Command } from '../../../src/core/commands.ts';
import { Session } from '../../../src/core/session.ts';
import { SimulatorConnector } from '../../../src/connectors/simulator/simulator-connector.ts';
import {
  accessibleName,
  allByRole,
  byRole,
  inboundTalking,
  isDisabled,
  loginReady,
  settled,
  simulatedSession,
  type,
  until,
  type SimulatedSession,
} from './fixtures.ts';

/** Records the commands that reach the connector (the real one still executes them). */
function recordCommands(s: SimulatedSession): Command[] {
  const sent: Command[] = [];
  const execute = s.connector.execute.bind(s.connector);
  s.connector.execute = (command: Command) => {
    sent.push(command);
    return execute(command);
  };
  return sent;
}

async function clickButton(root: HTMLElement, name: string): Promise<void> {
  const button = byRole(root, 'button', name);
  expect(isDisabled(button), `${name} enabled`).to.equal(false);
  button.click();
  await settled();
}

describe('<call-panel> standalone with a session property', () => {
  let s: SimulatedSession;
  // The transfer dialog is a lazy module: standalone, the page loads it (inside <agent-bar> the
  // Transfer click does, and the dialog appears once it has arrived).
  before(() => loadElement('transfer-dialog'));
  afterEach(() => s?.session.destroy());

  it('shows "No call" and no call control when idle; a ringing call only a large Answer', async () => {
    s = await simulatedSession();
    await loginReady(s.session);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    expect(panel.shadowRoot!.textContent).to.contain('No call');
    expect(allByRole(panel, 'button')).to.have.length(0);
    s.connector.simulator.offerCall({ number: '+442079460018', name: 'Pat Doe' });
    await until(() => s.session.snapshot.capabilities.answer, 'offered');
    await settled();
    expect(allByRole(panel, 'button').map((b) => accessibleName(b))).to.deep.equal(['Answer']);
    expect(byRole(panel, 'button', 'Answer').classList.contains('answer')).to.equal(true);
    expect(panel.shadowRoot!.textContent).to.contain('Inbound');
  });

  it('Answer, Hold, Retrieve, recording and Hang up send their commands', async () => {
    s = await simulatedSession();
    await loginReady(s.session);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    const sent = recordCommands(s);
    s.connector.simulator.offerCall({ number: '+442079460018', name: 'Pat Doe' });
    await until(() => s.session.snapshot.capabilities.answer, 'offered');
    await settled();
    await clickButton(panel, 'Answer');
    await until(() => s.session.snapshot.calls[0]?.state === 'talking', 'talking');
    await settled();
    await clickButton(panel, 'Hold');
    await until(() => s.session.snapshot.calls[0]?.state === 'held', 'held');
    await settled();
    // Held: Retrieve takes Hold's place.
    expect(allByRole(panel, 'button', 'Hold')).to.have.length(0);
    await clickButton(panel, 'Retrieve');
    await until(() => s.session.snapshot.calls[0]?.state === 'talking', 'retrieved');
    await settled();
    // Recording is a rare action: behind More.
    expect(allByRole(panel, 'button', 'Start recording')).to.have.length(0);
    await clickButton(panel, 'More');
    await clickButton(panel, 'Start recording');
    await until(() => s.session.snapshot.calls[0]?.recording === true, 'recording');
    await settled();
    await clickButton(panel, 'Stop recording');
    await until(() => s.session.snapshot.calls[0]?.recording === false, 'stopped');
    await settled();
    await clickButton(panel, 'Hang up');
    await until(() => s.session.snapshot.calls[0]?.state !== 'talking', 'hung up');
    const callId = s.session.snapshot.calls[0]?.id;
    expect(sent.map((c) => c.operation)).to.deep.equal(['answer', 'hold', 'retrieve', 'startRecording', 'stopRecording', 'hangup']);
    expect(sent.every((c) => (c.args as { callId?: string }).callId === callId)).to.equal(true);
  });

  it('Mute turns into Unmute while muted (Muted shown), and back; axe finds nothing either way', async function () {
    this.timeout(60_000); // two axe runs: slow on a loaded machine
    s = await simulatedSession();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    expect(allByRole(panel, 'button', 'Unmute')).to.have.length(0);
    await clickButton(panel, 'Mute');
    await until(() => s.session.snapshot.calls[0]?.muted === true, 'muted');
    await settled();
    expect(allByRole(panel, 'button', 'Mute')).to.have.length(0);
    expect(panel.shadowRoot!.textContent).to.contain('Muted');
    await expect(panel).to.be.accessible();
    await clickButton(panel, 'Hold');
    await until(() => s.session.snapshot.calls[0]?.state === 'held', 'held');
    await settled();
    expect(isDisabled(byRole(panel, 'button', 'Unmute')), 'Unmute while held').to.equal(true);
    await clickButton(panel, 'Retrieve');
    await until(() => s.session.snapshot.calls[0]?.state === 'talking', 'retrieved');
    await settled();
    await clickButton(panel, 'Unmute');
    await until(() => !s.session.snapshot.calls[0]?.muted, 'unmuted');
    await settled();
    expect(isDisabled(byRole(panel, 'button', 'Mute'))).to.equal(false);
    expect(panel.shadowRoot!.textContent).not.to.contain('Muted');
    await expect(panel).to.be.accessible();
  });

  it('Mute is not shown with no call', async () => {
    s = await simulatedSession();
    await loginReady(s.session);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    expect(allByRole(panel, 'button', 'Mute')).to.have.length(0);
  });

  it('More holds a Note box: Add note sends the note on the call and empties the box; an empty note sends nothing', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    const sent = recordCommands(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    byRole(panel, 'button', 'More').click();
    await settled();
    const box = byRole<HTMLInputElement>(panel, 'textbox', 'Note');
    byRole(panel, 'button', 'Add note').click();
    await settled();
    expect(sent.filter((c) => c.operation === 'addNote'), 'an empty note is not sent').to.have.length(0);
    type(box, '  Wants the premium plan  ');
    byRole(panel, 'button', 'Add note').click();
    await until(() => (s.session.snapshot.calls[0]?.notes.length ?? 0) === 1, 'note kept on the call');
    expect(s.session.snapshot.calls[0]!.notes).to.deep.equal(['Wants the premium plan']);
    const note = sent.find((c) => c.operation === 'addNote')!;
    expect(note.args).to.deep.equal({ note: 'Wants the premium plan', callId: s.session.snapshot.calls[0]!.id });
    await until(() => box.value === '', 'box emptied');
    await expect(panel).to.be.accessible();
  });

  it('a second click while the command is in flight sends nothing', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    const sent = recordCommands(s);
    const hold = byRole(panel, 'button', 'Hold');
    hold.click();
    hold.click();
    await until(() => s.session.snapshot.calls[0]?.state === 'held', 'held');
    expect(sent.filter((c) => c.operation === 'hold')).to.have.length(1);
  });

  it('Keypad toggles the DTMF keys 0-9, * and #; a key sends sendDtmf with its digit', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    const sent = recordCommands(s);
    expect(allByRole(panel, 'button', '5')).to.have.length(0);
    await clickButton(panel, 'Keypad');
    expect(byRole(panel, 'button', 'Keypad').getAttribute('aria-expanded')).to.equal('true');
    for (const d of ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#']) expect(allByRole(panel, 'button', d), d).to.have.length(1);
    await clickButton(panel, '#');
    await until(() => sent.length > 0, 'dtmf');
    expect(sent[0]!.operation).to.equal('sendDtmf');
    expect((sent[0]!.args as { digit: string }).digit).to.equal('#');
    await clickButton(panel, 'Keypad');
    expect(allByRole(panel, 'button', '5')).to.have.length(0);
  });

  it('keypad at 120 ms a key through a 150 ms backend: all 10 digits reach it, in order, and stay read back', async () => {
    const connector = new SimulatorConnector({ agentId: '1001', latencyMs: 150 });
    s = { connector, session: new Session(connector, { agentId: '1001' }) };
    await s.session.connect();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    const sent = recordCommands(s);
    await clickButton(panel, 'Keypad');
    for (const digit of '1234567890') {
      // The keypad must still be there while the previous digit is in flight.
      const key = allByRole(panel, 'button', digit);
      expect(key, `key ${digit} present`).to.have.length(1);
      key[0]!.click();
      await new Promise((r) => setTimeout(r, 120));
    }
    const readBack = () => byRole(panel, 'status', 'Digits sent').textContent;
    for (let i = 0; i < 200 && readBack() !== '1234567890'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sent.filter((c) => c.operation === 'sendDtmf').map((c) => (c.args as { digit: string }).digit).join('')).to.equal('1234567890');
    expect(readBack()).to.equal('1234567890');
    expect(s.session.snapshot.lastError).to.equal(undefined);
    expect(byRole(panel, 'button', 'Keypad').getAttribute('aria-expanded')).to.equal('true');
  });

  it('a refused digit drops the digits queued behind it (they would key another sequence)', async () => {
    const connector = new SimulatorConnector({ agentId: '1001', latencyMs: 50 });
    s = { connector, session: new Session(connector, { agentId: '1001' }) };
    await s.session.connect();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    const sent = recordCommands(s);
    await clickButton(panel, 'Keypad');
    s.connector.simulator.failNext('sendDtmf', 341);
    for (const digit of '123') byRole(panel, 'button', digit).click();
    await until(() => s.session.snapshot.lastError !== undefined && !s.session.snapshot.pending.includes('sendDtmf'), 'refused');
    await new Promise((r) => setTimeout(r, 150));
    expect(sent.filter((c) => c.operation === 'sendDtmf')).to.have.length(1);
    expect(byRole(panel, 'status', 'Digits sent').textContent).to.equal('');
    byRole(panel, 'button', '4').click();
    await until(() => byRole(panel, 'status', 'Digits sent').textContent === '4', 'next digit');
  });

  it('Transfer opens the dialog: consult, consult answered, Complete transfer', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    expect(allByRole(panel, 'dialog', 'Transfer')).to.have.length(0);
    await clickButton(panel, 'Transfer');
    expect(allByRole(panel, 'dialog', 'Transfer')).to.have.length(1);
    const destination = s.session.snapshot.destinations.find((d) => d.type === 'agent')!;
    const radio = byRole<HTMLInputElement>(panel, 'radio', destination.label);
    radio.click();
    await settled();
    expect(byRole<HTMLInputElement>(panel, 'textbox', 'Destination').value).to.equal(destination.label);
    expect(isDisabled(byRole(panel, 'button', 'Complete transfer'))).to.equal(true);
    await clickButton(panel, 'Consult');
    await until(() => !!s.session.snapshot.calls[0]?.consult, 'consulting');
    expect(s.session.snapshot.calls[0]!.consult!.destination.id).to.equal(destination.id);
    s.connector.simulator.answerConsult();
    await until(() => s.session.snapshot.capabilities.completeTransfer, 'consult connected');
    await settled();
    await clickButton(panel, 'Complete transfer');
    await until(() => s.session.snapshot.calls.every((c) => c.state === 'wrapup') , 'transferred');
    await settled();
    expect(allByRole(panel, 'dialog', 'Transfer')).to.have.length(0);
  });

  it('Consult then Conference keeps the dialog open with Leave/End conference', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    const panel = await fixture<CallPanel>(html`<call-panel .session=${s.session}></call-panel>`);
    await clickButton(panel, 'Transfer');
    type(byRole<HTMLInputElement>(panel, 'textbox', 'Destination'), '+441632960999');
    await clickButton(panel, 'Consult');
    await until(() => !!s.session.snapshot.calls[0]?.consult, 'consulting');
    s.connector.simulator.answerConsult();
    await until(() => s.session.snapshot.capabilities.conference, 'can conference');
    await settled();
    await clickButton(panel, 'Conference');
    await until(() => s.session.snapshot.calls[0]?.state === 'conferenceOwner', 'conference');
    await settled();
    expect(allByRole(panel, 'dialog', 'Transfer')).to.have.length(1);
    const caps = s.session.snapshot.capabilities;
    expect(isDisabled(byRole(panel, 'button', 'Leave conference'))).to.equal(!caps.leaveConference);
    expect(isDisabled(byRole(panel, 'button', 'End conference'))).to.equal(!caps.endConference);
    expect(isDisabled(byRole(panel, 'button', 'Conference'))).to.equal(!caps.conference);
  });
});

describe('<disposition-picker> standalone', () => {
  let s: SimulatedSession;
  // A lazy module: standalone, the page loads it itself.
  before(() => loadElement('disposition-picker'));
  afterEach(() => s?.session.destroy());

  it('renders nothing outside wrap-up; in wrap-up, dispositions as radios, Notes and Wrap up', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    const picker = await fixture<DispositionPicker>(html`<disposition-picker .session=${s.session}></disposition-picker>`);
    expect(allByRole(picker, 'button', 'Wrap up')).to.have.length(0);
    s.connector.simulator.customerHangup();
    await until(() => s.session.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
    await settled();
    const dispositions = s.session.snapshot.dispositions;
    expect(allByRole(picker, 'radio').map((r) => (r.closest('label')!.textContent ?? '').trim())).to.deep.equal(dispositions.map((d) => d.label));
    expect(byRole(picker, 'textbox', 'Notes')).to.exist;
    expect(byRole(picker, 'button', 'Extend wrap-up')).to.exist;
    expect(byRole(picker, 'button', 'Schedule callback')).to.exist;
    expect(byRole(picker, 'timer')).to.exist;
  });

  it('Wrap up without a disposition sends nothing; with one sends wrapUp with code and notes', async () => {
    s = await simulatedSession();
    await inboundTalking(s);
    s.connector.simulator.customerHangup();
    await until(() => s.session.snapshot.calls[0]?.state === 'wrapup', 'wrap-up');
    const picker = await fixture<DispositionPicker>(html`<disposition-picker .session=${s.session}></disposition-picker>`);
    const sent = recordCommands(s);
    await clickButton(picker, 'Wrap up');
    expect(sent).to.have.length(0);
    expect(picker.shadowRoot!.textContent).to.contain('Choose a disposition first.');
    const sale = s.session.snapshot.dispositions[0]!;
    byRole<HTMLInputElement>(picker, 'radio', sale.label).click();
    type(byRole<HTMLTextAreaElement>(picker, 'textbox', 'Notes'), 'Renewed for a year');
    await settled();
    await clickButton(picker, 'Wrap up');
    await until(() => s.session.snapshot.calls.length === 0, 'wrapped up');
    expect(sent).to.have.length(1);
    expect(sent[0]!.operation).to.equal('wrapUp');
    expect(sent[0]!.args).to.include({ code: sale.code, notes: 'Renewed for a year' });
  });
});

describe('<preview-card> standalone', () => {
  before(() => loadElement('preview-card'));
  it('Skip sends previewSkip and the card goes away', async () => {
    const s = await simulatedSession();
    try {
      await loginReady(s.session);
      const card = await fixture<PreviewCard>(html`<preview-card .session=${s.session}></preview-card>`);
      expect(allByRole(card, 'button', 'Skip')).to.have.length(0);
      s.connector.simulator.offerPreview({ number: '+441632960001', name: 'Alex Morgan', timeoutSec: 0 });
      await until(() => s.session.snapshot.calls[0]?.state === 'preview', 'preview');
      await settled();
      expect(card.shadowRoot!.textContent).to.contain('Alex Morgan');
      expect(allByRole(card, 'timer')).to.have.length(0); // untimed preview: no countdown
      await clickButton(card, 'Skip');
      await until(() => s.session.snapshot.calls[0]?.state !== 'preview', 'skipped');
      await settled();
      expect(allByRole(card, 'button', 'Skip')).to.have.length(0);
    } finally {
      s.session.destroy();
    }
  });
});
