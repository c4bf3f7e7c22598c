/**
 * Domain controllers of an AD domain from DNS: _ldap._tcp.dc._msdcs.<domain>, ordered by
 * priority, then weight. A fresh resolver per attempt, because the system's resolver settings
 * change when a VPN connects and c-ares reads them only when a resolver is made.
 */
import dns from 'node:dns';
import { DirectoryReadError } from './readFailure';

export interface DomainController {
  /** The SRV target: the DC's DNS name, used for the Kerberos service name. */
  host: string;
  port: number;
  /** Where to connect, when the discovery's own DNS servers resolved it; else the OS resolves host. */
  address?: string;
}

export interface DiscoveryOptions {
  /** DNS servers ("127.0.0.1:10053"); empty = the system's. */
  dnsServers: readonly string[];
  timeoutMs: number;
}

const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'NOTFOUND', 'NODATA', 'ENONAME']);

/** SRV answers ordered for trying: lowest priority first, then heaviest weight. Pure. */
export function orderServiceRecords(records: readonly dns.SrvRecord[]): DomainController[] {
  return [...records]
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight)
    .map((r) => ({ host: r.name.replace(/\.$/, ''), port: r.port }));
}

export async function findDomainControllers(
  domain: string,
  options: DiscoveryOptions,
): Promise<DomainController[]> {
  // c-ares takes about twice its per-try timeout for a silent server: ask for half.
  const resolver = new dns.promises.Resolver({
    timeout: Math.max(100, Math.floor(options.timeoutMs / 2)),
    tries: 1,
  });
  if (options.dnsServers.length > 0) resolver.setServers([...options.dnsServers]);
  const name = `_ldap._tcp.dc._msdcs.${domain}`;
  let records: dns.SrvRecord[];
  try {
    records = await resolver.resolveSrv(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (NO_RECORD.has(code)) {
      throw new DirectoryReadError('no-server', `no SRV record ${name} (${code})`, {
        cause: error,
      });
    }
    throw new DirectoryReadError('unreachable', `DNS lookup of ${name} failed (${code})`, {
      cause: error,
    });
  }
  const controllers = orderServiceRecords(records);
  if (controllers.length === 0) throw new DirectoryReadError('no-server', `${name} is empty`);
  if (options.dnsServers.length > 0) {
    // The names live in the same DNS: resolve them there, not through the OS.
    for (const controller of controllers) {
      try {
        const [address] = await resolver.resolve4(controller.host);
        if (address) controller.address = address;
      } catch {
        // leave it to the OS resolver
      }
    }
  }
  return controllers;
}
