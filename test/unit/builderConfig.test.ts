import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { DebugLogger, log as builderLog } from 'builder-util';
import type { Configuration } from 'app-builder-lib';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher';
import { convertIcon } from 'app-builder-lib/out/util/iconConverter';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { resolveFunction } from 'app-builder-lib/out/util/resolve';
import { MACHINE_X64, isNodeApiAddon, readPeImage } from '../support/peImage';
import {
  NOT_USED_ON_WINDOWS,
  WINDOWS_NATIVE_MODULES,
  nativePackages,
} from '../support/nativeModules';

const root = join(__dirname, '..', '..');
// The builder writes progress lines to stdout in pieces, which garbles the test runner's stream.
Object.defineProperty(builderLog, 'stream', {
  value: new Writable({ write: (_chunk, _encoding, done) => done() }),
});

/** Loads electron-builder.yml the way `electron-builder` does. */
async function loadBuilderConfig(): Promise<Configuration> {
  return getConfig(root, join(root, 'electron-builder.yml'), null);
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own validator", async () => {
    const config = await loadBuilderConfig();
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('is really checked: the validator refuses a misspelt option', async () => {
    const config = await loadBuilderConfig();
    const broken = { ...config, msi: { ...config.msi, perMachin: true } } as Configuration;
    await assert.rejects(
      validateConfiguration(broken, new DebugLogger(false)),
      /configuration\.msi/,
    );
  });

  it('keeps the app ID, the upgrade code and a machine-wide MSI without self-update', async () => {
    const config = await loadBuilderConfig();
    assert.equal(config.appId, 'com.signinassistant.app');
    assert.equal(config.productName, 'Sign-In Assistant');
    assert.equal(config.msi?.perMachine, true);
    assert.equal(config.msi?.upgradeCode, '7E9CACCF-4EE0-4F60-ABBE-9FD23722903B');
    assert.equal(config.msi?.runAfterFinish, false);
    assert.equal(config.publish, null, 'no update feed');
    assert.deepEqual(config.win?.target, ['msi', 'nsis']);
    assert.equal(
      config.nsis?.oneClick,
      false,
      '/allusers and /currentuser need the assisted installer',
    );
    assert.equal(config.nsis?.perMachine, false);
    const extendInfo = config.mac?.extendInfo as Record<string, unknown> | undefined;
    assert.equal(extendInfo?.LSUIElement, true, 'menu-bar only');
    assert.equal(config.mac?.target, 'dmg');
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.equal(config.asar, true);
  });

  it("packs only what the app runs, by the builder's own file matcher", async () => {
    const config = await loadBuilderConfig();
    const matchers = getFileMatchers(config, 'files', '/app', {
      macroExpander: (pattern) => pattern,
      customBuildOptions: {},
      globalOutDir: join(root, 'out', 'installers'),
      defaultSrc: root,
    });
    assert.equal(matchers?.length, 1);
    const packs = matchers?.[0]?.createFilter();
    assert.ok(packs);
    const file = { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false };
    const packed = (path: string) => packs(join(root, path), file as never);
    for (const path of [
      'package.json',
      'dist/main/index.js',
      'dist/main/policy/policySource.js',
      'dist/core/config.js',
      'dist/cli/signinAssistant.js',
      'dist/preload/preload.js',
      'dist/renderer/index.html',
      'assets/tray.png',
    ]) {
      assert.ok(packed(path), `${path} is packed`);
    }
    for (const path of [
      'dist/demo/runDemo.js',
      'dist/demo/hybridDemo.js',
      'dist/bench/checkBenchmark.js',
      'dist/main/index.js.map',
      'test/unit/policy.test.ts',
      'src/main/index.ts',
      'deploy/afterPack.mjs',
      'scripts/test.sh',
      'README.md',
    ]) {
      assert.ok(!packed(path), `${path} is left out`);
    }
    assert.notEqual(config.directories?.buildResources, 'build', 'build/ is ignored by git');
    assert.notEqual(config.directories?.output, 'dist', 'dist/ holds the compiled app');
    assert.ok(existsSync(join(root, config.directories?.buildResources ?? 'missing')));
    assert.ok(existsSync(join(root, config.nsis?.include ?? 'missing')));
  });

  it('ships the directory reader and unpacks its native FFI from the archive', async () => {
    const config = await loadBuilderConfig();
    const options = {
      macroExpander: (pattern: string) => pattern,
      customBuildOptions: {},
      globalOutDir: join(root, 'out', 'installers'),
      defaultSrc: root,
    };
    const file = { isDirectory: () => false, isFile: () => true, isSymbolicLink: () => false };
    const filter = (key: 'files' | 'asarUnpack') => {
      const created = getFileMatchers(config, key, '/app', options)?.[0]?.createFilter();
      assert.ok(created, `${key} is set`);
      return (path: string) => created(join(root, path), file as never);
    };
    const packed = filter('files');
    for (const path of ['dist/main/onprem/index.js', 'dist/main/onprem/readerWorker.js']) {
      assert.ok(packed(path), `${path} is packed`);
    }
    const unpacked = filter('asarUnpack');
    for (const path of [
      'node_modules/koffi/index.cjs',
      'node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node',
      'node_modules/@koromix/koffi-darwin-arm64/darwin_arm64/koffi.node',
    ]) {
      assert.ok(unpacked(path), `${path} is unpacked`);
    }
    assert.ok(!unpacked('dist/main/index.js'), 'the app itself stays in the archive');
  });

  it('rebuilds no native module: the packaged app loads their prebuilt binaries', async () => {
    const config = await loadBuilderConfig();
    assert.equal(config.npmRebuild, false, 'a rebuild needs Visual Studio on the build machine');
    assert.notEqual(config.nodeGypRebuild, true);
    assert.notEqual(config.buildDependenciesFromSource, true);
  });

  it('knows every native module of the app, and which the app loads on Windows', () => {
    assert.deepEqual(
      nativePackages(root),
      [...Object.keys(WINDOWS_NATIVE_MODULES), ...Object.keys(NOT_USED_ON_WINDOWS)].sort(),
      'a new native module: say whether Windows loads it, and where its win32-x64 binary is',
    );
  });

  it('the Windows binaries in the npm tarballs are x64 Node-API DLLs (koffi: the Windows tier)', () => {
    const inThisInstall = Object.entries(WINDOWS_NATIVE_MODULES).filter(([, module]) =>
      module.shippedIn.startsWith('its npm tarball'),
    );
    assert.deepEqual(
      inThisInstall.map(([name]) => name),
      ['native-reg', '@azure/msal-node-extensions', '@azure/msal-node-runtime'],
    );
    for (const [name, module] of inThisInstall) {
      const image = readPeImage(readFileSync(join(root, 'node_modules', module.binary)));
      assert.equal(image.machine, MACHINE_X64, `${name}: x64`);
      assert.ok(image.isDll, `${name}: a DLL`);
      assert.ok(isNodeApiAddon(image), `${name}: Node-API only (no V8 C++ symbol)`);
    }
  });

  it('tells a Node-API addon from one built against V8 itself', () => {
    const image = { machine: MACHINE_X64, isDll: true };
    assert.equal(
      isNodeApiAddon({ ...image, imports: ['napi_create_object', 'CloseHandle'] }),
      true,
    );
    assert.equal(
      isNodeApiAddon({
        ...image,
        imports: [
          'napi_create_object',
          '?New@String@v8@@SA?AV?$MaybeLocal@VString@v8@@@2@PEAVIsolate@2@PEBD@Z',
        ],
      }),
      false,
    );
    assert.equal(isNodeApiAddon({ ...image, imports: ['CloseHandle'] }), false);
    assert.throws(() => readPeImage(Buffer.from('#!/bin/sh\n'.padEnd(80))), /not a PE file/);
  });

  it('names hooks that electron-builder can load as functions', async () => {
    const config = await loadBuilderConfig();
    for (const [name, hook] of [
      ['afterPack', config.afterPack],
      ['msiProjectCreated', config.msiProjectCreated],
    ] as const) {
      assert.equal(typeof hook, 'string');
      const fn: unknown = await resolveFunction(undefined, join(root, hook as string), name, root);
      assert.equal(typeof fn, 'function', `${name} resolves to a function`);
    }
  });
});

