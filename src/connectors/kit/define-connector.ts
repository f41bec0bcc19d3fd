/**
 * One declaration per connector: what the bar, the server, the docs and the build need to know
 * about a backend without loading its code. `defineConnector()` checks the declaration once and
 * returns a `ConnectorDefinition` that validates `config` with readable errors, names exactly the
 * secret values to redact, tells the bar which login fields to ask for, and creates the connector
 * (lazily in the page, directly in Node).
 */
import type { Connector, LoginFieldInfo } from '../../core/connector.ts';
import { CtiError, ErrorCode } from '../../core/errors.ts';
import { OPERATIONS, isOperation, type Operation } from '../../core/operations.ts';
import { validateConfig, type ConfigSchema } from './config-schema.ts';
import { secretValuesOf } from './secrets.ts';
import { LazyConnector } from './lazy-connector.ts';

export type { ConfigSchema, ConfigOption } from './config-schema.ts';

/**
 * One field of the login form the bar shows for this backend: `name` is the key in the `login`
 * command's args (e.g. `extension`, `password`, `zone`); `label` the visible label and the text
 * box's accessible name; `secret` a password box, cleared after sending, never stored or put in
 * an event; `required` means `Log in` refuses to send without it (readable error, nothing sent).
 */
export type LoginField = LoginFieldInfo;

/** What `create` receives: the element's attributes and the validated `config`. */
export interface ConnectorCreateOptions<Config> {
  agentId: string;
  /** URL or origin of the backend (the `endpoint` attribute / CONNECTOR_ENDPOINT). */
  endpoint?: string;
  config: Config;
  /** postMessage peers allowed to talk to us (the `allowed-origins` attribute). */
  allowedOrigins?: string[];
}

export type ConnectorFactoryOf<Config> = (options: ConnectorCreateOptions<Config>) => Connector;

export interface ConnectorDeclaration<Config extends object = Record<string, unknown>> {
  /** Lower-case letters, digits and dashes: the `connector` attribute and CONNECTOR value. */
  name: string;
  /** One line for the docs' table of connectors. */
  title: string;
  /** `required`: the connector refuses to start without an `endpoint`. Default `none`. */
  endpoint?: 'required' | 'optional' | 'none';
  /** What the endpoint is (for the docs), e.g. `ws://host:port/ws or http://host:port`. */
  endpointHint?: string;
  /** Every option of `config`: type, meaning, required, secret. Unknown keys are refused. */
  configSchema: ConfigSchema;
  /** Cross-field rules the schema cannot say; return a readable problem or `undefined`. */
  checkConfig?: (config: Config) => string | undefined;
  /** The login form; `[]` for a backend with no login step (none is shown). */
  loginFields: readonly LoginField[];
  /** Exactly the canonical operations the backend can do. */
  supports: readonly Operation[];
  /**
   * Loads the implementation — a dynamic `import()` of the connector's own module, so a page
   * downloads only its backend's code — and returns its factory.
   */
  load: () => Promise<ConnectorFactoryOf<Config>>;
}

export interface ConnectorDefinition<Config extends object = Record<string, unknown>> {
  readonly name: string;
  readonly title: string;
  readonly endpoint: 'required' | 'optional' | 'none';
  readonly endpointHint?: string;
  readonly configSchema: ConfigSchema;
  readonly loginFields: readonly LoginField[];
  readonly supports: ReadonlySet<Operation>;
  /** The config checked against the schema; throws a `CtiError` (INVALID_ARGUMENT) listing every problem. */
  validateConfig(config: unknown): Config;
  /** The values of the options declared `secret` (what the server's redactor must hide), nothing else. */
  secretValues(config: unknown): string[];
  /** Validates, then returns a connector whose code loads on `connect()` (the page). */
  create(options: ConnectorInput): Connector;
  /** Validates, loads the code and creates the real connector (Node: the server and gateway). */
  createNow(options: ConnectorInput): Promise<Connector>;
  readonly load: () => Promise<ConnectorFactoryOf<Config>>;
}

/** What the bar or the server hands over before validation. */
export interface ConnectorInput {
  agentId: string;
  endpoint?: string;
  config?: unknown;
  allowedOrigins?: string[];
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

function bad(message: string): CtiError {
  return new CtiError({ code: ErrorCode.InvalidArgument, message });
}

export function defineConnector<Config extends object = Record<string, unknown>>(
  declaration: ConnectorDeclaration<Config>,
): ConnectorDefinition<Config> {
  const d = declaration;
  if (!d || typeof d !== 'object') throw bad('A connector declaration must be an object.');
  if (typeof d.name !== 'string' || !NAME.test(d.name)) {
    throw bad(`"${String(d.name)}" is not a valid connector name (lower-case letters, digits and dashes).`);
  }
  const where = `Connector "${d.name}"`;
  if (typeof d.load !== 'function') throw bad(`${where}: load must be a function returning the connector's factory.`);
  if (!Array.isArray(d.supports) || !d.supports.every(isOperation)) {
    throw bad(`${where}: supports must list canonical operations (${OPERATIONS.slice(0, 3).join(', ')} …).`);
  }
  if (!Array.isArray(d.loginFields)) throw bad(`${where}: loginFields must be a list ([] when there is no login).`);
  const seen = new Set<string>();
  for (const field of d.loginFields) {
    if (!field || !FIELD_NAME.test(field.name) || typeof field.label !== 'string' || field.label.trim() === '') {
      throw bad(`${where}: every login field needs a name (letters, digits, _) and a label.`);
    }
    if (seen.has(field.name)) throw bad(`${where}: login field "${field.name}" is declared twice.`);
    seen.add(field.name);
  }
  if (!d.configSchema || typeof d.configSchema !== 'object') throw bad(`${where}: configSchema must be an object ({} when there are no options).`);
  const supports: ReadonlySet<Operation> = new Set(d.supports);
  const loginFields = Object.freeze(d.loginFields.map((field) => Object.freeze({ ...field })));

  const validate = (config: unknown): Config => {
    const checked = validateConfig(d.name, d.configSchema, config) as Config;
    const problem = d.checkConfig?.(checked);
    if (problem) throw bad(`The ${d.name} connector's config is not valid: ${problem}`);
    return checked;
  };
  const prepare = (input: ConnectorInput): ConnectorCreateOptions<Config> => {
    if (!input || typeof input.agentId !== 'string' || input.agentId.trim() === '') throw bad('A connector needs an agent id.');
    if (d.endpoint === 'required' && (typeof input.endpoint !== 'string' || input.endpoint === '')) {
      throw bad(`The ${d.name} connector needs an endpoint${d.endpointHint ? ` (${d.endpointHint})` : ''}.`);
    }
    const options: ConnectorCreateOptions<Config> = { agentId: input.agentId, config: validate(input.config) };
    if (input.endpoint !== undefined) options.endpoint = input.endpoint;
    if (input.allowedOrigins !== undefined) options.allowedOrigins = input.allowedOrigins;
    return options;
  };

  const definition: ConnectorDefinition<Config> = {
    name: d.name,
    title: d.title,
    endpoint: d.endpoint ?? 'none',
    endpointHint: d.endpointHint,
    configSchema: d.configSchema,
    loginFields,
    supports,
    load: d.load,
    validateConfig: validate,
    secretValues: (config) => secretValuesOf(d.configSchema, config),
    create(input) {
      const options = prepare(input);
      return new LazyConnector({
        name: d.name,
        supports,
        loginFields,
        load: async () => (await d.load())(options),
      });
    },
    async createNow(input) {
      const options = prepare(input);
      const factory = await d.load();
      return factory(options);
    },
  };
  return Object.freeze(definition);
}
