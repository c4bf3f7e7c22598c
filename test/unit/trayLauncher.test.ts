import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/config';
import type { ResolvedConfig } from '../../src/core/config';
import { CONFIG_RETRY_MS, START_RETRY_DELAYS_MS, launchTray } from '../../src/main/trayLauncher';
import type { TrayLaunch, TrayLauncherDeps } from '../../src/main/trayLauncher';
import { startTrayApp } from '../../src/main/trayApp';
import type { TrayApp } from '../../src/main/trayApp';
import { makeHarness } from '../support/trayFakes';
import type { Harness } from '../support/trayFakes';

const BAD_SETTINGS = new ConfigError([
  { key: 'clientId', value: 'not-a-guid', allowed: 'a GUID', source: 'HKLM policy' },
  { key: 'balloonSeconds', value: 0, allowed: '1-60', source: 'HKLM policy' },
]);

interface Launched extends Harness {
  launch: TrayLaunch;
  traysMade: () => number;
  starts: () => number;
  /** Lets the pending engine creation finish (when `holdStart` was set). */
  finishStart: () => void;
  config: { current: ResolvedConfig | Error };
}

function launched(
  options: {
    atLogin?: boolean;
    config?: 'valid' | 'bad';
    startAtLoginChoice?: boolean | null;
    policyLayer?: Record<string, unknown>;
    holdStart?: boolean;
    failStart?: boolean;
    /** The first this many starts fail, the next succeeds. */
    failStarts?: number;
    /** What policy alone says about start at login (read even when other settings are bad). */
    enforced?: boolean | null;
  } = {},
): Launched {
  const h = makeHarness({
    start: '2026-03-16T08:00:00.000Z',
    lastChanged: '2026-01-01T09:00:00.000Z',
    startAtLoginChoice: options.startAtLoginChoice ?? null,
    ...(options.policyLayer ? { policyLayer: options.policyLayer } : {}),
  });
  const config: { current: ResolvedConfig | Error } = {
    current: options.config === 'bad' ? BAD_SETTINGS : h.deps.resolved,
  };
  let traysMade = 0;
  let starts = 0;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const deps: TrayLauncherDeps = {
    atLoginLaunch: options.atLogin ?? false,
    app: h.app,
    timers: h.time.port,
    clock: h.time,
    timeZone: 'Europe/Berlin',
    loggerFor: () => h.logger,
    createTray: () => {
      traysMade += 1;
      return h.tray;
    },
    readConfig: () =>
      config.current instanceof Error
        ? Promise.reject(config.current)
        : Promise.resolve(config.current),
    enforcedStartAtLogin: () => Promise.resolve(options.enforced ?? null),
    preferences: h.preferences,
    dialogs: h.dialogs,
    diagnostics: h.diagnostics,
    shell: h.shell,
    notifications: h.notifications,
    versions: h.deps.versions,
    startApp: async ({ resolved, initialPreferences, tray }): Promise<TrayApp> => {
      starts += 1;
      if (options.holdStart) await held;
      if (options.failStart) throw new Error('the keyring is locked');
      if (starts <= (options.failStarts ?? 0)) throw new Error('the state folder is not ready');
      return startTrayApp({ ...h.deps, resolved, initialPreferences, tray });
    },
  };
  const launch = launchTray(deps);
  return {
    ...h,
    launch,
    traysMade: () => traysMade,
    starts: () => starts,
    finishStart: release,
    config,
  };
}

