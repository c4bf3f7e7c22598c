/**
 * Earlier versions kept the per-user state on Windows in Roaming AppData (%APPDATA%\SignInAssistant),
 * which Folder Redirection and roaming profiles put on a network share. It now lives in Local
 * AppData (see paths.ts). moveRoamingState moves what an earlier version left there, once, where
 * the tray app and the command first resolve the folder, so nobody loses their sign-in, reminder
 * record or start-at-login choice:
 *
 * - The new folder counts as in use once it holds any state file or claim; then nothing is
 *   touched, and the old folder is not even looked at (it may be on a slow or unreachable network
 *   share): one listing of the local folder is all a start pays. The command's code cache
 *   (`Cache`) and an empty `logs` may be there already and do not count.
 * - Until then one existence check on the old folder finds whether there is anything to move.
 * - Only known names move: the state files (`stateFiles`), the per-day reminder claims and the
 *   log files. A lock or a temporary file is never moved; the token cache moves under its lock;
 *   a claim a running process holds stays. A link is never followed or moved.
 * - Each file is renamed; where that fails (another volume: a redirected folder is a network path;
 *   a file in use) it is copied, then removed. Where even that fails it stays, with one warning
 *   naming it: the worst case is signing in once more.
 * - Never throws into the caller.
 */
