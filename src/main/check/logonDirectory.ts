import type { AssistantConfig } from '../../core/config';
import type { DirectoryFailureKind, DirectoryReadResult } from '../../core/directory';
import { withoutExpiry } from '../../core/expiry';
import { combineWithDirectory } from '../../core/hybridExpiry';
import { logonAccountName, ownEntryFacts } from '../../core/logonAccount';
import { messages } from '../../core/messages';
import type { ReminderRecord, StatusReport } from '../../core/model';
import type { Clock, DirectorySource, Logger } from '../../core/ports';
import type { DirectoryReadingRecord } from '../store/directoryReadingStore';
import type { JsonFileStore } from '../store/jsonFileStore';
import type { createReportBuilder } from './reportBuilder';

/** A kept reading of the logon's own entry is filed under this prefix, apart from cloud users'. */
export const LOGON_READING_PREFIX = 'logon:';

/** Failures that mean "no domain logon here": then there is nothing to remind on. */
const NO_LOGON: ReadonlySet<DirectoryFailureKind> = new Set<DirectoryFailureKind>([
  'not-configured',
  'no-credentials',
  'unavailable',
]);

export interface LogonDirectoryOptions {
  config: AssistantConfig;
  /** Null: no reader, or `onPremisesDirectory: off`. */
  source: DirectorySource | null;
  keptReadings: JsonFileStore<DirectoryReadingRecord>;
  reports: ReturnType<typeof createReportBuilder>;
  clock: Clock;
  logger: Logger;
  timeZone: string;
}

/**
 * Reminders from the domain logon alone, with no cloud account: the logon's own AD entry (the
 * ticket's principal, the Windows session's user), so no cloud name needs to match it. Null when
 * there is no usable domain logon (then the report says "not signed in").
 */
export function createLogonDirectoryCheck(options: LogonDirectoryOptions) {
  const { config, source, keptReadings, reports, logger } = options;

  async function keptLogonReading(): Promise<DirectoryReadingRecord | null> {
    const kept = await keptReadings.read().catch(() => null);
    return kept?.account.startsWith(LOGON_READING_PREFIX) ? kept : null;
  }

  async function check(lastReminder: Promise<ReminderRecord | null>): Promise<StatusReport | null> {
    if (source === null) return null;
    const result: DirectoryReadResult = await source
      .read({ domain: config.onPremisesDomain, servers: config.onPremisesServers })
      .catch((error: unknown) => ({
        ok: false as const,
        failure: { kind: 'protocol' as const, detail: String(error), server: null },
      }));
    const failure = result.ok ? null : result.failure.kind;
    if (failure !== null && NO_LOGON.has(failure)) return null;
    const kept = result.ok ? null : await keptLogonReading();
    const use = result.ok
      ? { reading: result.reading, cached: false }
      : kept && { reading: kept.reading, cached: true };
    const username = use ? logonAccountName(use.reading) : null;
    if (use === null || username === null) {
      logger.info('No figure from the domain logon', { failure });
      return null;
    }
    const now = options.clock.now();
    const hybrid = combineWithDirectory({
      cloud: withoutExpiry('unknown', 'directory', messages.reasons.directoryUnusable, null),
      facts: ownEntryFacts(use.reading.entry, username),
      directory: use,
      failure,
      reportFailure: config.onPremisesDirectory === 'on',
      pendingChange: null,
      windowDays: config.notificationWindowDays,
      now,
      timeZone: options.timeZone,
    });
    if (!use.cached && hybrid.directory !== null) {
      const account = `${LOGON_READING_PREFIX}${username.toLowerCase()}`;
      await keptReadings
        .write({ account, reading: use.reading, pendingChange: null })
        .catch((error: unknown) =>
          logger.warn('Could not keep the directory reading', { error: String(error) }),
        );
    }
    return reports.build({
      account: { username, tenantId: null },
      evaluation: hybrid.evaluation,
      directory: hybrid.directory,
      error: null,
      lastReminder,
    });
  }

  return {
    check,
    /** The logon's user principal name, from its last reading: the sign-in page's login hint. */
    loginHint: async (): Promise<string | null> =>
      (await keptLogonReading())?.reading.entry.userPrincipalName ?? null,
  };
}
