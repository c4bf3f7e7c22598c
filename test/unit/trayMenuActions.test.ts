import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DIAGNOSTICS_ENTRIES, writeDiagnosticsZip } from '../../src/main/diagnostics';
import { diagnosticsFileName } from '../../src/main/tray/diagnosticsCollector';
import { aboutText, trayStrings } from '../../src/main/tray/trayStrings';
import { startTrayApp } from '../../src/main/trayApp';
import type { TrayApp } from '../../src/main/trayApp';
import { makeHarness } from '../support/trayFakes';
import type { Harness } from '../support/trayFakes';
import { readZip } from '../support/zipReader';

// 08:00 UTC is 09:00 in Berlin (CET): the diagnostics file is named after the local time.
const START = '2026-03-16T08:00:00.000Z';

async function started(
  options: Partial<Parameters<typeof makeHarness>[0]> = {},
): Promise<Harness & { trayApp: TrayApp }> {
  const harness = makeHarness({
    start: START,
    lastChanged: '2026-01-01T09:00:00.000Z',
    ...options,
  });
  const trayApp = startTrayApp(harness.deps);
  await trayApp.started;
  await harness.time.settle();
  return { ...harness, trayApp };
}

void describe('tray menu: start at login is remembered for the installers’ sign-in entry', () => {
  void it('Windows: on until the user turns it off; unticking stores false and removes the login item', async () => {
    const h = await started();
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true, 'the installers start it');
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(h.preferences.writes, [false]);
    assert.deepEqual(h.loginItems.writes, [false]);
    assert.equal(h.tray.menuItem('start-at-login')?.checked, false);
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(h.preferences.writes, [false, true]);
    assert.equal(h.preferences.stored.startAtLogin, true);
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true);
    await h.trayApp.quit();
  });

  void it('Windows: a stored "off" shows unticked at start', async () => {
    const h = await started({ startAtLoginChoice: false });
    assert.equal(h.tray.menuItem('start-at-login')?.checked, false);
    assert.equal(h.trayApp.settings().startAtLogin.enabled, false);
    await h.trayApp.quit();
  });

  void it('a policy that turns it off wins over the stored choice, and the toggle writes nothing', async () => {
    const h = await started({ startAtLoginChoice: true, policyLayer: { startAtLogin: false } });
    const item = h.tray.menuItem('start-at-login');
    assert.equal(item?.checked, false);
    assert.equal(item?.enabled, false);
    h.trayApp.setStartAtLogin(true);
    await h.time.settle();
    assert.deepEqual(h.preferences.writes, []);
    assert.deepEqual(h.loginItems.writes, [false], 'only the policy was applied');
    await h.trayApp.quit();
  });

  void it('macOS: the login item is the choice (no installer entry there)', async () => {
    const h = await started({ platform: 'darwin' });
    assert.equal(h.tray.menuItem('start-at-login')?.checked, false, 'no login item yet');
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(h.loginItems.writes, [true]);
    assert.deepEqual(h.preferences.writes, [true]);
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true);
    await h.trayApp.quit();
  });

  void it('a choice that cannot be saved is logged, and the app goes on', async () => {
    const h = await started();
    h.preferences.failWrites = true;
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.ok(h.logger.messages('error').includes('the start at login choice was not saved'));
    assert.deepEqual(h.loginItems.writes, [false], 'the login item was still changed');
    await h.trayApp.quit();
    assert.equal(h.app.quitCalls, 1);
  });
});

