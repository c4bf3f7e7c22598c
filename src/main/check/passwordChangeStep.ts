import type { DirectoryStatus, ExpiryEvaluation, PasswordChangeStatus } from '../../core/model';
import type { Logger } from '../../core/ports';
import { logonCatchUpNeeded, passwordChangedSince } from '../../core/passwordChange';
import type { PasswordSeenRecord } from '../store/accountNoticeStores';
import type { JsonFileStore } from '../store/jsonFileStore';

export interface PasswordChangeStepOptions {
  store: JsonFileStore<PasswordSeenRecord>;
  platform: string;
  logger: Logger;
}

export interface ChangeQuestion {
  username: string;
  evaluation: ExpiryEvaluation;
  directory: DirectoryStatus | null;
  synced: boolean;
}

/**
 * Keeps the change date each check sees and says once when it moved on: the report of that check
 * carries `passwordChanged`, the next one no longer does.
 */
export function createPasswordChangeStep(options: PasswordChangeStepOptions) {
  const { store, platform, logger } = options;
  const readKept = () => store.read().catch(() => null);
  /** The kept record's read, started alongside the check's request (see prefetch). */
  let prefetched: Promise<PasswordSeenRecord | null> | null = null;
  async function passwordChange(question: ChangeQuestion): Promise<PasswordChangeStatus | null> {
    const account = question.username.toLowerCase();
    const lastChanged = question.evaluation.lastChanged;
    const kept = await (prefetched ?? readKept());
    prefetched = null;
    const keptDate = kept?.lastChanged ? new Date(kept.lastChanged) : null;
    const current = { account, lastChanged };
    const changed = passwordChangedSince(
      kept && { account: kept.account, lastChanged: keptDate },
      current,
    );
    const iso = lastChanged?.toISOString() ?? null;
    if (kept?.account !== account || kept.lastChanged !== iso) {
      // An unknown date never replaces a known one: a later check can still see the change.
      if (iso !== null || kept?.account !== account) {
        await store.write({ account, lastChanged: iso }).catch((error: unknown) => {
          logger.warn('Could not keep the password change date', {
            error: (error as Error).message,
          });
        });
      }
    }
    if (!changed) return null;
    const catchUp = logonCatchUpNeeded({
      platform,
      synced: question.synced,
      directory: question.directory,
    });
    logger.info('New password seen', { windowsLogonCatchUp: catchUp });
    return {
      expiresAt: question.evaluation.expiresAt?.toISOString() ?? null,
      windowsLogonCatchUp: catchUp,
    };
  }
  return Object.assign(passwordChange, {
    /** Starts reading the kept record now, so it costs the check no time of its own. */
    prefetch(): void {
      prefetched = readKept();
    },
  });
}
