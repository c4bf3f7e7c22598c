import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTrayApp } from '../../src/main/trayApp';
import type { TrayApp } from '../../src/main/trayApp';
import type { SettingsView, StatusView } from '../../src/core/ipcContract';
import { makeHarness, newContentsId } from '../support/trayFakes';
import type { Harness } from '../support/trayFakes';

// Password changed 1 Jan 09:00 UTC, valid 90 days: expires 1 Apr 09:00 UTC, and the 14-day
// reminder window opens 18 Mar 09:00 UTC (10:00 in Berlin).
const LAST_CHANGED = '2026-01-01T09:00:00.000Z';
const WINDOW_START = '2026-03-18T09:00:00.000Z';
// Local midnights in Berlin (CET, UTC+1) after the window opens.
const BERLIN_MIDNIGHT_19_MAR = '2026-03-18T23:00:00.000Z';
const CHANGE_URL = 'https://mysignins.microsoft.com/security-info/password/change';

async function started(
  options: Partial<Parameters<typeof makeHarness>[0]> = {},
): Promise<Harness & { tray_app: TrayApp }> {
  const harness = makeHarness({
    start: '2026-03-16T08:00:00.000Z',
    lastChanged: LAST_CHANGED,
    ...options,
  });
  const trayApp = startTrayApp(harness.deps);
  await trayApp.started;
  await harness.time.settle();
  return { ...harness, tray_app: trayApp };
}

void describe('tray app: the daily balloon (Windows)', () => {
  void it('shows the first balloon exactly when the reminder window opens, not before', async () => {
    const h = await started();
    assert.equal(h.engine.checks, 1, 'one check at start');
    assert.equal(h.windows.created.length, 0, 'no window at start');
    await h.time.advanceTo(new Date(new Date(WINDOW_START).getTime() - 1));
    assert.equal(h.tray.balloons.length, 0, 'nothing before the window opens');
    await h.time.advanceTo(WINDOW_START);
    assert.equal(h.tray.balloons.length, 1);
    const balloon = h.tray.balloons[0];
    assert.equal(balloon?.at, WINDOW_START);
    assert.equal(balloon?.title, 'Password expires in 14 days');
    assert.equal(
      balloon?.content,
      'Your password expires in 14 days (Wed 1 Apr). Click to change it now.',
    );
    assert.equal(h.tray.icon, 'expiring');
    assert.match(h.tray.tooltip, /Password expires in 14 days/);
    await h.tray_app.quit();
  });

  void it('leaves the balloon to Windows: never removed, so it stays in the Action Center', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    assert.equal(h.tray.balloonVisible, true);
    await h.time.advance(5_000);
    await h.time.advance(60 * 60_000);
    assert.equal(h.tray.removals, 0, 'removeBalloon would take it out of the Action Center too');
    await h.tray_app.quit();
  });

  void it('a click opens the change-password page through the allowlist', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    await h.time.advance(1_000);
    h.tray.userClicksBalloon();
    await h.time.settle();
    assert.deepEqual(h.shell.opened, [CHANGE_URL]);
    const armedAfterClick = h.time.armed;
    await h.time.advance(10_000);
    assert.equal(h.tray.removals <= 1, true);
    assert.equal(h.time.armed, armedAfterClick, 'the removal timer was released on click');
    await h.tray_app.quit();
  });

  void it('closed or ignored means none again that day, even on Check now, resume or unlock', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    h.tray.userClosesBalloon();
    await h.time.advance(60_000);
    await h.tray_app.checkNow();
    h.power.listeners.emit('resume');
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    h.tray_app.openStatusWindow();
    await h.ipc.invoke('status:check-now');
    await h.time.advanceTo(new Date(new Date(BERLIN_MIDNIGHT_19_MAR).getTime() - 1));
    assert.equal(h.tray.balloons.length, 1, 'only the first balloon that local day');
    assert.ok(h.engine.checks >= 4, 'the checks did run');
    await h.tray_app.quit();
  });

  void it('shows again the next local day, and every day until the password changes', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    // Ignored: it times out by itself.
    await h.time.advanceTo(BERLIN_MIDNIGHT_19_MAR);
    assert.equal(h.tray.balloons.length, 2);
    assert.equal(h.tray.balloons[1]?.at, BERLIN_MIDNIGHT_19_MAR);
    assert.equal(h.tray.balloons[1]?.title, 'Password expires in 13 days');
    // Three more local midnights: one balloon each.
    await h.time.advanceTo('2026-03-21T23:00:00.000Z');
    assert.equal(h.tray.balloons.length, 5);
    const days = h.tray.balloons.map((b) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(b.at)),
    );
    assert.deepEqual(days, ['2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22']);
    await h.tray_app.quit();
  });

  void it('keeps reminding after expiry, pointing at the reset page', async () => {
    const h = await started({ start: '2026-04-01T10:00:00.000Z' });
    assert.equal(h.tray.balloons.length, 1);
    assert.equal(h.tray.balloons[0]?.title, 'Password expired');
    assert.equal(h.tray.icon, 'expired');
    h.tray.userClicksBalloon();
    await h.time.settle();
    assert.deepEqual(h.shell.opened, ['https://aka.ms/sspr']);
    await h.tray_app.quit();
  });

  void it('shows none after the password changes', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    assert.equal(h.tray.balloons.length, 1);
    h.engine.lastChanged = new Date('2026-03-18T12:00:00.000Z');
    await h.time.advanceTo('2026-03-18T12:30:00.000Z');
    await h.tray_app.checkNow();
    assert.equal(h.tray.icon, 'ok');
    await h.time.advanceTo('2026-03-25T12:00:00.000Z');
    assert.equal(h.tray.balloons.length, 1, 'no balloon for the new password');
    assert.match(h.tray.tooltip, /Password expires in 83 days/);
    await h.tray_app.quit();
  });

  void it('waits for the user when the reminder falls due on a locked screen', async () => {
    const h = await started();
    h.power.userActive = false;
    await h.time.advanceTo(WINDOW_START);
    assert.equal(h.tray.balloons.length, 0, 'not shown to an empty screen');
    assert.equal(h.engine.record, null, 'and not recorded as shown');
    h.power.userActive = true;
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.tray.balloons.length, 1, 'shown after unlock');
    await h.tray_app.quit();
  });
});

