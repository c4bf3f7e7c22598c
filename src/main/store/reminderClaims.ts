/**
 * "At most once per local day" across processes: before a reminder is shown, the day is claimed
 * by creating `reminder-YYYY-MM-DD.claim` exclusively (all or nothing). Only one process (tray or
 * `status --notify`) can hold a day. In the final stretch before expiry (`finalDays`) the slot is
 * a part of the day instead, `reminder-YYYY-MM-DD-HH.claim` from hour HH of the local day, under
 * the same rules. A claim is released when the reminder could not be shown or was suppressed, so
 * it is offered again later. Claims of other days and slots are removed as new ones are made.
 *
 * A claim is `claimed` until its process commits to showing: it then becomes `showing`, right
 * before the notification is handed to the desktop, and stays, so a crash after that never
 * repeats the day. A `claimed` claim whose process ended (same computer, its process gone) or
 * that is older than STALE_CLAIM_MS is stale: the next run takes the day over, so a crash before
 * the notification never loses it either.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, readdir, rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LocalDate } from '../../core/localCalendar';
import type { Logger } from '../../core/ports';
import { processIsAlive } from './cacheLock';
import {
  ORPHAN_NAME,
  assertFileOrAbsent,
  createStateFileExclusive,
  describeFileFailure,
  notAFileError,
  readStateFile,
  removeStateFile,
  writeStateFileAtomic,
} from './stateFileAccess';

/** A claim not yet committed to showing, older than this, is nobody's any more. */
export const STALE_CLAIM_MS = 2 * 60_000;

type ClaimState = 'claimed' | 'showing';

export interface ClaimRecord {
  pid: number | null;
  host: string | null;
  claimedAt: string | null;
  token: string | null;
  state: ClaimState;
}

export function parseClaim(text: string): ClaimRecord | null {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null) return null;
    return {
      pid: typeof raw.pid === 'number' ? raw.pid : null,
      host: typeof raw.host === 'string' ? raw.host : null,
      claimedAt: typeof raw.claimedAt === 'string' ? raw.claimedAt : null,
      token: typeof raw.token === 'string' ? raw.token : null,
      // Claims written before there were states are taken as committed.
      state: raw.state === 'claimed' ? 'claimed' : 'showing',
    };
  } catch {
    return null;
  }
}

/** Temporary files older than this are orphans of a crash. */
const ORPHAN_AGE_MS = 10 * 60_000;

/** The name of a day's or a slot's claim file (see claimFileName). */
export const CLAIM_NAME = /^reminder-(\d{4}-\d{2}-\d{2})(?:-(\d{2}))?\.claim$/;

/**
 * Whether a claim on disk no longer holds its day (see the module comment). Its age is the
 * file's: the same clock as `now`, whatever time the claimant was told it was, and measured in
 * either direction: after a clock step back (NTP, a restored VM, another OS's clock) a claim
 * from the "future" is as old as the step, never fresh for hours. A process ID alone never
 * keeps a claim: it may have been reused by an unrelated program (Windows reuses them soon).
 */
export function claimIsStale(
  record: ClaimRecord | null,
  mtimeMs: number,
  now: number,
  isAlive: (pid: number) => boolean,
): boolean {
  const old = Math.abs(now - mtimeMs) > STALE_CLAIM_MS;
  if (record === null) return old;
  if (record.state !== 'claimed') return false;
  if (old) return true;
  return (
    record.host === hostname() &&
    record.pid !== null &&
    record.pid !== process.pid &&
    !isAlive(record.pid)
  );
}

/** A day's claim file, or with `fromHour` the one of the slot starting that many hours into it. */
export function claimFileName(day: LocalDate, fromHour: number | null = null): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const slot = fromHour === null ? '' : `-${pad(fromHour, 2)}`;
  return `reminder-${pad(day.year, 4)}-${pad(day.month, 2)}-${pad(day.day, 2)}${slot}.claim`;
}

