import { statSync } from 'node:fs';
import {
  AuthError,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
} from '@azure/msal-node';
import type {
  AccountInfo,
  AuthenticationResult,
  Configuration,
  ICachePlugin,
  INativeBrokerPlugin,
} from '@azure/msal-node';
import type { AssistantConfig } from '../../core/config';
import type { Logger } from '../../core/ports';
import type { Transport } from '../net/httpClient';
import { TimedNetworkModule } from './networkModule';
import {
  SignInTimeoutError,
  graphScopes,
  isCancel,
  signInPages,
  tenantAuthority,
} from './signInRequests';

export { SignInTimeoutError, graphScopes, tenantAuthority } from './signInRequests';
import { trustedAuthorityHosts } from '../../core/authorityHosts';

export interface MsalAuthOptions {
  config: AssistantConfig;
  cachePlugin: ICachePlugin;
  /** The file every process touches when it changes the token cache. */
  cacheFile: string;
  /** The authority's OpenID configuration as JSON, so no discovery request is spent. */
  authorityMetadata: string | undefined;
  logger: Logger;
  openBrowser: (url: string) => Promise<void>;
  timeoutMs: number;
  /** How MSAL's requests travel (Electron's net.fetch in the tray app, a proxy, or direct). */
  transport?: Transport;
  /** The Windows broker where present; null elsewhere. */
  broker: INativeBrokerPlugin | null;
  /**
   * The native handle of the window an interactive broker sign-in belongs to (the status
   * window's `getNativeWindowHandle()`), so the broker's dialog is parented to it.
   */
  windowHandle?: () => Buffer | undefined;
  /** How long an interactive sign-in may wait for the browser before giving up. */
  interactiveTimeoutMs: number;
}

/** Renew this long before the access token expires, as MSAL does. */
const TOKEN_RENEWAL_MARGIN_MS = 5 * 60 * 1000;

/**
 * The optional permission to list the user's authentication methods: never asked at sign-in (a
 * tenant that did not consent must not fail it), only silently, for the methods request alone.
 */
export function authenticationMethodsScope(config: AssistantConfig): string {
  return `${config.graphEndpoint.replace(/\/+$/, '')}/UserAuthenticationMethod.Read`;
}

/**
 * All MSAL use lives here: silent first, interactive through the system browser (loopback
 * redirect + PKCE), device code for headless use, and sign-out. Never sees a password.
 */
export class MsalAuth {
  readonly network: TimedNetworkModule;
  /** The browser and device-code flows; their accounts live in the protected file cache. */
  private readonly pca: PublicClientApplication;
  /** The same application with the Windows broker, whose accounts live in the broker only. */
  private readonly brokerPca: PublicClientApplication | null;
  private readonly scopes: string[];
  /** The last token, while the shared cache is unchanged (see currentToken). */
  private memo: { result: AuthenticationResult; cacheStamp: string | null } | null = null;