void describe('tray app: notifications on macOS and Linux', () => {
  for (const platform of ['darwin', 'linux'] as const) {
    void it(`${platform}: a notification, closed after five seconds, click opens the page`, async () => {
      const h = await started({ platform, start: '2026-03-18T09:30:00.000Z' });
      assert.equal(h.tray.balloons.length, 0, 'no Windows balloon');
      assert.equal(h.notifications.shown.length, 1);
      const shown = h.notifications.shown[0];
      assert.equal(shown?.title, 'Password expires in 14 days');
      await h.time.advance(4_999);
      assert.equal(shown?.open, true);
      await h.time.advance(1);
      assert.equal(shown?.open, false, 'closed after 5 s');
      // Next day: click this one.
      await h.time.advanceTo(BERLIN_MIDNIGHT_19_MAR);
      assert.equal(h.notifications.shown.length, 2);
      h.notifications.shown[1]?.onClick();
      await h.time.settle();
      assert.deepEqual(h.shell.opened, [CHANGE_URL]);
      await h.tray_app.quit();
    });
  }
});

void describe('tray app: checks', () => {
  void it('resume and unlock-screen each trigger a check', async () => {
    const h = await started();
    const before = h.engine.checks;
    h.power.listeners.emit('resume');
    await h.time.settle();
    assert.equal(h.engine.checks, before + 1);
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.engine.checks, before + 2);
    await h.tray_app.quit();
  });

  void it('never arms more than one check timer, and none beyond what setTimeout can hold', async () => {
    const h = await started();
    for (let i = 0; i < 5; i++) h.power.listeners.emit('resume');
    await h.time.settle();
    assert.equal(h.time.armed, 1);
    await h.time.advanceTo('2026-03-25T00:00:00.000Z');
    // The only other timer ever is the balloon's time on screen: at most two, one after it.
    assert.ok(h.time.maxArmed <= 2, `max armed ${h.time.maxArmed}`);
    assert.equal(h.tray.balloons.length, 8, 'one a day from 18 to 25 March');
    assert.equal(h.time.armed, 1);
    assert.ok(h.time.requestedDelays.every((d) => d <= 2_147_483_647));
    await h.tray_app.quit();
  });

  void it('retries while offline with one timer and checks when the network is back', async () => {
    const h = await started();
    h.engine.failWith = {
      kind: 'network',
      aadsts: null,
      message: 'The sign-in service cannot be reached. Check your connection.',
      action: null,
    };
    h.network.online = false;
    await h.tray_app.checkNow();
    assert.equal(h.tray.icon, 'error');
    assert.match(h.tray.tooltip, /cannot be reached/);
    const checks = h.engine.checks;
    await h.time.advance(10 * 60_000);
    assert.equal(h.engine.checks, checks, 'no check while the network is down');
    assert.equal(h.time.armed, 1);
    h.engine.failWith = null;
    h.network.online = true;
    await h.time.advance(15 * 60_000);
    assert.equal(h.engine.checks, checks + 1, 'checked once the network came back');
    assert.equal(h.tray.icon, 'ok');
    await h.tray_app.quit();
  });

  void it('a failed sign-in is shown and never retried on its own', async () => {
    const h = await started();
    await h.tray_app.signOut();
    assert.equal(h.tray.icon, 'signed-out');
    assert.ok(h.tray.menuItem('sign-in'));
    h.engine.failWith = {
      kind: 'wrong-credentials',
      aadsts: 50126,
      message: 'The user name or password is incorrect. Try again.',
      action: null,
    };
    const view = await h.tray_app.signIn();
    assert.equal(view.report?.error?.kind, 'wrong-credentials');
    assert.match(h.tray.tooltip, /incorrect/);
    await h.time.advance(3 * 24 * 3_600_000);
    assert.equal(h.engine.signIns, 1, 'no automatic sign-in after a failure');
    await h.tray_app.quit();
  });
});