void describe('tray start-up: the tray first, the slow part after', () => {
  void it('shows the tray in a checking state and listens for a second launch before the engine exists', async () => {
    const h = launched({ holdStart: true });
    // Synchronously, before anything was read: the icon and the listener are there.
    assert.equal(h.traysMade(), 1);
    assert.equal(h.tray.tooltip, 'Sign-In Assistant: Checking…');
    assert.equal(h.tray.menuItem('status')?.label, 'Checking…');
    assert.ok(h.tray.menuItem('quit'));
    assert.ok(h.app.listeners.count() >= 1, 'second-instance is listened for');
    await h.time.settle();
    assert.equal(h.starts(), 1, 'the engine is being made');
    assert.equal(h.launch.state(), 'starting');
    // The user starts the app again while the engine is still being made (offline, 15 s).
    h.app.listeners.emit('second-instance');
    assert.equal(h.windows.created.length, 0, 'no window before the app can answer it');
    h.finishStart();
    assert.equal(await h.launch.settled, 'running');
    await h.time.settle();
    assert.equal(h.windows.created.length, 1, 'the status window opens once the app runs');
    assert.equal(h.tray.icon, 'ok');
    // From now on the tray app answers second launches itself: still one window.
    h.app.listeners.emit('second-instance');
    assert.equal(h.windows.created.length, 1);
    assert.equal(h.windows.created[0]?.focusCount, 2);
    await h.launch.trayApp()?.quit();
    assert.equal(h.app.listeners.count(), 0, 'no listener left behind');
  });

  void it('a start at sign-in decides first, so an opted-out user never sees an icon', async () => {
    const h = launched({ atLogin: true, startAtLoginChoice: false });
    assert.equal(await h.launch.settled, 'ended');
    assert.equal(h.traysMade(), 0);
    assert.equal(h.starts(), 0);
    assert.equal(h.app.quitCalls, 1);
    assert.equal(h.time.armed, 0);
  });

  void it('a policy that turns the start off ends a start at sign-in, whatever the user chose', async () => {
    const h = launched({
      atLogin: true,
      startAtLoginChoice: true,
      policyLayer: { startAtLogin: false },
    });
    h.config.current = h.deps.resolved;
    assert.equal(await h.launch.settled, 'ended');
    assert.equal(h.traysMade(), 0);
    assert.equal(h.app.quitCalls, 1);
  });

  void it('turned off by policy: at sign-in no icon at all, and no engine, no reminder', async () => {
    const h = launched({
      atLogin: true,
      startAtLoginChoice: true,
      policyLayer: { enabled: false },
    });
    h.config.current = h.deps.resolved;
    assert.equal(await h.launch.settled, 'ended');
    assert.equal(h.traysMade(), 0);
    assert.equal(h.starts(), 0, 'no engine, so no check and no reminder');
    assert.equal(h.app.quitCalls, 1);
    assert.equal(h.time.armed, 0);
    assert.equal(h.notifications.shown.length, 0);
    assert.ok(
      h.logger.entries.some((e) =>
        /turned off by policy \(enabled = false, from HKLM policy\)/.test(e.message),
      ),
    );
  });

  void it('turned off by policy: a launch by the user only logs it and quits, with no dialog', async () => {
    const h = launched({ policyLayer: { enabled: false } });
    h.config.current = h.deps.resolved;
    assert.equal(await h.launch.settled, 'ended');
    assert.equal(h.starts(), 0);
    assert.equal(h.dialogs.shown.length, 0);
    assert.equal(h.windows.created.length, 0);
    assert.equal(h.tray.destroyed, true, 'the checking icon is gone');
    assert.equal(h.app.quitCalls, 1);
  });

  void it('quit while the engine is being made: what was made is released', async () => {
    const h = launched({ holdStart: true });
    await h.time.settle();
    h.tray.menuItem('quit')?.click?.();
    assert.equal(h.app.quitCalls, 1);
    assert.equal(h.tray.destroyed, true);
    h.finishStart();
    assert.equal(await h.launch.settled, 'ended');
    await h.time.settle();
    assert.equal(h.engine.disposed, true);
    assert.equal(h.time.armed, 0);
  });

  void it('a failed start shows in the tray, with diagnostics and Quit, and no dialog', async () => {
    const h = launched({ failStart: true });
    assert.equal(await h.launch.settled, 'start-failed');
    assert.equal(h.tray.icon, 'error');
    assert.match(h.tray.tooltip, /could not start/);
    assert.equal(h.dialogs.shown.length, 0);
    assert.ok(
      h.logger.entries.some((e) => e.level === 'error' && /could not start/.test(e.message)),
    );
    h.tray.menuItem('quit')?.click?.();
    assert.equal(h.app.quitCalls, 1);
  });

  void it('a failed start is tried again with backoff, saying so, until it starts', async () => {
    const h = launched({ failStarts: 2 });
    assert.equal(await h.launch.settled, 'start-failed');
    assert.match(h.tray.tooltip, /could not start; it tries again in 1 minute/);
    await h.time.advance((START_RETRY_DELAYS_MS[0] ?? 0) - 1);
    assert.equal(h.starts(), 1, 'not before the first wait is over');
    await h.time.advance(1);
    assert.equal(h.starts(), 2);
    assert.equal(h.launch.state(), 'start-failed');
    assert.match(h.tray.tooltip, /tries again in 2 minutes/);
    await h.time.advance(START_RETRY_DELAYS_MS[1] ?? 0);
    assert.equal(h.starts(), 3);
    assert.equal(h.launch.state(), 'running');
    assert.equal(h.tray.icon, 'ok');
    await h.launch.trayApp()?.quit();
  });
});

