/**
 * The once-only move of the Windows per-user state from Roaming to Local AppData, on temporary
 * folders standing in for %APPDATA% and %LOCALAPPDATA% (`platform: 'win32'` semantics).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, win32 as windowsPath } from 'node:path';
import { describe, it } from 'node:test';
import type { Logger } from '../../src/core/ports';
import { stateFiles, userDataHome } from '../../src/main/paths';
import { defaultLogsDir } from '../../src/main/logging/logPaths';
import { moveRoamingState, nodeStateMoveFileSystem } from '../../src/main/store/roamingState';
import type { StateMoveFileSystem } from '../../src/main/store/roamingState';

function recordingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  const none = (): void => undefined;
  return {
    warnings,
    infos,
    debug: none,
    error: none,
    info: (m) => void infos.push(m),
    warn: (m) => void warnings.push(m),
  };
}

/** Skipped under the Windows node.exe: links need an elevated or developer-mode process there. */
const NO_SYMLINKS =
  process.platform === 'win32'
    ? 'symbolic links: Windows makes them only elevated or in developer mode, Wine not at all'
    : false;

/** DPAPI output is bytes, not text: invalid UTF-8 on purpose. */
const TOKEN_CACHE_BYTES = Buffer.from([0x01, 0x00, 0x00, 0x00, 0xd0, 0x8c, 0x9d, 0xdf, 0xff, 0xfe]);

interface Profile {
  root: string;
  env: NodeJS.ProcessEnv;
  /** %APPDATA%\SignInAssistant */
  old: string;
  /** %LOCALAPPDATA%\SignInAssistant */
  local: string;
}

async function profile(): Promise<Profile> {
  const root = await mkdtemp(join(tmpdir(), 'sia-roaming-'));
  const env = { APPDATA: join(root, 'Roaming'), LOCALAPPDATA: join(root, 'Local') };
  return {
    root,
    env,
    old: join(root, 'Roaming', 'SignInAssistant'),
    local: join(root, 'Local', 'SignInAssistant'),
  };
}

/** What an earlier version leaves in %APPDATA%\SignInAssistant. */
async function earlierVersionState(p: Profile): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>([
    [stateFiles.tokenCache, TOKEN_CACHE_BYTES],
    [stateFiles.reminder, Buffer.from('{"shownAt":"2026-11-20T08:00:00.000Z"}\n')],
    [stateFiles.domainPolicy, Buffer.from('{"domain":"contoso.com"}\n')],
    [stateFiles.authorityMetadata, Buffer.from('{"issuer":"x"}\n')],
    [stateFiles.lastStatus, Buffer.from('{"state":"ok"}\n')],
    [stateFiles.preferences, Buffer.from('{"startAtLogin":false}\n')],
    [stateFiles.directoryReading, Buffer.from('{"readAt":"2026-11-20T08:00:00.000Z"}\n')],
    [
      'reminder-2026-11-20.claim',
      Buffer.from(JSON.stringify({ pid: 1, host: hostname(), state: 'showing' })),
    ],
    [join('logs', 'tray.log'), Buffer.from('[2026-11-20] tray\n')],
    [join('logs', 'tray.1.log'), Buffer.from('[2026-11-19] tray\n')],
    [join('logs', 'cli.log'), Buffer.from('[2026-11-20] cli\n')],
  ]);
  await mkdir(join(p.old, 'logs'), { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(p.old, name), bytes);
  return files;
}

async function assertArrived(p: Profile, files: Map<string, Buffer>): Promise<void> {
  for (const [name, bytes] of files) {
    assert.deepEqual(await readFile(join(p.local, name)), bytes, `${name} arrived unchanged`);
    assert.equal(existsSync(join(p.old, name)), false, `${name} is gone from Roaming AppData`);
  }
}

const win32 = (p: Profile, extra: Partial<Parameters<typeof moveRoamingState>[0]> = {}) => ({
  platform: 'win32' as const,
  env: p.env,
  homeDir: p.root,
  ...extra,
});

