import { LogLevel, PublicClientApplication } from '@azure/msal-node';
import type {
  AccountInfo,
  AuthenticationResult,
  Configuration,
  ICachePlugin,
  INativeBrokerPlugin,
} from '@azure/msal-node';
import type { AssistantConfig } from '../../core/config';
import type { Logger } from '../../core/ports';
import { TimedNetworkModule } from './networkModule';

export interface MsalAuthOptions {
  config: AssistantConfig;
  cachePlugin: ICachePlugin;
  /** The authority's OpenID configuration as JSON, so no discovery request is spent. */
  authorityMetadata: string | undefined;
  logger: Logger;
  openBrowser: (url: string) => Promise<void>;
  timeoutMs: number;
  /** The Windows broker where present; null elsewhere. */
  broker: INativeBrokerPlugin | null;
  /** How long an interactive sign-in may wait for the browser before giving up. */
  interactiveTimeoutMs: number;
}

export class SignInTimeoutError extends Error {
  readonly errorCode = 'user_cancelled';
  constructor() {
    super('The sign-in was not completed in the browser in time.');
    this.name = 'SignInTimeoutError';
  }
}

/** The authority URL for a tenant: `{authority host}/{tenant}`. */
export function tenantAuthority(config: AssistantConfig): string {
  return `${config.authority.replace(/\/+$/, '')}/${config.tenantId ?? 'organizations'}`;
}

/** Graph scopes, prefixed with the configured endpoint so national clouds work. */
export function graphScopes(config: AssistantConfig): string[] {
  const base = config.graphEndpoint.replace(/\/+$/, '');
  const scopes = [`${base}/User.Read`];
  if (config.readDomainPolicy) scopes.push(`${base}/Domain.Read.All`);
  return scopes;
}

/**
 * All MSAL use lives here: silent first, interactive through the system browser (loopback
 * redirect + PKCE), device code for headless use, and sign-out. Never sees a password.
 */
export class MsalAuth {
  readonly network: TimedNetworkModule;
  private readonly pca: PublicClientApplication;
  private readonly scopes: string[];

  constructor(private readonly options: MsalAuthOptions) {
    const { config, logger } = options;
    this.network = new TimedNetworkModule(options.timeoutMs);
    this.scopes = graphScopes(config);
    const msalConfig: Configuration = {
      auth: {
        clientId: config.clientId ?? '',
        authority: tenantAuthority(config),
        // Trusting the configured host skips instance discovery (one request less per process).
        knownAuthorities: [new URL(config.authority).host],
        ...(options.authorityMetadata ? { authorityMetadata: options.authorityMetadata } : {}),
      },
      cache: { cachePlugin: options.cachePlugin },
      system: {
        networkClient: this.network,
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            if (level === LogLevel.Error) logger.error(message);
            else logger.warn(message);
          },
        },
      },
      ...(options.broker ? { broker: { nativeBrokerPlugin: options.broker } } : {}),
    };
    this.pca = new PublicClientApplication(msalConfig);
  }

  /** The signed-in account, if any (the most recently signed-in one). */
  async getAccount(): Promise<AccountInfo | null> {
    const accounts = await this.pca.getTokenCache().getAllAccounts();
    return accounts[0] ?? null;
  }

  /** From the cache while the access token is valid; otherwise one refresh-token request. */
  acquireSilent(account: AccountInfo, forceRefresh = false): Promise<AuthenticationResult> {
    return this.pca.acquireTokenSilent({ account, scopes: this.scopes, forceRefresh });
  }

  async signInInteractive(): Promise<AuthenticationResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SignInTimeoutError()), this.options.interactiveTimeoutMs);
    });
    try {
      const result = await Promise.race([
        this.pca.acquireTokenInteractive({
          scopes: this.scopes,
          openBrowser: this.options.openBrowser,
          prompt: 'select_account',
          successTemplate:
            '<h1>You are signed in to Sign-In Assistant.</h1><p>You can close this window.</p>',
          errorTemplate:
            '<h1>Sign-in did not complete.</h1><p>Sign-In Assistant shows what happened. You can close this window.</p>',
        }),
        timeout,
      ]);
      await this.keepOnly(result.account);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  async signInDeviceCode(onMessage: (message: string) => void): Promise<AuthenticationResult> {
    const result = await this.pca.acquireTokenByDeviceCode({
      scopes: this.scopes,
      deviceCodeCallback: (response) => onMessage(response.message),
      timeout: Math.round(this.options.interactiveTimeoutMs / 1000),
    });
    if (!result) throw new SignInTimeoutError();
    await this.keepOnly(result.account);
    return result;
  }

  async signOut(): Promise<void> {
    const cache = this.pca.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
  }

  /** One account at a time: a new sign-in replaces any other. */
  private async keepOnly(account: AccountInfo | null): Promise<void> {
    if (!account) return;
    const cache = this.pca.getTokenCache();
    for (const other of await cache.getAllAccounts()) {
      if (other.homeAccountId !== account.homeAccountId) await cache.removeAccount(other);
    }
  }
}
