/**
 * Decides when the next silent check runs. One timer is armed to the earliest next event (the
 * next reminder, the next local day for the day count, a retry while offline). Power and unlock
 * events trigger a check at once. Only while a retry waits after a failed check does the timer
 * also look at the network every 30 seconds, so its return is noticed within a minute rather than
 * at the next retry (up to 15 minutes later).
 */
import type { ReminderCadence } from '../../core/reminderSchedule';
import type { Clock, Logger } from '../../core/ports';
import type {
  NetworkPort,
  PowerMonitorPort,
  TimerHandle,
  TimerPort,
  Unsubscribe,
} from './desktopPorts';
import {
  AWAY_REMINDER_RETRY_MS,
  MAX_TIMER_DELAY_MS,
  NETWORK_POLL_MS,
  RETRYABLE_KINDS,
  nextWakeUp,
} from './wakeUps';
import type { CheckOutcome, CheckReason, WakeUp } from './wakeUps';

export {
  AWAY_REMINDER_RETRY_MS,
  MAX_TIMER_DELAY_MS,
  NETWORK_POLL_MS,
  OFFLINE_RETRY_DELAYS_MS,
  SYNC_RECHECK_DELAYS_MS,
  nextAfterShown,
  nextWakeUp,
} from './wakeUps';
export type { CheckOutcome, CheckReason, WakeUp } from './wakeUps';

export interface CheckSchedulerDeps {
  clock: Clock;
  timers: TimerPort;
  power: PowerMonitorPort;
  network: NetworkPort;
  timeZone: string;
  logger: Logger;
  /** A fixed offset past local midnight for the day-change check (0..30 min in production). */
  dayChangeJitterMs: number;
  /** The reminder cadence (absent: daily). */
  cadence?: ReminderCadence;
  /** Runs one check and presents its result. */
  check: (reason: CheckReason) => Promise<CheckOutcome>;
}

export class CheckScheduler {
  private timer: TimerHandle | null = null;
  private target: WakeUp | null = null;
  private running: Promise<CheckOutcome> | null = null;
  private offlineAttempt = 0;
  /** Set when the network was seen offline while a retry waits: its return then checks. */
  private sawOffline = false;
  private syncAttempt = 0;
  private disposed = false;
  private readonly unsubscribers: Unsubscribe[] = [];

  constructor(private readonly deps: CheckSchedulerDeps) {}

  /** Listens for resume and unlock, and runs the first check. */
  start(): Promise<CheckOutcome | null> {
    this.unsubscribers.push(
      this.deps.power.on('resume', () => void this.trigger('resume')),
      this.deps.power.on('unlock-screen', () => void this.trigger('unlock-screen')),
    );
    return this.trigger('start');
  }

  /**
   * Runs a check now, unless one is already running (then its result is shared). Never
   * rejects: a failed check is logged and retried by the timer.
   */
  trigger(reason: CheckReason): Promise<CheckOutcome | null> {
    if (this.disposed) return Promise.resolve(null);
    if (this.running) return this.running;
    this.disarm();
    this.sawOffline = false;
    this.deps.logger.debug('check', { reason });
    const run = this.deps
      .check(reason)
      .catch((error: unknown): CheckOutcome => {
        this.deps.logger.error('check failed', { reason, error: String(error) });
        return { report: null, reminder: 'not-due' };
      })
      .then((outcome) => {
        this.running = null;
        this.reportArrived(outcome);
        return outcome;
      });
    this.running = run;
    return run;
  }

  /** Re-arms the timer from any fresh report (a check, a sign-in, a sign-out). */
  reportArrived(outcome: CheckOutcome): void {
    if (this.disposed) return;
    const error = outcome.report === null ? 'network' : outcome.report.error?.kind;
    if (error === undefined || !RETRYABLE_KINDS.has(error)) this.offlineAttempt = 0;
    const pending = outcome.report?.directory?.passwordSync === 'pending';
    if (!pending) this.syncAttempt = 0;
    const wake = nextWakeUp({
      outcome,
      now: this.deps.clock.now(),
      timeZone: this.deps.timeZone,
      offlineAttempt: this.offlineAttempt,
      dayChangeJitterMs: this.deps.dayChangeJitterMs,
      syncAttempt: this.syncAttempt,
      ...(this.deps.cadence ? { cadence: this.deps.cadence } : {}),
    });
    if (wake?.reason === 'retry') {
      this.offlineAttempt += 1;
      this.sawOffline = !this.deps.network.isOnline();
    }
    if (pending) this.syncAttempt += 1;
    this.arm(wake);
  }

  /**
   * A reminder handed to the desktop was not shown after all: check again in `delayMs`, unless
   * an earlier wake-up is armed already.
   */
  remindAgainLater(delayMs: number = AWAY_REMINDER_RETRY_MS): void {
    if (this.disposed) return;
    const at = new Date(this.deps.clock.now().getTime() + delayMs);
    if (this.target !== null && this.target.at.getTime() <= at.getTime()) return;
    this.arm({ at, reason: 'reminder-retry' });
  }

  /** The instant the timer is armed for, if any (shown in logs and tests). */
  get nextWake(): WakeUp | null {
    return this.target;
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  private arm(wake: WakeUp | null): void {
    this.disarm();
    if (wake === null || this.disposed) return;
    this.target = wake;
    const delay = Math.max(0, wake.at.getTime() - this.deps.clock.now().getTime());
    // A waiting retry wakes up early to look at the network; still one timer.
    const wait = wake.reason === 'retry' ? Math.min(delay, NETWORK_POLL_MS) : delay;
    this.timer = this.deps.timers.setTimeout(
      () => this.onTimer(),
      Math.min(wait, MAX_TIMER_DELAY_MS),
    );
    this.deps.logger.debug('next check armed', { at: wake.at.toISOString(), reason: wake.reason });
  }

  private disarm(): void {
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    this.target = null;
  }

  private onTimer(): void {
    this.timer = null;
    const wake = this.target;
    if (wake === null || this.disposed) return;
    // A long wait was split, the network was looked at, or the clock moved: not there yet.
    if (this.deps.clock.now().getTime() < wake.at.getTime()) {
      if (wake.reason === 'retry' && this.networkCameBack()) {
        this.deps.logger.info('the network is back; checking now');
        void this.trigger('network');
        return;
      }
      this.arm(wake);
      return;
    }
    if (wake.reason === 'retry' && !this.deps.network.isOnline()) {
      this.deps.logger.debug('still offline, retry later');
      this.offlineAttempt += 1;
      this.sawOffline = true;
      this.arm(
        nextWakeUp({
          outcome: { report: null, reminder: 'not-due' },
          now: this.deps.clock.now(),
          timeZone: this.deps.timeZone,
          offlineAttempt: this.offlineAttempt,
          dayChangeJitterMs: this.deps.dayChangeJitterMs,
        }),
      );
      return;
    }
    void this.trigger(wake.reason);
  }

  /** True once the network, seen offline during this wait, is online again. */
  private networkCameBack(): boolean {
    const online = this.deps.network.isOnline();
    if (!online) this.sawOffline = true;
    return online && this.sawOffline;
  }
}
