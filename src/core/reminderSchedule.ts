/**
 * The reminder rule: once the notification window opens, one reminder per local calendar day, also
 * after expiry, until the password changes. A new password resets the rule.
 *
 * IT may add a final stretch (`finalDays`, `finalDaysEveryHours`): from `finalDays` × 24 hours
 * before the expiry until the expiry, the reminder comes back once `everyHours` hours have passed
 * since the last one shown. Each reminder takes a slot (what a claim file holds, so no two
 * processes show one twice): the local day, or in the final stretch an `everyHours` part of the
 * local day. Expired: one a day again.
 */
import {
  compareLocalDates,
  localDate,
  startOfLocalDay,
  startOfNextLocalDay,
} from './localCalendar';
import type { LocalDate } from './localCalendar';
import type { ExpiryEvaluation, ReminderDecision, ReminderRecord } from './model';

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** How often reminders come: daily, and more often in the final stretch when IT asks. */
export interface ReminderCadence {
  /** The last this many days before expiry (0 = no final stretch: daily throughout). */
  finalDays: number;
  /** In the final stretch, a reminder once this many hours after the last one shown. */
  everyHours: number;
}

/** Today's rule: one a day. */
export const DAILY_CADENCE: Readonly<ReminderCadence> = Object.freeze({
  finalDays: 0,
  everyHours: 4,
});

/** What one reminder takes, so that no process shows a second one in it. */
export interface ReminderSlot {
  /** The local day. */
  day: LocalDate;
  /**
   * Null: the whole day. In the final stretch: the hours after the start of the local day at
   * which this part begins (0, 4, 8, ... for every 4 hours).
   */
  fromHour: number | null;
  /** The first instant after the slot. */
  endsAt: Date;
}

/** The value to store in ReminderRecord.passwordLastChanged for this evaluation. */
export function reminderKey(evaluation: ExpiryEvaluation): string | null {
  return evaluation.lastChanged?.toISOString() ?? null;
}

export interface ReminderInput {
  evaluation: ExpiryEvaluation;
  last: ReminderRecord | null;
  now: Date;
  timeZone: string;
  /** Absent: DAILY_CADENCE. */
  cadence?: ReminderCadence;
}

type Timing = Pick<ExpiryEvaluation, 'state' | 'expiresAt'>;

/** When the final stretch begins for this expiry, or null without one. */
export function finalStretchStartsAt(
  expiresAt: Date | null,
  cadence: ReminderCadence = DAILY_CADENCE,
): Date | null {
  if (cadence.finalDays <= 0 || expiresAt === null || Number.isNaN(expiresAt.getTime())) {
    return null;
  }
  return new Date(expiresAt.getTime() - cadence.finalDays * MS_PER_DAY);
}

function inFinalStretch(timing: Timing, now: Date, cadence: ReminderCadence): boolean {
  if (timing.state !== 'expiring' || timing.expiresAt === null) return false;
  const start = finalStretchStartsAt(timing.expiresAt, cadence);
  return start !== null && now >= start && now < timing.expiresAt;
}

function everyMs(cadence: ReminderCadence): number {
  return Math.max(1, cadence.everyHours) * MS_PER_HOUR;
}

/** The slot a reminder shown at `now` takes (see ReminderSlot). */
export function reminderSlot(input: {
  timing: Timing;
  now: Date;
  timeZone: string;
  cadence?: ReminderCadence;
}): ReminderSlot {
  const { timing, now, timeZone } = input;
  const cadence = input.cadence ?? DAILY_CADENCE;
  const day = localDate(now, timeZone);
  const nextDay = startOfNextLocalDay(now, timeZone);
  if (!inFinalStretch(timing, now, cadence)) return { day, fromHour: null, endsAt: nextDay };
  const dayStart = startOfLocalDay(day, timeZone).getTime();
  const every = everyMs(cadence);
  const part = Math.floor((now.getTime() - dayStart) / every);
  const ends = Math.min(
    dayStart + (part + 1) * every,
    nextDay.getTime(),
    timing.expiresAt?.getTime() ?? Infinity,
  );
  return { day, fromHour: part * cadence.everyHours, endsAt: new Date(ends) };
}

