/**
 * What the declaration (in the main bundle) checks of the `ucontact` config: the cross-field
 * rules only. The lists and templates are checked by `checkUcontactLists` once the connector's
 * code is loaded (ucontact-config.ts).
 */
export const MODES = ['porthole', 'uphone', 'rest'] as const;
export type UcontactMode = (typeof MODES)[number];

export function checkUcontactConfig(config: { mode?: string; user?: string; password?: string; agentPassword?: string }): string | undefined {
  const rest = config.mode === 'rest';
  if (config.mode !== undefined && !rest && (config.password !== undefined || config.agentPassword !== undefined)) {
    return 'passwords belong to the REST mode in the gateway, never to a page on the portal\'s proxy.';
  }
  if (rest && (config.user === undefined) !== (config.password === undefined)) return 'REST needs both user and password, or neither.';
  return undefined;
}
