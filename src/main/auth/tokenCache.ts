import { createHash } from 'node:crypto';
import { lstat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DataProtectionScope,
  FilePersistenceWithDataProtection,
  KeychainPersistence,
  LibSecretPersistence,
} from '@azure/msal-node-extensions';
import type { IPersistence } from '@azure/msal-node-extensions';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { Logger } from '../../core/ports';
import { stateFiles } from '../paths';
import { CacheLock, defaultCacheLockOptions, lockFileFor } from '../store/cacheLock';
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
 * The store, with every failure to read or write it reported as the disk (naming the file) or as
 * the keyring being unavailable. This replaces the write-read-delete probe msal-node-extensions
 * makes when a store is created (three keyring round trips in every run of the command): a store
 * that does not work is reported when it is first used, with the same message.
 */
class KeyringGuard implements IPersistence {
  constructor(
    private readonly inner: IPersistence,
    /** Called once the keyring proved unusable (removes a cache file the store itself made). */
    private readonly onUnavailable: () => Promise<void>,
  ) {}

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
      const onDisk = fileSystemFailure(error, this.inner.getFilePath());
      if (onDisk) throw onDisk;
      await this.onUnavailable().catch(() => undefined);
      throw new KeyringUnavailableError(UNAVAILABLE, { cause: error });
    }
  }
}

/**
 * MSAL's cache plugin over the protected persistence, with our own cross-process lock (see
 * CacheLock: a crashed owner's lock is taken over) and checks of the cache file before every use.
 */
export class ProtectedCachePlugin implements ICachePlugin {
  private lastSync = 0;
  private current: string | null = null;
  /** A read started at creation (see createTokenCachePlugin), used once if still current. */
  private early: Promise<{ contents: string | null; startedAt: number }> | null;

  constructor(
    private readonly persistence: IPersistence,
    private readonly lock: CacheLock,
    private readonly logger?: Logger,
    readEarly = false,
  ) {
    this.early = null;
    if (readEarly) {
      const startedAt = Date.now();
      this.early = persistence.load().then((contents) => ({ contents, startedAt }));
      // Its failure is reported by the first access, like any other read's.
      this.early.catch(() => undefined);
    }
  }

  /**
   * The early read when no process changed the cache since it started (it ran without the lock);
   * otherwise a read now.
   */
  private async load(): Promise<string | null> {
    const early = this.early;
    this.early = null;
    if (early) {
      const { contents, startedAt } = await early;
      if (!(await this.persistence.reloadNecessary(startedAt))) {
        this.lastSync = startedAt;
        return contents;
      }
    }
    const contents = await this.persistence.load();
    this.lastSync = Date.now();
    return contents;
  }

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
      this.current = await this.load();
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
  // The store opens it at once (and would follow a link or wait on a pipe).
  await guardCacheFile(cachePath, options.logger);
  const existedBefore = await lstat(cachePath).then(
    () => true,
    () => false,
  );
  const lock = new CacheLock(
    lockFileFor(cachePath),
    { ...defaultCacheLockOptions, ...options.lock },
    (owner, ageMs) =>
      options.logger?.warn('Took over a token cache lock left by a process that ended', {
        ownerPid: owner.pid,
        ageSeconds: Math.round(ageMs / 1000),
      }),
  );
  let persistence: IPersistence;
  try {
    persistence = await protectedPersistence(
      cachePath,
      // One keyring entry per data folder, so a test or demo home never touches the real one.
      `token-cache-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`,
    );
  } catch (error) {
    // The store creates an empty cache file before it finds the keyring missing: no stray file.
    if (!existedBefore) await removeIfEmpty(cachePath);
    const onDisk = fileSystemFailure(error, cachePath);
    if (onDisk) throw onDisk;
    throw new KeyringUnavailableError(UNAVAILABLE, { cause: error });
  }
  const guarded = new KeyringGuard(persistence, async () => {
    if (!existedBefore) await removeIfEmpty(cachePath);
  });
  // The keyring's first answer (a D-Bus session, a key exchange) is a wait: it starts now, so it
  // runs while the rest of the engine is set up.
  return new ProtectedCachePlugin(guarded, lock, options.logger, true);
}
