/**
 * The state one running demo tenant shares between its endpoint modules.
 */
import {
  DEMO_PASSWORD,
  isPasswordExpired,
  passwordExpiresAt,
  publicInfo,
  type AccountRecord,
  type DemoAccountInfo,
  type Directory,
} from './accounts';
import type { DeviceCodes } from './deviceCodes';
import { Failures, type OAuthFailure } from './errors';
import type { TenantIdentity, TokenService } from './tokens';
import { permissionOf } from './tokens';

export interface DomainPolicy {
  /** The domain name, e.g. "contoso.com". */
  id: string;
  /** null: not set (the service then applies 90 days); 2147483647: never expires. */
  passwordValidityPeriodInDays: number | null;
  /** null: not set (14 days). */
  passwordNotificationWindowInDays: number | null;
}

export interface TenantContext {
  identity: TenantIdentity;
  graphEndpoint: string;
  domain: DomainPolicy;
  directory: Directory;
  tokens: TokenService;
  deviceCodes: DeviceCodes;
  now: () => Date;
  /** Whether an administrator consented to Domain.Read.All for the app. */
  adminConsent: boolean;
  /** Whether an administrator consented to the optional UserAuthenticationMethod.Read. */
  methodsConsent: boolean;
}

/** Permissions that need an administrator's consent before a user can be granted them. */
const ADMIN_CONSENT_PERMISSIONS = new Set(['domain.read.all', 'directory.read.all']);

export function accountsInfo(ctx: TenantContext): DemoAccountInfo[] {
  return ctx.directory.all().map(publicInfo);
}

export function demoPassword(): string {
  return DEMO_PASSWORD;
}

export function isExpired(ctx: TenantContext, account: AccountRecord): boolean {
  return isPasswordExpired(account, ctx.domain.passwordValidityPeriodInDays, ctx.now());
}

export function expiresAt(ctx: TenantContext, account: AccountRecord): Date | null {
  return passwordExpiresAt(account, ctx.domain.passwordValidityPeriodInDays);
}

/** The failure a sign-in of this account for these scopes meets, or null when it may proceed. */
export function signInFailure(
  ctx: TenantContext,
  account: AccountRecord,
  scopes: readonly string[],
): OAuthFailure | null {
  if (isExpired(ctx, account)) return Failures.passwordExpired();
  if (!ctx.adminConsent) {
    const needsAdmin = scopes.find((s) => ADMIN_CONSENT_PERMISSIONS.has(permissionOf(s)));
    if (needsAdmin) return Failures.consentRequired(needsAdmin);
  }
  if (!ctx.methodsConsent) {
    const methods = scopes.find((s) => permissionOf(s) === 'userauthenticationmethod.read');
    if (methods) return Failures.consentRequired(methods);
  }
  return null;
}

export function changePasswordUrl(ctx: TenantContext): string {
  return `${ctx.identity.origin}/changepassword`;
}

/** pwd_exp / pwd_url for the accounts whose sign-in sends them. */
export function passwordClaims(
  ctx: TenantContext,
  account: AccountRecord,
): { pwdExpSeconds: number; pwdUrl: string } | null {
  if (!account.sendsPasswordClaims) return null;
  const at = expiresAt(ctx, account);
  if (at === null) return null;
  const seconds = Math.max(0, Math.floor((at.getTime() - ctx.now().getTime()) / 1000));
  return { pwdExpSeconds: seconds, pwdUrl: changePasswordUrl(ctx) };
}
