/**
 * The `cti-` events a CRM page hears: a listener on `document` (installed before the page's
 * scripts) receives them bubbling and composed, from `<agent-bar>`, with the documented detail.
 */
import {
  expect,
  test,
  bar,
  control,
  alert,
  events,
  expectAgentState,
  expectEvents,
  failNext,
  inboundCall,
  openDemo,
  recordEvents,
  region,
  simButton,
  type RecordedEvent,
} from './demo-kit.ts';

function expectDomShape(list: RecordedEvent[]): void {
  for (const e of list) {
    expect(e, e.type).toMatchObject({ bubbles: true, composed: true, target: 'agent-bar' });
  }
}

test('agent state, call and capability events reach the document with their detail', async ({ page }) => {
  await recordEvents(page);
  await openDemo(page);

  await control(page, 'Log in').click();
  await expectAgentState(page, 'Not ready');
  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
  const states = await expectEvents(page, 'cti-agent-state-changed', 2);
  expect(states.map((e) => e.detail)).toEqual([
    { state: 'notReady', previous: 'loggedOut' },
    { state: 'ready', previous: 'notReady' },
  ]);

  await inboundCall(page, { number: '+441632960444', name: 'Katherine Johnson' });
  const [offered] = await expectEvents(page, 'cti-call-offered');
  const call = offered!.detail.call;
  expect(call).toMatchObject({
    state: 'ringing',
    direction: 'inbound',
    remote: { number: '+441632960444', name: 'Katherine Johnson' },
  });
  expect(typeof call.id).toBe('string');
  expect(call.fields).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'account', value: 'ACC-20417', type: 'readOnly' })]));
  const id = call.id as string;

  await control(page, 'Answer').click();
  const [connected] = await expectEvents(page, 'cti-call-connected');
  expect(connected!.detail.call).toMatchObject({ id, state: 'talking' });
  expect(typeof connected!.detail.call.timestamps.connectedAt).toBe('number');

  await control(page, 'Hold').click();
  const [held] = await expectEvents(page, 'cti-call-held');
  expect(held!.detail.call).toMatchObject({ id, state: 'held' });

  await control(page, 'Retrieve').click();
  const [retrieved] = await expectEvents(page, 'cti-call-retrieved');
  expect(retrieved!.detail.call).toMatchObject({ id, state: 'talking' });

  await simButton(page, 'Customer hangs up').click();
  const [disconnected] = await expectEvents(page, 'cti-call-disconnected');
  expect(disconnected!.detail.call).toMatchObject({ id, state: 'wrapup' });
  await expect(region(page, 'Wrap-up')).toBeVisible();

  // Capabilities follow the call: the last change before the hang-up allowed Hold, not Answer.
  const caps = (await events(page, 'cti-capabilities-changed')).map((e) => e.detail.capabilities);
  expect(caps.length).toBeGreaterThan(0);
  expect(caps.some((c) => c.answer === true && c.hold === false)).toBe(true);
  expect(caps.some((c) => c.hold === true && c.answer === false && c.retrieve === false)).toBe(true);
  expect(caps.some((c) => c.retrieve === true && c.hold === false)).toBe(true);
  expect(caps.at(-1)).toMatchObject({ wrapUp: true, hold: false, hangup: false });

  await region(page, 'Wrap-up').getByRole('radio', { name: 'Sale', exact: true }).check();
  await control(page, 'Wrap up').click();
  const [completed] = await expectEvents(page, 'cti-wrapup-completed');
  expect(completed!.detail).toEqual({ callId: id, dispositionCode: 'SALE' });

  // Each call event came once, in order, and every event has the DOM shape of the contract.
  const order = (await events(page)).map((e) => e.type).filter((t) => t.startsWith('cti-call-') || t === 'cti-wrapup-completed');
  expect(order).toEqual([
    'cti-call-offered',
    'cti-call-connected',
    'cti-call-held',
    'cti-call-retrieved',
    'cti-call-disconnected',
    'cti-wrapup-completed',
  ]);
  expectDomShape(await events(page));
});

test('not ready with a reason, a failed command and a screen pop are reported with their detail', async ({ page }) => {
  await recordEvents(page);
  await openDemo(page);
  await control(page, 'Log in').click();
  await expectAgentState(page, 'Not ready');
  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');

  // The contact centre refuses the first break request: the failure names operation and codes.
  await failNext(page, 'notReady', 9004);
  await control(page, 'Not ready').click();
  await bar(page).getByRole('menuitem', { name: 'Lunch', exact: true }).click();
  const [failed] = await expectEvents(page, 'cti-operation-failed');
  expect(failed!.detail).toMatchObject({
    operation: 'notReady',
    error: { code: 'REJECTED', vendorCode: 9004, severity: expect.any(String), message: expect.stringMatching(/\S/) },
  });
  await expect(alert(page)).toHaveText(failed!.detail.error.message);
  await expectAgentState(page, 'Ready');
  expect(await events(page, 'cti-agent-state-changed')).toHaveLength(2);

  await control(page, 'Not ready').click();
  await bar(page).getByRole('menuitem', { name: 'Lunch', exact: true }).click();
  await expectAgentState(page, 'Not ready: Lunch');
  const states = await expectEvents(page, 'cti-agent-state-changed', 3);
  expect(states.at(-1)!.detail).toEqual({ state: 'notReady', previous: 'ready', reason: { code: 'LUNCH', label: 'Lunch' } });

  // The demo's customer data carries an https CRM link: the page hears a cancelable screen pop.
  await control(page, 'Ready').click();
  await expectAgentState(page, 'Ready');
  await inboundCall(page);
  const [pop] = await expectEvents(page, 'cti-screen-pop');
  const [offered] = await expectEvents(page, 'cti-call-offered');
  expect(pop!.detail).toMatchObject({ url: 'https://crm.example.com/accounts/20417', callId: offered!.detail.call.id });
  expect(pop!.cancelable).toBe(true);
  expect(offered!.cancelable).toBe(false);
  expectDomShape(await events(page));
});
