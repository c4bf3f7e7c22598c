/**
 * Windows' own DC locator (DsGetDcNameW, netapi32): a domain controller of the domain that runs
 * the directory service, chosen for the computer's site, by its DNS name. The reader falls back
 * to the DNS SRV lookup where the locator finds none.
 */
import { koffi, type Koffi } from '../nativeFfi';
import type { DomainController } from '../discovery';
import { DirectoryReadError } from '../readFailure';

/** The locator as the reader uses it (a port: unit tests hand in their own). */
export interface DcLocator {
  /** A DC of `domain`, or a DirectoryReadError saying why there is none. */
  locate(domain: string): DomainController;
}

export const DS_FLAGS = {
  directoryServiceRequired: 0x10,
  ipRequired: 0x200,
  tryNextClosestSite: 0x40000,
  returnDnsName: 0x40000000,
} as const;

/** DS_INET_ADDRESS: DomainControllerAddress is an IP address. */
const DS_INET_ADDRESS = 1;

export interface LocatorAnswer {
  DomainControllerName: string | null;
  DomainControllerAddress: string | null;
  DomainControllerAddressType: number;
}

/** The DC from a DOMAIN_CONTROLLER_INFOW ("\\dc1.corp.example.com", "\\10.0.0.5"). Pure. */
export function controllerFromAnswer(answer: LocatorAnswer): DomainController | null {
  const host = answer.DomainControllerName?.replace(/^\\\\/, '').replace(/\.$/, '').trim();
  if (!host) return null;
  const address = answer.DomainControllerAddress?.replace(/^\\\\/, '').trim();
  const controller: DomainController = { host, port: 389 };
  if (address && answer.DomainControllerAddressType === DS_INET_ADDRESS) {
    controller.address = address;
  }
  return controller;
}

type Native = (...args: unknown[]) => number;
let api: { getDcName: Native; free: Native } | null = null;

function load(): { getDcName: Native; free: Native } {
  if (api) return api;
  let lib: Koffi.LibraryHandle;
  try {
    lib = koffi.load('netapi32.dll');
  } catch (error) {
    throw new DirectoryReadError('unavailable', 'netapi32.dll cannot be loaded', { cause: error });
  }
  koffi.struct('sia_DOMAIN_CONTROLLER_INFOW', {
    DomainControllerName: 'const char16_t *',
    DomainControllerAddress: 'const char16_t *',
    DomainControllerAddressType: 'uint32_t',
    DomainGuid: koffi.array('uint32_t', 4),
    DomainName: 'const char16_t *',
    DnsForestName: 'const char16_t *',
    Flags: 'uint32_t',
    DcSiteName: 'const char16_t *',
    ClientSiteName: 'const char16_t *',
  });
  api = {
    getDcName: lib.func(
      'uint32_t DsGetDcNameW(const char16_t *computer, const char16_t *domain, void *guid, const char16_t *site, uint32_t flags, _Out_ void **info)',
    ),
    free: lib.func('uint32_t NetApiBufferFree(void *buffer)'),
  };
  return api;
}

/** The system's locator; may block on the network (it runs in the reader's worker). */
export const windowsDcLocator: DcLocator = {
  locate(domain) {
    const lib = load();
    const out: unknown[] = [null];
    const flags =
      DS_FLAGS.directoryServiceRequired |
      DS_FLAGS.ipRequired |
      DS_FLAGS.tryNextClosestSite |
      DS_FLAGS.returnDnsName;
    const code = lib.getDcName(null, domain, null, null, flags, out);
    if (code !== 0 || !out[0]) {
      throw new DirectoryReadError(
        'no-server',
        `the Windows DC locator found no domain controller of ${domain} (error ${code})`,
      );
    }
    try {
      const answer = koffi.decode(out[0], 'sia_DOMAIN_CONTROLLER_INFOW') as LocatorAnswer;
      const controller = controllerFromAnswer(answer);
      if (!controller) {
        throw new DirectoryReadError(
          'no-server',
          `the Windows DC locator named no DC of ${domain}`,
        );
      }
      return controller;
    } finally {
      lib.free(out[0]);
    }
  },
};
