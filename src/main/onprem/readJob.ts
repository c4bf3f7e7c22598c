/**
 * One directory read from start to end, as it runs inside the reader's worker thread: find the
 * domain, find its domain controllers, then read from them in order within the time budget. The
 * LDAP protocol is the same everywhere (ldap/); the platform supplies the security provider
 * (GSS-API or SSPI) and, on Windows, the system's DC locator ahead of the DNS SRV lookup.
 */
import type {
  DirectoryFailureKind,
  DirectoryReadRequest,
  DirectoryReadResult,
} from '../../core/directory';
import { findDomainControllers, type DomainController } from './discovery';
import { readOwnEntry } from './ldap/ownEntryRead';
import type { SaslSecurityLayer } from './ldap/saslGssapi';
import type { SecurityProvider } from './ldap/securityProvider';
import type { DirectoryReadError } from './readFailure';
import { classifyReadError } from './readFailure';
import { defaultCachePrincipal, realmOf } from './unix/credentialCache';
import { gssProvider } from './unix/gssapi';
import { windowsDcLocator, type DcLocator } from './windows/dcLocator';
import { sspiProvider } from './windows/sspi';

/** Everything the worker needs; plain data, so it crosses the thread boundary. */
export interface ReadJob {
  platform: NodeJS.Platform;
  request: DirectoryReadRequest;
  /** Windows: USERDNSDOMAIN from the caller's environment. */
  userDnsDomain: string | null;
  dnsServers: readonly string[];
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  /** The whole read: discovery plus every DC tried. */
  budgetMs: number;
  securityLayer: SaslSecurityLayer;
}

/** The platform's parts of a read (ports: unit tests hand in their own). */
export interface ReadPorts {
  provider: SecurityProvider;
  /** Windows' DC locator; null where the SRV lookup is the only way. */
  locator: DcLocator | null;
  /** The realm of the user's ticket cache (macOS, Linux), or null. */
  ticketRealm(): string | null;
}

/** Kinds after which another DC may well answer; the others are the same on every DC. */
const TRY_NEXT: ReadonlySet<DirectoryFailureKind> = new Set(['unreachable', 'protocol']);

function failure(kind: DirectoryFailureKind, detail: string, server: string | null) {
  return { ok: false as const, failure: { kind, detail, server } };
}

/** The real parts for a platform; their native libraries load at their first call. */
export function platformPorts(platform: NodeJS.Platform): ReadPorts {
  if (platform === 'win32') {
    return { provider: sspiProvider, locator: windowsDcLocator, ticketRealm: () => null };
  }
  return {
    provider: gssProvider,
    locator: null,
    ticketRealm: () => {
      const principal = defaultCachePrincipal();
      return principal ? realmOf(principal) : null;
    },
  };
}

/** The DCs to try: the configured ones, else the locator's choice, else the SRV records. */
async function findTargets(
  job: ReadJob,
  domain: string,
  ports: ReadPorts,
  timeoutMs: number,
): Promise<DomainController[]> {
  if (job.request.servers.length > 0) {
    return job.request.servers.map((host) => ({ host, port: 389 }));
  }
  let located: string | null = null;
  if (ports.locator) {
    try {
      return [ports.locator.locate(domain)];
    } catch (error) {
      located = classifyReadError(error).message;
    }
  }
  try {
    return await findDomainControllers(domain, { dnsServers: job.dnsServers, timeoutMs });
  } catch (error) {
    const classified = classifyReadError(error);
    if (located) classified.message = `${located}; ${classified.message}`;
    throw classified;
  }
}

export async function runDirectoryRead(
  job: ReadJob,
  ports: ReadPorts = platformPorts(job.platform),
): Promise<DirectoryReadResult> {
  const started = Date.now();
  const remaining = () => job.budgetMs - (Date.now() - started);
  const windows = job.platform === 'win32';
  let domain: string | null = job.request.domain?.trim() || null;
  try {
    if (!domain) domain = windows ? job.userDnsDomain : ports.ticketRealm();
  } catch (error) {
    return failure('unavailable', `the Kerberos library cannot be used: ${String(error)}`, null);
  }
  if (!domain) {
    return failure(
      'not-configured',
      windows
        ? 'no on-premises domain: USERDNSDOMAIN is not set and none is configured'
        : 'no on-premises domain: no Kerberos ticket cache names a realm and none is configured',
      null,
    );
  }
  // One spelling for one domain, whether it came from a ticket's realm or from the configuration.
  domain = domain.toLowerCase();

  let targets: DomainController[];
  try {
    targets = await findTargets(job, domain, ports, Math.min(job.connectTimeoutMs, remaining()));
  } catch (error) {
    const classified = classifyReadError(error);
    return failure(classified.kind, classified.message, null);
  }

  let last: DirectoryReadError | null = null;
  let lastServer: string | null = null;
  for (const target of targets) {
    if (remaining() < Math.min(job.connectTimeoutMs, 500)) break;
    lastServer = target.host;
    try {
      const entry = await readOwnEntry(
        target,
        {
          connectTimeoutMs: Math.min(job.connectTimeoutMs, remaining()),
          operationTimeoutMs: job.operationTimeoutMs,
          securityLayer: job.securityLayer,
        },
        ports.provider,
      );
      return { ok: true, reading: { entry, server: target.host, domain, readAt: new Date() } };
    } catch (error) {
      last = classifyReadError(error);
      if (!TRY_NEXT.has(last.kind)) break;
    }
  }
  if (!last) {
    return failure('unreachable', `no time left to try a domain controller of ${domain}`, null);
  }
  return failure(last.kind, last.message, lastServer);
}
