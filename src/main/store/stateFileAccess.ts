/**
 * Careful access to the files in the per-user folder. A state file is only ever a regular file:
 * a symbolic link is never followed (its target is never read or overwritten), a named pipe is
 * never waited on, and a folder, a read-only or full disk each become one sentence naming the
 * path instead of a stack trace.
 */
import { constants as fsConstants } from 'node:fs';
import { link, lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateFileError, describeFileFailure, errnoCode, notAFileError } from './stateFileErrors';

/** Absent where the platform has no such flag (O_NOFOLLOW on Windows): lstat checks stand in. */
const O_NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fsConstants.O_NONBLOCK ?? 0;

export { StateFileError, describeFileFailure, notAFileError } from './stateFileErrors';

/**
 * The text of a state file, or null when it does not exist. Never follows a link, never waits
 * on a pipe; anything but a regular file is a StateFileError.
 */
export async function readStateFile(path: string): Promise<string | null> {
  return readRegularFile(path, (handle) => handle.readFile('utf8'));
}

/** The bytes of a state file (the DPAPI token cache is not text), as readStateFile reads them. */
export async function readStateFileBytes(path: string): Promise<Buffer | null> {
  return readRegularFile(path, (handle) => handle.readFile());
}

async function readRegularFile<T>(
  path: string,
  read: (handle: FileHandle) => Promise<T>,
): Promise<T | null> {
  let handle: FileHandle;
  try {
    if (O_NOFOLLOW === 0) {
      const info = await lstat(path);
      if (!info.isFile()) throw notAFileError(path, info);
    }
    handle = await open(path, fsConstants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    if (errnoCode(error) === 'ELOOP') {
      const info = await lstat(path).catch(() => null);
      if (info) throw notAFileError(path, info);
    }
    throw describeFileFailure(error, path, 'read');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notAFileError(path, info);
    return await read(handle);
  } catch (error) {
    throw describeFileFailure(error, path, 'read');
  } finally {
    await handle.close();
  }
}

/** Throws unless `path` is absent or a regular file (a link to a file counts as a link). */
export async function assertFileOrAbsent(path: string): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw describeFileFailure(error, path, 'read');
  }
  if (!info.isFile()) throw notAFileError(path, info);
}

/** The per-user folder (0700), or a clear error when it cannot be made. */
export async function ensureStateFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (caught) {
    const error =
      errnoCode(caught) === 'ENOENT' ? await firstMissingFolderFailure(folder, caught) : caught;
    if (errnoCode(error) === 'EEXIST' || errnoCode(error) === 'ENOTDIR') {
      throw new StateFileError(
        `${folder} is not a folder, so Sign-In Assistant cannot keep its files there. Remove or rename it and try again.`,
        folder,
        { cause: error },
      );
    }
    throw describeFileFailure(error, folder, 'save');
  }
}

/**
 * Node's recursive mkdir answers ENOENT when a missing folder cannot be made on a read-only
 * disk: the failure of making the first missing folder itself tells why (EROFS, EACCES).
 */
async function firstMissingFolderFailure(folder: string, fallback: unknown): Promise<unknown> {
  let missing = folder;
  for (let parent = dirname(missing); parent !== missing; parent = dirname(missing)) {
    const exists = await lstat(parent).then(
      () => true,
      () => false,
    );
    if (exists) break;
    missing = parent;
  }
  return mkdir(missing, { mode: 0o700 }).then(
    () => fallback,
    (error: unknown) => (errnoCode(error) === 'ENOENT' ? fallback : error),
  );
}

function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Writes a new file next to `path` (never through a link) and returns its name. */
async function writeTemp(path: string, text: string | Uint8Array): Promise<string> {
  const temp = tempPathFor(path);
  let handle: FileHandle | null = null;
  try {
    handle = await open(
      temp,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | O_NOFOLLOW,
      0o600,
    );
    await handle.writeFile(text, 'utf8');
    // The rename must not publish an empty file after a power cut.
    await handle.datasync();
    await handle.close();
    handle = null;
    return temp;
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw describeFileFailure(error, path, 'save');
  }
}

/** Windows refuses to replace a file another process has open for a moment: try a few times. */
async function renameRetryingOnWindows(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const busy = ['EPERM', 'EACCES', 'EBUSY'].includes(errnoCode(error) ?? '');
      if (process.platform !== 'win32' || !busy || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** Temporary files left by a writer that was killed mid-way (name.pid.random.tmp / .stale). */
export const ORPHAN_NAME = /\.\d+\.[0-9a-f]{8}\.(tmp|stale)$/;

/**
 * Replaces `path` atomically: a new file in the same folder, then a rename over the old one. A
 * link at `path` is replaced by the file (its target is left alone); a folder or other special
 * entry is refused with a clear message. Returns true when a link was replaced.
 */
export async function writeStateFileAtomic(path: string, text: string): Promise<boolean> {
  await ensureStateFolder(dirname(path));
  let replacedLink = false;
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) replacedLink = true;
    else if (!info.isFile()) throw notAFileError(path, info);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw describeFileFailure(error, path, 'save');
  }
  const temp = await writeTemp(path, text);
  try {
    await renameRetryingOnWindows(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw describeFileFailure(error, path, 'save');
  }
  return replacedLink;
}

/**
 * Creates `path` with `text` (or bytes) only if nothing is there yet, atomically: other processes
 * see either no file or the whole one. Returns false when it already exists.
 */
export async function createStateFileExclusive(
  path: string,
  text: string | Uint8Array,
): Promise<boolean> {
  await ensureStateFolder(dirname(path));
  const temp = await writeTemp(path, text);
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    // Some file systems (FAT, some network shares) have no hard links: an exclusive create is
    // still exclusive, only not all-or-nothing for the content.
    if (['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errnoCode(error) ?? '')) {
      return createDirectly(path, text);
    }
    throw describeFileFailure(error, path, 'save');
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

async function createDirectly(path: string, text: string | Uint8Array): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(
      path,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw describeFileFailure(error, path, 'save');
  }
  try {
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

/** Removes a state file; a missing one is fine, a folder in its place is not touched. */
export async function removeStateFile(path: string): Promise<void> {
  try {
    const info = await lstat(path);
    if (info.isDirectory()) throw notAFileError(path, info);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw describeFileFailure(error, path, 'save');
  }
  try {
    await rm(path, { force: true });
  } catch (error) {
    throw describeFileFailure(error, path, 'save');
  }
}
