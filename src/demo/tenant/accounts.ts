/**
 * The seeded directory of the demo tenant. Every date is relative to the tenant clock when the
 * tenant starts, and to the domain's validity period, so each account keeps its meaning whatever
 * policy a test configures.
 *
 * | scenario              | username                    | what the tenant does                                                    |
 * |-----------------------|-----------------------------|-------------------------------------------------------------------------|
 * | `expires-in-20-days`  | adele.vance@contoso.com     | cloud-only; password expires 20 days after start (outside a 14-day window) |
 * | `expires-in-10-days`  | alex.wilber@contoso.com     | cloud-only; expires in 10 days (inside the window)                      |
 * | `expires-in-1-day`    | megan.bowen@contoso.com     | cloud-only; expires 24 hours after start                                |
 * | `expired`             | lee.gu@contoso.com          | expired 3 days before start: sign-in (browser or device code) and refresh fail with invalid_grant AADSTS50055, suberror user_password_expired |
 * | `never-expires`       | nestor.wilke@contoso.com    | passwordPolicies DisablePasswordExpiration, onPremisesSyncEnabled null  |
 * | `synced-on-premises`  | lynne.robbins@contoso.com   | onPremisesSyncEnabled true, DisablePasswordExpiration (the cloud cannot tell) |
 * | `changed-elsewhere`   | diego.siciliani@contoso.com | sign-in works; every refresh fails with invalid_grant AADSTS50133       |
 * | `token-claims`        | patti.fernandez@contoso.com | expires in 5 days; its ID tokens carry `pwd_exp` and `pwd_url`          |
 * | `no-reset-method`     | isaiah.langer@contoso.com   | expires in 10 days; only a password registered (no self-service reset) |
 *
 * The others have a password, the Authenticator app and a phone registered
 * (`/me/authentication/methods`).
 *
 * Every account signs in with {@link DEMO_PASSWORD}.
 */
import { createHash } from 'node:crypto';

export const DEMO_DOMAIN = 'contoso.com';
/** Shown on the sign-in pages: the demo tenant holds no secrets. */
export const DEMO_PASSWORD = 'Contoso-Demo-2024';

export type DemoScenario =
  | 'expires-in-20-days'
  | 'expires-in-10-days'
  | 'expires-in-1-day'
  | 'expired'
  | 'never-expires'
  | 'synced-on-premises'
  | 'changed-elsewhere'
  | 'token-claims'
  | 'no-reset-method';

/** What callers (tests, the demo runner, the admin API) see of an account. */
export interface DemoAccountInfo {
  scenario: DemoScenario;
  username: string;
  displayName: string;
  description: string;
  password: string;
}

/** The directory's record; mutable because password changes happen while the tenant runs. */
export interface AccountRecord extends DemoAccountInfo {
  objectId: string;
  lastPasswordChangeDateTime: Date;
  passwordPolicies: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesLastSyncDateTime: Date | null;
  /** The synced user's names in on-premises AD (null for cloud-only accounts). */
  onPremisesUserPrincipalName: string | null;
  onPremisesSamAccountName: string | null;
  /** The synced user's AD domain (null for cloud-only accounts). */
  onPremisesDomainName: string | null;
  /** Every refresh fails with AADSTS50133, as after a password change made on another device. */
  refreshAlwaysRevoked: boolean;
  /** ID tokens carry pwd_exp / pwd_url, as a federated sign-in configured to send them does. */
  sendsPasswordClaims: boolean;
  /**
   * Bumped by every password change; refresh tokens from an older generation are revoked. A counter
   * rather than a time, so a frozen test clock cannot make an old token look new.
   */
  sessionGeneration: number;
  /** The registered authentication methods' Graph types (`#microsoft.graph.…AuthenticationMethod`). */
  authenticationMethods: string[];
}

interface Seed {
  scenario: DemoScenario;
  localPart: string;
  displayName: string;
  description: string;
  /** Days from start until expiry under the domain policy (negative: already expired). */
  daysLeft: number;
  passwordPolicies?: string;
  onPremisesSyncEnabled?: boolean;
  refreshAlwaysRevoked?: boolean;
  sendsPasswordClaims?: boolean;
  /** Only a password registered; otherwise DEFAULT_METHODS. */
  passwordOnly?: boolean;
}

const METHOD = (name: string) => `#microsoft.graph.${name}AuthenticationMethod`;
/** What most users have registered: a password, the Authenticator app and a phone. */
const DEFAULT_METHODS = ['password', 'microsoftAuthenticator', 'phone'].map(METHOD);

