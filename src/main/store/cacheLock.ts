/**
 * The cross-process lock around the token cache: a lock file created exclusively, holding the
 * owner's process ID and host. A lock left behind by a process that died (a crash, kill -9, a
 * power cut) is recognised and taken over, so one crash never locks the user out; a lock really
 * held by a running process beyond the wait is reported as exactly that.
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readFile, rename, rm, link } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { StateFileError, describeFileFailure, notAFileError } from './stateFileAccess';

const O_NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;

export interface CacheLockOptions {
  /** How long to wait for a lock held by a running process. */
  waitMs: number;
  /** Pause between attempts. */
  retryDelayMs: number;
  /**
   * A lock older (or, after a clock step back, newer) than this is stale whoever holds it: the
   * cache is only locked for the moment of a read or write, and a process ID may have been reused
   * by an unrelated program.
   */
  staleAfterMs: number;
  /** Whether a process is running (injected by tests). */
  isAlive?: (pid: number) => boolean;
}

export const defaultCacheLockOptions: CacheLockOptions = {
  waitMs: 5_000,
  retryDelayMs: 50,
  staleAfterMs: 2 * 60_000,
};

/** The token cache stays locked by a running process beyond the wait. */
export class TokenCacheBusyError extends StateFileError {
  constructor(
    path: string,
    readonly ownerPid: number | null,
    waitedMs: number,
  ) {
    const who =
      ownerPid === null ? 'another program' : `another Sign-In Assistant process (PID ${ownerPid})`;
    super(
      `The token cache is in use by ${who} and was not released within ${Math.round(waitedMs / 1000)} seconds (${path}). ` +
        'Try again in a moment; if this keeps happening, end that process.',
      path,
    );
    this.name = 'TokenCacheBusyError';
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOwner {
  pid: number | null;
  host: string | null;
}

/** The lock file next to the file it guards (the token cache's is token-cache.json.lockfile). */
export function lockFileFor(path: string): string {
  return `${path}.lockfile`;
}

/** Reads "pid" (older versions) or "pid\nhost". */
export function parseLockOwner(text: string): LockOwner {
  const [first, second] = text.split('\n');
  const pid = /^\d{1,10}$/.test(first?.trim() ?? '') ? Number(first?.trim()) : null;
  const host = second?.trim() ? second.trim() : null;
  return { pid: pid !== null && pid > 0 ? pid : null, host };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether a lock file no longer holds: older than `staleAfterMs` whoever holds it (measured in
 * either direction, so a clock stepped back, a restored VM or another OS's clock never makes one
 * fresh for hours), a lock without a process ID after 2 s (its owner died before writing it), or
 * one of a process on this computer that has ended.
 */
export function lockIsStale(
  owner: LockOwner,
  ageMs: number,
  options: Pick<CacheLockOptions, 'staleAfterMs'>,
  isAlive: (pid: number) => boolean,
): boolean {
  const age = Math.abs(ageMs);
  if (age >= options.staleAfterMs) return true;
  if (owner.pid === null) return age >= 2_000;
  const sameHost = owner.host === null || owner.host === hostname();
  return sameHost && owner.pid !== process.pid && !isAlive(owner.pid);
}

export class CacheLock {
  private handle: FileHandle | null = null;
  private readonly isAlive: (pid: number) => boolean;
  /**
   * The wait already spent on a busy lock by the calls just before: one command reads the cache
   * more than once, and all of them together wait `waitMs`, not each.
   */
  private busy: { endedAt: number; waitedMs: number } | null = null;

  constructor(
    readonly path: string,
    private readonly options: CacheLockOptions = defaultCacheLockOptions,
    private readonly onStale: (owner: LockOwner, ageMs: number) => void = () => undefined,
  ) {
    this.isAlive = options.isAlive ?? processIsAlive;
  }

  get held(): boolean {
    return this.handle !== null;
  }

  async lock(): Promise<void> {
    if (this.handle) return;
    const started = Date.now();
    const spent =
      this.busy && started - this.busy.endedAt < this.options.waitMs ? this.busy.waitedMs : 0;
    let owner: LockOwner = { pid: null, host: null };
    for (;;) {
      try {
        const handle = await open(
          this.path,
          fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | O_NOFOLLOW,
          0o600,
        );
        this.handle = handle;
        this.busy = null;
        await handle.writeFile(`${process.pid}\n${hostname()}\n`, 'utf8');
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (this.handle) {
          await this.unlock();
          throw describeFileFailure(error, this.path, 'save');
        }
        // Windows answers EPERM while the owner is deleting the file.
        if (code !== 'EEXIST' && code !== 'EPERM')
          throw describeFileFailure(error, this.path, 'save');
        if (code === 'EPERM' && process.platform !== 'win32') {
          throw describeFileFailure(error, this.path, 'save');
        }
      }
      const stale = await this.staleOwner();
      if (stale === 'taken-over') continue;
      owner = stale ?? owner;
      const now = Date.now();
      if (spent + now - started >= this.options.waitMs) {
        this.busy = { endedAt: now, waitedMs: spent + now - started };
        throw new TokenCacheBusyError(this.path, owner.pid, this.options.waitMs);
      }
      await sleep(this.options.retryDelayMs);
    }
  }

  async unlock(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = null;
    // Only our own lock is removed: check it is still the file we created.
    try {
      const [mine, there] = await Promise.all([handle.stat(), lstat(this.path)]);
      if (mine.ino === there.ino && mine.dev === there.dev) await rm(this.path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw describeFileFailure(error, this.path, 'save');
      }
    } finally {
      await handle.close();
    }
  }

  /**
   * Takes over a lock whose owner is gone: 'taken-over' when the stale file was removed, else
   * the owner as far as known (null when the lock vanished meanwhile).
   */
  private async staleOwner(): Promise<LockOwner | 'taken-over' | null> {
    let info;
    try {
      info = await lstat(this.path);
    } catch {
      return 'taken-over';
    }
    if (!info.isFile()) throw notAFileError(this.path, info);
    let text = '';
    try {
      text = await readFile(this.path, {
        encoding: 'utf8',
        flag: fsConstants.O_RDONLY | O_NOFOLLOW,
      });
    } catch {
      return null;
    }
    const owner = parseLockOwner(text);
    const ageMs = Date.now() - info.mtimeMs;
    if (!lockIsStale(owner, ageMs, this.options, this.isAlive)) return owner;
    // Move the stale file aside (atomic), then make sure it is the one judged stale: another
    // process may have taken over and locked again in between.
    const aside = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    try {
      await rename(this.path, aside);
    } catch {
      return 'taken-over';
    }
    try {
      const moved = await lstat(aside);
      if (moved.ino !== info.ino || moved.dev !== info.dev) {
        // Someone else's fresh lock: put it back unless yet another lock is there now.
        await link(aside, this.path).catch(() => undefined);
        return owner;
      }
      this.onStale(owner, ageMs);
      return 'taken-over';
    } finally {
      await rm(aside, { force: true });
    }
  }
}
