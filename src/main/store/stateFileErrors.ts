/**
 * What goes wrong with a file in the per-user folder, as one sentence naming the path: a folder,
 * link or pipe where a file belongs, a read-only or full disk, missing permissions.
 */
import { dirname } from 'node:path';

/** A state file or its folder cannot be used; the message names the path and what to do. */
export class StateFileError extends Error {
  readonly errorCode = 'local_storage';
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StateFileError';
  }
}

/** The system's error code, also when a wrapper carries it as its cause. */
export function errnoCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function kindOfEntry(info: {
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'a device or other special file';
}

/** The sentence for an entry that is not a regular file. */
export function notAFileError(
  path: string,
  info: Parameters<typeof kindOfEntry>[0],
): StateFileError {
  const what = kindOfEntry(info);
  const advice = info.isSymbolicLink()
    ? 'Sign-In Assistant never follows links for its own files. Remove the link and try again.'
    : 'Remove or rename it and try again.';
  return new StateFileError(`${path} is ${what}, not a file. ${advice}`, path);
}

/** One sentence for a failed read or write of a state file, by the system's error code. */
export function describeFileFailure(
  error: unknown,
  path: string,
  action: 'read' | 'save',
): StateFileError {
  if (error instanceof StateFileError) return error;
  const code = errnoCode(error);
  const folder = dirname(path);
  let message: string;
  switch (code) {
    case 'EROFS':
      message = `The folder ${folder} is on a read-only disk, so Sign-In Assistant cannot ${action} ${path}.`;
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      message = `The disk is full, so Sign-In Assistant could not save ${path}. Free some space and try again.`;
      break;
    case 'EACCES':
    case 'EPERM':
      message = `Sign-In Assistant is not allowed to ${action} ${path}. Check the permissions of ${folder}.`;
      break;
    case 'EISDIR':
      message = `${path} is a folder, not a file. Remove or rename it and try again.`;
      break;
    case 'ELOOP':
      message = `${path} is a symbolic link, not a file. Sign-In Assistant never follows links for its own files. Remove the link and try again.`;
      break;
    case 'ENOTDIR':
      message = `Something that is not a folder stands in the way of ${path}. Check ${folder}.`;
      break;
    default:
      message = `Sign-In Assistant could not ${action} ${path} (${code ?? 'unknown error'}).`;
  }
  return new StateFileError(message, path, { cause: error });
}
