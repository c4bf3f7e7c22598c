import { net } from 'electron';
import { boundedFetchResponse } from '../net/httpClient';
import type { Transport } from '../net/httpClient';

/**
 * Chromium's network stack for every request of the app: it follows the system proxy settings
 * (PAC and WPAD included), signs in to the proxy with the user's Windows credentials (Negotiate,
 * Kerberos, NTLM) and trusts the operating system's certificate store, as the browser on the
 * same computer does. Usable once the app is ready.
 */
export const electronTransport: Transport = Object.assign(
  async (url: string, init: Parameters<Transport>[1]) =>
    boundedFetchResponse(await net.fetch(url, init)),
  { via: '(system proxy settings)' },
);