void describe('tray app: links, windows, IPC and quitting', () => {
  void it('refuses a forged address and logs it', async () => {
    const h = await started({ start: '2026-03-18T09:30:00.000Z' });
    h.tray.userClosesBalloon();
    h.engine.tamper = (report) => ({
      ...report,
      changePasswordUrl: 'https://mysignins.microsoft.com.evil.example/change',
    });
    await h.time.advanceTo(BERLIN_MIDNIGHT_19_MAR);
    assert.equal(h.tray.balloons.length, 2);
    h.tray.userClicksBalloon();
    await h.time.settle();
    h.tray_app.openStatusWindow();
    const result = (await h.ipc.invoke('password:change')) as { opened: boolean };
    assert.equal(result.opened, false);
    assert.deepEqual(h.shell.opened, [], 'nothing opened');
    assert.ok(h.logger.messages('warn').includes('refused to open a page'));
    await h.tray_app.quit();
  });

  void it('a second launch opens the status window, and only one', async () => {
    const h = await started();
    h.app.listeners.emit('second-instance');
    h.app.listeners.emit('second-instance');
    assert.equal(h.windows.created.length, 1);
    assert.equal(h.windows.created[0]?.focusCount, 2);
    await h.tray_app.checkNow();
    const pushed = h.windows.created[0]?.sent.filter((m) => m.channel === 'status:changed');
    assert.ok(pushed && pushed.length > 0, 'status pushed to the open window');
    h.windows.created[0]?.close();
    h.tray.menuItem('status-window')?.click?.();
    assert.equal(h.windows.created.length, 2, 'a closed window is created anew');
    await h.tray_app.quit();
  });

  void it('answers IPC only from our page and only with valid payloads', async () => {
    const h = await started();
    h.tray_app.openStatusWindow();
    const view = (await h.ipc.invoke('status:get')) as StatusView;
    assert.equal(view.report?.account?.username, 'adele@contoso.com');
    assert.equal(view.timeZone, 'Europe/Berlin');
    await assert.rejects(
      h.ipc.invoke('status:get', undefined, { frameUrl: 'https://evil.example/' }),
      /refused/,
    );
    await assert.rejects(h.ipc.invoke('status:get', undefined, { frameUrl: null }), /refused/);
    await assert.rejects(h.ipc.invoke('status:check-now', { force: true }), /invalid payload/);
    await assert.rejects(
      h.ipc.invoke('settings:set-start-at-login', { enabled: 'yes' }),
      /invalid payload/,
    );
    await assert.rejects(
      h.ipc.invoke('settings:set-start-at-login', { enabled: true, extra: 1 }),
      /invalid payload/,
    );
    await h.ipc.invoke('settings:set-start-at-login', { enabled: true });
    assert.equal(h.loginItems.enabled, true);
    await h.tray_app.quit();
  });

  void it('answers only the status window itself: not another window or frame showing our page', async () => {
    const h = await started();
    await assert.rejects(h.ipc.invoke('status:get'), /refused/, 'no status window is open');
    h.tray_app.openStatusWindow();
    const own = h.ipc.statusWindowSender();
    assert.ok((await h.ipc.invoke('status:get', undefined, own)) !== null);
    // Any other web contents (a window or a hidden view) that loaded the very same file.
    await assert.rejects(
      h.ipc.invoke('status:get', undefined, { ...own, contentsId: newContentsId() }),
      /refused/,
    );
    // A frame embedded in the status window, even one showing our page.
    await assert.rejects(
      h.ipc.invoke('status:get', undefined, { ...own, mainFrame: false }),
      /refused/,
    );
    assert.ok(h.logger.messages('warn').includes('IPC from a foreign sender refused'));
    // A closed window's contents no longer speak for the app; the new window's do.
    h.windows.created[0]?.close();
    await assert.rejects(h.ipc.invoke('status:get', undefined, own), /refused/);
    h.tray_app.openStatusWindow();
    assert.notEqual(h.ipc.statusWindowSender().contentsId, own.contentsId);
    assert.ok((await h.ipc.invoke('status:get')) !== null);
    await h.tray_app.quit();
  });

  void it('start at login decided by policy is applied and greyed out', async () => {
    const h = await started({ policyLayer: { startAtLogin: true } });
    h.tray_app.openStatusWindow();
    assert.equal(h.loginItems.enabled, true, 'policy applied at start');
    const item = h.tray.menuItem('start-at-login');
    assert.equal(item?.enabled, false);
    assert.equal(item?.checked, true);
    await h.ipc.invoke('settings:set-start-at-login', { enabled: false });
    assert.equal(h.loginItems.enabled, true, 'the user cannot override policy');
    const settings = (await h.ipc.invoke('settings:get')) as {
      startAtLogin: { locked: boolean };
    };
    assert.equal(settings.startAtLogin.locked, true);
    await h.tray_app.quit();
  });

  void it('the status window is told when Startup apps turned start at login off', async () => {
    const h = await started({ startAtLoginChoice: true });
    h.tray_app.openStatusWindow();
    const before = (await h.ipc.invoke('settings:get')) as SettingsView;
    assert.deepEqual(before.startAtLogin, {
      enabled: true,
      locked: false,
      supported: true,
      offInSystem: false,
    });
    // The user turns it off in Task Manager while the app runs.
    h.loginItems.systemDisabled = true;
    const after = (await h.ipc.invoke('settings:get')) as SettingsView;
    assert.deepEqual(after.startAtLogin, {
      enabled: false,
      locked: false,
      supported: true,
      offInSystem: true,
    });
    // The answer to a change says so too: the app's own choice cannot turn it on again.
    const answered = (await h.ipc.invoke('settings:set-start-at-login', {
      enabled: true,
    })) as SettingsView;
    assert.deepEqual(answered.startAtLogin, after.startAtLogin);
    assert.equal(h.tray.menuItem('start-at-login')?.checked, false);
    assert.equal(
      h.tray.menuItem('start-at-login')?.label,
      'Start at login (turned off in Startup apps)',
    );
    await h.tray_app.quit();
  });

  void it('policy forcing start at login does not hide that Startup apps turned it off', async () => {
    const h = await started({ policyLayer: { startAtLogin: true } });
    h.loginItems.systemDisabled = true;
    h.tray_app.openStatusWindow();
    const settings = (await h.ipc.invoke('settings:get')) as SettingsView;
    assert.deepEqual(settings.startAtLogin, {
      enabled: false,
      locked: true,
      supported: true,
      offInSystem: true,
    });
    await h.tray_app.quit();
  });

  void it('the menu has every entry in order', async () => {
    const h = await started();
    assert.deepEqual(
      h.tray.menu.map((item) => item.id),
      [
        'status',
        'separator-1',
        'change-password',
        'check-now',
        'sign-out',
        'collect-diagnostics',
        'status-window',
        'separator-2',
        'start-at-login',
        'about',
        'quit',
      ],
    );
    assert.equal(h.tray.menuItem('status')?.label, 'Password expires in 16 days');
    assert.equal(h.tray.menuItem('start-at-login')?.enabled, true);
    await h.tray_app.quit();
  });

  void it('leaves no timer or listener after quit', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    h.tray_app.openStatusWindow();
    assert.ok(h.time.armed >= 1);
    h.tray.menuItem('quit')?.click?.();
    await h.time.settle();
    assert.equal(h.time.armed, 0, 'timers');
    assert.equal(h.tray.listeners.count(), 0, 'tray listeners');
    assert.equal(h.power.listeners.count(), 0, 'power listeners');
    assert.equal(h.app.listeners.count(), 0, 'app listeners');
    assert.equal(h.ipc.handlers.size, 0, 'IPC handlers');
    assert.equal(h.windows.created[0]?.destroyed, true, 'window closed');
    assert.equal(h.windows.created[0]?.closedListeners.count(), 0, 'window listeners');
    assert.equal(h.tray.destroyed, true);
    assert.equal(h.engine.disposed, true);
    assert.equal(h.app.quitCalls, 1);
    // Nothing fires later either.
    const checks = h.engine.checks;
    h.power.listeners.emit('resume');
    await h.time.advance(30 * 24 * 3_600_000);
    assert.equal(h.engine.checks, checks);
  });
});

