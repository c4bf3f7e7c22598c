import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { DebugLogger, log as builderLog } from 'builder-util';
import type { Configuration } from 'app-builder-lib';
import { getFileMatchers } from 'app-builder-lib/out/fileMatcher';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { resolveFunction } from 'app-builder-lib/out/util/resolve';

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
    assert.equal(config.npmRebuild, true);
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
