import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusReport } from '../../src/core/model';
import {
  CheckScheduler,
  MAX_TIMER_DELAY_MS,
  NETWORK_POLL_MS,
  nextWakeUp,
} from '../../src/main/tray/checkScheduler';
import type { CheckOutcome, CheckReason } from '../../src/main/tray/checkScheduler';
import { FakeNetwork, FakePower, FakeTime, RecordingLogger } from '../support/trayFakes';

function report(overrides: Partial<StatusReport> = {}): StatusReport {
  return {
    account: null,
    password: {
      state: 'ok',
      lastChanged: null,
      expiresAt: null,
      daysLeft: null,
      source: 'policy',
      reason: null,
    },
    reminder: { due: false, nextAt: null },
    changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
    error: null,
    ...overrides,
  };
}

function makeScheduler(time: FakeTime, answer: () => CheckOutcome) {
  const reasons: CheckReason[] = [];
  const power = new FakePower();
  const network = new FakeNetwork();
  const scheduler = new CheckScheduler({
    clock: time,
    timers: time.port,
    power,
    network,
    timeZone: 'UTC',
    logger: new RecordingLogger(),
    dayChangeJitterMs: 0,
    check: (reason) => {
      reasons.push(reason);
      return Promise.resolve(answer());
    },
  });
  return { scheduler, reasons, power, network };
}

void describe('check scheduler', () => {
  void it('splits a wait longer than setTimeout can hold and checks only at the due instant', async () => {
    const time = new FakeTime('2026-01-01T00:00:00.000Z');
    const due = '2026-03-01T00:00:00.000Z'; // 59 days: beyond the 24.8-day limit
    const { scheduler, reasons } = makeScheduler(time, () => ({
      report: report({ reminder: { due: false, nextAt: due } }),
      reminder: 'not-due',
    }));
    await scheduler.start();
    assert.deepEqual(reasons, ['start']);
    assert.equal(time.requestedDelays.at(-1), MAX_TIMER_DELAY_MS);
    await time.advanceTo(new Date(new Date(due).getTime() - 1));
    assert.deepEqual(reasons, ['start'], 'the split waits did not check');
    assert.ok(time.requestedDelays.length >= 3, 're-armed after each split');
    await time.advanceTo(due);
    assert.deepEqual(reasons, ['start', 'due']);
    assert.equal(time.maxArmed, 1);
    scheduler.dispose();
    assert.equal(time.armed, 0);
  });

  void it('a burst of resume and unlock events runs one check and keeps one timer', async () => {
    const time = new FakeTime('2026-01-01T00:00:00.000Z');
    const { scheduler, reasons, power } = makeScheduler(time, () => ({
      report: report({ reminder: { due: false, nextAt: '2026-01-05T00:00:00.000Z' } }),
      reminder: 'not-due',
    }));
    await scheduler.start();
    for (let i = 0; i < 10; i++) {
      power.listeners.emit('resume');
      power.listeners.emit('unlock-screen');
    }
    await time.settle();
    assert.deepEqual(reasons, ['start', 'resume'], 'events during a running check share it');
    assert.equal(time.armed, 1);
    assert.equal(time.maxArmed, 1);
    scheduler.dispose();
    assert.equal(power.listeners.count(), 0);
    assert.equal(time.armed, 0);
  });

  void it('does not arm a timer for a reminder instant already passed (no tight loop)', () => {
    const now = new Date('2026-01-01T12:00:00.000Z');
    const wake = nextWakeUp({
      outcome: {
        report: report({ reminder: { due: true, nextAt: now.toISOString() } }),
        reminder: 'shown',
      },
      now,
      timeZone: 'UTC',
      offlineAttempt: 0,
      dayChangeJitterMs: 0,
    });
    assert.equal(wake, null);
  });

  void it('wakes at the next local midnight (plus jitter) to refresh the day count', () => {
    const now = new Date('2026-01-01T12:00:00.000Z');
    const wake = nextWakeUp({
      outcome: {
        report: report({
          account: { username: 'a@contoso.com', tenantId: 't' },
          password: {
            state: 'ok',
            lastChanged: null,
            expiresAt: '2026-03-01T00:00:00.000Z',
            daysLeft: 59,
            source: 'policy',
            reason: null,
          },
          reminder: { due: false, nextAt: '2026-02-15T00:00:00.000Z' },
        }),
        reminder: 'not-due',
      },
      now,
      timeZone: 'Asia/Tokyo',
      offlineAttempt: 0,
      dayChangeJitterMs: 60_000,
    });
    // Midnight 2 Jan in Tokyo is 15:00 UTC on 1 Jan.
    assert.deepEqual(wake, { at: new Date('2026-01-01T15:01:00.000Z'), reason: 'day-change' });
  });

  void it('backs off while offline and resets once a check succeeds', () => {
    const now = new Date('2026-01-01T12:00:00.000Z');
    const offline = report({
      error: { kind: 'network', aadsts: null, message: 'offline' },
    });
    const delays = [0, 1, 2, 3, 4, 9].map((attempt) => {
      const wake = nextWakeUp({
        outcome: { report: offline, reminder: 'not-due' },
        now,
        timeZone: 'UTC',
        offlineAttempt: attempt,
        dayChangeJitterMs: 0,
      });
      return (wake?.at.getTime() ?? 0) - now.getTime();
    });
    assert.deepEqual(delays, [60_000, 120_000, 300_000, 600_000, 900_000, 900_000]);
  });

  void it('notices the network coming back within a minute, even deep into the back-off', async () => {
    const time = new FakeTime('2026-01-01T08:00:00.000Z');
    const offline = report({ error: { kind: 'network', aadsts: null, message: 'offline' } });
    const fine = report({ reminder: { due: false, nextAt: '2026-01-05T00:00:00.000Z' } });
    let answer = offline;
    const { scheduler, reasons, network } = makeScheduler(time, () => ({
      report: answer,
      reminder: 'not-due',
    }));
    network.online = false;
    await scheduler.start();
    // 50 minutes offline: the retries have backed off to every 15 minutes (the next at 61).
    await time.advance(50 * 60_000);
    assert.deepEqual(reasons, ['start'], 'no check while the system says offline');
    assert.equal(scheduler.nextWake?.reason, 'retry');
    const nextRetry = scheduler.nextWake?.at.getTime() ?? 0;
    assert.ok(nextRetry - time.now().getTime() > 5 * 60_000, 'the next retry is far off');
    // The network returns (and the service answers).
    network.online = true;
    answer = fine;
    const back = time.now().getTime();
    await time.advance(60_000);
    assert.equal(reasons.at(-1), 'network', 'checked because the network came back');
    const checkedAt = back + 60_000;
    assert.ok(time.now().getTime() <= checkedAt && time.now().getTime() < nextRetry);
    assert.equal(scheduler.nextWake?.reason, 'due', 'back to the normal schedule');
    assert.equal(time.maxArmed, 1, 'still one timer');
    assert.ok(
      time.requestedDelays.every((delay) => delay <= NETWORK_POLL_MS || delay > 60 * 60_000),
    );
    scheduler.dispose();
    assert.equal(time.armed, 0);
  });

  void it('does not check more often when the network looks up but the service fails', async () => {
    const time = new FakeTime('2026-01-01T08:00:00.000Z');
    const { scheduler, reasons, network } = makeScheduler(time, () => ({
      report: report({ error: { kind: 'service', aadsts: null, message: 'unavailable' } }),
      reminder: 'not-due',
    }));
    network.online = true;
    await scheduler.start();
    await time.advance(20 * 60_000);
    // Back-off only: 1, then 2, then 5, then 10 minutes (at 1, 3 and 8 minutes; 18 is next).
    assert.deepEqual(reasons, ['start', 'retry', 'retry', 'retry', 'retry']);
    scheduler.dispose();
  });

  void it('while all is well, nothing looks at the network: one timer for the next event', async () => {
    const time = new FakeTime('2026-01-01T08:00:00.000Z');
    const { scheduler, reasons, network } = makeScheduler(time, () => ({
      report: report({ reminder: { due: false, nextAt: '2026-01-03T00:00:00.000Z' } }),
      reminder: 'not-due',
    }));
    await scheduler.start();
    network.online = false;
    await time.advance(60 * 60_000);
    network.online = true;
    await time.advance(60 * 60_000);
    assert.deepEqual(reasons, ['start'], 'no check for a network change nobody was waiting on');
    assert.deepEqual(time.requestedDelays.length, 1);
    scheduler.dispose();
  });
});

