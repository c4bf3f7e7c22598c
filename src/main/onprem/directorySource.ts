/**
 * The DirectorySource adapter: each read runs in a worker thread (the GSS-API and wldap32 calls
 * block), under a hard deadline. At the deadline the read resolves as `unreachable` and the worker
 * is terminated and unreferenced, so neither the tray nor the command waits on it.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  DirectoryFailureKind,
  DirectoryReadRequest,
  DirectoryReadResult,
} from '../../core/directory';
import type { DirectorySource, Logger } from '../../core/ports';
import type { ReadJob } from './readJob';
import type { SaslSecurityLayer } from './unix/saslGssapi';

export interface DirectorySourceOptions {
  platform: NodeJS.Platform;
  /** The process environment (Windows: USERDNSDOMAIN names the logon domain). */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** DNS servers for the SRV lookup ("10.0.0.53", "127.0.0.1:10053"); default: the system's. */
  dnsServers?: readonly string[];
  /** TCP connect timeout per domain controller (default 2000 ms). */
  connectTimeoutMs?: number;
  /** Timeout of each LDAP operation (default 2000 ms). */
  operationTimeoutMs?: number;
  /** Discovery plus every DC tried (default 6000 ms); the worker is stopped shortly after. */
  budgetMs?: number;
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

/**
 * The worker next to this file. Built, it is plain JavaScript. Run from source (tests, benchmark),
 * it is TypeScript, and a worker does not inherit the parent's TypeScript loader: load it first.
 */
function startWorker(job: ReadJob): Worker {
  const file = join(__dirname, `readerWorker${extname(__filename)}`);
  if (extname(file) !== '.ts') return new Worker(file, { workerData: job });
  const bootstrap = `require('tsx/cjs'); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData: job });
}

function checkRequest(request: DirectoryReadRequest): string | null {
  const domain = request.domain?.trim();
  if (domain && !HOST_NAME.test(domain)) {
    return `the domain ${JSON.stringify(request.domain)} is not a DNS name`;
  }
  const bad = request.servers.find((server) => !HOST_NAME.test(server.trim()));
  return bad === undefined ? null : `the server ${JSON.stringify(bad)} is not a DNS name`;
}

function runInWorker(job: ReadJob, deadlineMs: number): Promise<DirectoryReadResult> {
  return new Promise((resolve) => {
    let settled = false;
    let worker: Worker;
    const finish = (result: DirectoryReadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.removeAllListeners();
      // Terminate without waiting: a call blocked in the KDC cannot be interrupted, and the
      // caller must not wait for it or be kept alive by it.
      worker.on('error', () => undefined);
      worker.unref();
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish(failed('unreachable', `no answer within ${deadlineMs} ms`)),
      deadlineMs,
    );
    try {
      worker = startWorker(job);
    } catch (error) {
      clearTimeout(timer);
      resolve(failed('unavailable', `the reader cannot start: ${String(error)}`));
      return;
    }
    worker.once('message', (result: DirectoryReadResult) => finish(result));
    worker.once('error', (error: Error) =>
      finish(failed('unavailable', `the reader stopped: ${error.message}`)),
    );
    worker.once('exit', (code) =>
      finish(failed('protocol', `the reader ended (exit code ${code}) without an answer`)),
    );
  });
}

export function createDirectorySource(options: DirectorySourceOptions): DirectorySource {
  const connectTimeoutMs = options.connectTimeoutMs ?? 2000;
  const operationTimeoutMs = options.operationTimeoutMs ?? 2000;
  const budgetMs = options.budgetMs ?? 6000;
  const { logger } = options;
  return {
    async read(request) {
      const started = Date.now();
      let result: DirectoryReadResult;
      const invalid = checkRequest(request);
      if (!SUPPORTED.has(options.platform)) {
        result = failed('unavailable', `no directory reader for ${options.platform}`);
      } else if (invalid) {
        result = failed('not-configured', invalid);
      } else {
        result = await runInWorker(
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