  constructor(private readonly options: MsalAuthOptions) {
    const { config, logger } = options;
    this.network = new TimedNetworkModule(
      options.timeoutMs,
      trustedAuthorityHosts(config.authority),
      options.transport,
    );
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
    };
    this.pca = new PublicClientApplication(msalConfig);
    // With a broker configured, MSAL sends every silent call to the broker, which knows nothing
    // of a device-code account: each kind of account is served by its own application.
    this.brokerPca = options.broker?.isBrokerAvailable
      ? new PublicClientApplication({
          ...msalConfig,
          broker: { nativeBrokerPlugin: options.broker },
        })
      : null;
  }

  /** The broker's accounts for this app; none (logged) when the broker fails to answer. */
  private async brokerAccounts(): Promise<AccountInfo[]> {
    if (!this.brokerPca) return [];
    try {
      return await this.brokerPca.getAllAccounts();
    } catch (error) {
      this.options.logger.warn('The Windows broker did not list its accounts', {
        error: (error as Error).message,
      });
      return [];
    }
  }

  /** The application that holds this account: the broker's, or the file cache's. */
  private appFor(account: AccountInfo): PublicClientApplication {
    return account.nativeAccountId && this.brokerPca ? this.brokerPca : this.pca;
  }

  /**
   * The signed-in account, if any: a broker sign-in is known only to the broker, a browser or
   * device-code sign-in only to the file cache.
   */
  async getAccount(): Promise<AccountInfo | null> {
    const brokered = await this.brokerAccounts();
    if (brokered[0]) return brokered[0];
    const accounts = await this.pca.getTokenCache().getAllAccounts();
    return accounts[0] ?? null;
  }

  /** From the cache while the access token is valid; otherwise one refresh-token request. */
  async acquireSilent(account: AccountInfo, forceRefresh = false): Promise<AuthenticationResult> {
    this.memo = null;
    const result = await this.appFor(account).acquireTokenSilent({
      account,
      scopes: this.scopes,
      forceRefresh,
    });
    this.remember(result);
    return result;
  }

  /**
   * A token for an optional permission, silently (from the cache or one refresh-token request);
   * null when the service wants interaction for it (not consented: AADSTS65001 consent_required,
   * or any other interaction_required). Never changes the check's own token.
   */
  async acquireOptional(account: AccountInfo, scope: string): Promise<AuthenticationResult | null> {
    try {
      return await this.appFor(account).acquireTokenSilent({ account, scopes: [scope] });
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) return null;
      throw error;
    }
  }

  /**
   * The signed-in user's token for a check, or null when nobody is signed in. A long-running
   * process keeps the last one in memory while it stays valid and no process has changed the
   * shared cache since (one stat instead of a cache read); otherwise MSAL's silent flow.
   */
  async currentToken(): Promise<AuthenticationResult | null> {
    const memo = this.memo;
    if (memo) {
      const expiresOn = memo.result.expiresOn?.getTime() ?? 0;
      const fresh = expiresOn - Date.now() > TOKEN_RENEWAL_MARGIN_MS;
      if (fresh && memo.cacheStamp !== null && memo.cacheStamp === this.cacheStamp()) {
        return memo.result;
      }
    }
    const account = await this.getAccount();
    if (!account) {
      this.memo = null;
      return null;
    }
    return this.acquireSilent(account);
  }

  private remember(result: AuthenticationResult): void {
    // A broker sign-out leaves the file cache untouched: broker tokens are asked for each time.
    if (result.account?.nativeAccountId) return;
    this.memo = { result, cacheStamp: this.cacheStamp() };
  }

  private cacheStamp(): string | null {
    try {
      // Synchronous: microseconds on a file in the user's own folder, where the promise form
      // costs a thread-pool round trip many times that, on every check.
      const info = statSync(this.options.cacheFile, { bigint: true, throwIfNoEntry: false });
      return info ? `${info.ino}:${info.mtimeNs}:${info.size}` : null;
    } catch {
      return null;
    }
  }

  /**
   * Signs in silently with the account the operating system is signed in with: with the broker,
   * `prompt: 'none'` and no account is the broker's SignInSilently for the default account (see
   * NativeBrokerPlugin.acquireTokenInteractive). Never a window or a browser. Null without a
   * broker; rejects (InteractionRequiredAuthError, ...) when the broker cannot do it silently.
   */
  async signInWithOsAccount(): Promise<AuthenticationResult | null> {
    if (!this.brokerPca) return null;
    const result = await this.brokerPca.acquireTokenInteractive({
      scopes: this.scopes,
      prompt: 'none',
      openBrowser: () => Promise.reject(new Error('a silent sign-in never opens a browser')),
    });
    await this.keepOnly(result.account);
    this.remember(result);
    return result;
  }

  /**
   * The broker's account picker parented to the given window (never HWND 0, so it is in front),
   * falling back to the system browser when the broker fails for any reason but the user
   * cancelling; the browser alone without a broker or a window.
   */
  async signInInteractive(loginHint?: string): Promise<AuthenticationResult> {
    const handle = this.brokerPca ? this.options.windowHandle?.() : undefined;
    const usable = handle !== undefined && handle.length > 0 && handle.some((byte) => byte !== 0);
    if (this.brokerPca && usable) {
      try {
        return await this.interactive(this.brokerPca, loginHint, handle);
      } catch (error) {
        if (isCancel(error)) throw error;
        this.options.logger.warn('The Windows broker sign-in failed; using the system browser', {
          error: (error as Error).message,
          errorCode: (error as { errorCode?: unknown }).errorCode,
        });
      }
    } else if (this.brokerPca) {
      this.options.logger.info('No window for the Windows broker; signing in in the browser');
    }
    return this.interactive(this.pca, loginHint);
  }

  private async interactive(
    app: PublicClientApplication,
    loginHint: string | undefined,
    windowHandle?: Buffer,
  ): Promise<AuthenticationResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SignInTimeoutError()), this.options.interactiveTimeoutMs);
    });
    try {
      const result = await Promise.race([
        app.acquireTokenInteractive({
          scopes: this.scopes,
          openBrowser: this.options.openBrowser,
          ...(windowHandle ? { windowHandle } : {}),
          // The browser ignores a hint with select_account (MSAL drops it): one or the other.
          ...(loginHint ? { loginHint } : {}),
          ...(loginHint && !windowHandle ? {} : { prompt: 'select_account' }),
          ...signInPages,
        }),
        timeout,
      ]);
      await this.keepOnly(result.account);
      this.remember(result);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }

  async signInDeviceCode(onMessage: (message: string) => void): Promise<AuthenticationResult> {
    this.network.lastOAuthError = null;
    const result = await this.pca.acquireTokenByDeviceCode({
      scopes: this.scopes,
      deviceCodeCallback: (response) => {
        // MSAL passes on whatever the service answered, an error included: never print that.
        if (typeof response.message !== 'string' || typeof response.userCode !== 'string') {
          throw this.network.lastOAuthError
            ? new AuthError('post_request_failed', '', 'The device code request was refused')
            : new AuthError('malformed_response', '', 'The device code answer has no code');
        }
        onMessage(response.message);
      },
      timeout: Math.round(this.options.interactiveTimeoutMs / 1000),
    });
    if (!result) throw new SignInTimeoutError();
    await this.keepOnly(result.account);
    this.remember(result);
    return result;
  }

  async signOut(): Promise<void> {
    this.memo = null;
    await this.removeAccountsExcept(null);
  }

  /** One account at a time: a new sign-in replaces any other. */
  private async keepOnly(account: AccountInfo | null): Promise<void> {
    if (account) await this.removeAccountsExcept(account);
  }

  /** Forgets every account but `keep`, in the broker (for this app) and in the file cache. */
  private async removeAccountsExcept(keep: AccountInfo | null): Promise<void> {
    const kept = (other: AccountInfo) =>
      keep !== null &&
      other.homeAccountId === keep.homeAccountId &&
      (other.nativeAccountId ?? null) === (keep.nativeAccountId ?? null);
    if (this.brokerPca) {
      for (const other of await this.brokerAccounts()) {
        if (!kept(other)) await this.brokerPca.signOut({ account: other });
      }
    }
    const cache = this.pca.getTokenCache();
    for (const other of await cache.getAllAccounts()) {
      if (!kept(other)) await cache.removeAccount(other);
    }
  }
}
