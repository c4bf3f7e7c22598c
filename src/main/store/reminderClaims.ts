/**
 * "At most once per local day" across processes: before a reminder is shown, the day is claimed
 * by creating `reminder-YYYY-MM-DD.claim` exclusively (all or nothing). Only one process (tray or
 * `status --notify`) can hold a day. A claim is released when the reminder could not be shown or
 * was suppressed, so it is offered again later that day; otherwise it stays, so a crash after
 * showing never repeats it. Claims of other days are removed as new ones are made.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LocalDate } from '../../core/localCalendar';
import type { Logger } from '../../core/ports';
import {
  ORPHAN_NAME,
  assertFileOrAbsent,
  createStateFileExclusive,
  describeFileFailure,
  notAFileError,
  readStateFile,
  removeStateFile,
} from './stateFileAccess';

/** Temporary files older than this are orphans of a crash. */
const ORPHAN_AGE_MS = 10 * 60_000;

const CLAIM_NAME = /^reminder-(\d{4}-\d{2}-\d{2})\.claim$/;

export function claimFileName(day: LocalDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `reminder-${pad(day.year, 4)}-${pad(day.month, 2)}-${pad(day.day, 2)}.claim`;
}

/** A held claim on one day's reminder. */
export interface HeldClaim {
  readonly path: string;
  /** Gives the day back (only if this claim is still the one on disk). */
  release(): Promise<void>;
  /** Removes other days' claims and temporary files orphaned by a crash. */
  tidy(): Promise<void>;
}

export class ReminderClaims {
  constructor(
    private readonly home: string,
    private readonly logger?: Logger,
  ) {}

  private pathFor(day: LocalDate): string {
    return join(this.home, claimFileName(day));
  }

  /** Whether the day is taken (by this or any process). A link or a folder there is an error. */
  async isClaimed(day: LocalDate): Promise<boolean> {
    const path = this.pathFor(day);
    // Asked on every check with a reminder due: a day nobody claimed costs one lstat, a
    // synchronous one (microseconds, where the promise form costs a thread-pool round trip).
    let info: Stats | undefined;
    try {
      info = lstatSync(path, { throwIfNoEntry: false });
    } catch (error) {
      throw describeFileFailure(error, path, 'read');
    }
    if (info === undefined) return false;
    if (!info.isFile()) throw notAFileError(path, info);
    return (await readStateFile(path)) !== null;
  }

  /** Takes the day, or null when another process or an earlier run already has it. */
  async claim(day: LocalDate, at: Date): Promise<HeldClaim | null> {
    const path = this.pathFor(day);
    await assertFileOrAbsent(path);
    const token = randomBytes(12).toString('hex');
    const body = `${JSON.stringify({ pid: process.pid, host: hostname(), claimedAt: at.toISOString(), token })}\n`;
    if (!(await createStateFileExclusive(path, body))) return null;
    return {
      path,
      // Tidied only after showing, so nothing stands between the claim and the notification.
      tidy: () => this.removeOtherDays(claimFileName(day)),
      release: async () => {
        const text = await readStateFile(path).catch(() => null);
        if (text === null || !text.includes(`"token":"${token}"`)) return;
        await removeStateFile(path);
      },
    };
  }

  /** Removes other days' claims and temporary files orphaned by a crash. */
  private async removeOtherDays(keep: string): Promise<void> {
    try {
      const now = Date.now();
      for (const name of await readdir(this.home)) {
        const path = join(this.home, name);
        if (name !== keep && CLAIM_NAME.test(name)) {
          await removeStateFile(path).catch(() => undefined);
        } else if (ORPHAN_NAME.test(name)) {
          // Left by a process killed while writing; anything this old is nobody's any more.
          const info = await lstat(path).catch(() => null);
          if (info?.isFile() && now - info.mtimeMs > ORPHAN_AGE_MS) {
            await removeStateFile(path).catch(() => undefined);
          }
        }
      }
    } catch (error) {
      this.logger?.warn('Could not tidy old reminder claims', { error: String(error) });
    }
  }
}
