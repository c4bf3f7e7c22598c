/**
 * Issues and remembers tokens. Access and refresh tokens are random strings looked up server side
 * (the app never parses them); the ID token is a signed JWT because MSAL decodes its claims.
 */
import {
  createHash,
  generateKeyPairSync,
  randomBytes,
  sign,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { AccountRecord } from './accounts';

export interface TenantIdentity {
  tenantId: string;
  clientId: string;
  /** `${origin}/${tenantId}`. */
  authority: string;
  origin: string;
}

export interface AccessTokenRecord {
  username: string;
  scopes: string[];
  expiresAt: Date;
}

interface RefreshTokenRecord {
  username: string;
  clientId: string;
  generation: number;
  lastUsedAt: Date;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  username: string;
  nonce: string | null;
  clientInfo: boolean;
  expiresAt: Date;
  redeemed: boolean;
}

/** The JSON body of a successful token response. */
export interface TokenResponseBody {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token: string;
  id_token: string;
  client_info?: string;
}

const AUTH_CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Entra ID's refresh tokens die after 90 days without use. */
const REFRESH_INACTIVITY_MS = 90 * 24 * 60 * 60 * 1000;

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Scopes as sent (space separated), without duplicates. */
export function parseScopes(scope: string | null): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter((s) => s.length > 0))];
}

/**
 * The permission a scope names, lower-cased: "https://graph.microsoft.com/User.Read" and
 * "User.Read" both grant "user.read".
 */
export function permissionOf(scope: string): string {
  const slash = scope.lastIndexOf('/');
  return (slash >= 0 ? scope.slice(slash + 1) : scope).toLowerCase();
}

/** The scopes a response reports: what was asked, minus the refresh-token request itself. */
function grantedScope(scopes: readonly string[]): string {
  return scopes.filter((s) => s.toLowerCase() !== 'offline_access').join(' ');
}

export class TokenService {
  readonly #privateKey: KeyObject;
  readonly #jwk: JsonWebKey;
  readonly #keyId = randomToken(12);
  readonly #codes = new Map<string, AuthorizationCode>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();
  readonly #refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(
    private readonly identity: TenantIdentity,
    private readonly now: () => Date,
    private readonly lifetimeSeconds: number,
    private readonly passwordClaims: (account: AccountRecord) => {
      pwdExpSeconds: number;
      pwdUrl: string;
    } | null,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKey = privateKey;
    this.#jwk = publicKey.export({ format: 'jwk' });
  }

  /** The signing key set served at jwks_uri. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid: this.#keyId, ...this.#jwk }] };
  }

  createCode(code: Omit<AuthorizationCode, 'expiresAt' | 'redeemed'>): string {
    this.#purge();
    const value = randomToken(48);
    this.#codes.set(value, {
      ...code,
      expiresAt: new Date(this.now().getTime() + AUTH_CODE_LIFETIME_MS),
      redeemed: false,
    });
    return value;
  }

  findCode(code: string): AuthorizationCode | undefined {
    return this.#codes.get(code);
  }

  findAccessToken(token: string): AccessTokenRecord | undefined {
    return this.#accessTokens.get(token);
  }

  /**
   * Looks a refresh token up. `revoked`: a password change since it was issued (the caller decides
   * the order of checks, since an expired password wins over a revoked session).
   */
  findRefreshToken(
    token: string,
    clientId: string,
    account: (username: string) => AccountRecord | undefined,
  ): { account: AccountRecord; revoked: boolean } | 'unknown' | 'expired' {
    const record = this.#refreshTokens.get(token);
    if (!record || record.clientId !== clientId) return 'unknown';
    const user = account(record.username);
    if (!user) return 'unknown';
    if (this.now().getTime() - record.lastUsedAt.getTime() > REFRESH_INACTIVITY_MS)
      return 'expired';
    return {
      account: user,
      revoked: user.refreshAlwaysRevoked || record.generation !== user.sessionGeneration,
    };
  }

  issue(
    account: AccountRecord,
    scopes: readonly string[],
    options: { nonce: string | null; clientInfo: boolean },
  ): TokenResponseBody {
    this.#purge();
    const now = this.now();
    const accessToken = randomToken(48);
    const refreshToken = randomToken(64);
    this.#accessTokens.set(accessToken, {
      username: account.username,
      scopes: [...scopes],
      expiresAt: new Date(now.getTime() + this.lifetimeSeconds * 1000),
    });
    this.#refreshTokens.set(refreshToken, {
      username: account.username,
      clientId: this.identity.clientId,
      generation: account.sessionGeneration,
      lastUsedAt: now,
    });
    return {
      token_type: 'Bearer',
      scope: grantedScope(scopes),
      expires_in: this.lifetimeSeconds,
      ext_expires_in: this.lifetimeSeconds,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: this.#idToken(account, now, options.nonce),
      ...(options.clientInfo ? { client_info: this.clientInfo(account) } : {}),
    };
  }

  /** base64url JSON {uid, utid}: MSAL builds the home account id from it. */
  clientInfo(account: AccountRecord): string {
    return base64url(JSON.stringify({ uid: account.objectId, utid: this.identity.tenantId }));
  }

  #idToken(account: AccountRecord, now: Date, nonce: string | null): string {
    const iat = Math.floor(now.getTime() / 1000);
    // Entra ID's `sub` is pairwise: the same user looks different to each app.
    const sub = createHash('sha256')
      .update(`${account.objectId}:${this.identity.clientId}`)
      .digest('base64url')
      .slice(0, 43);
    const claims: Record<string, unknown> = {
      aud: this.identity.clientId,
      iss: `${this.identity.authority}/v2.0`,
      iat,
      nbf: iat,
      exp: iat + this.lifetimeSeconds,
      name: account.displayName,
      oid: account.objectId,
      preferred_username: account.username,
      sub,
      tid: this.identity.tenantId,
      ver: '2.0',
      ...(nonce ? { nonce } : {}),
    };
    const pwd = this.passwordClaims(account);
    if (pwd) {
      claims['pwd_exp'] = pwd.pwdExpSeconds;
      claims['pwd_url'] = pwd.pwdUrl;
    }
    const header = { typ: 'JWT', alg: 'RS256', kid: this.#keyId };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), this.#privateKey);
    return `${signingInput}.${base64url(signature)}`;
  }

  /** Forgets what can no longer be used, so a long demo run does not grow without bound. */
  #purge(): void {
    const now = this.now().getTime();
    for (const [key, code] of this.#codes) {
      if (code.expiresAt.getTime() < now - AUTH_CODE_LIFETIME_MS) this.#codes.delete(key);
    }
    for (const [key, token] of this.#accessTokens) {
      if (token.expiresAt.getTime() < now - 24 * 60 * 60 * 1000) this.#accessTokens.delete(key);
    }
  }
}
