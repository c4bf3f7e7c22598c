/**
 * The shapes shared by the engine, the headless command and the tray app. Pure data: dates are
 * passed in, never read here.
 */

/** What Microsoft Graph says about the signed-in user (GET /v1.0/me with $select). */
export interface PasswordFacts {
  userPrincipalName: string;
  /** UTC instant of the last change (or creation); null when Graph did not return it. */
  lastPasswordChangeDateTime: Date | null;
  /** Comma-separated, e.g. "DisablePasswordExpiration, DisableStrongPassword"; null when unset. */
  passwordPolicies: string | null;
  /** true: synced from on-premises AD; false: was synced once; null: cloud-only. */
  onPremisesSyncEnabled: boolean | null;
  onPremisesLastSyncDateTime: Date | null;
  /** The synced account's on-premises names (to tell that an AD entry is this user's). */
  onPremisesUserPrincipalName?: string | null;
  onPremisesSamAccountName?: string | null;
  /** The synced account's AD domain (DNS name), in which its sAMAccountName is unique. */
  onPremisesDomainName?: string | null;
}

/** The `pwd_exp` / `pwd_url` claims of an ID token (sent only when expiry is near). */
export interface TokenPasswordClaims {
  /** Seconds from `issuedAt` until the password expires. */
  pwdExpSeconds: number;
  issuedAt: Date;
  pwdUrl: string | null;
}

export interface ExpiryPolicy {
  /** 0 or 2147483647 = never expires. */
  validityDays: number;
  windowDays: number;
  /** `domain`: read from the domain through Graph; `config`: the admin's configured policy. */
  from: 'domain' | 'config';
}

export type PasswordState = 'ok' | 'expiring' | 'expired' | 'never' | 'unknown';

/** Where the expiry figure came from (the `source` of the JSON contract). */
export type ExpirySource = 'graph' | 'token' | 'policy' | 'directory';

export interface ExpiryInput {
  facts: PasswordFacts | null;
  claims: TokenPasswordClaims | null;
  policy: ExpiryPolicy;
  now: Date;
  /** IANA zone, e.g. "Europe/Berlin": days are counted in the user's local calendar. */
  timeZone: string;
}

export interface ExpiryEvaluation {
  state: PasswordState;
  lastChanged: Date | null;
  expiresAt: Date | null;
  /** The exact instant reminders start: expiresAt − window days. */
  windowStartsAt: Date | null;
  /** Local calendar days from today to the expiry's local date (0 = today; negative once expired). */
  daysLeft: number | null;
  source: ExpirySource;
  /** Why the state is `unknown` or `never`, in words; null otherwise. */
  reason: string | null;
}

/** The record of the last reminder shown, persisted by the main process. */
export interface ReminderRecord {
  shownAt: Date;
  /** The lastPasswordChangeDateTime the reminder was about (ISO), so a change resets the rule. */
  passwordLastChanged: string | null;
}

export interface ReminderDecision {
  due: boolean;
  /** When the next reminder becomes due (now when due); null when none is planned. */
  nextAt: Date | null;
}

/** The plain shape of an auth failure, converted from MSAL or Node errors by the adapters. */
export interface AuthFailure {
  /** MSAL class name or Node error name, e.g. "InteractionRequiredAuthError", "ServerError". */
  name?: string;
  /** OAuth `error` or MSAL errorCode, e.g. "invalid_grant", "post_request_failed". */
  errorCode?: string;
  /** OAuth `suberror`, e.g. "user_password_expired". */
  subError?: string;
  /** Description text; may contain "AADSTS50055: ...". */
  errorMessage?: string;
  /** The numeric AADSTS code when known. */
  errorNo?: string | number;
  /** Node network error code, e.g. "ECONNREFUSED", "ETIMEDOUT". */
  code?: string;
  /** HTTP status from a service answer. */
  status?: number;
  /** `graph`: Microsoft Graph (the directory) failed, not the sign-in service. */
  service?: 'graph';
}