void describe('tray menu: Collect diagnostics…', () => {
  void it('sits between Check now and Status window with its label', async () => {
    const h = await started();
    const ids = h.tray.menu.map((item) => item.id);
    const at = ids.indexOf('collect-diagnostics');
    assert.ok(at > ids.indexOf('check-now') && at < ids.indexOf('status-window'), ids.join());
    assert.equal(h.tray.menuItem('collect-diagnostics')?.label, 'Collect diagnostics…');
    assert.equal(h.tray.menuItem('collect-diagnostics')?.enabled, true);
    await h.trayApp.quit();
  });

  void it('writes the zip to the Desktop with the logs, settings, versions and last check, then shows it', async () => {
    const h = await started();
    h.tray.menuItem('collect-diagnostics')?.click?.();
    await h.time.settle();
    assert.equal(h.diagnostics.inputs.length, 1);
    const input = h.diagnostics.inputs[0];
    const outFile = join('/home/adele/Desktop', 'SignInAssistant-diagnostics-20260316-0900.zip');
    assert.equal(input?.outFile, outFile);
    assert.equal(input?.logsDir, '/home/adele/.local/state/signin-assistant/logs');
    assert.equal(input?.resolved, h.deps.resolved);
    assert.deepEqual(input?.versions, { app: '1.2.3', electron: '39.8.10', node: '22.20.0' });
    assert.equal(input?.lastReport?.account?.username, 'adele@contoso.com');
    assert.equal(input?.lastReport?.password.daysLeft, 16);
    assert.deepEqual(h.shell.shownInFolder, [outFile]);
    assert.equal(h.notifications.shown.length, 0);
    await h.trayApp.quit();
  });

  void it('a failed write is logged and shown as a notification, never thrown', async () => {
    const h = await started();
    h.diagnostics.writer = () =>
      Promise.reject(new Error('Could not write the diagnostics archive', { cause: 'EACCES' }));
    const result = await h.trayApp.collectDiagnostics();
    assert.equal(result, null);
    assert.deepEqual(h.shell.shownInFolder, []);
    const logged = h.logger.entries.find((e) => e.message === 'diagnostics could not be written');
    assert.equal(logged?.level, 'error');
    assert.equal(logged?.meta?.cause, 'EACCES');
    assert.equal(h.notifications.shown.length, 1);
    assert.equal(h.notifications.shown[0]?.title, trayStrings.diagnosticsFailed.title);
    assert.match(h.notifications.shown[0]?.body ?? '', /\/home\/adele\/Desktop/);
    await h.trayApp.quit();
  });

  void it('a folder that cannot be found is handled the same way', async () => {
    const h = await started();
    h.diagnostics.targetFolder = () => {
      throw new Error('no Desktop or Downloads folder');
    };
    assert.equal(await h.trayApp.collectDiagnostics(), null);
    assert.equal(h.diagnostics.inputs.length, 0);
    assert.equal(h.notifications.shown.length, 1);
    await h.trayApp.quit();
  });

  void it('a second click while writing gives the same file, not a second zip', async () => {
    const h = await started();
    const [a, b] = await Promise.all([
      h.trayApp.collectDiagnostics(),
      h.trayApp.collectDiagnostics(),
    ]);
    assert.equal(a, b);
    assert.equal(h.diagnostics.inputs.length, 1);
    await h.trayApp.quit();
  });

  void it('with the real writer the zip holds the last check and the Electron version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sia-diag-'));
    try {
      const h = await started();
      h.diagnostics.folder = dir;
      h.diagnostics.logs = join(dir, 'no-logs-here');
      h.diagnostics.writer = writeDiagnosticsZip;
      const outFile = await h.trayApp.collectDiagnostics();
      assert.ok(outFile && existsSync(outFile));
      const entries = await readZip(outFile);
      const lastCheck = JSON.parse(entries.get(DIAGNOSTICS_ENTRIES.lastCheck) ?? 'null') as {
        account: { username: string };
      };
      assert.equal(lastCheck.account.username, 'adele@contoso.com');
      const versions = JSON.parse(entries.get(DIAGNOSTICS_ENTRIES.versions) ?? '{}') as {
        electron: string;
      };
      assert.equal(versions.electron, '39.8.10');
      await h.trayApp.quit();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  void it('names the file after the local date and minute', () => {
    // 23:07 UTC on 5 Jan is 00:07 on 6 Jan in Berlin.
    assert.equal(
      diagnosticsFileName(new Date('2026-01-05T23:07:59Z'), 'Europe/Berlin'),
      'SignInAssistant-diagnostics-20260106-0007.zip',
    );
    assert.equal(
      diagnosticsFileName(new Date('2026-07-04T15:30:00Z'), 'America/New_York'),
      'SignInAssistant-diagnostics-20260704-1130.zip',
    );
  });
});

void describe('tray menu: About', () => {
  void it('says the version and that IT installs updates', () => {
    const text = aboutText('1.2.3');
    assert.equal(text.title, 'About Sign-In Assistant');
    assert.equal(text.message, 'Sign-In Assistant 1.2.3');
    assert.deepEqual(text.detail.split('\n'), [
      'Version 1.2.3',
      'Updates: your IT department installs new versions (no self-update).',
    ]);
  });

  void it('the menu item shows it with the running version, just above Quit', async () => {
    const h = await started();
    const ids = h.tray.menu.map((item) => item.id);
    assert.equal(ids.indexOf('about'), ids.indexOf('quit') - 1);
    assert.equal(h.tray.menuItem('about')?.label, 'About Sign-In Assistant');
    h.tray.menuItem('about')?.click?.();
    assert.deepEqual(h.dialogs.shown, [aboutText('1.2.3')]);
    await h.trayApp.quit();
  });
});
