/**
 * The headless command inside the app prints its own result and nothing else, so IT scripts can
 * parse it (`... status --json 2>&1 | ConvertFrom-Json`). Node's process warnings (deprecations
 * in a dependency) and any `console` output of a library go to the log file instead; the command
 * itself writes to the streams directly.
 */
import type { Logger } from '../core/ports';

/** The part of `process` this touches (a test passes the real one in a child process). */
export interface CommandProcess {
  listeners(event: 'warning'): ((...args: never[]) => unknown)[];
  removeAllListeners(event: 'warning'): unknown;
  on(event: 'warning', listener: (warning: Error) => void): unknown;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function keepOutputForTheCommand(
  proc: CommandProcess,
  target: Pick<Console, (typeof CONSOLE_METHODS)[number]>,
  logger: Logger,
): void {
  // Node prints warnings through its own 'warning' listener: replace it with the log.
  proc.removeAllListeners('warning');
  proc.on('warning', (warning) => {
    logger.warn('process warning', { name: warning.name, message: warning.message });
  });
  for (const method of CONSOLE_METHODS) {
    target[method] = (...args: unknown[]) => {
      logger.debug('console output kept off the command output', {
        method,
        text: args
          .map((arg) => (typeof arg === 'string' ? arg : String(arg)))
          .join(' ')
          .slice(0, 500),
      });
    };
  }
}