void describe('a password changed on-premises on its way to Microsoft 365', () => {
  const directory = (passwordSync: 'pending' | 'arrived' | null) => ({
    domain: 'CORP.CONTOSO.COM',
    server: 'dc1.corp.contoso.com',
    readAt: '2026-01-01T00:00:00.000Z',
    cached: false,
    passwordSync,
  });

  void it('plans a re-check a few minutes later, then less often, and stops once it arrived', async () => {
    const time = new FakeTime('2026-01-01T00:00:00.000Z');
    const answers: ('pending' | 'arrived' | null)[] = ['pending', 'pending', 'arrived'];
    const { scheduler, reasons } = makeScheduler(time, () => ({
      report: report({
        account: { username: 'lynne.robbins@contoso.com', tenantId: 't' },
        directory: directory(answers.shift() ?? null),
      }),
      reminder: 'not-due',
    }));
    await scheduler.start();
    assert.deepEqual(scheduler.nextWake, {
      at: new Date('2026-01-01T00:03:00.000Z'),
      reason: 'sync-recheck',
    });
    await time.advanceTo('2026-01-01T00:03:00.000Z');
    assert.deepEqual(reasons, ['start', 'sync-recheck']);
    assert.deepEqual(scheduler.nextWake, {
      at: new Date('2026-01-01T00:08:00.000Z'),
      reason: 'sync-recheck',
    });
    await time.advanceTo('2026-01-01T00:08:00.000Z');
    assert.deepEqual(reasons, ['start', 'sync-recheck', 'sync-recheck']);
    assert.equal(scheduler.nextWake, null, 'arrived: nothing more to re-check');
    scheduler.dispose();
  });

  void it('adds no re-check for a report in step', () => {
    const wake = nextWakeUp({
      outcome: { report: report({ directory: directory(null) }), reminder: 'not-due' },
      now: new Date('2026-01-01T00:00:00.000Z'),
      timeZone: 'UTC',
      offlineAttempt: 0,
      dayChangeJitterMs: 0,
    });
    assert.equal(wake, null);
  });
});
