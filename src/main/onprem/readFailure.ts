import type { DirectoryFailureKind } from '../../core/directory';

/**
 * A failed step of a directory read, already classified. Thrown inside the reader and turned into
 * a DirectoryFailure at its edge; `message` is the log detail and never carries a secret.
 */
export class DirectoryReadError extends Error {
  override readonly name = 'DirectoryReadError';
  constructor(
    readonly kind: DirectoryFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The classified form of anything a read step threw. */
export function classifyReadError(error: unknown): DirectoryReadError {
  if (error instanceof DirectoryReadError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DirectoryReadError('protocol', message, { cause: error });
}