void describe('tray app: settings re-read at each check', () => {
  async function withReload(
    reload: (current: Harness['deps']['resolved']) => Promise<Harness['deps']['resolved']>,
  ): Promise<Harness & { tray_app: TrayApp; reads: () => number }> {
    const harness = makeHarness({ start: '2026-03-16T08:00:00.000Z', lastChanged: LAST_CHANGED });
    let reads = 0;
    harness.deps.reloadConfig = () => {
      reads += 1;
      return reload(harness.deps.resolved);
    };
    const trayApp = startTrayApp(harness.deps);
    await trayApp.started;
    await harness.time.settle();
    return { ...harness, tray_app: trayApp, reads: () => reads };
  }

  void it('unchanged settings: every check reads them again and nothing restarts', async () => {
    const h = await withReload((current) =>
      Promise.resolve({ ...current, sources: { ...current.sources } }),
    );
    const before = h.reads();
    h.power.listeners.emit('resume');
    await h.time.settle();
    assert.equal(h.reads(), before + 1);
    assert.ok(before >= 1, 'read at the first check too');
    assert.equal(h.app.relaunchCalls, 0);
    await h.tray_app.quit();
  });

  void it('a policy change restarts the app once to apply it', async () => {
    let changed = false;
    const h = await withReload((current) =>
      Promise.resolve(
        changed
          ? {
              ...current,
              config: { ...current.config, balloonSeconds: 20 },
              locked: [...current.locked, 'balloonSeconds' as const],
            }
          : current,
      ),
    );
    assert.equal(h.app.relaunchCalls, 0);
    changed = true;
    h.power.listeners.emit('resume');
    await h.time.settle();
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.app.relaunchCalls, 1);
    assert.ok(h.logger.entries.some((e) => /restarting to apply/.test(e.message)));
    await h.tray_app.quit();
  });

  void it('a bad policy is logged, the running settings stay, and the check still runs', async () => {
    const h = await withReload(() => Promise.reject(new Error('"balloonSeconds" is 0')));
    const before = h.engine.checks;
    h.power.listeners.emit('resume');
    await h.time.settle();
    assert.equal(h.engine.checks, before + 1);
    assert.equal(h.app.relaunchCalls, 0);
    assert.ok(
      h.logger.entries.some(
        (e) => e.level === 'error' && /could not be read again/.test(e.message),
      ),
    );
    await h.tray_app.quit();
  });
});

