/**
 * Start at login against the real registry: the installers' Run entry under an install path with
 * spaces, the app's own HKCU value, Task Manager's StartupApproved switch, and reg.exe (what an
 * admin looks with) seeing the same values. Every value is deleted after each test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, test } from 'node:test';
import { startTrayApp } from '../../src/main/trayApp';
import { INSTALLER_RUN_VALUE_NAME, OWN_RUN_VALUE_NAME } from '../../src/main/windowsLoginItems';
import { createWindowsLoginItems } from '../../src/main/windowsLoginItems';
import {
  RUN_KEY,
  STARTUP_APPROVED_KEY,
  createNativeRunKeyRegistry,
  registryRunEntries,
} from '../../src/main/windowsRunKeys';
import { RecordingLogger, makeHarness } from '../support/trayFakes';
import { TestRegistry, assertWindows } from './support/testRegistry';

const EXE = 'C:\\Program Files\\Sign-In Assistant\\Sign-In Assistant.exe';
const INSTALLER_COMMAND = `"${EXE}" --at-login`;
/** Task Manager's bytes: 02 = may run, 03 = turned off (then the time it was turned off). */
const APPROVED = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const TURNED_OFF = new Uint8Array([3, 0, 0, 0, 0x10, 0x2d, 0x4f, 0x8a, 0x4e, 0x7b, 0xdc, 0x01]);

const registry = new TestRegistry();
afterEach(() => registry.cleanUp());

function windowsLoginItems(logger = new RecordingLogger()) {
  const entries = registryRunEntries(createNativeRunKeyRegistry(), EXE);
  return { items: createWindowsLoginItems(entries, logger), entries, logger };
}

/** What `reg query` prints for a value, or null when it says there is none. */
function regQuery(key: string, name: string): string | null {
  try {
    return execFileSync('reg.exe', ['query', key, '/v', name], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

test('runs under the Windows node.exe', () => assertWindows());

describe('start at login in the real registry', () => {
  test('finds the MSI entry under C:\\Program Files and removes the stale per-user value', () => {
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, {
      type: 'string',
      value: INSTALLER_COMMAND,
    });
    registry.set('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME, { type: 'string', value: INSTALLER_COMMAND });
    const { items, entries, logger } = windowsLoginItems();
    assert.deepEqual(entries.list(), [
      { name: INSTALLER_RUN_VALUE_NAME, scope: 'machine', enabled: true },
    ]);
    assert.equal(registry.get('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME), null, 'gone from HKCU');
    assert.equal(regQuery(`HKCU\\${RUN_KEY}`, OWN_RUN_VALUE_NAME), null, 'reg.exe agrees');
    assert.ok(logger.messages('info').some((m) => /removed the per-user/.test(m)));
    assert.equal(registry.getString('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME), INSTALLER_COMMAND);
    assert.equal(items.isEnabled(), true);
  });

  test('policy forcing start at login writes no HKCU value beside the machine-wide one', async () => {
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, {
      type: 'string',
      value: INSTALLER_COMMAND,
    });
    registry.expect('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME);
    const h = makeHarness({
      start: '2026-03-16T08:00:00.000Z',
      lastChanged: '2026-01-01T09:00:00.000Z',
      platform: 'win32',
      policyLayer: { startAtLogin: true },
    });
    h.deps.loginItems = windowsLoginItems().items;
    const trayApp = startTrayApp(h.deps);
    await trayApp.started;
    await h.time.settle();
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true);
    assert.equal(h.tray.menuItem('start-at-login')?.enabled, false, 'decided by policy');
    await trayApp.quit();
    assert.equal(registry.get('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME), null, 'one start per sign-in');
  });

  test("reads Task Manager's switch for the machine-wide and the per-user entry", () => {
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, {
      type: 'string',
      value: INSTALLER_COMMAND,
    });
    registry.set('HKLM', STARTUP_APPROVED_KEY, INSTALLER_RUN_VALUE_NAME, {
      type: 'binary',
      value: TURNED_OFF,
    });
    const { items } = windowsLoginItems();
    assert.equal(items.isEnabled(), false);
    assert.equal(items.disabledBySystem(), true);
    registry.set('HKLM', STARTUP_APPROVED_KEY, INSTALLER_RUN_VALUE_NAME, {
      type: 'binary',
      value: APPROVED,
    });
    assert.equal(items.isEnabled(), true, 'turned on again in Task Manager');
    assert.equal(items.disabledBySystem(), false);
  });

  test('a per-user NSIS install (HKCU SignInAssistant) is the installer entry too', () => {
    registry.set('HKCU', RUN_KEY, INSTALLER_RUN_VALUE_NAME, {
      type: 'string',
      value: INSTALLER_COMMAND,
    });
    registry.expect('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME);
    const { items } = windowsLoginItems();
    items.setEnabled(true);
    assert.equal(registry.get('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME), null);
    assert.equal(items.isEnabled(), true);
  });

  test('without an installer entry the own HKCU value is the setting, written quoted', () => {
    registry.expect('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME);
    registry.expect('HKCU', STARTUP_APPROVED_KEY, OWN_RUN_VALUE_NAME);
    const { items } = windowsLoginItems();
    assert.equal(items.isEnabled(), false);
    items.setEnabled(true);
    assert.equal(registry.getString('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME), INSTALLER_COMMAND);
    assert.match(
      regQuery(`HKCU\\${RUN_KEY}`, OWN_RUN_VALUE_NAME) ?? '',
      /REG_SZ\s+"C:\\Program Files\\Sign-In Assistant\\Sign-In Assistant\.exe" --at-login/,
    );
    assert.equal(items.isEnabled(), true);
    registry.set('HKCU', STARTUP_APPROVED_KEY, OWN_RUN_VALUE_NAME, {
      type: 'binary',
      value: TURNED_OFF,
    });
    assert.equal(items.disabledBySystem(), true, 'turned off in Task Manager');
    items.setEnabled(false);
    assert.equal(registry.get('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME), null);
    assert.equal(registry.get('HKCU', STARTUP_APPROVED_KEY, OWN_RUN_VALUE_NAME), null);
  });

  test('a value of the wrong type is no entry', () => {
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, { type: 'dword', value: 1 });
    assert.deepEqual(windowsLoginItems().entries.list(), []);
  });
});
