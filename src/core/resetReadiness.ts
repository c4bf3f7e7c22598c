/**
 * Whether the signed-in user could reset a forgotten or expired password alone (self-service
 * password reset), from the authentication methods Microsoft Graph lists for them
 * (`GET /v1.0/me/authentication/methods`), and when that is worth asking.
 */
import type { ExpiryEvaluation, ResetStatus } from './model';

/** Graph's `@odata.type` of each method, and the short name the JSON contract reports. */
export const AUTHENTICATION_METHOD_TYPES: Readonly<Record<string, string>> = Object.freeze({
  '#microsoft.graph.passwordAuthenticationMethod': 'password',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'microsoftAuthenticator',
  '#microsoft.graph.phoneAuthenticationMethod': 'phone',
  '#microsoft.graph.emailAuthenticationMethod': 'email',
  '#microsoft.graph.softwareOathAuthenticationMethod': 'softwareOath',
  '#microsoft.graph.hardwareOathAuthenticationMethod': 'hardwareOath',
  '#microsoft.graph.fido2AuthenticationMethod': 'fido2',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': 'windowsHelloForBusiness',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': 'temporaryAccessPass',
  '#microsoft.graph.platformCredentialAuthenticationMethod': 'platformCredential',
  '#microsoft.graph.qrCodePinAuthenticationMethod': 'qrCodePin',
  '#microsoft.graph.externalAuthenticationMethod': 'external',
  '#microsoft.graph.x509CertificateAuthenticationMethod': 'x509Certificate',
});

/**
 * The methods self-service password reset accepts as proof: a code or approval in the
 * Authenticator app, an OATH code, a text or call to a phone, a code by e-mail. A security key,
 * Windows Hello, a platform credential or a Temporary Access Pass signs a user in but cannot reset
 * a password; the password itself is what was forgotten.
 */
export const RESET_METHODS: ReadonlySet<string> = new Set([
  'microsoftAuthenticator',
  'softwareOath',
  'hardwareOath',
  'phone',
  'email',
]);

/** The short name of a Graph method type; an unknown type keeps its own name, prefix removed. */
export function methodName(odataType: string): string {
  return AUTHENTICATION_METHOD_TYPES[odataType] ?? odataType.replace(/^#microsoft\.graph\./, '');
}

/** The answer for these registered methods (Graph's `@odata.type` values). */
export function resetReadiness(odataTypes: readonly string[]): ResetStatus {
  const methods = [...new Set(odataTypes.map(methodName))].sort();
  return { ready: methods.some((name) => RESET_METHODS.has(name)), methods };
}

/** Not known: no consent, refused, outside the window, or no answer. */
export const RESET_UNKNOWN: Readonly<ResetStatus> = Object.freeze({ ready: null, methods: [] });

/**
 * Whether the reminder window has started for this evaluation: only then are the methods asked
 * for (zero requests before it).
 */
export function inResetWindow(evaluation: ExpiryEvaluation | null, now: Date): boolean {
  if (evaluation === null) return false;
  if (evaluation.state === 'expired') return true;
  if (evaluation.state !== 'expiring' && evaluation.state !== 'ok') return false;
  const start = evaluation.windowStartsAt;
  return start !== null && start.getTime() <= now.getTime();
}

/** At most one request a day: a kept answer younger than this (and not from the future) is used. */
export const RESET_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

export function keptAnswerIsFresh(checkedAt: Date, now: Date): boolean {
  const age = now.getTime() - checkedAt.getTime();
  return age >= 0 && age < RESET_CHECK_INTERVAL_MS;
}