void describe('tray app: a password changed on-premises', () => {
  void it('re-checks a few minutes after "on its way", then says once that it arrived', async () => {
    const h = makeHarness({
      platform: 'linux',
      start: '2026-03-16T08:00:00.000Z',
      lastChanged: LAST_CHANGED,
    });
    let passwordSync: 'pending' | 'arrived' | null = 'pending';
    h.engine.tamper = (report) => ({
      ...report,
      directory: {
        domain: 'CORP.CONTOSO.COM',
        server: 'dc1.corp.contoso.com',
        readAt: '2026-03-16T08:00:00.000Z',
        cached: false,
        passwordSync,
      },
    });
    const trayApp = startTrayApp(h.deps);
    await trayApp.started;
    await h.time.settle();
    assert.equal(h.engine.checks, 1);
    assert.equal(h.notifications.shown.length, 0, 'outside the window: no reminder yet');

    passwordSync = 'arrived';
    await h.time.advanceTo('2026-03-16T08:03:00.000Z');
    assert.equal(h.engine.checks, 2, 're-checked three minutes later');
    assert.equal(h.notifications.shown.length, 1);
    assert.equal(h.notifications.shown[0]?.title, 'New password ready');
    assert.equal(h.notifications.shown[0]?.body, 'Your new password now works in Microsoft 365.');
    h.notifications.shown[0]?.onClick();
    await h.time.settle();
    assert.deepEqual(h.shell.opened, [], 'the notice opens no page');

    passwordSync = null;
    await trayApp.checkNow();
    assert.equal(h.notifications.shown.length, 1, 'said once');

    // Off the network: the kept reading stands in, and the tray says it is the last known figure.
    h.engine.tamper = (report) => ({
      ...report,
      directory: {
        domain: 'CORP.CONTOSO.COM',
        server: 'dc1.corp.contoso.com',
        readAt: '2026-03-16T08:00:00.000Z',
        cached: true,
        passwordSync: null,
      },
    });
    await trayApp.checkNow();
    assert.match(h.tray.tooltip, /Password expires in 16 days \(last known\)$/);
    await trayApp.quit();
  });
});

