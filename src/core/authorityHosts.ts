/**
 * Where the sign-in service may send the app: the configured authority's own host, or the hosts
 * Microsoft runs the same cloud's sign-in service on. Anything else in the authority's metadata
 * (cached on disk or freshly fetched) would carry the refresh token to a stranger.
 */
import { shortened } from './inputLimits';

/**
 * Each cloud's sign-in hosts, as Microsoft documents them (national clouds) and as MSAL's own
 * instance discovery table lists their aliases.
 */
export const MICROSOFT_AUTHORITY_HOST_GROUPS: readonly (readonly string[])[] = Object.freeze([
  // Global
  ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net', 'sts.windows.net'],
  // US Government
  ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  ['login-us.microsoftonline.com'],
  // China, operated by 21Vianet
  ['login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'],
  // Germany (closed in 2021)
  ['login.microsoftonline.de'],
  // Sovereign clouds
  ['login.sovcloud-identity.fr'],
  ['login.sovcloud-identity.de'],
  ['login.sovcloud-identity.sg'],
]);

/** The endpoints MSAL takes from the metadata; the first four are required. */
export const AUTHORITY_ENDPOINT_KEYS = [
  'authorization_endpoint',
  'token_endpoint',
  'issuer',
  'jwks_uri',
  'end_session_endpoint',
  'device_authorization_endpoint',
] as const;
const REQUIRED_KEYS = 4;

/**
 * The hosts (`host` of a URL: name and port) the app may talk to for sign-in: the authority's own,
 * plus its cloud's Microsoft aliases when it is a Microsoft host on the https port.
 */
export function trustedAuthorityHosts(authority: string): ReadonlySet<string> {
  const hosts = new Set<string>();
  let url: URL;
  try {
    url = new URL(authority);
  } catch {
    return hosts;
  }
  hosts.add(url.host);
  if (url.port === '') {
    const group = MICROSOFT_AUTHORITY_HOST_GROUPS.find((g) => g.includes(url.hostname));
    for (const host of group ?? []) hosts.add(host);
  }
  return hosts;
}

export type AuthorityMetadataCheck =
  { ok: true; metadata: Record<string, string> } | { ok: false; problem: string };

/**
 * Keeps the endpoints MSAL uses, each checked to be https on a trusted host with no credentials;
 * says which one is wrong otherwise.
 */
export function checkAuthorityMetadata(
  metadata: Record<string, unknown>,
  authority: string,
): AuthorityMetadataCheck {
  const trusted = trustedAuthorityHosts(authority);
  const kept: Record<string, string> = {};
  for (const [index, key] of AUTHORITY_ENDPOINT_KEYS.entries()) {
    const value = metadata[key];
    if (value === undefined && index >= REQUIRED_KEYS) continue;
    if (typeof value !== 'string') return { ok: false, problem: `${key} is missing` };
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { ok: false, problem: `${key} is not a URL` };
    }
    if (url.protocol !== 'https:') return { ok: false, problem: `${key} is not https` };
    if (url.username !== '' || url.password !== '') {
      return { ok: false, problem: `${key} carries credentials` };
    }
    if (!trusted.has(url.host)) {
      return {
        ok: false,
        problem: `${key} points at ${shortened(url.host)}, not the sign-in service`,
      };
    }
    kept[key] = value;
  }
  return { ok: true, metadata: kept };
}
