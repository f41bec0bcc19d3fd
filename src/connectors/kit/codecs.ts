/**
 * Decoding vendor bodies: JSON, and XML without the DOM (connectors also run in Node) through
 * `fast-xml-parser`. Both return a value or throw a `CtiError` PROTOCOL saying what was wrong —
 * never the body itself, which may hold customer data or an echoed credential.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CtiError, ErrorCode } from '../../core/errors.ts';

export function decodeJson(text: string, what = 'The contact centre\'s answer'): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CtiError({ code: ErrorCode.Protocol, message: `${what} is not valid JSON.` });
  }
}

export interface XmlOptions {
  /** Element names that are always arrays, even with one child (e.g. `call`, `agent`). */
  arrays?: readonly string[];
  /** Keep attributes under `@_name` (default true). */
  attributes?: boolean;
}

/**
 * XML to plain objects: elements become keys, attributes `@_name`, text content `#text` when an
 * element also has attributes. Values stay strings (vendor ids like `007` must not become 7).
 * Entities are decoded; DOCTYPE entity expansion is off (no billion-laughs).
 */
export function decodeXml(text: string, options: XmlOptions = {}, what = 'The contact centre\'s answer'): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new CtiError({ code: ErrorCode.Protocol, message: `${what} is not well-formed XML (line ${valid.err.line}).` });
  }
  const arrays = new Set(options.arrays ?? []);
  const parser = new XMLParser({
    ignoreAttributes: options.attributes === false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    isArray: (name) => arrays.has(name),
  });
  return parser.parse(text) as Record<string, unknown>;
}
