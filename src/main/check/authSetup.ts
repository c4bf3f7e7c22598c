import { join } from 'node:path';
import { NativeBrokerPlugin } from '@azure/msal-node-extensions';
import type { INativeBrokerPlugin } from '@azure/msal-node';
import type { AssistantConfig } from '../../core/config';
import type { ClassifiedError } from '../../core/model';
import type { Clock, Logger } from '../../core/ports';
import { classifyAuthFailure } from '../../core/errorClassification';
import { KeyringUnavailableError, toAuthFailure } from '../auth/authFailure';
import { MsalAuth, tenantAuthority } from '../auth/msalAuth';
import { createTokenCachePlugin } from '../auth/tokenCache';
import { createAuthorityMetadataStore, loadAuthorityMetadata } from '../auth/authorityMetadata';
import type { HttpClientOptions } from '../net/httpClient';
import { stateFiles } from '../paths';
import { StateFileError } from '../store/stateFileAccess';
import { withOwnMessage, type PasswordUrls } from './errorClassifier';

export interface AuthSetupOptions {
  config: AssistantConfig;
  home: string;
  clock: Clock;
  logger: Logger;
  http: HttpClientOptions;
  urls: PasswordUrls;
  openBrowser: (url: string) => Promise<void>;
  broker: 'auto' | 'off' | INativeBrokerPlugin;
  windowHandle?: () => Buffer | undefined;
  interactiveTimeoutMs: number;
}

/** The sign-in library ready to use, or why it cannot be (keyring, token cache file). */
export type AuthSetup =
  { auth: MsalAuth; setupError: null } | { auth: null; setupError: ClassifiedError };

function loadBroker(logger: Logger): INativeBrokerPlugin | null {
  if (process.platform !== 'win32') return null;
  try {
    const broker = new NativeBrokerPlugin();
    return broker.isBrokerAvailable ? broker : null;
  } catch (error) {
    logger.info('Windows broker not available; using the system browser', {
      error: (error as Error).message,
    });
    return null;
  }
}

function chooseBroker(
  wanted: 'auto' | 'off' | INativeBrokerPlugin,
  allowed: boolean,
  logger: Logger,
): INativeBrokerPlugin | null {
  if (!allowed || wanted === 'off') return null;
  return wanted === 'auto' ? loadBroker(logger) : wanted;
}

/** MSAL with the OS-protected cache; never throws for a broken keyring or token cache file. */
export async function setUpAuth(options: AuthSetupOptions): Promise<AuthSetup> {
  const { config, home, logger, http } = options;
  try {
    const cachePlugin = await createTokenCachePlugin(home, { logger });
    const authorityMetadata = await loadAuthorityMetadata(
      tenantAuthority(config),
      createAuthorityMetadataStore(join(home, stateFiles.authorityMetadata), logger),
      options.clock.now(),
      http.timeoutMs,
      logger,
      http.transport,
    );
    const auth = new MsalAuth({
      config,
      cachePlugin,
      cacheFile: join(home, stateFiles.tokenCache),
      authorityMetadata,
      logger,
      openBrowser: options.openBrowser,
      timeoutMs: http.timeoutMs,
      transport: http.transport,
      broker: chooseBroker(options.broker, config.useWindowsBroker, logger),
      ...(options.windowHandle ? { windowHandle: options.windowHandle } : {}),
      interactiveTimeoutMs: options.interactiveTimeoutMs,
    });
    return { auth, setupError: null };
  } catch (error) {
    if (!(error instanceof KeyringUnavailableError || error instanceof StateFileError)) throw error;
    logger.error('Token cache unavailable', { error: error.message, cause: String(error.cause) });
    return {
      auth: null,
      setupError: withOwnMessage(classifyAuthFailure(toAuthFailure(error), options.urls), error),
    };
  }
}