export function decideReminder(input: ReminderInput): ReminderDecision {
  const { evaluation, now, timeZone } = input;
  const cadence = input.cadence ?? DAILY_CADENCE;
  switch (evaluation.state) {
    case 'ok':
      return { due: false, nextAt: evaluation.windowStartsAt };
    case 'never':
    case 'unknown':
      return { due: false, nextAt: null };
    case 'expiring':
    case 'expired': {
      const shownAt = lastShownAt(input.last, reminderKey(evaluation));
      const expiresAt = evaluation.expiresAt;
      if (inFinalStretch(evaluation, now, cadence) && expiresAt !== null) {
        // A record from a clock set in the future does not count.
        if (
          shownAt === null ||
          shownAt > now ||
          now.getTime() - shownAt.getTime() >= everyMs(cadence)
        ) {
          return { due: true, nextAt: now };
        }
        return { due: false, nextAt: againInStretch(shownAt, now, expiresAt, cadence, timeZone) };
      }
      if (shownAt === null || !sameLocalDay(shownAt, now, timeZone))
        return { due: true, nextAt: now };
      return { due: false, nextAt: afterToday(shownAt, now, evaluation, cadence, timeZone) };
    }
  }
}

/** The last reminder's instant when it was about this password and readable, else null. */
function lastShownAt(last: ReminderRecord | null, key: string | null): Date | null {
  if (last === null || last.passwordLastChanged !== key) return null;
  if (!(last.shownAt instanceof Date) || Number.isNaN(last.shownAt.getTime())) return null;
  return last.shownAt;
}

// Equality, not "on or after": a record from a clock set in the future must not mute reminders.
function sameLocalDay(a: Date, b: Date, timeZone: string): boolean {
  return compareLocalDates(localDate(a, timeZone), localDate(b, timeZone)) === 0;
}

/** Shown today on the daily rule: tomorrow, or earlier where the final stretch starts first. */
function afterToday(
  shownAt: Date,
  now: Date,
  timing: Timing,
  cadence: ReminderCadence,
  timeZone: string,
): Date {
  const tomorrow = startOfNextLocalDay(now, timeZone);
  const stretch =
    timing.state === 'expiring' ? finalStretchStartsAt(timing.expiresAt, cadence) : null;
  if (stretch === null || timing.expiresAt === null || stretch > tomorrow) return tomorrow;
  const from = stretch > now ? stretch : now;
  return againInStretch(shownAt, from, timing.expiresAt, cadence, timeZone);
}

/** The stretch's next reminder after one at `shownAt`; past the expiry, the daily rule's. */
function againInStretch(
  shownAt: Date,
  from: Date,
  expiresAt: Date,
  cadence: ReminderCadence,
  timeZone: string,
): Date {
  const again = Math.max(from.getTime(), shownAt.getTime() + everyMs(cadence));
  if (again < expiresAt.getTime()) return new Date(again);
  // Expired: one a day, and the day of the expiry may have had its reminder already.
  return sameLocalDay(shownAt, expiresAt, timeZone)
    ? startOfNextLocalDay(expiresAt, timeZone)
    : expiresAt;
}

/**
 * When the next reminder falls due after one shown at `shownAt` (for the status window and the
 * tray's timer, before the next check says it); null when none is planned.
 */
export function nextReminderAfterShown(input: {
  timing: Timing;
  shownAt: Date;
  timeZone: string;
  cadence?: ReminderCadence;
}): Date | null {
  const { timing, shownAt, timeZone } = input;
  const cadence = input.cadence ?? DAILY_CADENCE;
  if (timing.state !== 'expiring' && timing.state !== 'expired') return null;
  if (inFinalStretch(timing, shownAt, cadence) && timing.expiresAt !== null) {
    return againInStretch(shownAt, shownAt, timing.expiresAt, cadence, timeZone);
  }
  return afterToday(shownAt, shownAt, timing, cadence, timeZone);
}
