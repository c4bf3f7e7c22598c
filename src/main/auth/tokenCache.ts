import { createHash } from 'node:crypto';
import { lstat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DataProtectionScope,
  PersistenceCreator,
  type IPersistence,
} from '@azure/msal-node-extensions';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Logger } from '../../core/ports';
import { stateFiles } from '../paths';
import { CacheLock, defaultCacheLockOptions } from '../store/cacheLock';
import type { CacheLockOptions } from '../store/cacheLock';
import {
  StateFileError,
  describeFileFailure,
  ensureStateFolder,
  notAFileError,
} from '../store/stateFileAccess';
import { KeyringUnavailableError } from './authFailure';

export const KEYRING_SERVICE = 'SignInAssistant';

/** File-system error codes that the persistence layer only reports inside its message. */
const FILE_SYSTEM_CODE = /\b(EROFS|ENOSPC|EDQUOT|EACCES|EPERM|EISDIR|ENOTDIR|ELOOP|EMLINK|EIO)\b/;

/** A persistence failure that is really the disk: one sentence naming the file. */
function fileSystemFailure(error: unknown, path: string): StateFileError | null {
  if (error instanceof StateFileError) return error;
  const errorCode = (error as { errorCode?: unknown } | null)?.errorCode;
  const text = `${typeof errorCode === 'string' ? errorCode : ''} ${String((error as Error | null)?.message ?? '')}`;
  const code = FILE_SYSTEM_CODE.exec(text)?.[1];
  if (code === undefined) return null;
  return describeFileFailure(Object.assign(new Error(code), { code }), path, 'save');
}

/**
 * The library writes these files through ordinary opens, which follow links and wait on pipes:
 * a link is removed (its target is never touched), anything else but a file is refused.
 */
async function guardCacheFile(path: string, logger: Logger | undefined): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw describeFileFailure(error, path, 'read');
  }
  if (info.isFile()) return;
  if (!info.isSymbolicLink()) throw notAFileError(path, info);
  logger?.warn('Token cache file was a symbolic link; removed the link, its target is untouched', {
    path,
  });
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw describeFileFailure(error, path, 'save');
    }
  }
}

async function removeIfEmpty(path: string): Promise<void> {
  try {
    const info = await lstat(path);
    if (info.isFile() && info.size === 0) await unlink(path);
  } catch {
    // Nothing there, or not ours to remove.
  }
}

/**
 * MSAL's cache plugin over the protected persistence, with our own cross-process lock (see
 * CacheLock: a crashed owner's lock is taken over) and checks of the cache file before every use.
 */
export class ProtectedCachePlugin implements ICachePlugin {
  private lastSync = 0;
  private current: string | null = null;

  constructor(
    private readonly persistence: IPersistence,
    private readonly lock: CacheLock,
    private readonly logger?: Logger,
  ) {}

  private get path(): string {
    return this.persistence.getFilePath();
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    await guardCacheFile(this.path, this.logger);
    const reload =
      this.current === null ||
      (await this.persistence.reloadNecessary(this.lastSync).catch((error: unknown) => {
        throw fileSystemFailure(error, this.path) ?? error;
      }));
    if (!reload) {
      // A change is coming: hold the lock until afterCacheAccess has written it.
      if (context.cacheHasChanged) await this.lock.lock();
      return;
    }
    await this.lock.lock();
    try {
      this.current = await this.persistence.load();
      this.lastSync = Date.now();
      if (this.current) context.tokenCache.deserialize(this.current);
    } catch (error) {
      await this.lock.unlock();
      throw fileSystemFailure(error, this.path) ?? error;
    }
    if (!context.cacheHasChanged) await this.lock.unlock();
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    try {
      if (context.cacheHasChanged) {
        await guardCacheFile(this.path, this.logger);
        this.current = context.tokenCache.serialize();
        await this.persistence.save(this.current);
      }
    } catch (error) {
      throw fileSystemFailure(error, this.path) ?? error;
    } finally {
      await this.lock.unlock();
    }
  }
}

export interface TokenCacheOptions {
  logger?: Logger;
  lock?: Partial<CacheLockOptions>;
}

/**
 * The MSAL token cache in OS-protected storage: DPAPI on Windows, the Keychain on macOS, the
 * Secret Service (libsecret) on Linux. There is deliberately no plaintext fallback.
 */
export async function createTokenCachePlugin(
  home: string,
  options: TokenCacheOptions = {},
): Promise<ICachePlugin> {
  const cachePath = join(home, stateFiles.tokenCache);
  await ensureStateFolder(home);
  // The library opens these at once (and would follow a link or wait on a pipe).
  await guardCacheFile(cachePath, options.logger);
  await guardCacheFile(join(dirname(cachePath), 'test.cache'), options.logger);
  const existedBefore = await lstat(cachePath).then(
    () => true,
    () => false,
  );
  const lock = new CacheLock(
    `${cachePath}.lockfile`,
    { ...defaultCacheLockOptions, ...options.lock },
    (owner, ageMs) =>
      options.logger?.warn('Took over a token cache lock left by a process that ended', {
        ownerPid: owner.pid,
        ageSeconds: Math.round(ageMs / 1000),
      }),
  );
  let persistence: IPersistence;
  // The library checks the keyring by writing and deleting one shared test entry and file:
  // processes starting together would break each other's check, so it runs under the lock.
  await lock.lock();
  try {
    persistence = await PersistenceCreator.createPersistence({
      cachePath,
      dataProtectionScope: DataProtectionScope.CurrentUser,
      serviceName: KEYRING_SERVICE,
      // One keyring entry per data folder, so a test or demo home never touches the real one.
      accountName: `token-cache-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`,
      usePlaintextFileOnLinux: false,
    });
  } catch (error) {
    // The library creates an empty cache file before it finds the keyring missing: no stray file.
    if (!existedBefore) await removeIfEmpty(cachePath);
    await unlink(join(home, 'test.cache')).catch(() => undefined);
    const onDisk = fileSystemFailure(error, cachePath);
    if (onDisk) throw onDisk;
    throw new KeyringUnavailableError(
      'The system keyring is not available, so Sign-In Assistant cannot keep your sign-in safe. ' +
        'Unlock your keyring (or install a Secret Service keyring on Linux) and try again.',
      { cause: error },
    );
  } finally {
    await lock.unlock();
  }
  return new ProtectedCachePlugin(persistence, lock, options.logger);
}