void describe('tray app: a reminder counts only once the desktop shows it', () => {
  void it('Windows, the shell not answering: not shown means the day is given back, and it is offered again later, not in a loop', async () => {
    const h = await started();
    h.notificationState.state = 'unknown';
    h.tray.quietTime = true;
    await h.time.advanceTo(WINDOW_START);
    assert.equal(h.tray.balloons.length, 1, 'handed to Windows');
    assert.equal(h.engine.record, null, 'not recorded before Windows shows it');
    await h.time.advance(15_000);
    assert.equal(h.engine.claimedDays.size, 0, 'the day was given back');
    assert.equal(h.engine.record, null);
    // No tight loop: nothing more for the next minutes.
    await h.time.advance(5 * 60_000);
    assert.equal(h.tray.balloons.length, 1, 'not retried at once');
    // Quiet time over: the retry shows it and the day is taken.
    h.tray.quietTime = false;
    await h.time.advance(10 * 60_000);
    assert.equal(h.tray.balloons.length, 2, 'offered again later that day');
    assert.ok(h.engine.record, 'recorded once shown');
    await h.time.advance(60 * 60_000);
    await h.tray_app.checkNow();
    assert.equal(h.tray.balloons.length, 2, 'and not again that day');
    await h.tray_app.quit();
  });

  void it('a click in the Action Center long after the balloon left the screen still opens the page', async () => {
    const h = await started();
    await h.time.advanceTo(WINDOW_START);
    await h.time.advance(20 * 60_000);
    assert.equal(h.tray.removals, 0, 'still in the Action Center');
    h.tray.userClicksBalloon();
    await h.time.settle();
    assert.deepEqual(h.shell.opened, [CHANGE_URL]);
    await h.tray_app.quit();
  });

  void it('Windows: the shell accepts, but no balloon-show ever comes (a toast): one balloon that day, counted', async () => {
    const h = await started();
    h.tray.quietTime = true;
    await h.time.advanceTo(WINDOW_START);
    assert.ok(h.engine.record, 'counted once handed over');
    await h.time.advanceTo(new Date(Date.parse(BERLIN_MIDNIGHT_19_MAR) - 1));
    assert.equal(h.tray.balloons.length, 1, 'not again at 10, 20, 40 and 80 minutes');
    await h.time.advanceTo(BERLIN_MIDNIGHT_19_MAR);
    assert.equal(h.tray.balloons.length, 2, 'the next day as usual');
    await h.tray_app.quit();
  });

  for (const state of ['presentation', 'busy', 'full-screen', 'quiet-time', 'app'] as const) {
    void it(`Windows: while the shell says ${state}, nothing is claimed or shown; once it accepts, shown and counted`, async () => {
      const h = await started();
      h.notificationState.state = state;
      await h.time.advanceTo(WINDOW_START);
      await h.time.advance(35 * 60_000);
      assert.equal(h.tray.balloons.length, 0, 'deferred');
      assert.equal(h.engine.claimLog.length, 0, 'nothing claimed');
      assert.ok(h.notificationState.asked >= 3, 'asked again every ten minutes');
      h.notificationState.state = 'accepts';
      h.tray.quietTime = true; // and Windows sends no balloon-show
      await h.time.advance(10 * 60_000);
      assert.equal(h.tray.balloons.length, 1);
      assert.ok(h.engine.record, 'counted');
      await h.time.advance(3 * 60 * 60_000);
      assert.equal(h.tray.balloons.length, 1, 'once that day');
      await h.tray_app.quit();
    });
  }

  void it('macOS/Linux Do Not Disturb: a notification never reported shown does not use up the day', async () => {
    const h = await started({ platform: 'linux' });
    h.notifications.suppressed = true;
    await h.time.advanceTo(WINDOW_START);
    assert.equal(h.notifications.shown.length, 1);
    await h.time.advance(15_000);
    assert.equal(h.engine.record, null);
    assert.equal(h.notifications.shown[0]?.open, false, 'withdrawn');
    h.notifications.suppressed = false;
    await h.time.advance(10 * 60_000);
    assert.equal(h.notifications.shown.length, 2);
    assert.ok(h.engine.record);
    // A click that arrives after it was closed (a notification server that keeps it) still counts.
    await h.time.advance(60_000);
    h.notifications.shown[1]?.onClick();
    await h.time.settle();
    assert.deepEqual(h.shell.opened, [CHANGE_URL]);
    await h.tray_app.quit();
  });

  void it('a day another process already claimed shows nothing here', async () => {
    const h = await started();
    h.engine.claimedDays.add(JSON.stringify({ year: 2026, month: 3, day: 18 }));
    await h.time.advanceTo(WINDOW_START);
    await h.tray_app.checkNow();
    assert.equal(h.tray.balloons.length, 0);
    await h.time.advanceTo(BERLIN_MIDNIGHT_19_MAR);
    assert.equal(h.tray.balloons.length, 1, 'the next day is free');
    await h.tray_app.quit();
  });
});

