/**
 * `npm run token -- <agentId> [lifetimeSec]` prints a signed agent token for development, using
 * TOKEN_SECRET from the environment (the same one the gateway was started with).
 */
import { createTokenIssuer, MAX_TOKEN_LIFETIME_SEC } from './tokens.ts';

const [agentId, lifetime] = process.argv.slice(2);
if (!agentId) {
  console.error(`usage: TOKEN_SECRET=… npm run token -- <agentId> [lifetimeSec ≤ ${MAX_TOKEN_LIFETIME_SEC}]`);
  process.exit(2);
}
try {
  const issuer = createTokenIssuer(process.env.TOKEN_SECRET ?? '');
  console.log(await issuer.issue(agentId, lifetime ? Number(lifetime) : undefined));
} catch (error) {
  console.error(`token: ${(error as Error).message}`);
  process.exit(2);
}
