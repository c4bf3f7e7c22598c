import { mkdir, readFile, rename, writeFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/ports';
import { MAX_FILE_BYTES, MAX_JSON_DEPTH, jsonNestingDepth } from '../../core/inputLimits';

/**
 * One small JSON document on disk. Writes are atomic (temp file + rename), so a crash or a second
 * process never sees half a file. A missing, unreadable or corrupt file reads as null: state is
 * a convenience, never a reason to fail.
 */
export class JsonFileStore<T> {
  /** The last value read or written, with the file identity it came from. */
  private memo: { identity: string; value: T | null } | null = null;
  private folderReady = false;

  constructor(
    private readonly path: string,
    private readonly parse: (raw: unknown) => T | null,
    private readonly logger?: Logger,
  ) {}

  async read(): Promise<T | null> {
    // Writes replace the file (new inode), so inode + mtime + size tell whether it changed.
    const identity = await this.identity();
    if (identity !== null && this.memo?.identity === identity) return this.memo.value;
    const value = await this.readFromDisk();
    this.memo = identity === null ? null : { identity, value };
    return value;
  }

  private async identity(): Promise<string | null> {
    try {
      const info = await stat(this.path, { bigint: true });
      return `${info.ino}:${info.mtimeNs}:${info.size}`;
    } catch {
      return null;
    }
  }

  private async readFromDisk(): Promise<T | null> {
    let text: string;
    try {
      // State files are small: a huge one is damage or mischief, and is not read into memory.
      const { size } = await stat(this.path);
      if (size > MAX_FILE_BYTES) {
        this.logger?.warn('State file is too large; ignoring it', { path: this.path, size });
        return null;
      }
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger?.warn('State file unreadable; treating it as empty', {
          path: this.path,
          code: (error as NodeJS.ErrnoException).code,
        });
      }
      return null;
    }
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

  async write(value: T): Promise<void> {
    if (!this.folderReady) {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      this.folderReady = true;
    }
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, this.path);
      const identity = await this.identity();
      this.memo = identity === null ? null : { identity, value };
    } catch (error) {
      this.folderReady = false;
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(): Promise<void> {
    this.memo = null;
    await rm(this.path, { force: true });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseIsoDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
