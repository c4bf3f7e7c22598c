/**
 * The shell's notification state, asked for real through koffi and shell32 under the Windows
 * node.exe: one of the documented answers, never a crash.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NotificationState } from '../../src/main/tray/desktopPorts';
import { createNotificationState } from '../../src/main/windows/notificationState';
import { RecordingLogger } from '../support/trayFakes';

const DOCUMENTED: readonly NotificationState[] = [
  'not-present',
  'busy',
  'full-screen',
  'presentation',
  'accepts',
  'quiet-time',
  'app',
];

test('runs under Windows', () => {
  assert.equal(process.platform, 'win32');
});

test('SHQueryUserNotificationState answers one of the documented states, again and again', () => {
  const logger = new RecordingLogger();
  const port = createNotificationState('win32', logger);
  const answers = Array.from({ length: 5 }, () => port.current());
  for (const answer of answers) assert.ok(DOCUMENTED.includes(answer), `answered ${answer}`);
  assert.deepEqual(logger.messages('warn'), [], 'shell32 loaded and answered');
  process.stdout.write(`# the shell says: ${answers.join(', ')}\n`);
});
