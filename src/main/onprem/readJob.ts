/**
 * One directory read from start to end, as it runs inside the reader's worker thread: find the
 * domain, find its domain controllers, then read from them in order within the time budget.
 */
import type {
  DirectoryFailureKind,
  DirectoryReadRequest,
  DirectoryReadResult,
} from '../../core/directory';
import { findDomainControllers } from './discovery';
import type { DirectoryReadError } from './readFailure';
import { classifyReadError } from './readFailure';
import { defaultCachePrincipal, realmOf } from './unix/credentialCache';
import type { SaslSecurityLayer } from './unix/saslGssapi';
import { readOwnEntryUnix } from './unix/unixReader';
import { readOwnEntryWindows } from './windows/windowsReader';

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

/** Kinds after which another DC may well answer; the others are the same on every DC. */
const TRY_NEXT: ReadonlySet<DirectoryFailureKind> = new Set(['unreachable', 'protocol']);

function failure(kind: DirectoryFailureKind, detail: string, server: string | null) {
  return { ok: false as const, failure: { kind, detail, server } };
}

function unixDomain(): string | null {
  const principal = defaultCachePrincipal();
  return principal ? realmOf(principal) : null;
}

export async function runDirectoryRead(job: ReadJob): Promise<DirectoryReadResult> {
  const started = Date.now();
  const remaining = () => job.budgetMs - (Date.now() - started);
  const windows = job.platform === 'win32';
  let domain: string | null = job.request.domain?.trim() || null;
  try {
    if (!domain) domain = windows ? job.userDnsDomain : unixDomain();
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

  let targets: { host: string; address?: string; port?: number }[];
  if (job.request.servers.length > 0) {
    targets = job.request.servers.map((host) => ({ host }));
  } else if (windows) {
    // wldap32 hands a domain name to Windows' DC locator, which picks a DC of it (site-aware).
    targets = [{ host: domain }];
  } else {
    try {
      targets = await findDomainControllers(domain.toLowerCase(), {
        dnsServers: job.dnsServers,
        timeoutMs: Math.min(job.connectTimeoutMs, remaining()),
      });
    } catch (error) {
      const classified = classifyReadError(error);
      return failure(classified.kind, classified.message, null);
    }
  }

  let last: DirectoryReadError | null = null;
  let lastServer: string | null = null;
  for (const target of targets) {
    if (remaining() < Math.min(job.connectTimeoutMs, 500)) break;
    lastServer = target.host;
    try {
      const timeouts = {
        connectTimeoutMs: Math.min(job.connectTimeoutMs, remaining()),
        operationTimeoutMs: job.operationTimeoutMs,
      };
      let entry;
      let server: string;
      if (windows) {
        ({ entry, server } = readOwnEntryWindows(target.host, timeouts));
      } else {
        entry = await readOwnEntryUnix(
          { host: target.host, address: target.address, port: target.port },
          { ...timeouts, securityLayer: job.securityLayer },
        );
        server = target.host;
      }
      return { ok: true, reading: { entry, server, domain, readAt: new Date() } };
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