export type ErrorKind =
  | 'password-expired'
  | 'password-changed'
  | 'password-change-required'
  | 'sign-in-required'
  | 'wrong-credentials'
  | 'account-locked'
  | 'account-disabled'
  | 'mfa-required'
  | 'blocked-by-policy'
  | 'consent-required'
  | 'configuration'
  | 'directory-refused'
  | 'keyring-unavailable'
  | 'local-storage'
  | 'network'
  | 'service'
  | 'cancelled'
  | 'unknown';

export interface ClassifiedError {
  kind: ErrorKind;
  aadsts: number | null;
  /** One sentence a person reads. Never an error_uri, a token or a stack. */
  message: string;
  /** The button / link offered with the message. */
  action: { label: string; url: string | null } | null;
}

export interface AccountSummary {
  username: string;
  /** null: no cloud account, the figure is the domain logon's own AD entry (directory only). */
  tenantId: string | null;
}

/**
 * `status --json` `directory`: the on-premises Active Directory reading behind a `directory`
 * source; null when the figure came from the cloud.
 */
export interface DirectoryStatus {
  /** The AD domain (Kerberos realm) and the domain controller that answered. */
  domain: string;
  server: string;
  /** When the figure was read from the directory (ISO 8601 UTC). */
  readAt: string;
  /**
   * True when the directory could not be reached in this check: the figure is the last good
   * reading, "as of" `readAt`.
   */
  cached: boolean;
  /**
   * `pending`: the password was changed on-premises and has not reached Microsoft 365 yet (the old
   * one still works there); `arrived`: it just reached Microsoft 365 (said once); null otherwise.
   */
  passwordSync: 'pending' | 'arrived' | null;
}

/**
 * `status --json` `reset`: whether the user could reset a forgotten password alone (a registered
 * self-service reset method). `ready` null: not known (no consent, refused, outside the reminder
 * window, no answer); never a reason to fail the check.
 */
export interface ResetStatus {
  ready: boolean | null;
  /** The registered methods' short names, e.g. "microsoftAuthenticator", "phone", "password". */
  methods: string[];
}

/** `status --json` `reset`: the answer, the sentence shown when not ready and where to add one. */
export interface ResetReport extends ResetStatus {
  /** "You could not reset your password yourself…" when `ready` is false; null otherwise. */
  message: string | null;
  /** The security-info page where methods are added (securityInfoUrl). */
  securityInfoUrl: string;
}

/**
 * `status --json` `passwordChanged`: this check saw a new password (said once). `expiresAt` is
 * the new password's expiry (null: never or not known).
 */
export interface PasswordChangeStatus {
  expiresAt: string | null;
  /**
   * A domain account changed in the cloud (writeback) while the office network is out of reach:
   * Windows' saved logon still has the old password until it reaches a domain controller.
   */
  windowsLogonCatchUp: boolean;
}

/** `status --json`: a stable contract that IT scripts rely on. */
export interface StatusReport {
  account: AccountSummary | null;
  password: {
    state: PasswordState;
    lastChanged: string | null;
    expiresAt: string | null;
    daysLeft: number | null;
    source: ExpirySource;
    reason: string | null;
  };
  reminder: { due: boolean; nextAt: string | null };
  changePasswordUrl: string;
  error: { kind: ErrorKind; aadsts: number | null; message: string } | null;
  /** Always written by the engine (null for cloud figures); optional for older records. */
  directory?: DirectoryStatus | null;
  /** Always written by the engine; optional for older records. */
  reset?: ResetReport;
  /** Present (not null) only in the check that saw the change. */
  passwordChanged?: PasswordChangeStatus | null;
}

/** Exit codes of `signin-assistant status` (and `sign-in`). IT scripts rely on them. */
export const ExitCode = Object.freeze({
  ok: 0,
  expiring: 1,
  expired: 2,
  authError: 3,
  configError: 4,
  serviceError: 5,
  /** Turned off by policy (`enabled` = false): nothing was checked. */
  disabled: 6,
} as const);
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
