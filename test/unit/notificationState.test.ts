import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createNotificationState,
  notificationStateFrom,
} from '../../src/main/windows/notificationState';
import { nextWakeUp } from '../../src/main/tray/checkScheduler';
import { RecordingLogger } from '../support/trayFakes';

void describe('the shell notification state', () => {
  void it('maps every documented QUERY_USER_NOTIFICATION_STATE, and anything else to unknown', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((value) => notificationStateFrom(0, value)),
      ['not-present', 'busy', 'full-screen', 'presentation', 'accepts', 'quiet-time', 'app'],
    );
    assert.equal(notificationStateFrom(0, 0), 'unknown');
    assert.equal(notificationStateFrom(0, 8), 'unknown');
    // E_FAIL: whatever was written does not count.
    assert.equal(notificationStateFrom(0x80004005 | 0, 5), 'unknown');
  });

  void it('is "accepts" on macOS and Linux without loading anything', () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const state = createNotificationState(platform, undefined, () => {
        throw new Error('never loaded');
      });
      assert.equal(state.current(), 'accepts');
    }
  });

  void it('on Windows asks the shell every time; a shell32 that cannot be loaded is "unknown", warned once', () => {
    let answer = 4;
    let loads = 0;
    const state = createNotificationState('win32', undefined, () => {
      loads += 1;
      return (out) => {
        out[0] = answer;
        return 0;
      };
    });
    assert.equal(state.current(), 'presentation');
    answer = 5;
    assert.equal(state.current(), 'accepts');
    assert.equal(loads, 1, 'loaded once');

    const logger = new RecordingLogger();
    const broken = createNotificationState('win32', logger, () => {
      throw new Error('shell32.dll cannot be loaded');
    });
    assert.equal(broken.current(), 'unknown');
    assert.equal(broken.current(), 'unknown');
    assert.deepEqual(logger.messages('warn'), [
      'cannot ask the shell whether it shows notifications',
    ]);
  });

  void it('a deferred reminder is offered again ten minutes later', () => {
    const now = new Date('2026-03-18T10:00:00.000Z');
    const wake = nextWakeUp({
      outcome: { report: null, reminder: 'deferred' },
      now,
      timeZone: 'UTC',
      offlineAttempt: 0,
      dayChangeJitterMs: 0,
    });
    // A null report also asks for a retry after a minute; the deferral is the later candidate.
    assert.equal(wake?.reason, 'retry');
    const withReport = nextWakeUp({
      outcome: {
        report: {
          account: null,
          password: {
            state: 'expiring',
            lastChanged: null,
            expiresAt: '2026-04-01T09:00:00.000Z',
            daysLeft: null,
            source: 'policy',
            reason: null,
          },
          reminder: { due: true, nextAt: now.toISOString() },
          changePasswordUrl: 'https://aka.ms/sspr',
          error: null,
        },
        reminder: 'deferred',
      },
      now,
      timeZone: 'UTC',
      offlineAttempt: 0,
      dayChangeJitterMs: 0,
    });
    assert.deepEqual(withReport, {
      at: new Date('2026-03-18T10:10:00.000Z'),
      reason: 'reminder-retry',
    });
  });
});
