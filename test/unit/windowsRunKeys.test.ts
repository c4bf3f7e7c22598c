import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTrayApp } from '../../src/main/trayApp';
import {
  INSTALLER_RUN_VALUE_NAME,
  OWN_RUN_VALUE_NAME,
  createWindowsLoginItems,
} from '../../src/main/windowsLoginItems';
import {
  RUN_KEY,
  STARTUP_APPROVED_KEY,
  ownRunCommand,
  registryRunEntries,
  startupApproved,
} from '../../src/main/windowsRunKeys';
import type { RunKeyHive, RunKeyRegistry } from '../../src/main/windowsRunKeys';
import { RecordingLogger, makeHarness } from '../support/trayFakes';

const EXE = 'C:\\Program Files\\Sign-In Assistant\\Sign-In Assistant.exe';

/** The registry port over a map of `hive\key\name` to a string or bytes. */
class FakeRegistry implements RunKeyRegistry {
  readonly values = new Map<string, string | Uint8Array>();
  readonly writes: string[] = [];
  private static path(hive: RunKeyHive, key: string, name: string): string {
    return `${hive}\\${key}\\${name}`;
  }
  set(hive: RunKeyHive, key: string, name: string, value: string | Uint8Array): void {
    this.values.set(FakeRegistry.path(hive, key, name), value);
  }
  readString(hive: RunKeyHive, key: string, name: string): string | null {
    const value = this.values.get(FakeRegistry.path(hive, key, name));
    return typeof value === 'string' ? value : null;
  }
  readBinary(hive: RunKeyHive, key: string, name: string): Uint8Array | null {
    const value = this.values.get(FakeRegistry.path(hive, key, name));
    return value instanceof Uint8Array ? value : null;
  }
  writeString(hive: RunKeyHive, key: string, name: string, value: string): void {
    this.writes.push(`set ${FakeRegistry.path(hive, key, name)}`);
    this.set(hive, key, name, value);
  }
  deleteValue(hive: RunKeyHive, key: string, name: string): void {
    this.writes.push(`delete ${FakeRegistry.path(hive, key, name)}`);
    this.values.delete(FakeRegistry.path(hive, key, name));
  }
}

const INSTALLER_COMMAND = `"${EXE}" --at-login`;

void describe('the Run keys, read and written directly', () => {
  void it('finds the installer entry in either hive and the own value in HKCU only', () => {
    const registry = new FakeRegistry();
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, INSTALLER_COMMAND);
    registry.set('HKLM', RUN_KEY, OWN_RUN_VALUE_NAME, INSTALLER_COMMAND);
    registry.set('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME, INSTALLER_COMMAND);
    registry.set('HKCU', RUN_KEY, 'SomethingElse', INSTALLER_COMMAND);
    assert.deepEqual(registryRunEntries(registry, EXE).list(), [
      { name: INSTALLER_RUN_VALUE_NAME, scope: 'machine', enabled: true },
      { name: OWN_RUN_VALUE_NAME, scope: 'user', enabled: true },
    ]);
    registry.set('HKCU', RUN_KEY, INSTALLER_RUN_VALUE_NAME, INSTALLER_COMMAND);
    assert.deepEqual(
      registryRunEntries(registry, EXE)
        .list()
        .map((entry) => `${entry.scope} ${entry.name}`),
      [
        `machine ${INSTALLER_RUN_VALUE_NAME}`,
        `user ${INSTALLER_RUN_VALUE_NAME}`,
        `user ${OWN_RUN_VALUE_NAME}`,
      ],
    );
  });

  void it("reads Task Manager's switch from the StartupApproved key of the entry's hive", () => {
    const registry = new FakeRegistry();
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, INSTALLER_COMMAND);
    const off = new Uint8Array([3, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    registry.set('HKCU', STARTUP_APPROVED_KEY, INSTALLER_RUN_VALUE_NAME, off);
    assert.equal(registryRunEntries(registry, EXE).list()[0]?.enabled, true, 'HKCU is not HKLM');
    registry.set('HKLM', STARTUP_APPROVED_KEY, INSTALLER_RUN_VALUE_NAME, off);
    assert.equal(registryRunEntries(registry, EXE).list()[0]?.enabled, false);
  });

  void it('takes an even first byte as approved, an odd one as turned off, none as approved', () => {
    assert.equal(startupApproved(null), true);
    assert.equal(startupApproved(new Uint8Array([])), true);
    assert.equal(startupApproved(new Uint8Array([2, 0, 0, 0])), true);
    assert.equal(startupApproved(new Uint8Array([6, 0, 0, 0])), true);
    assert.equal(startupApproved(new Uint8Array([3, 0, 0, 0])), false);
    assert.equal(startupApproved(new Uint8Array([7, 0, 0, 0])), false);
  });

  void it('writes the own value with the executable quoted, as the installers do', () => {
    assert.equal(ownRunCommand(EXE), INSTALLER_COMMAND);
    const registry = new FakeRegistry();
    const entries = registryRunEntries(registry, EXE);
    entries.setOwnEntry(true);
    assert.equal(registry.readString('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME), INSTALLER_COMMAND);
    entries.setOwnEntry(false);
    assert.deepEqual(registry.writes, [
      `set HKCU\\${RUN_KEY}\\${OWN_RUN_VALUE_NAME}`,
      `delete HKCU\\${RUN_KEY}\\${OWN_RUN_VALUE_NAME}`,
      `delete HKCU\\${STARTUP_APPROVED_KEY}\\${OWN_RUN_VALUE_NAME}`,
    ]);
    assert.equal(registry.values.size, 0);
  });

  void it('policy forcing start at login with the MSI entry under Program Files writes nothing', async () => {
    const registry = new FakeRegistry();
    registry.set('HKLM', RUN_KEY, INSTALLER_RUN_VALUE_NAME, INSTALLER_COMMAND);
    registry.set('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME, INSTALLER_COMMAND);
    const h = makeHarness({
      start: '2026-03-16T08:00:00.000Z',
      lastChanged: '2026-01-01T09:00:00.000Z',
      platform: 'win32',
      policyLayer: { startAtLogin: true },
    });
    h.deps.loginItems = createWindowsLoginItems(
      registryRunEntries(registry, EXE),
      new RecordingLogger(),
    );
    const trayApp = startTrayApp(h.deps);
    await trayApp.started;
    await h.time.settle();
    assert.deepEqual(
      [...registry.values.keys()],
      [`HKLM\\${RUN_KEY}\\${INSTALLER_RUN_VALUE_NAME}`],
    );
    assert.ok(!registry.writes.some((write) => write.startsWith('set ')), 'no value written');
    assert.equal(h.tray.menuItem('start-at-login')?.checked, true);
    await trayApp.quit();
  });
});
