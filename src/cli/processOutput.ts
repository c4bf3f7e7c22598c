/**
 * The command's own stdout and stderr, and its end. A script may hand it a full disk
 * (`> /dev/full`), a pipe whose reader has gone (`| head`, `| true`) or a closed stream: that
 * never crashes the command or changes its exit code, which stays the password's state. And the
 * command ends once its output is flushed, whatever else is still open: on Windows the broker's
 * native plugin keeps Node.js alive after its last use, so a script or a scheduled task would
 * wait for good.
 */
import type { CliIo } from './signinAssistant';

type Stream = NodeJS.WriteStream;

/** Output that could not be written: a full disk is said (once, on stderr); a reader gone is not. */
function describeWriteFailure(error: NodeJS.ErrnoException): string | null {
  switch (error.code) {
    case 'EPIPE':
    case 'ERR_STREAM_DESTROYED':
    case 'ERR_STREAM_WRITE_AFTER_END':
      return null;
    case 'ENOSPC':
      return 'Could not write the output: the disk is full (ENOSPC).';
    default:
      return `Could not write the output (${error.code ?? 'unknown error'}).`;
  }
}

export interface ProcessOutput {
  io: CliIo;
  /**
   * Waits until what was written has reached the OS (or failed), then ends the process with
   * `exit` (process.exit; the packaged app's is app.exit).
   */
  finish(code: number, exit?: (code: number) => void): Promise<void>;
}

export function processOutput(
  stdout: Stream = process.stdout,
  stderr: Stream = process.stderr,
): ProcessOutput {
  let stderrBroken = false;
  let reported = false;
  stderr.on('error', () => {
    stderrBroken = true;
  });
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    const sentence = describeWriteFailure(error);
    if (sentence === null || reported || stderrBroken) return;
    reported = true;
    write(stderr, `${sentence}\n`);
  });
  function write(stream: Stream, text: string): void {
    if (stream.destroyed || stream.writableEnded) return;
    try {
      stream.write(text);
    } catch {
      // Reported through the stream's 'error' event (or not at all: nothing more can be said).
    }
  }
  /** Resolves once everything written so far was handed to the OS or has failed. */
  const flushed = (stream: Stream): Promise<void> =>
    new Promise((resolve) => {
      if (stream.destroyed || stream.writableEnded || stream.writableLength === 0) {
        resolve();
        return;
      }
      stream.once('error', () => resolve());
      stream.write('', () => resolve());
    });
  const output: ProcessOutput = {
    io: {
      out: (text) => write(stdout, `${text}\n`),
      err: (text) => {
        if (!stderrBroken) write(stderr, `${text}\n`);
      },
    },
    async finish(code, exit = (value) => process.exit(value)) {
      await Promise.all([flushed(stdout), flushed(stderr)]);
      // Lets a stream's 'error' from the last write be handled above, not thrown.
      await new Promise((resolve) => setImmediate(resolve));
      exit(code);
    },
  };
  return output;
}
