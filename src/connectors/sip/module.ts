/** The `sip` connector's lazy module: its factory (see declaration.ts), with the phone and JsSIP. */
import type { ConnectorCreateOptions } from '../kit/define-connector.ts';
import { SipConnector, type SipConnectorConfig } from './sip-connector.ts';

export function create({ agentId, endpoint, config }: ConnectorCreateOptions<SipConnectorConfig>): SipConnector {
  return new SipConnector({ agentId, endpoint: endpoint ?? '', config });
}
