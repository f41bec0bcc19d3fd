import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { createTokenIssuer, createTokenVerifier, TOKEN_AUDIENCE } from '../../server/tokens.ts';

const SECRET = 'tokens-test-secret-0123456789abcdef0123456789';
const key = new TextEncoder().encode(SECRET);
const verifier = createTokenVerifier(SECRET);
const now = (): number => Math.floor(Date.now() / 1000);

function sign(iat: number, exp: number, sub = 'a1'): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setAudience(TOKEN_AUDIENCE).setIssuedAt(iat).setExpirationTime(exp).sign(key);
}

describe('token verification (audit finding 4)', () => {
  it('refuses a token issued in the future, whose short lifetime would start only then', async () => {
    const iat = now() + 365 * 24 * 3600;
    await assert.rejects(verifier.verify(await sign(iat, iat + 900), 'a1'), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'UNAUTHORIZED');
      assert.match(error.message, /"iat".*future/);
      return true;
    });
  });

  it('refuses an iat even a minute ahead, and tolerates a few seconds of clock skew', async () => {
    await assert.rejects(verifier.verify(await sign(now() + 60, now() + 600), 'a1'), /future/);
    const grant = await verifier.verify(await sign(now() + 3, now() + 600), 'a1');
    assert.equal(grant.agentId, 'a1');
  });

  it('grants until exp, so an open socket can be closed then', async () => {
    const exp = now() + 120;
    const grant = await verifier.verify(await sign(now(), exp), 'a1');
    assert.deepEqual(grant, { agentId: 'a1', expiresAt: exp * 1000 });
    const issued = await verifier.verify(await createTokenIssuer(SECRET).issue('a1', 60), 'a1');
    assert.ok(Math.abs(issued.expiresAt - (Date.now() + 60_000)) < 2_000);
  });
});
