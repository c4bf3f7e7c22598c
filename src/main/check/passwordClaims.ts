import type { TokenPasswordClaims } from '../../core/model';
import type { Logger } from '../../core/ports';
import { passwordClaimsProblem } from '../../core/serverDates';

/** The ID token's `pwd_exp` / `pwd_url` claims (sent only when expiry is near). */
export function readPasswordClaims(
  claims: Record<string, unknown> | undefined,
): TokenPasswordClaims | null {
  if (!claims) return null;
  const pwdExp = Number(claims.pwd_exp);
  const iat = Number(claims.iat);
  if (!Number.isFinite(pwdExp) || pwdExp < 0 || !Number.isFinite(iat) || iat <= 0) return null;
  return {
    pwdExpSeconds: pwdExp,
    issuedAt: new Date(iat * 1000),
    pwdUrl: typeof claims.pwd_url === 'string' ? claims.pwd_url : null,
  };
}

/** The claims, unless pwd_exp or iat is out of range: then Graph is asked instead. */
export function plausibleClaims(
  claims: TokenPasswordClaims | null,
  now: Date,
  logger: Logger,
): TokenPasswordClaims | null {
  const problem = claims === null ? null : passwordClaimsProblem(claims, now);
  if (problem === null) return claims;
  logger.warn('Password expiry in the ID token is not usable; asking Microsoft Graph', { problem });
  return null;
}
