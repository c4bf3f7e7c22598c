/**
 * "At most once per local day" across processes: before a reminder is shown, the day is claimed
 * by creating `reminder-YYYY-MM-DD.claim` exclusively (all or nothing). Only one process (tray or
 * `status --notify`) can hold a day. A claim is released when the reminder could not be shown or
 * was suppressed, so it is offered again later that day; otherwise it stays, so a crash after
 * showing never repeats it. Claims of other days are removed as new ones are made.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LocalDate } from '../../core/localCalendar';
import type { Logger } from '../../core/ports';
import {
  assertFileOrAbsent,
  createStateFileExclusive,
  readStateFile,
  removeStateFile,
} from './stateFileAccess';

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
  /** Removes other days' claims. */
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
    await assertFileOrAbsent(path);
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

  private async removeOtherDays(keep: string): Promise<void> {
    try {
      for (const name of await readdir(this.home)) {
        if (name !== keep && CLAIM_NAME.test(name)) {
          await removeStateFile(join(this.home, name)).catch(() => undefined);
        }
      }
    } catch (error) {
      this.logger?.warn('Could not tidy old reminder claims', { error: String(error) });
    }
  }
}
