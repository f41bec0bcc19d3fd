/**
 * Short-lived signed agent tokens for gateway mode: a JWT signed with HMAC-SHA256 (via `jose`),
 * `sub` = agentId, `exp` at most 15 minutes after `iat`. The secret stays on the server; a browser
 * only ever holds a token that expires soon and names one agent.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { CtiError, ErrorCode } from '../src/core/errors.ts';
import { isAgentId } from './agent-id.ts';

export { isAgentId } from './agent-id.ts';

/** The longest lifetime a token may have; longer ones are refused even when correctly signed. */
export const MAX_TOKEN_LIFETIME_SEC = 15 * 60;
/** Audience claim, so a token minted for some other service with the same secret is refused. */
export const TOKEN_AUDIENCE = 'agent-bar-gateway';
/** A shorter secret would make HS256 guessable. */
export const MIN_SECRET_BYTES = 32;

const ALGORITHM = 'HS256';
/** Tolerated clock difference between the token issuer and this server. */
export const CLOCK_TOLERANCE_SEC = 5;

/** What a verified token grants. */
export interface VerifiedToken {
  agentId: string;
  /** `exp` in milliseconds since the epoch: the grant ends then (an open socket is closed). */
  expiresAt: number;
}

export interface TokenVerifier {
  /** Resolves with the grant, or rejects with a `CtiError` (code `UNAUTHORIZED`) saying why. */
  verify(token: unknown, expectedAgentId: string): Promise<VerifiedToken>;
}

export interface TokenIssuer {
  issue(agentId: string, lifetimeSec?: number): Promise<string>;
}

function unauthorized(message: string): CtiError {
  return new CtiError({ code: ErrorCode.Unauthorized, message, severity: 'critical' });
}

/** Turns `TOKEN_SECRET` into key bytes; refuses a secret too short to be safe. */
export function secretKey(secret: string | undefined): Uint8Array {
  if (!secret) throw new Error('TOKEN_SECRET is required in gateway mode (at least 32 bytes).');
  const key = new TextEncoder().encode(secret);
  if (key.byteLength < MIN_SECRET_BYTES) {
    throw new Error(`TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes long.`);
  }
  return key;
}

export function createTokenIssuer(secret: string): TokenIssuer {
  const key = secretKey(secret);
  return {
    async issue(agentId, lifetimeSec = MAX_TOKEN_LIFETIME_SEC) {
      if (!isAgentId(agentId)) throw new Error(`Invalid agentId ${JSON.stringify(agentId)}.`);
      if (!(lifetimeSec > 0 && lifetimeSec <= MAX_TOKEN_LIFETIME_SEC)) {
        throw new Error(`Token lifetime must be 1..${MAX_TOKEN_LIFETIME_SEC} seconds.`);
      }
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(agentId)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + lifetimeSec)
        .sign(key);
    },
  };
}

export function createTokenVerifier(secret: string): TokenVerifier {
  const key = secretKey(secret);
  return {
    async verify(token, expectedAgentId) {
      if (token === undefined || token === null || token === '') {
        throw unauthorized('Missing token: the gateway requires a signed agent token.');
      }
      if (typeof token !== 'string' || token.length > 4096) {
        throw unauthorized('Malformed token: expected a compact JWT string.');
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          audience: TOKEN_AUDIENCE,
          requiredClaims: ['sub', 'exp', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SEC,
        }));
      } catch (error) {
        throw unauthorized(describeJoseError(error));
      }
      const { sub, exp, iat } = payload;
      if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > MAX_TOKEN_LIFETIME_SEC) {
        throw unauthorized(`Token lifetime exceeds ${MAX_TOKEN_LIFETIME_SEC / 60} minutes.`);
      }
      // The lifetime bound means nothing if `iat` may lie in the future: `iat` = now + 1 year with
      // `exp` = `iat` + 15 min would be a year-long token. Only clock skew is tolerated.
      if (iat > Date.now() / 1000 + CLOCK_TOLERANCE_SEC) {
        throw unauthorized('Token "iat" is in the future: check the issuer\'s clock.');
      }
      if (sub !== expectedAgentId) {
        throw unauthorized(`Token is for another agent, not ${JSON.stringify(expectedAgentId)}.`);
      }
      return { agentId: sub, expiresAt: exp * 1000 };
    },
  };
}

/** Readable reasons, without echoing the token (it is a credential). */
function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'Token expired: ask for a new one.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'Token signature is invalid (forged or signed with another secret).';
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `Token claim "${error.claim}" is invalid: ${error.reason === 'missing' ? 'missing' : error.message}.`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'Token algorithm is not allowed (HS256 only).';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return 'Malformed token: not a valid signed JWT.';
  }
  return 'Token could not be verified.';
}
