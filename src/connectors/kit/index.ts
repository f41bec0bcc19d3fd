/** The connector kit: everything a vendor connector author uses (docs/connectors/README.md). */
export { defineConnector } from './define-connector.ts';
export type { ConnectorDeclaration, ConnectorDefinition, ConnectorCreateOptions, ConnectorFactoryOf, LoginField } from './define-connector.ts';
export type { ConfigSchema, ConfigOption } from './config-schema.ts';
export { ConnectorBase, type ConnectorBaseOptions } from './connector-base.ts';
export { HttpClient, HttpError, type HttpClientOptions, type HttpRequest, type HttpResponse, type HttpMethod } from './http-client.ts';
export { decodeJson, decodeXml, type XmlOptions } from './codecs.ts';
export { vendorErrorTable, vendorWords, vendorDetail, type VendorErrorEntry, type VendorErrorTable } from './vendor-errors.ts';
export { PollDiffer, type VendorSnapshot } from './poll-differ.ts';
export { StateFold } from './state-fold.ts';
export { toCtiError } from './transport-errors.ts';