void describe('tray app: a desktop that never confirms a reminder', () => {
  void it('is offered again after 10, 20, 40 and 80 minutes, then the day counts as done', async () => {
    const h = await started();
    // Where the shell cannot be asked, only balloon-show counts.
    h.notificationState.state = 'unknown';
    h.tray.quietTime = true;
    await h.time.advanceTo(WINDOW_START);
    const times = () =>
      h.tray.balloons.map((b) => (Date.parse(b.at) - Date.parse(WINDOW_START)) / 60_000);
    await h.time.advanceTo('2026-03-18T15:00:00.000Z');
    // Each attempt waits 15 s for the show event before the next delay starts.
    assert.deepEqual(times(), [0, 10.25, 30.5, 70.75, 151]);
    assert.equal(h.engine.claimedDays.size, 1, 'the day is kept after the last attempt');
    await h.time.advanceTo(new Date(Date.parse(BERLIN_MIDNIGHT_19_MAR) - 1));
    assert.equal(h.tray.balloons.length, 5, 'nothing more that day');
    await h.tray_app.quit();
  });
});

void describe('tray app: the final stretch (finalDays)', () => {
  // Expires 1 Apr 09:00 UTC; with finalDays 2 the stretch starts 30 Mar 09:00 UTC. Berlin moves
  // to summer time on 29 Mar (UTC+2).
  void it('every four hours while the user is there, never while away, daily again once expired', async () => {
    const h = await started({ policyLayer: { finalDays: 2, finalDaysEveryHours: 4 } });
    await h.time.advanceTo('2026-03-30T08:59:59.000Z');
    const before = h.tray.balloons.length;
    assert.equal(h.tray.balloons.at(-1)?.at, '2026-03-29T22:00:00.000Z', 'daily until then');
    // The status window's "Next reminder" after the last daily one: the start of the stretch.
    assert.equal(h.tray_app.view().report?.reminder.nextAt, '2026-03-30T09:00:00.000Z');
    await h.time.advanceTo('2026-03-30T09:00:01.000Z');
    assert.equal(h.tray_app.view().report?.reminder.nextAt, '2026-03-30T13:00:00.000Z');
    await h.time.advanceTo('2026-03-31T19:00:00.000Z');
    h.power.userActive = false; // away for the night
    await h.time.advanceTo('2026-04-01T04:00:00.000Z');
    h.power.userActive = true;
    await h.time.advanceTo('2026-04-02T23:00:00.000Z');
    assert.deepEqual(
      h.tray.balloons.slice(before).map((b) => b.at),
      [
        '2026-03-30T09:00:00.000Z',
        '2026-03-30T13:00:00.000Z',
        '2026-03-30T17:00:00.000Z',
        '2026-03-30T21:00:00.000Z',
        '2026-03-31T01:00:00.000Z',
        '2026-03-31T05:00:00.000Z',
        '2026-03-31T09:00:00.000Z',
        '2026-03-31T13:00:00.000Z',
        '2026-03-31T17:00:00.000Z',
        // Away from 19:00 to 04:00: the 21:00 one waits, offered every ten minutes.
        '2026-04-01T04:10:00.000Z',
        '2026-04-01T08:10:00.000Z',
        // Expired at 09:00 (11:00 in Berlin, a day that had its reminder): the next local days.
        '2026-04-01T22:00:00.000Z',
        '2026-04-02T22:00:00.000Z',
      ],
    );
    assert.equal(h.tray.balloons.at(-1)?.title, 'Password expired');
    // One claim per slot, named by the hours into the local day (Berlin).
    assert.deepEqual(h.engine.claimLog.slice(before - 1, before + 3), [
      JSON.stringify({ year: 2026, month: 3, day: 30 }),
      JSON.stringify({ year: 2026, month: 3, day: 30, fromHour: 8 }),
      JSON.stringify({ year: 2026, month: 3, day: 30, fromHour: 12 }),
      JSON.stringify({ year: 2026, month: 3, day: 30, fromHour: 16 }),
    ]);
    await h.tray_app.quit();
  });

  void it('a slot another process took shows nothing here; the next slot is free', async () => {
    const h = await started({ policyLayer: { finalDays: 2, finalDaysEveryHours: 4 } });
    h.engine.claimedDays.add(JSON.stringify({ year: 2026, month: 3, day: 30, fromHour: 8 }));
    // 08:00-12:00 in Berlin (summer time) is 06:00-10:00 UTC.
    await h.time.advanceTo('2026-03-30T09:59:59.000Z');
    assert.equal(h.tray.balloons.at(-1)?.at, '2026-03-29T22:00:00.000Z', 'taken elsewhere');
    await h.time.advanceTo('2026-03-30T10:00:00.000Z');
    assert.equal(h.tray.balloons.at(-1)?.at, '2026-03-30T10:00:00.000Z', 'from 12:00 it is free');
    await h.tray_app.quit();
  });
});
