/**
 * The Run entries of start at login on Windows, read and written in the registry itself (never
 * through Electron's login item settings, which look an entry up by an unquoted executable path
 * and so never find it under C:\Program Files): the installers' value in HKLM or HKCU, the app's
 * own HKCU value, and Task Manager's Startup switch for each (StartupApproved).
 */
import type * as NativeRegModule from 'native-reg';
import { AT_LOGIN_ARGUMENT } from './commandLine';
import { INSTALLER_RUN_VALUE_NAME, OWN_RUN_VALUE_NAME } from './windowsLoginItems';
import type { RunEntriesPort, RunEntry } from './windowsLoginItems';

/** The key every sign-in reads (HKLM for every user, HKCU for one). */
export const RUN_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';
/** Where Task Manager and Settings › Apps › Startup keep their switch for each Run value. */
export const STARTUP_APPROVED_KEY =
  'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run';

export type RunKeyHive = 'HKLM' | 'HKCU';

/** The few registry operations start at login needs (tests use a fake; Windows, native-reg). */
export interface RunKeyRegistry {
  /** A string value; null when the key or the value is missing, or it is not a string. */
  readString(hive: RunKeyHive, key: string, name: string): string | null;
  /** A binary value's bytes; null when the key or the value is missing, or it is not binary. */
  readBinary(hive: RunKeyHive, key: string, name: string): Uint8Array | null;
  /** Writes a REG_SZ value, creating the key when needed. */
  writeString(hive: RunKeyHive, key: string, name: string, value: string): void;
  /** Removes a value; nothing happens when it is not there. */
  deleteValue(hive: RunKeyHive, key: string, name: string): void;
}

/** The command line of the app's own entry: the executable quoted, as the installers write it. */
export function ownRunCommand(executable: string): string {
  return `"${executable}" ${AT_LOGIN_ARGUMENT}`;
}

/**
 * Task Manager's switch: the first byte of the StartupApproved value is even (2, 6) when the entry
 * may run and odd (3, 7) when it was turned off. No value (never touched) means enabled.
 */
export function startupApproved(bytes: Uint8Array | null): boolean {
  if (bytes === null || bytes.length === 0) return true;
  return ((bytes[0] ?? 0) & 1) === 0;
}

const HIVE_OF_SCOPE = { machine: 'HKLM', user: 'HKCU' } as const;

/** The entries the product knows by name: the installers' (either scope) and its own (HKCU). */
const KNOWN: readonly { name: string; scope: RunEntry['scope'] }[] = [
  { name: INSTALLER_RUN_VALUE_NAME, scope: 'machine' },
  { name: INSTALLER_RUN_VALUE_NAME, scope: 'user' },
  { name: OWN_RUN_VALUE_NAME, scope: 'user' },
];

/** The Run entries port over the registry, for the executable at `executable`. */
export function registryRunEntries(registry: RunKeyRegistry, executable: string): RunEntriesPort {
  return {
    list() {
      const entries: RunEntry[] = [];
      for (const { name, scope } of KNOWN) {
        const hive = HIVE_OF_SCOPE[scope];
        if (registry.readString(hive, RUN_KEY, name) === null) continue;
        const enabled = startupApproved(registry.readBinary(hive, STARTUP_APPROVED_KEY, name));
        entries.push({ name, scope, enabled });
      }
      return entries;
    },
    setOwnEntry(enabled) {
      if (enabled) {
        registry.writeString('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME, ownRunCommand(executable));
        return;
      }
      registry.deleteValue('HKCU', RUN_KEY, OWN_RUN_VALUE_NAME);
      // Task Manager's switch for a value that is gone would only confuse a later one.
      registry.deleteValue('HKCU', STARTUP_APPROVED_KEY, OWN_RUN_VALUE_NAME);
    },
  };
}

type NativeReg = typeof NativeRegModule;

/** The registry through native-reg (never reg.exe, which locked-down machines block). */
export function createNativeRunKeyRegistry(): RunKeyRegistry {
  let loaded: NativeReg | null = null;
  // Loaded on first use: the module has no binary outside Windows.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reg = (): NativeReg => (loaded ??= require('native-reg') as NativeReg);
  const root = (hive: RunKeyHive) =>
    hive === 'HKLM' ? reg().HKEY.LOCAL_MACHINE : reg().HKEY.CURRENT_USER;
  // The app is 64-bit, and so are the installers' entries: never the WOW6432Node view.
  const read = (hive: RunKeyHive, key: string, name: string) => {
    const handle = reg().openKey(root(hive), key, reg().Access.READ | reg().Access.WOW64_64KEY);
    if (handle === null) return null;
    try {
      return reg().queryValueRaw(handle, name);
    } finally {
      reg().closeKey(handle);
    }
  };
  return {
    readString(hive, key, name) {
      const raw = read(hive, key, name);
      const { SZ, EXPAND_SZ } = reg().ValueType;
      return raw !== null && (raw.type === SZ || raw.type === EXPAND_SZ)
        ? reg().parseString(raw)
        : null;
    },
    readBinary(hive, key, name) {
      const raw = read(hive, key, name);
      return raw !== null && raw.type === reg().ValueType.BINARY ? new Uint8Array(raw) : null;
    },
    writeString(hive, key, name, value) {
      const access = reg().Access.SET_VALUE | reg().Access.WOW64_64KEY;
      const handle = reg().createKey(root(hive), key, access);
      try {
        reg().setValueSZ(handle, name, value);
      } finally {
        reg().closeKey(handle);
      }
    },
    deleteValue(hive, key, name) {
      const access = reg().Access.SET_VALUE | reg().Access.WOW64_64KEY;
      const handle = reg().openKey(root(hive), key, access);
      if (handle === null) return;
      try {
        reg().deleteValue(handle, name);
      } finally {
        reg().closeKey(handle);
      }
    },
  };
}