/** A held claim on one day's (or slot's) reminder. */
export interface HeldClaim {
  readonly path: string;
  /** Gives the day back (only if this claim is still the one on disk). */
  release(): Promise<void>;
  /** The notification is handed to the desktop now: from here a crash does not give it back. */
  showing(): Promise<void>;
  /** Removes other days' and slots' claims and temporary files orphaned by a crash. */
  tidy(): Promise<void>;
}

export class ReminderClaims {
  constructor(
    private readonly home: string,
    private readonly logger?: Logger,
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {}

  private isStale(record: ClaimRecord | null, mtimeMs: number, now: number): boolean {
    return claimIsStale(record, mtimeMs, now, this.isAlive);
  }

  /** The claim on disk, read once: its record (null when unreadable) and modification time. */
  private async current(
    path: string,
  ): Promise<{ record: ClaimRecord | null; mtimeMs: number; text: string } | null> {
    const text = await readStateFile(path);
    if (text === null) return null;
    const info = await lstat(path).catch(() => null);
    return { record: parseClaim(text), mtimeMs: info?.mtimeMs ?? Date.now(), text };
  }

  private pathFor(day: LocalDate, fromHour: number | null): string {
    return join(this.home, claimFileName(day, fromHour));
  }

  /**
   * Whether the day (or its slot from `fromHour`) is taken by this or any process. A link or a
   * folder there is an error.
   */
  async isClaimed(day: LocalDate, fromHour: number | null = null): Promise<boolean> {
    const path = this.pathFor(day, fromHour);
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
    const held = await this.current(path);
    return held !== null && !this.isStale(held.record, held.mtimeMs, Date.now());
  }

  /** Takes the day (or slot), or null when another process or an earlier run already has it. */
  async claim(day: LocalDate, at: Date, fromHour: number | null = null): Promise<HeldClaim | null> {
    const path = this.pathFor(day, fromHour);
    await assertFileOrAbsent(path);
    const token = randomBytes(12).toString('hex');
    const record = (state: ClaimState) =>
      `${JSON.stringify({ pid: process.pid, host: hostname(), claimedAt: at.toISOString(), token, state })}\n`;
    // A second try after taking over a stale claim; a third would mean another process won.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createStateFileExclusive(path, record('claimed'))) {
        return this.held(path, token, claimFileName(day, fromHour), () => record('showing'));
      }
      if (!(await this.takeOverIfStale(path))) return null;
    }
    return null;
  }

  private held(path: string, token: string, name: string, committed: () => string): HeldClaim {
    const ours = async (): Promise<boolean> => {
      const text = await readStateFile(path).catch(() => null);
      return text !== null && parseClaim(text)?.token === token;
    };
    return {
      path,
      // Tidied only after showing, so nothing stands between the claim and the notification.
      tidy: () => this.removeOtherDays(name),
      release: async () => {
        if (await ours()) await removeStateFile(path);
      },
      showing: async () => {
        if (await ours()) await writeStateFileAtomic(path, committed());
      },
    };
  }

  /**
   * Moves a stale claim aside (a rename: only one process can win it). True when the day is free
   * to claim again. A claim that turned out to be fresh (taken in between) is put back.
   */
  private async takeOverIfStale(path: string): Promise<boolean> {
    const seen = await this.current(path);
    if (seen === null) return true;
    if (!this.isStale(seen.record, seen.mtimeMs, Date.now())) return false;
    const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    try {
      await rename(path, aside);
    } catch {
      return true; // gone already (another process took it over): try to claim
    }
    const moved = await readStateFile(aside).catch(() => null);
    if (moved !== seen.text) {
      // Not the stale claim we judged: give it back unless yet another claim stands there.
      await createStateFileExclusive(path, moved ?? '').catch(() => false);
      await removeStateFile(aside).catch(() => undefined);
      return false;
    }
    await removeStateFile(aside).catch(() => undefined);
    this.logger?.info('took over a reminder claim its process left before showing', {
      path,
      ownerPid: seen.record?.pid ?? null,
    });
    return true;
  }

  /** Removes other days' and slots' claims and temporary files orphaned by a crash. */
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