import { lstat, readdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/ports';
import { roamingDataHome, stateFiles, userDataHome } from '../paths';
import { CacheLock, defaultCacheLockOptions, lockFileFor, processIsAlive } from './cacheLock';
import type { CacheLockOptions } from './cacheLock';
import { CLAIM_NAME, claimIsStale, parseClaim } from './reminderClaims';
import {
  createStateFileExclusive,
  ensureStateFolder,
  readStateFile,
  readStateFileBytes,
  removeStateFile,
} from './stateFileAccess';

/** What an lstat tells: never about a link's target. */
export interface EntryInfo {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  mtimeMs: number;
}

/** The file system operations the move needs (tests replace some). */
export interface StateMoveFileSystem {
  /** Never follows a link. */
  lstat(path: string): Promise<EntryInfo>;
  readdir(path: string): Promise<string[]>;
  /** The per-user folder (0700). */
  makeFolder(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** A new file with the bytes of the regular file `from`: never through a link, never over one. */
  copyFile(from: string, to: string): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** Removes a folder only when it is empty. */
  removeEmptyFolder(path: string): Promise<void>;
  /** A state file's text, or null when it is gone; never through a link. */
  readText(path: string): Promise<string | null>;
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

/** The link-safe helpers of stateFileAccess.ts; bytes, not text (the DPAPI token cache). */
export const nodeStateMoveFileSystem: StateMoveFileSystem = {
  lstat: (path) => lstat(path),
  readdir: (path) => readdir(path),
  makeFolder: ensureStateFolder,
  rename: (from, to) => rename(from, to),
  async copyFile(from, to) {
    const bytes = await readStateFileBytes(from);
    if (bytes === null) throw errno('ENOENT', `${from} is gone`);
    if (!(await createStateFileExclusive(to, bytes))) throw errno('EEXIST', `${to} exists`);
  },
  removeFile: removeStateFile,
  removeEmptyFolder: (path) => rmdir(path),
  readText: readStateFile,
};

export interface MoveRoamingStateOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The user's profile folder (os.homedir()), for when APPDATA or LOCALAPPDATA is unset. */
  homeDir: string;
  logger?: Logger;
  fs?: Partial<StateMoveFileSystem>;
  /** Whether a process runs (a claim's or a lock's owner); injected by tests. */
  isAlive?: (pid: number) => boolean;
  /** The token cache's lock in the old folder: how long to wait for a running holder. */
  tokenCacheLock?: Partial<CacheLockOptions>;
}

/** The old folder's paths now in the new folder, and those still in the old one. */
export interface RoamingStateMove {
  /** The old and the new folder; null when there was nothing to look at. */
  from: string | null;
  to: string | null;
  moved: string[];
  /** A file copied whose original could not be removed is in both lists. */
  left: string[];
}

const LOGS_FOLDER = 'logs';
const LOG_FILE = /\.log$/i;
const STATE_NAMES: ReadonlySet<string> = new Set(Object.values(stateFiles));

/** A state file or a claim: what makes the new folder in use (not `Cache` or `logs`). */
function isState(name: string): boolean {
  return STATE_NAMES.has(name) || CLAIM_NAME.test(name);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reason(error: unknown): string {
  return codeOf(error) ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Moves the per-user state an earlier version kept in %APPDATA%\SignInAssistant to
 * %LOCALAPPDATA%\SignInAssistant (see the module comment). Resolves when done; never rejects.
 */
export async function moveRoamingState(
  options: MoveRoamingStateOptions,
): Promise<RoamingStateMove> {
  const result: RoamingStateMove = { from: null, to: null, moved: [], left: [] };
  const { env, homeDir, logger } = options;
  // Only Windows kept its state elsewhere, and an override is its own folder.
  if (options.platform !== 'win32' || env.SIGNIN_ASSISTANT_HOME?.trim()) return result;
  const from = roamingDataHome(env, homeDir);
  const to = userDataHome(env, 'win32', homeDir);
  if (from.toLowerCase() === to.toLowerCase()) return result;
  const fs: StateMoveFileSystem = { ...nodeStateMoveFileSystem, ...options.fs };
  const move = new StateMove(fs, result, logger);
  try {
    // Local, and all a start pays once the new folder is in use: the old one may be a network path.
    if (await inUse(fs, to)) return result;
    const folder = await move.entry(from);
    if (folder === null) return result;
    result.from = from;
    result.to = to;
    if (!folder.isDirectory()) {
      move.warnLeft(from, 'it is not a folder (a link is never followed)');
      return result;
    }
    await fs.makeFolder(to);
    // The logs first: a warning about a state file then lands in the moved log, not beside it.
    await move.logs(join(from, LOGS_FOLDER), join(to, LOGS_FOLDER));
    const names = await fs.readdir(from);
    const isAlive = options.isAlive ?? processIsAlive;
    for (const name of names.filter(isState).sort()) {
      const source = join(from, name);
      const target = join(to, name);
      if (name === stateFiles.tokenCache) {
        await move.underLock(source, target, {
          ...defaultCacheLockOptions,
          waitMs: 2_000,
          isAlive,
          ...options.tokenCacheLock,
        });
      } else if (CLAIM_NAME.test(name) && (await claimHeld(fs, source, isAlive))) {
        // Its process may still show or give back the day, where it looks for it.
        result.left.push(source);
        logger?.info('left a reminder claim a running process holds', { path: source });
      } else {
        await move.file(source, target);
      }
    }
    // Removed once empty, so the next start's check finds nothing.
    await fs.removeEmptyFolder(from).catch(() => undefined);
    if (result.moved.length > 0) {
      logger?.info('moved the per-user files from Roaming AppData to Local AppData', {
        from,
        to,
        moved: result.moved.length,
        left: result.left.length,
      });
    }
  } catch (error) {
    logger?.warn('Could not move the per-user files from Roaming AppData to Local AppData', {
      from,
      to,
      error: reason(error),
    });
  }
  return result;
}

/** Whether the new folder already holds state: then it is in use, and nothing is moved into it. */
async function inUse(fs: StateMoveFileSystem, folder: string): Promise<boolean> {
  try {
    return (await fs.readdir(folder)).some(isState);
  } catch (error) {
    // Absent: not in use. Anything else (a file in its place): not ours to sort out here.
    return codeOf(error) !== 'ENOENT';
  }
}

/** A claim not yet committed to showing whose process still runs (or runs elsewhere). */
async function claimHeld(
  fs: StateMoveFileSystem,
  path: string,
  isAlive: (pid: number) => boolean,
): Promise<boolean> {
  try {
    const info = await fs.lstat(path);
    if (!info.isFile()) return false;
    const text = await fs.readText(path);
    if (text === null) return false;
    const record = parseClaim(text);
    // A claim committed to showing only records the day: it moves.
    return record?.state === 'claimed' && !claimIsStale(record, info.mtimeMs, Date.now(), isAlive);
  } catch {
    return false;
  }
}

class StateMove {
  constructor(
    private readonly fs: StateMoveFileSystem,
    private readonly result: RoamingStateMove,
    private readonly logger: Logger | undefined,
  ) {}

  warnLeft(path: string, why: string): void {
    this.result.left.push(path);
    this.logger?.warn(`Left ${path} in Roaming AppData: ${why}`, { path });
  }

  /** What is at `path` (never a link's target); null when nothing is, or, with a warning, when it cannot be read. */
  async entry(path: string): Promise<EntryInfo | null> {
    try {
      return await this.fs.lstat(path);
    } catch (error) {
      if (codeOf(error) !== 'ENOENT') this.warnLeft(path, `it cannot be read (${reason(error)})`);
      return null;
    }
  }

  /** The token cache, while no other process reads or writes it. */
  async underLock(from: string, to: string, lockOptions: CacheLockOptions): Promise<void> {
    const lock = new CacheLock(lockFileFor(from), lockOptions);
    try {
      await lock.lock();
    } catch (error) {
      this.warnLeft(from, `its lock is held (${reason(error)})`);
      return;
    }
    try {
      await this.file(from, to);
    } finally {
      await lock.unlock().catch(() => undefined);
    }
  }

  /** Rename, else copy and remove, else leave it with one warning. */
  async file(from: string, to: string): Promise<void> {
    const info = await this.entry(from);
    if (info === null) return; // gone (moved meanwhile by another start), or unreadable
    if (!info.isFile()) {
      this.warnLeft(from, 'it is not a file (a link is never followed)');
      return;
    }
    const taken = await this.fs.lstat(to).then(
      () => true,
      (error: unknown) => codeOf(error) !== 'ENOENT',
    );
    if (taken) {
      this.warnLeft(from, `${to} is already there`);
      return;
    }
    try {
      await this.fs.rename(from, to);
      this.result.moved.push(from);
      return;
    } catch (renameError) {
      try {
        await this.fs.copyFile(from, to);
      } catch (copyError) {
        if (codeOf(copyError) === 'ENOENT' && codeOf(renameError) === 'ENOENT') return;
        this.warnLeft(
          from,
          `it could not be moved (${reason(renameError)}) or copied (${reason(copyError)})`,
        );
        return;
      }
    }
    this.result.moved.push(from);
    try {
      await this.fs.removeFile(from);
    } catch (error) {
      this.result.left.push(from);
      this.logger?.warn(`Copied ${from} to Local AppData but could not remove it`, {
        path: from,
        error: reason(error),
      });
    }
  }

  /** The log files, into the new logs folder (which the logger may have made already). */
  async logs(from: string, to: string): Promise<void> {
    const info = await this.entry(from);
    if (info === null) return;
    if (!info.isDirectory()) {
      this.warnLeft(from, 'it is not a folder (a link is never followed)');
      return;
    }
    await this.fs.makeFolder(to);
    for (const name of (await this.fs.readdir(from)).filter((n) => LOG_FILE.test(n)).sort()) {
      await this.file(join(from, name), join(to, name));
    }
    await this.fs.removeEmptyFolder(from).catch(() => undefined);
  }
}
