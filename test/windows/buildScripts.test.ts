/**
 * The build scripts under the Windows node.exe, from a checkout whose path has a space in it
 * (the tier's copy lives in "…\Sign-In Assistant"), as `npm run dist` runs them on a Windows
 * build machine: each finds the checkout (a `/C:/…` path or `%20` would not) and writes its output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertWindows } from './support/testRegistry';

const root = join(__dirname, '..', '..');

function runScript(script: string, args: string[] = []) {
  return spawnSync(process.execPath, [join(root, 'scripts', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

function assertRan(result: ReturnType<typeof runScript>, script: string): void {
  assert.equal(result.status, 0, `${script} failed:\n${result.stdout}\n${result.stderr}`);
}

test('runs under the Windows node.exe', () => assertWindows());

test('the checkout path has a space in it, so a path taken from a file URL would break', () => {
  assert.match(root, / /);
  assert.match(root, /^[A-Z]:\\/);
});

test('build-ui.mjs builds the status window and its preload', () => {
  const started = Date.now();
  const result = runScript('build-ui.mjs');
  assertRan(result, 'build-ui.mjs');
  for (const file of ['renderer/renderer.js', 'preload/preload.js']) {
    const path = join(root, 'dist', file);
    assert.ok(statSync(path).mtimeMs >= started - 2000, `${file} written by this run`);
  }
  // Copied, with the source's modification time (CopyFileW keeps it).
  assert.ok(
    readFileSync(join(root, 'dist', 'renderer', 'index.html')).equals(
      readFileSync(join(root, 'src', 'renderer', 'index.html')),
    ),
  );
  assert.ok(result.stdout.includes(join(root, 'dist', 'renderer')), result.stdout);
});

test('build-cli.mjs bundles the command, which then runs', () => {
  const bundle = join(root, 'dist', 'cli', 'signinAssistant.bundle.js');
  const started = Date.now();
  assertRan(runScript('build-cli.mjs'), 'build-cli.mjs');
  assert.ok(statSync(bundle).mtimeMs >= started - 2000, 'the bundle is written by this run');
  const help = spawnSync(
    process.execPath,
    [join(root, 'dist', 'cli', 'signinAssistant.js'), '--help'],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /status/);
});

test('makeIcons.mjs draws the same icons as the committed ones', () => {
  const files = ['assets/icon.ico', 'assets/icon.png', 'assets/tray/tray-ok.ico'];
  const before = files.map((file) => readFileSync(join(root, file)));
  const started = Date.now();
  const result = runScript('makeIcons.mjs');
  assertRan(result, 'makeIcons.mjs');
  files.forEach((file, index) => {
    const path = join(root, file);
    assert.ok(statSync(path).mtimeMs >= started - 2000, `${file} written by this run`);
    assert.ok(readFileSync(path).equals(before[index] as Buffer), `${file} the same picture`);
  });
});

test('run-tests.mjs finds and runs a test file, and says when none matches', () => {
  // Its children inherit its output, which a Windows pipe here does not pass on: the exit codes tell.
  assertRan(runScript('run-tests.mjs', ['test/unit/expiry.test.ts']), 'run-tests.mjs');
  const none = runScript('run-tests.mjs', ['test/unit/no-such-file']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /No test files found/);
});
