/**
 * What the sign-in requests are made of: the authority, the scopes, the pages the browser shows
 * after a sign-in, and how a sign-in the user gave up on is told apart from one that failed.
 */
import type { AssistantConfig } from '../../core/config';

export class SignInTimeoutError extends Error {
  readonly errorCode = 'user_cancelled';
  constructor() {
    super('The sign-in was not completed in the browser in time.');
    this.name = 'SignInTimeoutError';
  }
}

/** The user closed the broker's dialog, or the browser sign-in ran out of time: no fallback. */
export function isCancel(error: unknown): boolean {
  return (
    error instanceof SignInTimeoutError ||
    (error as { errorCode?: unknown } | null)?.errorCode === 'user_canceled'
  );
}

/** The authority URL for a tenant: `{authority host}/{tenant}`. */
export function tenantAuthority(config: AssistantConfig): string {
  return `${config.authority.replace(/\/+$/, '')}/${config.tenantId ?? 'organizations'}`;
}

/** Graph scopes, prefixed with the configured endpoint so national clouds work. */
export function graphScopes(config: AssistantConfig): string[] {
  const base = config.graphEndpoint.replace(/\/+$/, '');
  const scopes = [`${base}/User.Read`];
  if (config.readDomainPolicy) scopes.push(`${base}/Domain.Read.All`);
  return scopes;
}

/** The pages the loopback redirect shows in the browser once a sign-in has ended. */
export const signInPages = Object.freeze({
  successTemplate:
    '<h1>You are signed in to Sign-In Assistant.</h1><p>You can close this window.</p>',
  errorTemplate:
    '<h1>Sign-in did not complete.</h1><p>Sign-In Assistant shows what happened. You can close this window.</p>',
});
