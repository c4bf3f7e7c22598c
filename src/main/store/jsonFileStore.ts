import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/ports';

/**
 * One small JSON document on disk. Writes are atomic (temp file + rename), so a crash or a second
 * process never sees half a file. A missing, unreadable or corrupt file reads as null: state is
 * a convenience, never a reason to fail.
 */
export class JsonFileStore<T> {
  constructor(
    private readonly path: string,
    private readonly parse: (raw: unknown) => T | null,
    private readonly logger?: Logger,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
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
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async remove(): Promise<void> {
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
