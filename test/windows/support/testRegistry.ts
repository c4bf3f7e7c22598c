/**
 * Registry values a Windows test writes, through native-reg (the module the product reads them
 * with), each recorded so that `cleanUp()` (called after each test) deletes it again, and the keys
 * the test created with it. The prefix's registry persists between runs: nothing may stay.
 */
import assert from 'node:assert/strict';
import type * as NativeRegModule from 'native-reg';

type NativeReg = typeof NativeRegModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reg = require('native-reg') as NativeReg;

export type Hive = 'HKLM' | 'HKCU';

export type TestValue =
  | { type: 'string'; value: string }
  | { type: 'dword'; value: number }
  | { type: 'qword'; value: bigint }
  | { type: 'multi-string'; value: string[] }
  | { type: 'binary'; value: Uint8Array };

const root = (hive: Hive) => (hive === 'HKLM' ? reg.HKEY.LOCAL_MACHINE : reg.HKEY.CURRENT_USER);
const ACCESS = reg.Access.ALL_ACCESS | reg.Access.WOW64_64KEY;

/** Fails the test unless it runs under the Windows node.exe. */
export function assertWindows(): void {
  assert.equal(process.platform, 'win32', 'a Windows test runs only under the Windows node.exe');
}

export class TestRegistry {
  private readonly values: { hive: Hive; key: string; name: string }[] = [];
  private readonly createdKeys: { hive: Hive; key: string }[] = [];

  set(hive: Hive, key: string, name: string, value: TestValue): void {
    this.noteCreated(hive, key);
    const handle = reg.createKey(root(hive), key, ACCESS);
    try {
      this.values.push({ hive, key, name });
      switch (value.type) {
        case 'string':
          reg.setValueSZ(handle, name, value.value);
          break;
        case 'dword':
          reg.setValueDWORD(handle, name, value.value);
          break;
        case 'qword':
          reg.setValueQWORD(handle, name, value.value);
          break;
        case 'multi-string':
          reg.setValueMULTI_SZ(handle, name, value.value);
          break;
        case 'binary':
          reg.setValueRaw(handle, name, reg.ValueType.BINARY, Buffer.from(value.value));
          break;
      }
    } finally {
      reg.closeKey(handle);
    }
  }

  /** Records a value the code under test may write, so that it is deleted after the test too. */
  expect(hive: Hive, key: string, name: string): void {
    this.noteCreated(hive, key);
    this.values.push({ hive, key, name });
  }

  /** The value's type and data, or null when it is not there. */
  get(hive: Hive, key: string, name: string): { type: number; data: Buffer } | null {
    const handle = reg.openKey(root(hive), key, reg.Access.READ | reg.Access.WOW64_64KEY);
    if (handle === null) return null;
    try {
      const raw = reg.queryValueRaw(handle, name);
      return raw === null ? null : { type: raw.type, data: Buffer.from(raw) };
    } finally {
      reg.closeKey(handle);
    }
  }

  getString(hive: Hive, key: string, name: string): string | null {
    const value = this.get(hive, key, name);
    return value === null ? null : reg.parseString(value.data);
  }

  /** Remembers the outermost key that writing under `key` creates. */
  private noteCreated(hive: Hive, key: string): void {
    const parts = key.split('\\');
    for (let depth = 1; depth <= parts.length; depth++) {
      const prefix = parts.slice(0, depth).join('\\');
      if (!this.exists(hive, prefix)) {
        this.createdKeys.push({ hive, key: prefix });
        return;
      }
    }
  }

  exists(hive: Hive, key: string): boolean {
    const handle = reg.openKey(root(hive), key, reg.Access.READ | reg.Access.WOW64_64KEY);
    reg.closeKey(handle);
    return handle !== null;
  }

  /** Deletes every recorded value, then every key the test created (deepest first). */
  cleanUp(): void {
    for (const { hive, key, name } of this.values.splice(0)) {
      const handle = reg.openKey(root(hive), key, ACCESS);
      if (handle === null) continue;
      try {
        reg.deleteValue(handle, name);
      } finally {
        reg.closeKey(handle);
      }
    }
    const keys = this.createdKeys.splice(0).sort((a, b) => b.key.length - a.key.length);
    for (const { hive, key } of keys) reg.deleteTree(root(hive), key);
  }
}
