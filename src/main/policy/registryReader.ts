/**
 * The Windows registry behind a small port, so the policy reader can be tested with a test
 * registry and the native module is loaded only on Windows.
 */

import type * as NativeRegModule from 'native-reg';
import type { Value as NativeRegValue } from 'native-reg';

export type RegistryHive = 'HKLM' | 'HKCU';

/** A registry value as the policy reader needs it. */
export type RegistryValue =
  | { type: 'string'; value: string }
  | { type: 'dword'; value: number }
  | { type: 'qword'; value: number | bigint }
  | { type: 'multi-string'; value: string[] }
  | { type: 'other'; description: string };

export interface RegistryReader {
  /** Every value under `hive\key`, or null when the key does not exist. */
  readValues(hive: RegistryHive, key: string): Promise<Map<string, RegistryValue> | null>;
}

type NativeReg = typeof NativeRegModule;

/**
 * Reads the registry through the native-reg N-API module (never reg.exe, which locked-down
 * machines block). The module is loaded on first use.
 */
export function createNativeRegistryReader(): RegistryReader {
  let loaded: Promise<NativeReg> | null = null;
  const load = (): Promise<NativeReg> => (loaded ??= import('native-reg'));
  return {
    async readValues(hive, key) {
      const reg = await load();
      const root = hive === 'HKLM' ? reg.HKEY.LOCAL_MACHINE : reg.HKEY.CURRENT_USER;
      // Policy keys are not redirected for 32-bit processes, but ask for the 64-bit view anyway.
      const handle = reg.openKey(root, key, reg.Access.READ | reg.Access.WOW64_64KEY);
      if (handle === null) return null;
      try {
        const values = new Map<string, RegistryValue>();
        for (const name of reg.enumValueNames(handle)) {
          const raw = reg.queryValueRaw(handle, name);
          if (raw === null) continue;
          values.set(name, toRegistryValue(reg, raw));
        }
        return values;
      } finally {
        reg.closeKey(handle);
      }
    },
  };
}

function toRegistryValue(reg: NativeReg, raw: NativeRegValue): RegistryValue {
  const parsed = reg.parseValue(raw);
  switch (raw.type) {
    case reg.ValueType.SZ:
    case reg.ValueType.EXPAND_SZ:
      return { type: 'string', value: String(parsed) };
    case reg.ValueType.DWORD:
    case reg.ValueType.DWORD_BIG_ENDIAN:
      return { type: 'dword', value: Number(parsed) };
    case reg.ValueType.QWORD:
      return { type: 'qword', value: typeof parsed === 'bigint' ? parsed : Number(parsed) };
    case reg.ValueType.MULTI_SZ:
      return { type: 'multi-string', value: Array.isArray(parsed) ? parsed.map(String) : [] };
    default:
      return { type: 'other', description: `(registry value of type ${raw.type})` };
  }
}
