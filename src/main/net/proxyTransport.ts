import { boundedFetchResponse } from './httpClient';
import type { Transport } from './httpClient';

/** An environment variable in either spelling (curl reads lower case, many tools upper case). */
function variable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** A proxy address fit for a message or a log: no user name or password. */
function shown(proxy: string): string {
  try {
    const url = new URL(proxy);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(unreadable proxy address)';
  }
}

/**
 * The headless command's transport in plain Node: through the proxy `HTTPS_PROXY` /
 * `HTTP_PROXY` name, except for the hosts `NO_PROXY` lists; null (direct) when neither is set.
 * (Node's own clients ignore these variables.) The proxy client is loaded only when a proxy is
 * configured.
 */
export function transportFromEnvironment(env: NodeJS.ProcessEnv): Transport | null {
  const httpsProxy = variable(env, 'HTTPS_PROXY');
  const httpProxy = variable(env, 'HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return null;
  // Every request is https: HTTPS_PROXY applies, or HTTP_PROXY when it is the only one set.
  const proxy = httpsProxy ?? httpProxy ?? '';
  const noProxy = variable(env, 'NO_PROXY') ?? '';
  let loading: Promise<Transport> | null = null;
  const load = (): Promise<Transport> =>
    (loading ??= import('undici').then(({ EnvHttpProxyAgent, fetch }) => {
      // An empty NO_PROXY bypasses nothing (undici would otherwise read process.env again).
      const dispatcher = new EnvHttpProxyAgent({ httpsProxy: proxy, httpProxy: proxy, noProxy });
      return async (url, init) => boundedFetchResponse(await fetch(url, { ...init, dispatcher }));
    }));
  const transport = async (url: string, init: Parameters<Transport>[1]) =>
    (await load())(url, init);
  return Object.assign(transport, {
    via: `(proxy ${shown(proxy)} from the environment)`,
  });
}
