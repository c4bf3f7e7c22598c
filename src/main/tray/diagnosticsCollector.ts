/**
 * The tray's "Collect diagnostics…": writes the zip IT asks for next to the user (Desktop, or
 * Downloads) under a name with the local date and time, then shows it in its folder. A failure
 * is logged and told to the user; it never escapes to the menu.
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../../core/config';
import { formatLocalTime, localDate } from '../../core/localCalendar';
import type { StatusReport } from '../../core/model';
import type { Clock, Logger } from '../../core/ports';
import type { DiagnosticsVersions } from '../diagnostics';
import type { DiagnosticsPort, NotificationPort, ShellPort } from './desktopPorts';
import { trayStrings } from './trayStrings';

/** `SignInAssistant-diagnostics-20260318-0914.zip`, in the user's local time. */
export function diagnosticsFileName(now: Date, timeZone: string): string {
  const { year, month, day } = localDate(now, timeZone);
  const date = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  const time = formatLocalTime(now, timeZone).replace(':', '');
  return `SignInAssistant-diagnostics-${date}-${time}.zip`;
}

export interface DiagnosticsCollectorDeps {
  diagnostics: DiagnosticsPort;
  shell: Pick<ShellPort, 'showItemInFolder'>;
  notifications: NotificationPort;
  clock: Clock;
  timeZone: string;
  /** null when the configuration is not valid; `configError` then says why. */
  resolved: ResolvedConfig | null;
  configError?: string | null;
  versions: DiagnosticsVersions;
  logger: Logger;
  /** Counts the account's saved sign-ins (Windows); absent: not reported. */
  countSavedSignIns?: () => Promise<number | null>;
}

/** Returns the written file, or null when it could not be written (already logged and shown). */
export async function collectDiagnostics(
  deps: DiagnosticsCollectorDeps,
  lastReport: StatusReport | null,
): Promise<string | null> {
  const now = deps.clock.now();
  let folder = '';
  try {
    folder = deps.diagnostics.targetFolder();
    const outFile = join(folder, diagnosticsFileName(now, deps.timeZone));
    const result = await deps.diagnostics.write({
      outFile,
      logsDir: deps.diagnostics.logsDir(),
      resolved: deps.resolved,
      configError: deps.configError ?? null,
      versions: deps.versions,
      lastReport,
      savedSignIns: deps.countSavedSignIns
        ? await deps.countSavedSignIns().catch(() => null)
        : null,
      now,
    });
    deps.logger.info('diagnostics written', { outFile, entries: result.entries.length });
    deps.shell.showItemInFolder(outFile);
    return outFile;
  } catch (error) {
    deps.logger.error('diagnostics could not be written', {
      folder,
      error: String(error),
      cause: error instanceof Error ? String(error.cause) : undefined,
    });
    tellUser(deps, folder);
    return null;
  }
}

function tellUser(deps: DiagnosticsCollectorDeps, folder: string): void {
  const { title, body } = trayStrings.diagnosticsFailed;
  try {
    if (!deps.notifications.isSupported()) return;
    deps.notifications.show({
      title,
      body: body(folder || 'your Desktop'),
      onClick: () => undefined,
      onClose: () => undefined,
    });
  } catch (error) {
    deps.logger.warn('could not show the diagnostics failure', { error: String(error) });
  }
}

/**
 * One diagnostics zip at a time: a second click while one is being written gets the same result,
 * not a second zip.
 */
export class DiagnosticsRun {
  private running: Promise<string | null> | null = null;

  start(write: () => Promise<string | null>): Promise<string | null> {
    this.running ??= write().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The zip being written now, if any (awaited before the app ends). */
  get pending(): Promise<string | null> | null {
    return this.running;
  }
}