/** Every operation counted, by name. */
function countingFs(): { fs: StateMoveFileSystem; calls: string[] } {
  const calls: string[] = [];
  const fs = Object.fromEntries(
    Object.entries(nodeStateMoveFileSystem).map(([name, operation]) => [
      name,
      (...args: unknown[]) => {
        calls.push(name);
        return (operation as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as StateMoveFileSystem;
  return { fs, calls };
}

describe('moving the Windows per-user state from Roaming to Local AppData', () => {
  it('moves from %APPDATA% to the folder the app now uses, logs to the logs folder', async () => {
    const p = await profile();
    assert.equal(userDataHome(p.env, 'win32', p.root), p.local);
    // The logger's Windows path joins with backslashes: the same folder, written the Windows way.
    assert.equal(defaultLogsDir('win32', p.env, p.root), windowsPath.join(p.local, 'logs'));
    const result = await moveRoamingState(win32(p));
    assert.equal(result.from, null, 'no old folder: nothing looked at');
  });

  it('moves every state file, the claims and the logs, byte for byte, and removes the old folder', async () => {
    const p = await profile();
    const files = await earlierVersionState(p);
    // Already there from an earlier version's command: its code cache, and the logger's folder.
    await mkdir(join(p.local, 'Cache'), { recursive: true });
    await writeFile(join(p.local, 'Cache', 'command-0123.cache'), 'code');
    await mkdir(join(p.local, 'logs'));
    const logger = recordingLogger();

    const result = await moveRoamingState(win32(p, { logger }));

    await assertArrived(p, files);
    assert.equal(result.moved.length, files.size);
    assert.deepEqual(result.left, []);
    assert.deepEqual(logger.warnings, []);
    assert.equal(await readFile(join(p.local, 'Cache', 'command-0123.cache'), 'utf8'), 'code');
    assert.equal(existsSync(p.old), false, 'the emptied old folder is removed');
    assert.equal(logger.infos.length, 1);
  });

  it('is cheap when there is nothing to move, never looks at Roaming once in use, and is off elsewhere', async () => {
    const p = await profile();
    const { fs, calls } = countingFs();
    // A first start: nothing here yet (or only the code cache), nothing in Roaming either.
    await mkdir(join(p.local, 'Cache'), { recursive: true });
    await moveRoamingState(win32(p, { fs }));
    assert.deepEqual(calls, ['readdir', 'lstat']);

    // In use: one listing of the local folder; Roaming (maybe a slow share) is not looked at.
    await earlierVersionState(p);
    await writeFile(join(p.local, stateFiles.lastStatus), '{}');
    calls.length = 0;
    const result = await moveRoamingState(win32(p, { fs }));
    assert.deepEqual(calls, ['readdir']);
    assert.equal(result.from, null);

    calls.length = 0;
    await moveRoamingState({ ...win32(p, { fs }), platform: 'linux' });
    await moveRoamingState({ ...win32(p, { fs }), platform: 'darwin' });
    await moveRoamingState(win32(p, { fs, env: { ...p.env, SIGNIN_ASSISTANT_HOME: p.local } }));
    assert.deepEqual(calls, []);
    assert.equal(existsSync(join(p.old, stateFiles.reminder)), true);
  });

  it('touches nothing when the new folder already holds state', async () => {
    const p = await profile();
    await earlierVersionState(p);
    await mkdir(p.local, { recursive: true });
    await writeFile(join(p.local, stateFiles.preferences), '{"startAtLogin":true}\n');
    const before = {
      old: (await readdir(p.old, { recursive: true })).sort(),
      local: await readdir(p.local),
    };

    const result = await moveRoamingState(win32(p));

    assert.deepEqual(result.moved, []);
    assert.deepEqual((await readdir(p.old, { recursive: true })).sort(), before.old);
    assert.deepEqual(await readdir(p.local), before.local);
    assert.equal(
      await readFile(join(p.local, stateFiles.preferences), 'utf8'),
      '{"startAtLogin":true}\n',
    );
  });

  it(
    'never follows or moves a link, in the folder, in its logs, or as the folder',
    { skip: NO_SYMLINKS },
    async () => {
      const p = await profile();
      await mkdir(join(p.old, 'logs'), { recursive: true });
      const secret = join(p.root, 'secret.txt');
      await writeFile(secret, 'not yours');
      await symlink(secret, join(p.old, stateFiles.reminder));
      await symlink(secret, join(p.old, 'logs', 'tray.log'));
      await writeFile(join(p.old, stateFiles.preferences), '{"startAtLogin":false}\n');
      const logger = recordingLogger();

      const result = await moveRoamingState(win32(p, { logger }));

      assert.deepEqual(result.moved, [join(p.old, stateFiles.preferences)]);
      assert.equal((await lstat(join(p.old, stateFiles.reminder))).isSymbolicLink(), true);
      assert.equal((await lstat(join(p.old, 'logs', 'tray.log'))).isSymbolicLink(), true);
      assert.equal(existsSync(join(p.local, stateFiles.reminder)), false);
      assert.equal(existsSync(join(p.local, 'logs', 'tray.log')), false);
      assert.equal(await readFile(secret, 'utf8'), 'not yours');
      assert.equal(logger.warnings.length, 2);
      assert.ok(logger.warnings.some((w) => w.includes(join(p.old, stateFiles.reminder))));

      // The whole old folder a link (a junction on Windows reads the same): nothing moved.
      const q = await profile();
      const elsewhere = join(q.root, 'elsewhere');
      await mkdir(elsewhere);
      await writeFile(join(elsewhere, stateFiles.preferences), 'x');
      await mkdir(join(q.root, 'Roaming'));
      await symlink(elsewhere, q.old);
      const linked = await moveRoamingState(win32(q));
      assert.deepEqual(linked.moved, []);
      assert.equal(await readFile(join(elsewhere, stateFiles.preferences), 'utf8'), 'x');
      assert.equal(existsSync(join(q.local, stateFiles.preferences)), false);
    },
  );

  it('copies, then removes, where a rename fails (another volume, a file in use)', async () => {
    const p = await profile();
    const files = await earlierVersionState(p);
    const renames: string[] = [];
    const rename = (from: string) => {
      renames.push(from);
      return Promise.reject(Object.assign(new Error('cross-device link'), { code: 'EXDEV' }));
    };
    const logger = recordingLogger();

    const result = await moveRoamingState(win32(p, { logger, fs: { rename } }));

    assert.equal(renames.length, files.size, 'each file was renamed first');
    await assertArrived(p, files);
    assert.deepEqual(result.left, []);
    assert.deepEqual(logger.warnings, []);
  });

  it('leaves a file that can be neither renamed nor copied, with one warning, and goes on', async () => {
    const p = await profile();
    const files = await earlierVersionState(p);
    const stuck = join(p.old, stateFiles.reminder);
    const logger = recordingLogger();
    const fail = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));

    const result = await moveRoamingState(
      win32(p, {
        logger,
        fs: {
          rename: (from, to) =>
            from === stuck ? fail('EBUSY') : nodeStateMoveFileSystem.rename(from, to),
          copyFile: (from, to) =>
            from === stuck ? fail('EACCES') : nodeStateMoveFileSystem.copyFile(from, to),
        },
      }),
    );

    assert.deepEqual(result.left, [stuck]);
    assert.equal(await readFile(stuck, 'utf8'), files.get(stateFiles.reminder)?.toString());
    assert.equal(existsSync(join(p.local, stateFiles.reminder)), false);
    files.delete(stateFiles.reminder);
    await assertArrived(p, files);
    assert.equal(logger.warnings.length, 1);
    assert.ok(logger.warnings[0]?.includes(stuck));
    assert.match(logger.warnings[0] ?? '', /EBUSY.*EACCES/);
    assert.equal(existsSync(p.old), true, 'the old folder stays while it holds a file');
  });

  it('keeps a copy whose original cannot be removed, and says so once', async () => {
    const p = await profile();
    await mkdir(p.old, { recursive: true });
    const original = join(p.old, stateFiles.preferences);
    await writeFile(original, '{"startAtLogin":false}\n');
    const logger = recordingLogger();
    const fail = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));

    const result = await moveRoamingState(
      win32(p, { logger, fs: { rename: () => fail('EXDEV'), removeFile: () => fail('EBUSY') } }),
    );

    assert.deepEqual(result.moved, [original]);
    assert.deepEqual(result.left, [original]);
    assert.equal(
      await readFile(join(p.local, stateFiles.preferences), 'utf8'),
      '{"startAtLogin":false}\n',
    );
    assert.equal(logger.warnings.length, 1);
    assert.ok(logger.warnings[0]?.includes(original));
  });

  it('never throws: an unreadable old folder is one warning', async () => {
    const p = await profile();
    await earlierVersionState(p);
    const logger = recordingLogger();
    const result = await moveRoamingState(
      win32(p, {
        logger,
        fs: {
          readdir: (path) =>
            path.startsWith(p.old)
              ? Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' }))
              : nodeStateMoveFileSystem.readdir(path),
        },
      }),
    );
    assert.deepEqual(result.moved, []);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0] ?? '', /Could not move/);
    assert.deepEqual(await readFile(join(p.old, stateFiles.tokenCache)), TOKEN_CACHE_BYTES);
  });

  it('moves no lock or temporary file, and leaves what a running process holds', async () => {
    const p = await profile();
    await mkdir(p.old, { recursive: true });
    const running = 4242;
    const isAlive = (pid: number) => pid === running;
    const held = join(p.old, 'reminder-2026-11-21.claim');
    await writeFile(
      held,
      JSON.stringify({ pid: running, host: hostname(), state: 'claimed', token: 't' }),
    );
    const abandoned = join(p.old, 'reminder-2026-11-20.claim');
    await writeFile(abandoned, JSON.stringify({ pid: 4243, host: hostname(), state: 'claimed' }));
    const temp = join(p.old, `${stateFiles.reminder}.4242.0123abcd.tmp`);
    await writeFile(temp, '{}');
    await writeFile(join(p.old, stateFiles.tokenCache), TOKEN_CACHE_BYTES);
    await writeFile(
      join(p.old, `${stateFiles.tokenCache}.lockfile`),
      `${running}\n${hostname()}\n`,
    );
    await writeFile(join(p.old, stateFiles.preferences), '{}');
    const logger = recordingLogger();

    const result = await moveRoamingState(
      win32(p, { logger, isAlive, tokenCacheLock: { waitMs: 100, retryDelayMs: 10 } }),
    );

    assert.deepEqual(result.moved.sort(), [abandoned, join(p.old, stateFiles.preferences)].sort());
    assert.equal(existsSync(held), true, 'a claim its running process holds stays');
    assert.equal(existsSync(temp), true);
    assert.deepEqual(await readFile(join(p.old, stateFiles.tokenCache)), TOKEN_CACHE_BYTES);
    assert.equal(existsSync(join(p.local, stateFiles.tokenCache)), false);
    assert.deepEqual(
      (await readdir(p.local)).sort(),
      ['reminder-2026-11-20.claim', stateFiles.preferences].sort(),
    );
    assert.equal(logger.warnings.length, 1, 'one warning: the token cache, whose lock is held');
    assert.ok(logger.warnings[0]?.includes(join(p.old, stateFiles.tokenCache)));
  });

  it('takes over a token cache lock its process left, and moves the cache', async () => {
    const p = await profile();
    await mkdir(p.old, { recursive: true });
    await writeFile(join(p.old, stateFiles.tokenCache), TOKEN_CACHE_BYTES);
    await writeFile(join(p.old, `${stateFiles.tokenCache}.lockfile`), `4244\n${hostname()}\n`);
    const result = await moveRoamingState(win32(p, { isAlive: () => false }));
    assert.deepEqual(result.moved, [join(p.old, stateFiles.tokenCache)]);
    assert.deepEqual(await readFile(join(p.local, stateFiles.tokenCache)), TOKEN_CACHE_BYTES);
    assert.equal(existsSync(p.old), false, 'no lock file is left behind');
  });

  it('runs in the tray and the command before anything reads the folder', () => {
    const source = (path: string) => readFileSync(join(__dirname, '..', '..', path), 'utf8');
    const index = source('src/main/index.ts');
    const tray = index.slice(index.indexOf('async function main('));
    const move = tray.indexOf('await moveRoamingState(');
    assert.ok(
      move > tray.indexOf('const home = userDataHome('),
      'the tray moves once home is known',
    );
    // Before ready: from ready to launchTray nothing may wait (a second launch would be lost).
    assert.ok(move < tray.indexOf('await app.whenReady()'));
    assert.ok(move < tray.indexOf('createPreferencesStore('));
    const command = source('src/cli/signinAssistant.ts');
    const moved = command.indexOf('await moveRoamingState(');
    assert.ok(moved > command.indexOf('const home = userDataHome('));
    for (const use of ['writeDiagnostics(', 'createEngine({']) {
      assert.ok(moved < command.indexOf(use), `the command moves before ${use}`);
    }
  });
});
