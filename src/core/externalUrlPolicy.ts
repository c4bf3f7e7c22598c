/**
 * Decides which addresses may be handed to the system browser. A reminder click or a status
 * window button must never become a way to open an arbitrary page (or a file: / custom scheme
 * that launches a program), so only https pages on known password hosts pass.
 */

/** Microsoft's sign-in and password pages, allowed whatever the configuration says. */
export const MICROSOFT_PASSWORD_HOSTS: readonly string[] = Object.freeze([
  'mysignins.microsoft.com',
  'passwordreset.microsoftonline.com',
  'aka.ms',
  'login.microsoftonline.com',
  'account.activedirectory.windowsazure.com',
]);

export interface ExternalUrlPolicyInput {
  /** The configured pages (changePasswordUrl, resetPasswordUrl): their hosts are allowed too. */
  configuredUrls: readonly string[];
}

export type ExternalUrlVerdict =
  { allowed: true; url: string } | { allowed: false; reason: string };

function httpsOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origins a URL may point at: Microsoft's hosts on the https port, plus the origins of the
 * configured https pages (which may carry a port, e.g. a company portal or the local demo).
 */
export function allowedExternalOrigins(input: ExternalUrlPolicyInput): Set<string> {
  const origins = new Set(MICROSOFT_PASSWORD_HOSTS.map((host) => `https://${host}`));
  for (const url of input.configuredUrls) {
    const origin = httpsOrigin(url);
    if (origin) origins.add(origin);
  }
  return origins;
}

/** Checks one address. Returns the normalised URL to open, or why it is refused. */
export function checkExternalUrl(
  candidate: unknown,
  input: ExternalUrlPolicyInput,
): ExternalUrlVerdict {
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 2048) {
    return { allowed: false, reason: 'not a URL string of reasonable length' };
  }
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    return { allowed: false, reason: 'not a valid URL' };
  }
  if (parsed.protocol !== 'https:') {
    return { allowed: false, reason: `scheme ${parsed.protocol} is not https` };
  }
  // Credentials have no place in a password page link and can disguise the real host.
  if (parsed.username !== '' || parsed.password !== '') {
    return { allowed: false, reason: 'the URL carries credentials' };
  }
  if (!allowedExternalOrigins(input).has(parsed.origin)) {
    return { allowed: false, reason: `${parsed.origin} is not an allowed password page` };
  }
  return { allowed: true, url: parsed.href };
}