const SEEDS: readonly Seed[] = [
  {
    scenario: 'expires-in-20-days',
    localPart: 'adele.vance',
    displayName: 'Adele Vance',
    description: 'Password expires in 20 days (no reminder yet with a 14-day window).',
    daysLeft: 20,
  },
  {
    scenario: 'expires-in-10-days',
    localPart: 'alex.wilber',
    displayName: 'Alex Wilber',
    description: 'Password expires in 10 days.',
    daysLeft: 10,
  },
  {
    scenario: 'expires-in-1-day',
    localPart: 'megan.bowen',
    displayName: 'Megan Bowen',
    description: 'Password expires tomorrow.',
    daysLeft: 1,
  },
  {
    scenario: 'expired',
    localPart: 'lee.gu',
    displayName: 'Lee Gu',
    description: 'Password expired 3 days ago: sign-in and refresh fail with AADSTS50055.',
    daysLeft: -3,
  },
  {
    scenario: 'never-expires',
    localPart: 'nestor.wilke',
    displayName: 'Nestor Wilke',
    description: 'Cloud-only account whose password never expires.',
    // Never expires: this only places the last change in the past, as a real directory reports it.
    daysLeft: 30,
    passwordPolicies: 'DisablePasswordExpiration',
  },
  {
    scenario: 'synced-on-premises',
    localPart: 'lynne.robbins',
    displayName: 'Lynne Robbins',
    description: 'Synced from on-premises AD: the cloud says "never expires", AD decides.',
    daysLeft: 30,
    passwordPolicies: 'DisablePasswordExpiration',
    onPremisesSyncEnabled: true,
  },
  {
    scenario: 'changed-elsewhere',
    localPart: 'diego.siciliani',
    displayName: 'Diego Siciliani',
    description: 'Password changed on another device: sign-in works, every refresh fails (50133).',
    daysLeft: 60,
    refreshAlwaysRevoked: true,
  },
  {
    scenario: 'token-claims',
    localPart: 'patti.fernandez',
    displayName: 'Patti Fernandez',
    description: 'Expires in 5 days; the ID token carries pwd_exp and pwd_url.',
    daysLeft: 5,
    sendsPasswordClaims: true,
  },
  {
    scenario: 'no-reset-method',
    localPart: 'isaiah.langer',
    displayName: 'Isaiah Langer',
    description: 'Expires in 10 days; only a password registered, so no self-service reset.',
    daysLeft: 10,
    passwordOnly: true,
  },
];

const DAY_MS = 24 * 60 * 60 * 1000;
/** What Entra ID assumes when the domain has no validity period set. */
export const DEFAULT_VALIDITY_DAYS = 90;
export const DEFAULT_NOTIFICATION_WINDOW_DAYS = 14;
const NEVER_EXPIRES_DAYS = 2147483647;

/** The validity the tenant enforces: a null, 0 or "never" domain value falls back as documented. */
export function effectiveValidityDays(configured: number | null): number | null {
  if (configured === NEVER_EXPIRES_DAYS) return null;
  if (configured === null || configured <= 0) return DEFAULT_VALIDITY_DAYS;
  return configured;
}

/** Stable GUID-shaped ids, so caches and logs stay comparable across runs. */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `4${hex.slice(13, 16)}`,
    `8${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

export function seedAccounts(
  start: Date,
  domain: string,
  configuredValidityDays: number | null,
): AccountRecord[] {
  // Dates are placed so each account is `daysLeft` from expiry under the enforced policy.
  const validity = effectiveValidityDays(configuredValidityDays) ?? DEFAULT_VALIDITY_DAYS;
  return SEEDS.map((seed) => {
    const username = `${seed.localPart}@${domain}`;
    const synced = seed.onPremisesSyncEnabled === true;
    return {
      scenario: seed.scenario,
      username,
      displayName: seed.displayName,
      description: seed.description,
      password: DEMO_PASSWORD,
      objectId: stableGuid(`demo-user:${username}`),
      lastPasswordChangeDateTime: new Date(start.getTime() - (validity - seed.daysLeft) * DAY_MS),
      passwordPolicies: seed.passwordPolicies ?? null,
      onPremisesSyncEnabled: seed.onPremisesSyncEnabled ?? null,
      // Password hash sync runs every couple of minutes.
      onPremisesLastSyncDateTime: synced ? new Date(start.getTime() - 2 * 60 * 1000) : null,
      // The same UPN on-premises, and the local part as the sAMAccountName.
      onPremisesUserPrincipalName: synced ? username : null,
      onPremisesSamAccountName: synced ? seed.localPart : null,
      onPremisesDomainName: synced ? `corp.${domain}` : null,
      refreshAlwaysRevoked: seed.refreshAlwaysRevoked ?? false,
      sendsPasswordClaims: seed.sendsPasswordClaims ?? false,
      sessionGeneration: 0,
      authenticationMethods: seed.passwordOnly ? [METHOD('password')] : [...DEFAULT_METHODS],
    };
  });
}

/** When the cloud password expires; null when it never does. */
export function passwordExpiresAt(
  account: AccountRecord,
  configuredValidityDays: number | null,
): Date | null {
  if (account.passwordPolicies?.includes('DisablePasswordExpiration')) return null;
  const validity = effectiveValidityDays(configuredValidityDays);
  if (validity === null) return null;
  return new Date(account.lastPasswordChangeDateTime.getTime() + validity * DAY_MS);
}

export function isPasswordExpired(
  account: AccountRecord,
  configuredValidityDays: number | null,
  now: Date,
): boolean {
  const expiresAt = passwordExpiresAt(account, configuredValidityDays);
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

export function publicInfo(account: AccountRecord): DemoAccountInfo {
  return {
    scenario: account.scenario,
    username: account.username,
    displayName: account.displayName,
    description: account.description,
    password: account.password,
  };
}

/** Case-insensitive lookup, as Entra ID treats user principal names. */
export class Directory {
  readonly #byName = new Map<string, AccountRecord>();

  constructor(accounts: readonly AccountRecord[]) {
    for (const account of accounts) this.#byName.set(account.username.toLowerCase(), account);
  }

  find(username: string): AccountRecord | undefined {
    return this.#byName.get(username.trim().toLowerCase());
  }

  byObjectId(objectId: string): AccountRecord | undefined {
    return this.all().find((a) => a.objectId === objectId);
  }

  all(): AccountRecord[] {
    return [...this.#byName.values()];
  }
}
