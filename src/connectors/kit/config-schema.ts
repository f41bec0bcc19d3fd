/**
 * A connector's `config` options, declared once: type, meaning, required, secret. The same
 * declaration validates the integrator's config (readable errors, every problem at once), tells
 * the server's redactor exactly which values are secrets, and writes the docs' options table.
 */
import { CtiError, ErrorCode } from '../../core/errors.ts';

export interface ConfigOption {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'function' | 'object' | 'list' | 'string-or-function';
  /** One sentence for the docs and for error messages. */
  description: string;
  required?: boolean;
  /**
   * A credential (API key, password, token): redacted from everything the server sends or logs,
   * never put in an event, error or log line by the connector.
   */
  secret?: boolean;
  /** For strings: the accepted values. */
  enum?: readonly string[];
  /** For numbers: inclusive bounds. */
  min?: number;
  max?: number;
  /** The default the connector applies, for the docs (not applied here). */
  default?: string | number | boolean;
}

export type ConfigSchema = Readonly<Record<string, ConfigOption>>;

/** The shortest secret string accepted (see `validateConfig`). */
export const MIN_SECRET_LENGTH = 6;

const KIND: Record<ConfigOption['type'], string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  function: 'a function',
  object: 'an object',
  list: 'a list',
  'string-or-function': 'text or a function',
};

function fits(option: ConfigOption, value: unknown): boolean {
  switch (option.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'function':
      return typeof value === 'function';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'list':
      return Array.isArray(value);
    case 'string-or-function':
      return typeof value === 'string' || typeof value === 'function';
  }
}

/**
 * The config when every option fits its declaration; otherwise a `CtiError` (INVALID_ARGUMENT)
 * naming each problem. Values are never quoted in the message: one of them may be a secret.
 * `undefined` and `null` config mean "no options".
 */
export function validateConfig(name: string, schema: ConfigSchema, config: unknown): Record<string, unknown> {
  const problems: string[] = [];
  let values: Record<string, unknown> = {};
  if (config !== undefined && config !== null) {
    if (typeof config !== 'object' || Array.isArray(config)) {
      throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The ${name} connector's config must be an object.` });
    }
    values = config as Record<string, unknown>;
  }
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(schema, key) && values[key] !== undefined) {
      const known = Object.keys(schema);
      problems.push(`unknown option "${key.slice(0, 40)}" (${known.length ? `known: ${known.join(', ')}` : 'it takes none'})`);
    }
  }
  for (const [key, option] of Object.entries(schema)) {
    const value = values[key];
    if (value === undefined) {
      if (option.required) problems.push(`"${key}" is required${option.description ? ` (${option.description})` : ''}`);
      continue;
    }
    if (!fits(option, value)) {
      problems.push(`"${key}" must be ${KIND[option.type]}`);
      continue;
    }
    if (option.enum && typeof value === 'string' && !option.enum.includes(value)) {
      problems.push(`"${key}" must be one of ${option.enum.join(', ')}`);
    }
    if (typeof value === 'number') {
      if (option.min !== undefined && value < option.min) problems.push(`"${key}" must be at least ${option.min}`);
      if (option.max !== undefined && value > option.max) problems.push(`"${key}" must be at most ${option.max}`);
    }
    if (option.required && option.type === 'string' && value === '') problems.push(`"${key}" must not be empty`);
    if (option.secret && typeof value === 'string' && value.length < MIN_SECRET_LENGTH) {
      // The server hides secrets by replacing their text in what it sends; a very short one would
      // match ordinary text (and JSON framing), so it could be neither hidden nor told apart.
      problems.push(`"${key}" is a secret and must be at least ${MIN_SECRET_LENGTH} characters`);
    }
  }
  if (problems.length > 0) {
    throw new CtiError({ code: ErrorCode.InvalidArgument, message: `The ${name} connector's config is not valid: ${problems.join('; ')}.` });
  }
  return values;
}
