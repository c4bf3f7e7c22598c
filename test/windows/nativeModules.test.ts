/**
 * The native modules of a Windows install (`npm ci --os=win32 --cpu=x64 --ignore-scripts`: nothing
 * built, nothing downloaded by an install script), as electron-builder packs them with npmRebuild
 * off: each one the app uses on Windows has its x64 Node-API binary, and it loads and works here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import type * as Koffi from 'koffi' with { 'resolution-mode': 'import' };
import type * as NativeReg from 'native-reg';
import { MACHINE_X64, isNodeApiAddon, readPeImage } from '../support/peImage';
import {
  NOT_USED_ON_WINDOWS,
  WINDOWS_NATIVE_MODULES,
  nativePackages,
} from '../support/nativeModules';
import { assertWindows } from './support/testRegistry';

const root = join(__dirname, '..', '..');

test('runs under the Windows node.exe', () => assertWindows());

describe('native modules of the Windows install', () => {
  test('are the ones the Linux install has: none only on one side', () => {
    assert.deepEqual(
      nativePackages(root),
      [...Object.keys(WINDOWS_NATIVE_MODULES), ...Object.keys(NOT_USED_ON_WINDOWS)].sort(),
    );
  });

  for (const [name, module] of Object.entries(WINDOWS_NATIVE_MODULES)) {
    test(`${name}: an x64 Node-API DLL from ${module.shippedIn}`, () => {
      const image = readPeImage(readFileSync(join(root, 'node_modules', module.binary)));
      assert.equal(image.machine, MACHINE_X64);
      assert.ok(image.isDll);
      assert.ok(isNodeApiAddon(image), 'Node-API only: it loads in Electron without a rebuild');
    });
  }

  test('native-reg loads its prebuilt binary and reads the registry', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const reg = require('native-reg') as typeof NativeReg;
    const key = reg.openKey(
      reg.HKEY.LOCAL_MACHINE,
      'Software\\Microsoft\\Windows NT\\CurrentVersion',
      reg.Access.READ,
    );
    assert.ok(key !== null);
    try {
      assert.equal(typeof reg.queryValue(key, 'CurrentBuildNumber'), 'string');
    } finally {
      reg.closeKey(key);
    }
  });

  test("koffi loads @koromix/koffi-win32-x64's binary and calls kernel32", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const koffi = require('koffi') as typeof Koffi;
    const GetCurrentProcessId = koffi.load('kernel32.dll').func('uint32_t GetCurrentProcessId()');
    assert.equal(GetCurrentProcessId(), process.pid);
  });

  test("msal-node-extensions' dpapi.node protects and unprotects for this user", async () => {
    // Not an export of the package: its file, as the package's own DPAPI store loads it.
    const file = join(root, 'node_modules', '@azure', 'msal-node-extensions', 'dist', 'Dpapi.mjs');
    const { Dpapi } = (await import(pathToFileURL(file).href)) as {
      Dpapi: {
        protectData(data: Uint8Array, entropy: Uint8Array | null, scope: string): Uint8Array;
        unprotectData(data: Uint8Array, entropy: Uint8Array | null, scope: string): Uint8Array;
      };
    };
    const secret = Buffer.from('not on disk in the clear');
    const blob = Buffer.from(Dpapi.protectData(secret, null, 'CurrentUser'));
    assert.ok(!blob.includes(secret));
    assert.ok(Buffer.from(Dpapi.unprotectData(blob, null, 'CurrentUser')).equals(secret));
  });

  test('msal-node-runtime (the broker) loads its binary', async () => {
    const runtime = (await import('@azure/msal-node-runtime')) as Record<string, unknown>;
    assert.ok(Object.keys(runtime).length > 0);
  });

  test('keytar is not used on Windows', { skip: NOT_USED_ON_WINDOWS.keytar }, () => undefined);
});
