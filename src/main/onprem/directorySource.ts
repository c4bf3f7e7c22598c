/**
 * The DirectorySource adapter: checks the request, then runs the read in the reader's worker
 * thread (the GSS-API and SSPI calls block) under a hard deadline (readerHost.ts), and logs the
 * outcome. koffi and the LDAP code load only in that worker, at the first read.
 */
import type {
  DirectoryFailureKind,
  DirectoryReadRequest,
  DirectoryReadResult,
} from '../../core/directory';
import type { DirectorySource, Logger } from '../../core/ports';
import { ReaderHost } from './readerHost';
import type { SaslSecurityLayer } from './ldap/saslGssapi';

export interface DirectorySourceOptions {
  platform: NodeJS.Platform;
  /**
   * The process environment (Windows: USERDNSDOMAIN names the logon domain). The Kerberos
   * library reads KRB5CCNAME and KRB5_CONFIG from the process's own environment, never from here.
   */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** DNS servers for the SRV lookup ("10.0.0.53", "127.0.0.1:10053"); default: the system's. */
  dnsServers?: readonly string[];
  /** TCP connect timeout per domain controller (default 1500 ms). */
  connectTimeoutMs?: number;
  /** Timeout of each LDAP operation (default 2000 ms). */
  operationTimeoutMs?: number;
  /** Discovery plus every DC tried (default 6000 ms); the worker is stopped shortly after. */
  budgetMs?: number;
  /** How long the reader's worker waits for another read before it ends (default 2 minutes). */
  idleMs?: number;
  /** Unix SASL layer; only tests ask for 'none', to see a DC refuse an unsigned bind. */
  securityLayer?: SaslSecurityLayer;
}

const SUPPORTED: ReadonlySet<NodeJS.Platform> = new Set(['linux', 'darwin', 'win32']);
/** Time past the budget for the worker to start and hand back its answer. */
const DEADLINE_GRACE_MS = 1500;
/** A DNS name or an IP address: what `domain` and `servers` may hold. */
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_.:-]*[A-Za-z0-9])?$/;

function failed(kind: DirectoryFailureKind, detail: string, server: string | null = null) {
  return { ok: false as const, failure: { kind, detail, server } };
}

function checkRequest(request: DirectoryReadRequest): string | null {
  const domain = request.domain?.trim();
  if (domain && !HOST_NAME.test(domain)) {
    return `the domain ${JSON.stringify(request.domain)} is not a DNS name`;
  }
  const bad = request.servers.find((server) => !HOST_NAME.test(server.trim()));
  return bad === undefined ? null : `the server ${JSON.stringify(bad)} is not a DNS name`;
}

export function createDirectorySource(options: DirectorySourceOptions): DirectorySource {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1500;
  const operationTimeoutMs = options.operationTimeoutMs ?? 2000;
  const budgetMs = options.budgetMs ?? 6000;
  const { logger } = options;
  const host = new ReaderHost(options.idleMs ?? 120_000);
  return {
    async read(request) {
      const started = Date.now();
      let result: DirectoryReadResult;
      let invalid: string | null;
      try {
        invalid = checkRequest(request);
      } catch (error) {
        invalid = `the request cannot be used: ${String(error)}`;
      }
      if (!SUPPORTED.has(options.platform)) {
        result = failed('unavailable', `no directory reader for ${options.platform}`);
      } else if (invalid) {
        result = failed('not-configured', invalid);
      } else {
        result = await host.run(
          {
            platform: options.platform,
            request: {
              domain: request.domain?.trim() || null,
              servers: request.servers.map((server) => server.trim()),
            },
            userDnsDomain: options.env.USERDNSDOMAIN?.trim() || null,
            dnsServers: options.dnsServers ?? [],
            connectTimeoutMs,
            operationTimeoutMs,
            budgetMs,
            securityLayer: options.securityLayer ?? 'integrity',
          },
          budgetMs + DEADLINE_GRACE_MS,
        );
      }
      const ms = Date.now() - started;
      if (result.ok) {
        logger.info('on-premises directory read', {
          server: result.reading.server,
          domain: result.reading.domain,
          ms,
        });
      } else {
        logger.warn('on-premises directory not read', { ...result.failure, ms });
      }
      return result;
    },
  };
}
