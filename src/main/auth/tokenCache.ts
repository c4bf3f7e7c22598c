import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DataProtectionScope,
  PersistenceCachePlugin,
  PersistenceCreator,
} from '@azure/msal-node-extensions';
import type { ICachePlugin } from '@azure/msal-node';
import { stateFiles } from '../paths';
import { KeyringUnavailableError } from './authFailure';

export const KEYRING_SERVICE = 'SignInAssistant';

/**
 * The MSAL token cache in OS-protected storage: DPAPI on Windows, the Keychain on macOS, the
 * Secret Service (libsecret) on Linux. There is deliberately no plaintext fallback.
 */
export async function createTokenCachePlugin(home: string): Promise<ICachePlugin> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  try {
    const persistence = await PersistenceCreator.createPersistence({
      cachePath: join(home, stateFiles.tokenCache),
      dataProtectionScope: DataProtectionScope.CurrentUser,
      serviceName: KEYRING_SERVICE,
      // One keyring entry per data folder, so a test or demo home never touches the real one.
      accountName: `token-cache-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`,
      usePlaintextFileOnLinux: false,
    });
    return new PersistenceCachePlugin(persistence, { retryNumber: 100, retryDelay: 50 });
  } catch (error) {
    throw new KeyringUnavailableError(
      'The system keyring is not available, so Sign-In Assistant cannot keep your sign-in safe. ' +
        'Unlock your keyring (or install a Secret Service keyring on Linux) and try again.',
      { cause: error },
    );
  }
}
