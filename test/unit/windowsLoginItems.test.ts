import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { APP_USER_MODEL_ID } from '../../src/main/electron/windowSecurity';
import { startTrayApp } from '../../src/main/trayApp';
import {
  INSTALLER_RUN_VALUE_NAME,
  OWN_RUN_VALUE_NAME,
  createWindowsLoginItems,
} from '../../src/main/windowsLoginItems';
import type { RunEntriesPort, RunEntry } from '../../src/main/windowsLoginItems';
import { RecordingLogger, makeHarness } from '../support/trayFakes';

const root = join(__dirname, '..', '..');

/** The Run values of this executable in HKCU and HKLM, with Task Manager's switch. */
class FakeRunKeys implements RunEntriesPort {
  readonly entries: RunEntry[];
  /** Every write of the app's own HKCU value: true written, false removed. */
  readonly ownWrites: boolean[] = [];
  constructor(entries: RunEntry[] = []) {
    this.entries = entries.map((entry) => ({ ...entry }));
  }
  list(): readonly RunEntry[] {
    return this.entries.map((entry) => ({ ...entry }));
  }
  setOwnEntry(enabled: boolean): void {
    this.ownWrites.push(enabled);
    const at = this.entries.findIndex((e) => e.name === OWN_RUN_VALUE_NAME && e.scope === 'user');
    if (at >= 0) this.entries.splice(at, 1);
    if (enabled) this.entries.push({ name: OWN_RUN_VALUE_NAME, scope: 'user', enabled: true });
  }
  userValues(): string[] {
    return this.entries.filter((e) => e.scope === 'user').map((e) => e.name);
  }
}

const MSI_ENTRY: RunEntry = { name: INSTALLER_RUN_VALUE_NAME, scope: 'machine', enabled: true };
const OLD_OWN_ENTRY: RunEntry = { name: OWN_RUN_VALUE_NAME, scope: 'user', enabled: true };

async function trayWith(
  runKeys: FakeRunKeys,
  options: Partial<Parameters<typeof makeHarness>[0]> = {},
) {
  const h = makeHarness({
    start: '2026-03-16T08:00:00.000Z',
    lastChanged: '2026-01-01T09:00:00.000Z',
    platform: 'win32',
    ...options,
  });
  const logger = new RecordingLogger();
  h.deps.loginItems = createWindowsLoginItems(runKeys, logger);
  const trayApp = startTrayApp(h.deps);
  await trayApp.started;
  await h.time.settle();
  return { ...h, trayApp, loginLogger: logger };
}

