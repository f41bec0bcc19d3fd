/**
 * The connector contract (test/unit/connectors/contract.ts) for `maxcontact`, against the real
 * MaxContact emulator over HTTP. MaxContact has no login and no answer (the agent is logged in
 * elsewhere, calls arrive connected): the agent is made ready with `ready` (goready), the offered
 * call is an inbound call the customer's side connects, the failing command is `ready` (a
 * `Success:false` answer), and a drop is three lost getcalls polls in a row (past the polling
 * transport's grace). The API password must appear nowhere.
 */
import { after, before } from 'node:test';
import { runConnectorContract } from '../unit/connectors/contract.ts';
import { start } from '../../server/emulators/maxcontact/index.ts';
import maxcontact from '../../src/connectors/maxcontact/declaration.ts';
import { emulatorClient } from '../fixtures/emulator-client.ts';

const PASSWORD = 'contract-password-0123';
let emu: Awaited<ReturnType<typeof start>>;

const { control } = emulatorClient(() => emu.url);

before(async () => {
  emu = await start({ apiPassword: PASSWORD, connectDelayMs: -1, ringMs: -1 });
});
after(async () => {
  await emu.close();
});

runConnectorContract({
  name: 'maxcontact',
  supports: maxcontact.supports,
  create: () =>
    maxcontact.createNow({
      agentId: '1001',
      endpoint: emu.url,
      config: { apiLogin: 'api-user', apiPassword: PASSWORD, pollIntervalMs: 100, idlePollIntervalMs: 100, pollTimeoutMs: 1000, backoff: { initialMs: 20, maxMs: 100 } },
    }),
  failing: { operation: 'ready', args: {} },
  backend: {
    secrets: [PASSWORD],
    reset: async () => {
      await control('reset');
    },
    offerCall: async () => {
      const { callId } = (await control('offer-inbound', { to: '1001', from: '+447911654321' })) as { callId: string };
      await control('customer-answer', { callId });
    },
    failNext: async () => {
      await control('fail-next', { status: 200, contentType: 'application/json', body: '{"Success":false,"Data":null,"ResponseCode":99,"ResponseDetail":"no"}', match: '/goready/' });
    },
    drop: async () => {
      for (let i = 0; i < 3; i++) await control('fail-next', { drop: true, match: '/getcalls/' });
    },
  },
});
