/**
 * Who may act as an agent. The reference server trusts the agentId it is given (it is a
 * simulator on loopback); the gateway demands a signed token whose subject is that agent.
 */
import type { TokenVerifier } from './tokens.ts';

export interface AccessPolicy {
  readonly requiresToken: boolean;
  /** Resolves when `token` may act as `agentId`; rejects with a `CtiError` (UNAUTHORIZED). */
  check(agentId: string, token: unknown): Promise<void>;
}

export const openAccess: AccessPolicy = {
  requiresToken: false,
  check: () => Promise.resolve(),
};

export function tokenAccess(verifier: TokenVerifier): AccessPolicy {
  return {
    requiresToken: true,
    async check(agentId, token) {
      await verifier.verify(token, agentId);
    },
  };
}
