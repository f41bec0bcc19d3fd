/**
 * Who may act as an agent. The reference server trusts the agentId it is given (it is a
 * simulator on loopback); the gateway demands a signed token whose subject is that agent.
 */
import type { TokenVerifier } from './tokens.ts';

/** What a successful check grants. */
export interface AccessGrant {
  /** When the grant ends (ms since the epoch); absent: it does not expire (reference mode). */
  expiresAt?: number;
}

export interface AccessPolicy {
  readonly requiresToken: boolean;
  /** Resolves when `token` may act as `agentId`; rejects with a `CtiError` (UNAUTHORIZED). */
  check(agentId: string, token: unknown): Promise<AccessGrant>;
}

export const openAccess: AccessPolicy = {
  requiresToken: false,
  check: () => Promise.resolve({}),
};

export function tokenAccess(verifier: TokenVerifier): AccessPolicy {
  return {
    requiresToken: true,
    async check(agentId, token) {
      const { expiresAt } = await verifier.verify(token, agentId);
      return { expiresAt };
    },
  };
}
