/**
 * The secret values of a config: exactly the options the connector declared `secret` (audit
 * finding 17 — guessing that every string is a secret turned "Ada from london" into "Ada from
 * [redacted]" when the config had `region: "london"`). A secret option holding an object (e.g.
 * `credentials: {user, password}`) counts with every string inside it.
 */
import type { ConfigSchema } from './config-schema.ts';

export function secretValuesOf(schema: ConfigSchema, config: unknown): string[] {
  if (!config || typeof config !== 'object') return [];
  const out = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 8) return;
    if (typeof value === 'string') {
      if (value !== '') out.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  for (const [key, option] of Object.entries(schema)) {
    if (option.secret) visit((config as Record<string, unknown>)[key], 0);
  }
  return [...out];
}