void describe('Windows start at login: the installers own the Run entry', () => {
  void it('policy forcing start at login writes no per-user Run value next to the MSI entry', async () => {
    const runKeys = new FakeRunKeys([MSI_ENTRY]);
    const h = await trayWith(runKeys, { policyLayer: { startAtLogin: true } });
    assert.deepEqual(runKeys.userValues(), [], 'no HKCU Run value: one start per sign-in');
    assert.ok(!runKeys.ownWrites.includes(true));
    const item = h.tray.menuItem('start-at-login');
    assert.equal(item?.checked, true);
    assert.equal(item?.enabled, false, 'greyed out: decided by policy');
    await h.trayApp.quit();
  });

  void it('the user choice goes to preferences.json, never to a Run value', async () => {
    const runKeys = new FakeRunKeys([MSI_ENTRY]);
    const h = await trayWith(runKeys);
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(h.preferences.writes, [false]);
    assert.equal(h.tray.menuItem('start-at-login')?.checked, false);
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(h.preferences.writes, [false, true]);
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true);
    assert.deepEqual(runKeys.userValues(), []);
    assert.ok(!runKeys.ownWrites.includes(true));
    await h.trayApp.quit();
  });

  void it('removes the per-user value an earlier version wrote, at start', async () => {
    const runKeys = new FakeRunKeys([MSI_ENTRY, OLD_OWN_ENTRY]);
    const h = await trayWith(runKeys, { policyLayer: { startAtLogin: true } });
    assert.deepEqual(runKeys.userValues(), [], 'the duplicate is gone');
    assert.deepEqual(runKeys.entries, [MSI_ENTRY], 'the installer entry is untouched');
    assert.ok(h.loginLogger.messages('info').some((m) => /removed the per-user/.test(m)));
    await h.trayApp.quit();
  });

  void it('a per-user NSIS install (HKCU SignInAssistant) counts as the installer entry too', async () => {
    const nsisEntry: RunEntry = { name: INSTALLER_RUN_VALUE_NAME, scope: 'user', enabled: true };
    const runKeys = new FakeRunKeys([nsisEntry, OLD_OWN_ENTRY]);
    const h = await trayWith(runKeys);
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(runKeys.userValues(), [INSTALLER_RUN_VALUE_NAME]);
    await h.trayApp.quit();
  });

  void it("reads Task Manager's switch: turned off there, the box is clear and says where", async () => {
    const runKeys = new FakeRunKeys([{ ...MSI_ENTRY, enabled: false }]);
    const h = await trayWith(runKeys, { startAtLoginChoice: true });
    const item = h.tray.menuItem('start-at-login');
    assert.equal(item?.checked, false, 'it will not start at sign-in');
    assert.equal(item?.enabled, false, 'only Startup apps can turn it on again');
    assert.equal(item?.label, 'Start at login (turned off in Startup apps)');
    assert.equal(h.trayApp.settings().startAtLogin.enabled, false);
    // Turned on again in Task Manager: the next look shows it.
    runKeys.entries[0] = { ...MSI_ENTRY, enabled: true };
    await h.trayApp.checkNow();
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true);
    assert.equal(h.tray.menuItem('start-at-login')?.label, 'Start at login');
    await h.trayApp.quit();
  });

  void it('with no installer entry (a copy run from a folder) the own per-user value is the setting', () => {
    const runKeys = new FakeRunKeys([]);
    const items = createWindowsLoginItems(runKeys, new RecordingLogger());
    assert.equal(items.isEnabled(), false);
    items.setEnabled(true);
    assert.deepEqual(runKeys.userValues(), [OWN_RUN_VALUE_NAME]);
    assert.equal(items.isEnabled(), true);
    runKeys.entries[0] = { ...OLD_OWN_ENTRY, enabled: false };
    assert.equal(items.isEnabled(), false, 'turned off in Task Manager');
    assert.equal(items.disabledBySystem(), true);
    items.setEnabled(false);
    assert.deepEqual(runKeys.userValues(), []);
  });

  void it('names the same values as the installers and as earlier versions', async () => {
    const msi = (await import(
      pathToFileURL(join(root, 'deploy', 'msiProjectCreated.mjs')).href
    )) as { RUN_VALUE_NAME: string };
    assert.equal(INSTALLER_RUN_VALUE_NAME, msi.RUN_VALUE_NAME);
    const nsis = await readFile(join(root, 'deploy', 'installer', 'installer.nsh'), 'utf8');
    assert.match(
      nsis,
      new RegExp(`!define SIGNIN_ASSISTANT_RUN_VALUE "${INSTALLER_RUN_VALUE_NAME}"`),
    );
    // Electron names its login item after the app user model ID unless told otherwise.
    assert.equal(OWN_RUN_VALUE_NAME, APP_USER_MODEL_ID);
  });

  void it('Run keys that cannot be read change nothing and break nothing', async () => {
    const runKeys = new FakeRunKeys([MSI_ENTRY]);
    runKeys.list = () => {
      throw new Error('access denied');
    };
    const h = await trayWith(runKeys);
    h.tray.menuItem('start-at-login')?.click?.();
    await h.time.settle();
    assert.deepEqual(runKeys.ownWrites, [], 'no Run value written blind');
    assert.deepEqual(h.preferences.writes, [false], 'the choice is still kept');
    assert.ok(h.loginLogger.messages('error').includes('the start-up entries could not be read'));
    await h.trayApp.quit();
  });
});