void describe('tray start-up: settings that are not valid', () => {
  void it('at sign-in, a user who turned start at login off is not bothered: it quits quietly', async () => {
    const h = launched({ atLogin: true, config: 'bad', startAtLoginChoice: false });
    assert.equal(await h.launch.settled, 'ended');
    assert.equal(h.traysMade(), 0, 'no icon');
    assert.equal(h.dialogs.shown.length, 0, 'no dialog');
    assert.equal(h.app.quitCalls, 1);
    assert.equal(h.time.armed, 0, 'nothing left to retry');
  });

  void it('at sign-in, a policy that turns the start off is honoured too, even with bad settings', async () => {
    const h = launched({ atLogin: true, config: 'bad', enforced: false });
    assert.equal(await h.launch.settled, 'ended');
    assert.equal(h.traysMade(), 0);
    assert.equal(h.app.quitCalls, 1);
  });

  void it('otherwise the tray shows the problem, without a modal, and keeps diagnostics and Quit', async () => {
    const h = launched({ atLogin: true, config: 'bad' });
    assert.equal(await h.launch.settled, 'config-error');
    assert.equal(h.tray.icon, 'error');
    const line =
      'Configuration error (HKLM policy): "clientId" is "not-a-guid"; allowed: a GUID. (and 1 more)';
    assert.equal(h.tray.menuItem('status')?.label, line);
    assert.equal(h.tray.menuItem('status')?.enabled, false);
    assert.ok(h.tray.tooltip.startsWith('Sign-In Assistant: Configuration error (HKLM policy)'));
    assert.ok(h.tray.tooltip.length <= 127);
    assert.deepEqual(
      h.tray.menu.map((item) => item.id),
      ['status', 'separator-1', 'collect-diagnostics', 'separator-2', 'quit'],
    );
    assert.equal(h.dialogs.shown.length, 0, 'no dialog at sign-in');
    assert.equal(h.app.quitCalls, 0, 'it stays for the session');
    assert.equal(h.starts(), 0, 'no engine with bad settings');
    // Diagnostics carry the reason for IT.
    h.tray.menuItem('collect-diagnostics')?.click?.();
    await h.time.settle();
    assert.equal(h.diagnostics.inputs.length, 1);
    assert.equal(h.diagnostics.inputs[0]?.resolved, null);
    assert.equal(h.diagnostics.inputs[0]?.configError, BAD_SETTINGS.message);
    assert.equal(h.shell.shownInFolder.length, 1);
    // A launch by the user explains it in a box that blocks nothing.
    h.app.listeners.emit('second-instance');
    await h.time.settle();
    assert.equal(h.dialogs.shown.length, 1);
    assert.equal(h.dialogs.shown[0]?.message, BAD_SETTINGS.message);
    h.tray.menuItem('quit')?.click?.();
    assert.equal(h.app.quitCalls, 1);
    assert.equal(h.time.armed, 0, 'the retry timer is gone');
    assert.equal(h.tray.destroyed, true);
  });

  void it('reads the settings again every minute and starts properly once they are valid', async () => {
    const h = launched({ config: 'bad' });
    assert.equal(await h.launch.settled, 'config-error');
    await h.time.advance(5 * CONFIG_RETRY_MS);
    assert.equal(h.launch.state(), 'config-error');
    assert.equal(h.time.armed, 1, 'one retry timer');
    const errors = h.logger.entries.filter(
      (e) => e.level === 'error' && /configuration error/.test(e.message),
    );
    assert.equal(errors.length, 1, 'the same problem is logged once, not every minute');
    // IT fixes the policy.
    h.config.current = h.deps.resolved;
    await h.time.advance(CONFIG_RETRY_MS);
    assert.equal(h.launch.state(), 'running');
    assert.equal(h.starts(), 1);
    assert.equal(h.engine.checks, 1, 'the first check ran');
    assert.equal(h.tray.icon, 'ok');
    assert.equal(h.tray.menuItem('status')?.label, 'Password expires in 16 days');
    assert.ok(h.logger.messages('info').includes('the settings are valid now; starting'));
    assert.equal(h.traysMade(), 1, 'the same icon throughout');
    await h.launch.trayApp()?.quit();
    assert.equal(h.time.armed, 0);
  });
});
