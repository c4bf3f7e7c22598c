/**
 * The built command against hostile and broken per-user folders: a crash's stale token-cache
 * lock, a lock really held, links where state files belong, pipes and folders in their place, a
 * read-only and a full disk, no keyring, and several `status --notify` at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, rm, stat, symlink, truncate } from 'node:fs/promises';
import { utimes, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { cliEnv, cliSignIn, runCli, setUp, tempHome } from '../support/engineHarness';
import type { CliResult, Setup } from '../support/engineHarness';
import { deadPid, fakeNotifySend, fillDisk, isRoot, smallTmpfs } from '../support/stateFixtures';

const NO_STACK = /\n\s+at /;

function errorOf(result: CliResult): { kind: string; message: string } | null {
  return (JSON.parse(result.stdout.trim()) as { error: { kind: string; message: string } | null })
    .error;
}

describe('the command with a hostile or broken data folder', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  async function signedIn(home?: string): Promise<NodeJS.ProcessEnv> {
    const env = await cliEnv(setup, home);
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
    return env;
  }
  const homeOf = (env: NodeJS.ProcessEnv) => env.SIGNIN_ASSISTANT_HOME ?? '';

  test('a token-cache lock left by a crashed process is taken over, not "Sign-in failed" forever', async () => {
    const env = await signedIn();
    const lockfile = join(homeOf(env), 'token-cache.json.lockfile');
    await writeFile(lockfile, String(await deadPid()));
    for (let run = 0; run < 2; run++) {
      const status = await runCli(['status', '--json'], env);
      assert.equal(status.code, 1, status.stderr);
      assert.equal(errorOf(status), null);
    }
    assert.equal(existsSync(lockfile), false, 'the stale lock is gone');
  });

  test('an empty lock file from a crash long ago is stale too', async () => {
    const env = await signedIn();
    const lockfile = join(homeOf(env), 'token-cache.json.lockfile');
    await writeFile(lockfile, '');
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await utimes(lockfile, longAgo, longAgo);
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 1, status.stderr);
  });

  test('a lock with no process ID and a time in the future (a clock stepped back) is not fresh', async () => {
    const env = await signedIn();
    const home = homeOf(env);
    const lockfile = join(home, 'token-cache.json.lockfile');
    const ahead = new Date(Date.now() + 60 * 60_000);
    for (const content of ['', 'garbage']) {
      await writeFile(lockfile, content);
      await utimes(lockfile, ahead, ahead);
      const status = await runCli(['status', '--json'], env);
      assert.equal(status.code, 1, status.stdout + status.stderr);
      assert.equal(errorOf(status), null);
    }
    // The same rule for a day's reminder claim: one of a process that never said who it is.
    const notify = await fakeNotifySend();
    const day = new Date().toISOString().slice(0, 10);
    const claim = join(home, `reminder-${day}.claim`);
    await writeFile(claim, '');
    await utimes(claim, ahead, ahead);
    const shown = await runCli(['status', '--notify'], {
      ...env,
      PATH: `${notify.binDir}:${process.env.PATH ?? ''}`,
    });
    assert.equal(shown.code, 1, shown.stdout + shown.stderr);
    assert.equal(await notify.count(), 1, 'the day was not taken by a claim from the future');
  });

  test('a lock really held by a running process is reported as that, with its PID', async () => {
    const env = await signedIn();
    const lockfile = join(homeOf(env), 'token-cache.json.lockfile');
    // This test process is alive and "holds" it for the whole wait.
    await writeFile(lockfile, `${process.pid}\n`);
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 3);
    const error = errorOf(status);
    assert.equal(error?.kind, 'local-storage');
    assert.match(
      error?.message ?? '',
      new RegExp(`in use by another Sign-In Assistant process \\(PID ${process.pid}\\)`),
    );
    assert.doesNotMatch(error?.message ?? '', /Sign-in failed/);
    // The documented wait (README: "more than 5 seconds"), once per command, not once per read.
    assert.match(error?.message ?? '', /not released within 5 seconds/);
  });

  test('a token cache that is a link: the target is never overwritten, the link is replaced', async () => {
    const home = await tempHome();
    const victim = join(home, 'precious.txt');
    await writeFile(victim, 'precious');
    await symlink(victim, join(home, 'token-cache.json'));
    const env = await signedIn(home);
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 1, status.stderr);
    assert.equal(await readFile(victim, 'utf8'), 'precious');
    assert.equal((await lstat(join(home, 'token-cache.json'))).isSymbolicLink(), false);
  });

  test('state files that are links are never followed: refused when read, replaced when written', async () => {
    const env = await signedIn();
    const home = homeOf(env);
    const victim = join(home, 'precious.txt');
    await writeFile(victim, 'precious');
    await rm(join(home, 'last-status.json'), { force: true });
    await symlink(victim, join(home, 'last-status.json'));
    const ok = await runCli(['status', '--json'], env);
    assert.equal(ok.code, 1, ok.stderr);
    assert.equal(await readFile(victim, 'utf8'), 'precious', 'last status not written through');
    assert.equal((await lstat(join(home, 'last-status.json'))).isSymbolicLink(), false);

    await symlink(victim, join(home, 'reminder.json'));
    const refused = await runCli(['status', '--json'], env);
    assert.equal(refused.code, 3);
    assert.match(errorOf(refused)?.message ?? '', /reminder\.json is a symbolic link/);
    assert.equal(await readFile(victim, 'utf8'), 'precious');
  });

  test('a named pipe as the reminder record: no hang, a message naming it', async () => {
    const env = await signedIn();
    const path = join(homeOf(env), 'reminder.json');
    execFileSync('mkfifo', [path]);
    const status = await runCli(['status'], env);
    assert.equal(status.code, 3);
    assert.match(status.stdout + status.stderr, /reminder\.json is a named pipe/);
    assert.doesNotMatch(status.stderr, NO_STACK);
  });

  test('a folder where a state file belongs: a message naming it, exit 3, no stack', async () => {
    const env = await signedIn();
    await mkdir(join(homeOf(env), 'reminder.json'));
    const status = await runCli(['status', '--notify'], env);
    assert.equal(status.code, 3);
    assert.match(status.stdout + status.stderr, /reminder\.json is a folder, not a file/);
    assert.doesNotMatch(status.stderr, NO_STACK);
    assert.doesNotMatch(status.stderr, /Unexpected error|secure storage/);

    const home = await tempHome();
    await mkdir(join(home, 'token-cache.json'));
    const env2 = await cliEnv(setup, home);
    const blocked = await runCli(['status', '--json'], env2);
    assert.equal(blocked.code, 3);
    assert.match(errorOf(blocked)?.message ?? '', /token-cache\.json is a folder/);
  });

  test('without a keyring, sign-out says nothing was removed and leaves no stray file', async () => {
    const home = await tempHome();
    const env = {
      ...(await cliEnv(setup, home)),
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    };
    const out = await runCli(['sign-out'], env);
    assert.equal(out.code, 3, out.stdout + out.stderr);
    assert.match(out.stderr, /Not signed out: .*secure storage/);
    assert.doesNotMatch(out.stdout, /tokens were removed/);
    const left = await readdir(home);
    assert.ok(!left.includes('token-cache.json'), `no stray token cache: ${left.join(', ')}`);
    assert.ok(!left.includes('test.cache'), `no stray keyring test file: ${left.join(', ')}`);
  });

  test('diagnostics --out onto an existing folder: a message, exit 4', async () => {
    const home = await tempHome();
    const out = await runCli(['diagnostics', '--out', home], { SIGNIN_ASSISTANT_HOME: home });
    assert.equal(out.code, 4);
    assert.match(out.stderr, /is a folder\. Give a file name/);
    assert.doesNotMatch(out.stderr, /Unexpected error/);
  });

  test(
    'a read-only data folder (tmpfs remounted read-only): the message says so, exit 3',
    { skip: !isRoot() && 'needs root for a tmpfs' },
    async () => {
      const disk = await smallTmpfs(1024);
      try {
        const env = await signedIn(disk.dir);
        disk.remountReadOnly();
        const status = await runCli(['status', '--json'], env);
        assert.equal(status.code, 3, status.stderr);
        assert.match(errorOf(status)?.message ?? '', /read-only disk/);
        assert.doesNotMatch(status.stderr, NO_STACK);
      } finally {
        disk.unmount();
      }
    },
  );

  test(
    'a full disk (a 256 KiB tmpfs, filled): the message says the disk is full and names the file, nothing is shown',
    { skip: !isRoot() && 'needs root for a tmpfs' },
    async () => {
      const disk = await smallTmpfs(256);
      const notify = await fakeNotifySend();
      try {
        const env = {
          ...(await signedIn(disk.dir)),
          PATH: `${notify.binDir}:${process.env.PATH ?? ''}`,
        };
        await fillDisk(disk.dir);
        const status = await runCli(['status', '--notify'], env);
        assert.equal(status.code, 3, status.stdout + status.stderr);
        assert.match(
          status.stdout,
          /The disk is full, so Sign-In Assistant could not save \/tmp\/sia-tmpfs-\w+\/token-cache\.json/,
        );
        assert.doesNotMatch(status.stderr, NO_STACK);
        assert.equal(await notify.count(), 0);
      } finally {
        disk.unmount();
      }
    },
  );

  test('a code-cache file a crashed run left behind is removed by the next status', async () => {
    const env = await signedIn();
    const cacheDir = join(homeOf(env), 'command-cache');
    await mkdir(cacheDir, { recursive: true });
    const orphan = join(cacheDir, `command-${'0'.repeat(32)}.cache.${await deadPid()}.tmp`);
    await writeFile(orphan, Buffer.alloc(64 * 1024));
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 1, status.stderr);
    assert.equal(existsSync(orphan), false, "the dead process's partial cache is gone");
  });

  test(
    'a code cache that does not fit on the disk leaves nothing and never costs a check',
    { skip: !isRoot() && 'needs root for a tmpfs' },
    async () => {
      const disk = await smallTmpfs(2048);
      try {
        const env = await signedIn(disk.dir);
        const cacheDir = join(disk.dir, 'command-cache');
        await rm(cacheDir, { recursive: true, force: true });
        // 200 KB free: less than the code cache, more than a check needs.
        await fillDisk(disk.dir);
        await truncate(
          join(disk.dir, 'filler.bin'),
          (await stat(join(disk.dir, 'filler.bin'))).size - 200 * 1024,
        );
        for (let run = 0; run < 3; run++) {
          const status = await runCli(['status', '--json'], env);
          assert.equal(status.code, 1, `run ${run}: ${status.stdout}${status.stderr}`);
          assert.equal(errorOf(status), null, `run ${run}`);
          const left = await readdir(cacheDir).catch(() => []);
          assert.deepEqual(
            left.filter((name) => name.endsWith('.tmp')),
            [],
            `run ${run}`,
          );
        }
      } finally {
        disk.unmount();
      }
    },
  );

  test(
    'a read-only disk where the data folder does not exist yet gets the read-only sentence',
    { skip: !isRoot() && 'needs root for a tmpfs' },
    async () => {
      const disk = await smallTmpfs(256);
      try {
        disk.remountReadOnly();
        const env = await cliEnv(setup, await tempHome());
        const status = await runCli(['status', '--json'], {
          ...env,
          SIGNIN_ASSISTANT_HOME: join(disk.dir, 'sa'),
        });
        assert.equal(status.code, 3, status.stdout + status.stderr);
        assert.match(errorOf(status)?.message ?? status.stderr, /read-only disk/);
        assert.doesNotMatch(status.stdout + status.stderr, /ENOENT|EROFS/);
        assert.doesNotMatch(status.stderr, NO_STACK);
      } finally {
        disk.unmount();
      }
    },
  );

  test(
    'diagnostics --out on a full disk names the cause, not "unknown error"',
    { skip: !isRoot() && 'needs root for a tmpfs' },
    async () => {
      const disk = await smallTmpfs(256);
      try {
        await fillDisk(disk.dir);
        const home = await tempHome();
        const out = await runCli(['diagnostics', '--out', join(disk.dir, 'diag.zip')], {
          SIGNIN_ASSISTANT_HOME: home,
        });
        assert.equal(out.code, 4, out.stdout + out.stderr);
        assert.match(out.stderr, /The disk is full/);
        assert.match(out.stderr, /diag\.zip/);
        assert.doesNotMatch(out.stderr, /unknown error/);
        assert.doesNotMatch(out.stderr, NO_STACK);
      } finally {
        disk.unmount();
      }
    },
  );

  test('ten concurrent status --notify show exactly one notification', async () => {
    const notify = await fakeNotifySend();
    const env = { ...(await signedIn()), PATH: `${notify.binDir}:${process.env.PATH ?? ''}` };
    const runs = await Promise.all(
      Array.from({ length: 10 }, () => runCli(['status', '--notify'], env)),
    );
    for (const run of runs) assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(await notify.count(), 1);
    const again = await runCli(['status', '--json', '--notify'], env);
    assert.equal((JSON.parse(again.stdout) as { reminder: { due: boolean } }).reminder.due, false);
    assert.equal(await notify.count(), 1);
  });
});