/** Width and height from a PNG's header, or null when the bytes are not a PNG. */
function pngSize(data: Buffer): [number, number] | null {
  if (data.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') return null;
  return [data.readUInt32BE(16), data.readUInt32BE(20)];
}

/** The images of an .ico, each checked to be a whole PNG or 32-bit bitmap of its stated size. */
function icoSizes(file: string): number[] {
  const data = readFileSync(file);
  assert.equal(data.readUInt16LE(0), 0, `${file}: reserved`);
  assert.equal(data.readUInt16LE(2), 1, `${file}: an icon, not a cursor`);
  const sizes: number[] = [];
  for (let i = 0; i < data.readUInt16LE(4); i++) {
    const entry = 6 + 16 * i;
    const size = data[entry] || 256;
    const length = data.readUInt32LE(entry + 8);
    const offset = data.readUInt32LE(entry + 12);
    assert.ok(offset + length <= data.length, `${file}: image ${i} inside the file`);
    const image = data.subarray(offset, offset + length);
    const png = pngSize(image);
    if (png) {
      assert.deepEqual(png, [size, size], `${file}: PNG image ${i}`);
    } else {
      assert.equal(image.readUInt32LE(0), 40, `${file}: bitmap header of image ${i}`);
      assert.equal(image.readInt32LE(4), size, `${file}: bitmap width of image ${i}`);
      assert.equal(image.readInt32LE(8), size * 2, `${file}: colour and mask rows of image ${i}`);
      assert.equal(image.readUInt16LE(14), 32, `${file}: 32-bit colour in image ${i}`);
      const mask = Math.ceil(size / 32) * 4 * size;
      assert.equal(length, 40 + size * size * 4 + mask, `${file}: whole bitmap ${i}`);
    }
    sizes.push(size);
  }
  return sizes;
}

/** RGBA rows top-down from one of our PNGs (8-bit RGBA, no row filters: as makeIcons writes). */
function pngPixels(data: Buffer): Buffer {
  const [width] = pngSize(data) ?? [0];
  const chunks: Buffer[] = [];
  for (let at = 8; at < data.length;) {
    const length = data.readUInt32BE(at);
    if (data.subarray(at + 4, at + 8).toString('ascii') === 'IDAT') {
      chunks.push(data.subarray(at + 8, at + 8 + length));
    }
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(chunks));
  const stride = width * 4 + 1;
  const out = Buffer.alloc(width * width * 4);
  for (let y = 0; y < width; y++) {
    assert.equal(rows[y * stride], 0, 'no row filter');
    rows.copy(out, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return out;
}

/** RGBA rows top-down from an .ico bitmap entry (stored bottom-up, BGRA). */
function bitmapPixels(ico: Buffer, size: number): Buffer {
  for (let i = 0; i < ico.readUInt16LE(4); i++) {
    const entry = 6 + 16 * i;
    if ((ico[entry] || 256) !== size) continue;
    const image = ico.subarray(ico.readUInt32LE(entry + 12));
    const out = Buffer.alloc(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = 40 + ((size - 1 - y) * size + x) * 4;
        const to = (y * size + x) * 4;
        out[to] = image[from + 2] ?? 0;
        out[to + 1] = image[from + 1] ?? 0;
        out[to + 2] = image[from] ?? 0;
        out[to + 3] = image[from + 3] ?? 0;
      }
    }
    return out;
  }
  throw new Error(`no ${size} px image`);
}

describe('app icons', () => {
  it('are set for Windows, macOS and Linux, and the files exist', async () => {
    const config = await loadBuilderConfig();
    const icons = { win: config.win?.icon, mac: config.mac?.icon, linux: config.linux?.icon };
    assert.deepEqual(icons, {
      win: 'assets/icon.ico',
      mac: 'assets/icon.icns',
      linux: 'assets/icon.png',
    });
    for (const path of Object.values(icons)) {
      assert.ok(path && existsSync(join(root, path)), `${path} exists`);
    }
  });

  it("pass electron-builder's own icon resolution, with no fall-back to Electron's logo", async () => {
    const config = await loadBuilderConfig();
    const outDir = mkdtempSync(join(tmpdir(), 'signin-assistant-icons-'));
    try {
      const roots = [join(root, config.directories?.buildResources ?? 'missing'), root];
      const resolve = (icon: string | null | undefined, format: 'ico' | 'icns' | 'set') =>
        convertIcon({ sources: icon ? [icon] : [], fallbackSources: [], roots, format, outDir });
      const win = await resolve(config.win?.icon, 'ico');
      assert.equal(win.isFallback, false);
      assert.equal(win.icons[0]?.file, join(root, 'assets', 'icon.ico'), 'used as it is');
      assert.ok(
        (win.icons[0]?.size ?? 0) >= 256,
        'the packager refuses a Windows icon under 256 px',
      );
      const mac = await resolve(config.mac?.icon, 'icns');
      assert.equal(mac.icons[0]?.file, join(root, 'assets', 'icon.icns'), 'used as it is');
      const linux = await resolve(config.linux?.icon, 'set');
      assert.deepEqual(linux.icons, [{ file: join(root, 'assets', 'icon.png'), size: 512 }]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('the Windows icons hold every size the shell asks for, as bitmaps and PNG', () => {
    assert.deepEqual(
      icoSizes(join(root, 'assets', 'icon.ico')),
      [16, 20, 24, 32, 40, 48, 64, 128, 256],
    );
    for (const state of ['ok', 'expiring', 'expired', 'signed-out', 'error']) {
      assert.deepEqual(
        icoSizes(join(root, 'assets', 'tray', `tray-${state}.ico`)),
        [16, 20, 24, 32, 48],
      );
    }
  });

  it('a bitmap in an .ico is the same picture as the PNG: upright, colours in their place', () => {
    for (const state of ['ok', 'error']) {
      const ico = readFileSync(join(root, 'assets', 'tray', `tray-${state}.ico`));
      const png = readFileSync(join(root, 'assets', 'tray', `tray-${state}@2x.png`));
      assert.ok(bitmapPixels(ico, 32).equals(pngPixels(png)), `tray-${state}: 32 px`);
    }
  });

  it('the macOS icon is an .icns with every size from 16 px to 1024 px', () => {
    const data = readFileSync(join(root, 'assets', 'icon.icns'));
    assert.equal(data.subarray(0, 4).toString('ascii'), 'icns');
    assert.equal(data.readUInt32BE(4), data.length, 'the stated length is the file length');
    const entries = new Map<string, [number, number] | null>();
    for (let at = 8; at < data.length;) {
      const length = data.readUInt32BE(at + 4);
      assert.ok(length > 8 && at + length <= data.length, 'each entry inside the file');
      entries.set(
        data.subarray(at, at + 4).toString('ascii'),
        pngSize(data.subarray(at + 8, at + length)),
      );
      at += length;
    }
    const expected: Record<string, number> = {
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512,
    };
    assert.deepEqual(
      Object.fromEntries(entries),
      Object.fromEntries(Object.entries(expected).map(([type, size]) => [type, [size, size]])),
    );
  });
});
