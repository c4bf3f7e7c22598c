import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DataProtectionScope,
  FilePersistenceWithDataProtection,
  KeychainPersistence,
  LibSecretPersistence,
  PersistenceCachePlugin,
} from '@azure/msal-node-extensions';
import type { IPersistence } from '@azure/msal-node-extensions';
import type { ICachePlugin } from '@azure/msal-node';
import { stateFiles } from '../paths';
import { KeyringUnavailableError } from './authFailure';

export const KEYRING_SERVICE = 'SignInAssistant';

const UNAVAILABLE =
  'The system keyring is not available, so Sign-In Assistant cannot keep your sign-in safe. ' +
  'Unlock your keyring (or install a Secret Service keyring on Linux) and try again.';

/** The platform's protected store; there is deliberately no plaintext fallback. */
function protectedPersistence(cachePath: string, accountName: string): Promise<IPersistence> {
  switch (process.platform) {
    case 'win32':
      return FilePersistenceWithDataProtection.create(cachePath, DataProtectionScope.CurrentUser);
    case 'darwin':
      return KeychainPersistence.create(cachePath, KEYRING_SERVICE, accountName);
    case 'linux':
      return LibSecretPersistence.create(cachePath, KEYRING_SERVICE, accountName);
    default:
      return Promise.reject(new Error(`No protected storage on ${process.platform}`));
  }
}

/**
 * The store, with every failure to read or write it reported as the keyring being unavailable.
 * This replaces the write-read-delete probe msal-node-extensions makes when a store is created
 * (three keyring round trips in every run of the command): a store that does not work is
 * reported when it is first used, with the same message.
 */
class KeyringGuard implements IPersistence {
  constructor(private readonly inner: IPersistence) {}

  save(contents: string): Promise<void> {
    return this.guard(() => this.inner.save(contents));
  }
  load(): Promise<string | null> {
    return this.guard(() => this.inner.load());
  }
  delete(): Promise<boolean> {
    return this.guard(() => this.inner.delete());
  }
  reloadNecessary(lastSync: number): Promise<boolean> {
    return this.inner.reloadNecessary(lastSync);
  }
  getFilePath(): string {
    return this.inner.getFilePath();
  }
  getLogger(): ReturnType<IPersistence['getLogger']> {
    return this.inner.getLogger();
  }
  verifyPersistence(): Promise<boolean> {
    return this.guard(() => this.inner.verifyPersistence());
  }
  createForPersistenceValidation(): Promise<IPersistence> {
    return this.inner.createForPersistenceValidation();
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new KeyringUnavailableError(UNAVAILABLE, { cause: error });
    }
  }
}

/**
 * The MSAL token cache in OS-protected storage: DPAPI on Windows, the Keychain on macOS, the
 * Secret Service (libsecret) on Linux. There is deliberately no plaintext fallback.
 */
export async function createTokenCachePlugin(home: string): Promise<ICachePlugin> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  try {
    const persistence = await protectedPersistence(
      join(home, stateFiles.tokenCache),
      // One keyring entry per data folder, so a test or demo home never touches the real one.
      `token-cache-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`,
    );
    return new PersistenceCachePlugin(new KeyringGuard(persistence), {
      retryNumber: 100,
      retryDelay: 50,
    });
  } catch (error) {
    throw new KeyringUnavailableError(UNAVAILABLE, { cause: error });
  }
}
