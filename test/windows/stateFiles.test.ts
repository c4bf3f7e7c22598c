/**
 * The per-user state on Windows file semantics: the folder in the profile's Local AppData, the
 * move of an earlier version's state out of Roaming AppData by the command itself, and the atomic
 * replace of a state file while another program holds it open, with or without letting it be
 * deleted (Notepad, a backup or a virus scanner open files without FILE_SHARE_DELETE). The locks
 * and the per-day claims across processes are tested by test/main/stateStores.test.ts, which the
 * tier runs under node.exe too.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type * as Koffi from 'koffi' with { 'resolution-mode': 'import' };
import { roamingDataHome, stateFiles, userDataHome } from '../../src/main/paths';
import { StateFileError, writeStateFileAtomic } from '../../src/main/store/stateFileAccess';
import { runCli } from '../support/engineHarness';
import { assertWindows } from './support/testRegistry';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const koffi = require('koffi') as typeof Koffi;
const kernel32 = koffi.load('kernel32.dll');
const CreateFileW = kernel32.func(
  'void *CreateFileW(const char16_t *name, uint32_t access, uint32_t share, void *security, uint32_t disposition, uint32_t flags, void *template)',
);
const CloseHandle = kernel32.func('bool CloseHandle(void *handle)');
const GENERIC_READ = 0x80000000;
const FILE_SHARE_READ = 0x1;
const OPEN_EXISTING = 3;
const INVALID_HANDLE = 0xffffffffffffffffn;

/** Opens a file as programs that do not share delete access do; returns the closer. */
function holdWithoutSharingDelete(path: string): () => void {
  const handle: unknown = CreateFileW(
    path,
    GENERIC_READ,
    FILE_SHARE_READ,
    null,
    OPEN_EXISTING,
    0,
    null,
  );
  assert.notEqual(koffi.address(handle), INVALID_HANDLE, `CreateFileW ${path}`);
  return () => assert.equal(CloseHandle(handle), true);
}

const folders: string[] = [];
afterEach(() =>
  Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))),
);

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sia-state-'));
  folders.push(dir);
  return dir;
}

test('runs under the Windows node.exe', () => assertWindows());

describe('the per-user folder', () => {
  test("is SignInAssistant in the profile's Local AppData, apart from Roaming", () => {
    const local = process.env.LOCALAPPDATA ?? '';
    assert.match(local, /^[A-Z]:\\users\\[^\\]+\\AppData\\Local$/i);
    assert.ok(existsSync(local), 'Wine made the profile folder');
    const env = { ...process.env, SIGNIN_ASSISTANT_HOME: '' };
    assert.equal(userDataHome(env, 'win32', homedir()), join(local, 'SignInAssistant'));
    assert.equal(
      roamingDataHome(env, homedir()),
      join(process.env.APPDATA ?? '', 'SignInAssistant'),
    );
    assert.notEqual(process.env.APPDATA?.toLowerCase(), local.toLowerCase());
  });

  test("the command moves an earlier version's state from Roaming to Local AppData", async () => {
    const dir = await folder();
    const env = {
      LOCALAPPDATA: join(dir, 'Local'),
      APPDATA: join(dir, 'Roaming'),
      SIGNIN_ASSISTANT_HOME: '',
      SIGNIN_ASSISTANT_CONFIG: '',
    };
    const old = join(env.APPDATA, 'SignInAssistant');
    await mkdir(join(old, 'logs'), { recursive: true });
    await mkdir(env.LOCALAPPDATA, { recursive: true });
    const files: [string, string][] = [
      [stateFiles.preferences, '{"startAtLogin":false}\n'],
      [stateFiles.reminder, '{"shownAt":"2026-11-20T08:00:00.000Z"}\n'],
      [join('logs', 'cli.log'), "an earlier version's log line\n"],
    ];
    for (const [name, text] of files) await writeFile(join(old, name), text);
    // No settings: the command stops at the configuration, after the move.
    const result = await runCli(['status', '--json'], env);
    assert.equal(result.code, 4, result.stderr);
    const local = join(env.LOCALAPPDATA, 'SignInAssistant');
    for (const [name, text] of files) {
      const moved = await readFile(join(local, name), 'utf8');
      assert.ok(moved.startsWith(text), `${name} moved with its content`);
      assert.equal(existsSync(join(old, name)), false, `${name} gone from Roaming`);
    }
  });
});

describe('atomic replace of a state file', () => {
  // Even a handle that shares delete access (Node's) keeps a file from being replaced while it is
  // open (MoveFileEx without POSIX semantics): the write waits for the reader.
  test('while another program reads it (a Node handle, sharing delete): waits, then replaces', async () => {
    const dir = await folder();
    const path = join(dir, stateFiles.lastStatus);
    await writeFile(path, '{"state":"old"}');
    const reader = await open(path, 'r');
    const closed = new Promise<void>((resolve, reject) =>
      setTimeout(() => void reader.close().then(resolve, reject), 150),
    );
    await writeStateFileAtomic(path, '{"state":"new"}');
    await closed;
    assert.equal(await readFile(path, 'utf8'), '{"state":"new"}');
    assert.deepEqual(await readdir(dir), [stateFiles.lastStatus], 'no temporary file left');
  });

  test('while a program holds it without sharing delete: waits for it, then replaces', async () => {
    const dir = await folder();
    const path = join(dir, stateFiles.lastStatus);
    await writeFile(path, '{"state":"old"}');
    const release = holdWithoutSharingDelete(path);
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        release();
        resolve();
      }, 150),
    );
    await writeStateFileAtomic(path, '{"state":"new"}');
    await released;
    assert.equal(await readFile(path, 'utf8'), '{"state":"new"}');
    assert.deepEqual(await readdir(dir), [stateFiles.lastStatus], 'no temporary file left');
  });

  test('held for good: a clear error naming the file, the old content kept, no stray file', async () => {
    const dir = await folder();
    const path = join(dir, stateFiles.lastStatus);
    await writeFile(path, '{"state":"old"}');
    const release = holdWithoutSharingDelete(path);
    try {
      await assert.rejects(writeStateFileAtomic(path, '{"state":"new"}'), (error: unknown) => {
        assert.ok(error instanceof StateFileError, String(error));
        assert.ok(error.message.includes(path), error.message);
        assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace');
        return true;
      });
    } finally {
      release();
    }
    assert.equal(await readFile(path, 'utf8'), '{"state":"old"}');
    assert.deepEqual(await readdir(dir), [stateFiles.lastStatus], 'no temporary file left');
  });
});
