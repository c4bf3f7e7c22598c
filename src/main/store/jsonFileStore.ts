import { lstatSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { Logger } from '../../core/ports';
import { MAX_FILE_BYTES, MAX_JSON_DEPTH, jsonNestingDepth } from '../../core/inputLimits';
import {
  StateFileError,
  readStateFile,
  removeStateFile,
  writeStateFileAtomic,
} from './stateFileAccess';

export interface JsonFileStoreOptions {
  /**
   * When true, a path that cannot be a state file (a link, a folder, a pipe, no permission)
   * throws a StateFileError naming it; otherwise it reads as null with a warning.
   */
  strict?: boolean;
}

/**
 * One small JSON document on disk. Writes are atomic (temp file + rename), so a crash or a second
 * process never sees half a file. A missing or corrupt file reads as null: state is a
 * convenience, never a reason to fail. A link is never followed and a write replaces it.
 */
export class JsonFileStore<T> {
  /** The last value read or written, with the file identity it came from. */
  private memo: { identity: string; value: T | null } | null = null;

  constructor(
    private readonly path: string,
    private readonly parse: (raw: unknown) => T | null,
    private readonly logger?: Logger,
    private readonly options: JsonFileStoreOptions = {},
  ) {}

  async read(): Promise<T | null> {
    // One lstat decides: nothing there is null at once; an unchanged file (writes replace it, so
    // a new inode, mtime or size means a change) is the memo; anything but a regular file goes
    // through readStateFile, so a link, folder or pipe is reported as it always was. The lstat is
    // synchronous: on a file in the user's own folder (on Windows Local AppData, which is never
    // redirected to a network share) it takes microseconds, where the promise form costs a
    // thread-pool round trip many times that, on every check.
    let info: BigIntStats | undefined | null;
    try {
      info = lstatSync(this.path, { bigint: true, throwIfNoEntry: false });
    } catch {
      info = null;
    }
    if (info === undefined) {
      this.memo = null;
      return null;
    }
    if (info === null || !info.isFile()) {
      this.memo = null;
      return this.readFromDisk(0);
    }
    const identity = identityOf(info);
    if (this.memo?.identity === identity) return this.memo.value;
    const value = await this.readFromDisk(Number(info.size));
    this.memo = { identity, value };
    return value;
  }

  private async identity(): Promise<string | null> {
    try {
      const info = await lstat(this.path, { bigint: true });
      return info.isFile() ? identityOf(info) : null;
    } catch {
      return null;
    }
  }

  /** `size`: the regular file's size as lstat found it (0 for any other entry). */
  private async readFromDisk(size: number): Promise<T | null> {
    // State files are small: a huge one is damage or mischief, and is not read into memory.
    if (size > MAX_FILE_BYTES) {
      this.logger?.warn('State file is too large; ignoring it', { path: this.path, size });
      return null;
    }
    let text: string | null;
    try {
      text = await readStateFile(this.path);
    } catch (error) {
      if (this.options.strict) throw error;
      this.logger?.warn('State file unusable; treating it as empty', {
        path: this.path,
        problem: (error as Error).message,
      });
      return null;
    }
    if (text === null) return null;
    if (jsonNestingDepth(text) > MAX_JSON_DEPTH) {
      this.logger?.warn('State file is nested too deeply; ignoring it', { path: this.path });
      return null;
    }
    try {
      const value = this.parse(JSON.parse(text));
      if (value === null)
        this.logger?.warn('State file has an unexpected shape; ignoring it', { path: this.path });
      return value;
    } catch {
      this.logger?.warn('State file is not valid JSON; ignoring it', { path: this.path });
      return null;
    }
  }

  /** Throws a StateFileError (naming the path and the cause) when it cannot be saved. */
  async write(value: T): Promise<void> {
    this.memo = null;
    const replacedLink = await writeStateFileAtomic(
      this.path,
      `${JSON.stringify(value, null, 2)}\n`,
    );
    if (replacedLink) {
      this.logger?.warn('State file was a symbolic link; replaced it with a file', {
        path: this.path,
      });
    }
    const identity = await this.identity();
    this.memo = identity === null ? null : { identity, value };
  }

  async remove(): Promise<void> {
    this.memo = null;
    await removeStateFile(this.path);
  }
}

/** Writes replace the file (new inode), so inode + mtime + size tell whether it changed. */
function identityOf(info: BigIntStats): string {
  return `${info.ino}:${info.mtimeNs}:${info.size}`;
}

export { StateFileError };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseIsoDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
