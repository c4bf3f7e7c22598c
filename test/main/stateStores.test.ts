import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReminderStore } from '../../src/main/store/reminderStore';
import { createDomainPolicyStore } from '../../src/main/store/domainPolicyStore';
import { createDirectoryReadingStore } from '../../src/main/store/directoryReadingStore';
import { retryAfterMs } from '../../src/main/net/httpClient';
import { stateFiles, userDataHome } from '../../src/main/paths';
import { defaultLogsDir } from '../../src/main/logging/logPaths';
import { commandCacheDir } from '../../src/cli/launcher';
import { createPreferencesStore } from '../../src/main/store/preferencesStore';
import { JsonFileStore } from '../../src/main/store/jsonFileStore';
import { StateFileError } from '../../src/main/store/stateFileAccess';
import { ReminderClaims } from '../../src/main/store/reminderClaims';
import { CacheLock, TokenCacheBusyError } from '../../src/main/store/cacheLock';
import type { Logger } from '../../src/core/ports';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = (): void => undefined;
  return { warnings, debug: none, info: none, error: none, warn: (m) => void warnings.push(m) };
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sia-state-'));
}

/** Skipped under the Windows node.exe: links need an elevated or developer-mode process there. */
const NO_SYMLINKS =
  process.platform === 'win32'
    ? 'symbolic links: Windows makes them only elevated or in developer mode, Wine not at all'
    : false;

test('the reminder record round-trips and leaves no temporary files', async () => {
  const dir = await tempDir();
  const store = createReminderStore(join(dir, 'reminder.json'));
  assert.equal(await store.read(), null);
  const shownAt = new Date('2026-11-20T08:00:00Z');
  await store.write({ shownAt, passwordLastChanged: '2026-09-01T10:00:00.000Z' });
  assert.deepEqual(await store.read(), {
    shownAt,
    passwordLastChanged: '2026-09-01T10:00:00.000Z',
  });
  assert.deepEqual(await readdir(dir), ['reminder.json']);
});

test('a corrupt or odd reminder record reads as none, with a warning, and is replaced on write', async () => {
  const dir = await tempDir();
  const path = join(dir, 'reminder.json');
  const logger = recordingLogger();
  const store = createReminderStore(path, logger);
  await writeFile(path, '{"shownAt": "2026-11-2');
  assert.equal(await store.read(), null);
  await writeFile(path, JSON.stringify({ shownAt: 'yesterday', passwordLastChanged: null }));
  assert.equal(await store.read(), null);
  assert.equal(logger.warnings.length, 2);
  await store.write({ shownAt: new Date('2026-11-21T08:00:00Z'), passwordLastChanged: null });
  const written = JSON.parse(await readFile(path, 'utf8')) as { shownAt: string };
  assert.equal(written.shownAt, '2026-11-21T08:00:00.000Z');
});

test('the domain policy record keeps a 403 answer and rejects malformed ones', async () => {
  const dir = await tempDir();
  const path = join(dir, 'domain-policy.json');
  const store = createDomainPolicyStore(path, recordingLogger());
  await store.write({
    domain: 'contoso.com',
    checkedAt: '2026-11-22T00:00:00.000Z',
    result: { kind: 'forbidden' },
  });
  assert.deepEqual((await store.read())?.result, { kind: 'forbidden' });
  await writeFile(
    path,
    JSON.stringify({ domain: 'contoso.com', checkedAt: 'x', result: { kind: 'policy' } }),
  );
  assert.equal(await store.read(), null);
});

test('Retry-After in seconds or as an HTTP date', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  assert.equal(retryAfterMs('7', now), 7000);
  assert.equal(retryAfterMs('Sun, 22 Nov 2026 10:00:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('Sun, 22 Nov 2026 09:00:00 GMT', now), 0);
  assert.equal(retryAfterMs('soon', now), null);
  assert.equal(retryAfterMs(undefined, now), null);
});

test('the per-user folder follows each platform, and the override wins', () => {
  // Windows: Local AppData (never redirected or roamed), not Roaming.
  assert.equal(
    userDataHome(
      { APPDATA: 'C:\\Users\\a\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' },
      'win32',
      'C:\\Users\\a',
    ),
    join('C:\\Users\\a\\AppData\\Local', 'SignInAssistant'),
  );
  assert.equal(
    userDataHome({ APPDATA: '\\\\files\\redirected\\a' }, 'win32', 'C:\\Users\\a'),
    join('C:\\Users\\a', 'AppData', 'Local', 'SignInAssistant'),
  );
  assert.equal(
    userDataHome(
      { LOCALAPPDATA: 'C:\\L', SIGNIN_ASSISTANT_HOME: 'D:\\sia' },
      'win32',
      'C:\\Users\\a',
    ),
    'D:\\sia',
  );
  assert.equal(
    userDataHome({}, 'darwin', '/Users/a'),
    join('/Users/a/Library/Application Support/SignInAssistant'),
  );
  assert.equal(
    userDataHome({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/a'),
    join('/x/signin-assistant'),
  );
  assert.equal(userDataHome({}, 'linux', '/home/a'), join('/home/a/.config/signin-assistant'));
  assert.equal(userDataHome({ SIGNIN_ASSISTANT_HOME: '/tmp/h' }, 'linux', '/home/a'), '/tmp/h');
});

test('on Windows the state, the logs and the command code cache share one Local folder apart', () => {
  const env = {
    APPDATA: 'C:\\Users\\a\\AppData\\Roaming',
    LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local',
  };
  // The Windows functions join with this system's separator here: compare with backslashes.
  const windows = (path: string) => path.replaceAll('/', '\\');
  const home = windows(userDataHome(env, 'win32', 'C:\\Users\\a'));
  assert.equal(home, 'C:\\Users\\a\\AppData\\Local\\SignInAssistant');
  assert.equal(windows(defaultLogsDir('win32', env, 'C:\\Users\\a')), `${home}\\logs`);
  assert.equal(windows(commandCacheDir(env, 'win32', 'C:\\Users\\a')), `${home}\\Cache`);
  // Windows names are case-insensitive: no state file, claim, lock or temporary file is either.
  const taken = ['cache', 'logs'];
  for (const name of [
    ...Object.values(stateFiles),
    `${stateFiles.tokenCache}.lockfile`,
    'reminder-2026-11-20.claim',
  ]) {
    assert.ok(!taken.includes(name.toLowerCase()), name);
  }
});

test('a record written by another process is seen at once, not served from memory', async () => {
  const dir = await tempDir();
  const path = join(dir, 'reminder.json');
  const tray = createReminderStore(path);
  const command = createReminderStore(path);
  await tray.write({ shownAt: new Date('2026-11-20T08:00:00Z'), passwordLastChanged: null });
  assert.equal((await tray.read())?.shownAt.toISOString(), '2026-11-20T08:00:00.000Z');
  await command.write({ shownAt: new Date('2026-11-21T08:00:00Z'), passwordLastChanged: null });
  assert.equal((await tray.read())?.shownAt.toISOString(), '2026-11-21T08:00:00.000Z');
});

test('a missing record reads as none, quietly; a removed one is not served from memory', async () => {
  const dir = await tempDir();
  const path = join(dir, 'reminder.json');
  const logger = recordingLogger();
  const store = new JsonFileStore(path, (raw) => raw, logger, { strict: true });
  assert.equal(await store.read(), null);
  await store.write({ kept: 1 });
  assert.deepEqual(await store.read(), { kept: 1 });
  await rm(path);
  assert.equal(await store.read(), null);
  assert.deepEqual(logger.warnings, []);
});

test('a state file over the size cap is not read: none, with one warning until it changes', async () => {
  const dir = await tempDir();
  const path = join(dir, 'last-status.json');
  await writeFile(path, `{"pad":"${'x'.repeat(1024 * 1024)}"}`);
  const logger = recordingLogger();
  const store = new JsonFileStore(path, (raw) => raw, logger);
  assert.equal(await store.read(), null);
  assert.equal(await store.read(), null);
  assert.deepEqual(logger.warnings, ['State file is too large; ignoring it']);
  await writeFile(path, '{"small":true}');
  assert.deepEqual(await store.read(), { small: true });
});

test(
  'a link or a folder where the claim of a day belongs is reported, not taken for a claim',
  { skip: NO_SYMLINKS },
  async () => {
    const dir = await tempDir();
    const claims = new ReminderClaims(dir);
    const day = { year: 2026, month: 11, day: 20 };
    await symlink(join(dir, 'elsewhere'), join(dir, 'reminder-2026-11-20.claim'));
    await assert.rejects(claims.isClaimed(day), /is a symbolic link, not a file/);
    const other = { year: 2026, month: 11, day: 21 };
    await mkdir(join(dir, 'reminder-2026-11-21.claim'));
    await assert.rejects(claims.isClaimed(other), /is a folder, not a file/);
    assert.equal(await claims.isClaimed({ year: 2026, month: 11, day: 22 }), false);
  },
);

test('the kept directory reading round-trips atomically; a damaged one reads as none', async () => {
  const dir = await tempDir();
  const path = join(dir, 'directory-reading.json');
  const logger = recordingLogger();
  const store = createDirectoryReadingStore(path, logger);
  assert.equal(await store.read(), null);
  const record = {
    account: 'lynne.robbins@contoso.com',
    reading: {
      entry: {
        dn: 'CN=Lynne Robbins,OU=Staff,DC=corp,DC=contoso,DC=com',
        userPrincipalName: 'lynne.robbins@contoso.com',
        samAccountName: 'lynne.robbins',
        passwordExpiryTimeComputed: '134405864400000000',
        pwdLastSet: '134328104400000000',
        userAccountControl: 512,
        userAccountControlComputed: 0,
        maxPwdAge: '-77760000000000',
        resultantPso: null,
      },
      server: 'dc1.corp.contoso.com',
      domain: 'CORP.CONTOSO.COM',
      readAt: new Date('2026-11-20T08:00:00Z'),
    },
    pendingChange: new Date('2026-11-20T07:59:00Z'),
  };
  await store.write(record);
  assert.deepEqual(await createDirectoryReadingStore(path, logger).read(), record);
  assert.deepEqual(await readdir(dir), ['directory-reading.json']);

  for (const damaged of [
    '{"account": "lynne',
    JSON.stringify({ ...record, reading: { ...record.reading, readAt: 'yesterday' } }),
    JSON.stringify({
      ...record,
      reading: { ...record.reading, entry: { ...record.reading.entry, pwdLastSet: 5 } },
    }),
    JSON.stringify({ ...record, pendingChange: 'soon' }),
  ]) {
    await writeFile(path, damaged);
    assert.equal(await createDirectoryReadingStore(path, logger).read(), null, damaged);
  }
  assert.equal(logger.warnings.length, 4);
});

test(
  'a state file that is a link is never followed: a write replaces the link, the target is untouched',
  { skip: NO_SYMLINKS },
  async () => {
    const dir = await tempDir();
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious');
    await symlink(victim, join(dir, 'preferences.json'));
    const logger = recordingLogger();
    const preferences = createPreferencesStore(dir, logger);
    assert.deepEqual(await preferences.read(), { startAtLogin: null }, 'the link is not read');
    await preferences.setStartAtLogin(true);
    assert.equal(await readFile(victim, 'utf8'), 'precious');
    assert.equal((await lstat(join(dir, 'preferences.json'))).isSymbolicLink(), false);
    assert.deepEqual(await preferences.read(), { startAtLogin: true });
    assert.ok(logger.warnings.some((w) => /symbolic link/.test(w)));
  },
);

test(
  'a named pipe is never waited on: lenient stores read it as empty, the reminder record names it',
  {
    skip:
      process.platform === 'win32'
        ? 'no FIFOs on Windows (its named pipes are not files in a folder)'
        : false,
  },
  async () => {
    const dir = await tempDir();
    const path = join(dir, 'reminder.json');
    execFileSync('mkfifo', [path]);
    await assert.rejects(createReminderStore(path).read(), (error: Error) => {
      assert.ok(error instanceof StateFileError);
      assert.match(error.message, /reminder\.json is a named pipe, not a file/);
      return true;
    });
    const lenient = new JsonFileStore(path, (raw) => raw, recordingLogger());
    assert.equal(await lenient.read(), null);
  },
);

test('a folder where the record belongs: the write says so and names it', async () => {
  const dir = await tempDir();
  const path = join(dir, 'reminder.json');
  await mkdir(path);
  await assert.rejects(
    createReminderStore(path).write({ shownAt: new Date(), passwordLastChanged: null }),
    /reminder\.json is a folder, not a file/,
  );
});

test('a day can be claimed once, by one of many at the same time; a release gives it back', async () => {
  const dir = await tempDir();
  const claims = new ReminderClaims(dir);
  const day = { year: 2026, month: 11, day: 20 };
  const at = new Date('2026-11-20T08:00:00Z');
  const all = await Promise.all(Array.from({ length: 20 }, () => claims.claim(day, at)));
  const held = all.filter((claim) => claim !== null);
  assert.equal(held.length, 1);
  assert.equal(await claims.isClaimed(day), true);
  await held[0]?.release();
  assert.equal(await claims.isClaimed(day), false);
  const again = await claims.claim(day, at);
  assert.ok(again);
  // An old holder's late release never frees someone else's claim.
  await held[0]?.release();
  assert.equal(await claims.isClaimed(day), true);
  // Other days' claims go once a reminder was shown.
  await writeFile(join(dir, 'reminder-2026-11-19.claim'), '{}');
  // A temporary file of a writer killed an hour ago goes too; a fresh one may still be in use.
  const orphan = join(dir, 'reminder.json.4242.0123abcd.tmp');
  await writeFile(orphan, '{"shownAt"');
  const anHourAgo = new Date(Date.now() - 3_600_000);
  await utimes(orphan, anHourAgo, anHourAgo);
  await writeFile(join(dir, 'last-status.json.4243.89abcdef.tmp'), '');
  await again.tidy();
  assert.deepEqual((await readdir(dir)).sort(), [
    'last-status.json.4243.89abcdef.tmp',
    'reminder-2026-11-20.claim',
  ]);
});

test('in the final stretch each slot of a day is claimed on its own; the day claim and its old file stay as they were', async () => {
  const dir = await tempDir();
  const claims = new ReminderClaims(dir);
  const day = { year: 2026, month: 11, day: 29 };
  const at = new Date('2026-11-29T08:00:00Z');
  // A day claim written by an earlier version (no state: taken as committed) still holds the day.
  await writeFile(
    join(dir, 'reminder-2026-11-29.claim'),
    '{"pid":1,"claimedAt":"2026-11-29T06:00:00.000Z"}\n',
  );
  assert.equal(await claims.isClaimed(day), true);
  assert.equal(await claims.claim(day, at), null);
  // ... but not the slots of that day.
  assert.equal(await claims.isClaimed(day, 8), false);
  const all = await Promise.all(Array.from({ length: 10 }, () => claims.claim(day, at, 8)));
  const held = all.filter((claim) => claim !== null);
  assert.equal(held.length, 1, 'one of many takes the slot');
  assert.equal(held[0]?.path, join(dir, 'reminder-2026-11-29-08.claim'));
  assert.equal(await claims.isClaimed(day, 8), true);
  assert.equal(await claims.isClaimed(day, 12), false);
  const later = await claims.claim(day, new Date('2026-11-29T12:30:00Z'), 12);
  assert.ok(later);
  await later.showing();
  await later.tidy();
  assert.deepEqual(await readdir(dir), ['reminder-2026-11-29-12.claim'], 'other slots and days go');
});

test('the token-cache lock: a dead owner is taken over, a live one is waited for and then named', async () => {
  const dir = await tempDir();
  const path = join(dir, 'token-cache.json.lockfile');
  const alive = new Set([4242]);
  const options = {
    waitMs: 300,
    retryDelayMs: 20,
    staleAfterMs: 60_000,
    isAlive: (pid: number) => alive.has(pid),
  };
  await writeFile(path, `999999\n${hostname()}\n`);
  const lock = new CacheLock(path, options);
  await lock.lock();
  assert.match(await readFile(path, 'utf8'), new RegExp(`^${process.pid}\\n`));
  await lock.unlock();
  assert.equal(existsSync(path), false);

  await writeFile(path, '4242\n');
  await assert.rejects(new CacheLock(path, options).lock(), (error: Error) => {
    assert.ok(error instanceof TokenCacheBusyError);
    assert.match(error.message, /in use by another Sign-In Assistant process \(PID 4242\)/);
    return true;
  });
  // Another computer's lock (a shared folder) is only taken over once it is old.
  await writeFile(path, '999999\nanother-host\n');
  await assert.rejects(new CacheLock(path, options).lock(), TokenCacheBusyError);
  const old = new Date(Date.now() - 120_000);
  await utimes(path, old, old);
  await new CacheLock(path, options).lock();
});

test('the token-cache lock: no process ID and a time in the future (a clock set back) is not fresh', async () => {
  const dir = await tempDir();
  const path = join(dir, 'token-cache.json.lockfile');
  const asked: number[] = [];
  const options = {
    waitMs: 300,
    retryDelayMs: 20,
    staleAfterMs: 60_000,
    isAlive: (pid: number) => (asked.push(pid), true),
  };
  for (const [content, aheadMs] of [
    ['', 60 * 60_000],
    ['garbage', 60 * 60_000],
    ['', 10_000],
    // A live owner's lock far in the future is judged by its age too (its PID may be reused).
    ['4242\n', 5 * 60_000],
  ] as const) {
    await writeFile(path, content);
    const ahead = new Date(Date.now() + aheadMs);
    await utimes(path, ahead, ahead);
    const lock = new CacheLock(path, options);
    await lock.lock();
    assert.match(await readFile(path, 'utf8'), new RegExp(`^${process.pid}\\n`), content);
    await lock.unlock();
  }
  assert.deepEqual(asked, []);
  // One just being written (no ID yet, a moment ago or a moment ahead) is still waited for.
  await writeFile(path, '');
  await assert.rejects(new CacheLock(path, options).lock(), TokenCacheBusyError);
});

test('the token-cache lock: the calls of one command share the 5 s wait instead of each waiting it', async () => {
  const dir = await tempDir();
  const path = join(dir, 'token-cache.json.lockfile');
  let asked = 0;
  const options = {
    waitMs: 300,
    retryDelayMs: 20,
    staleAfterMs: 60_000,
    isAlive: () => (asked++, true),
  };
  await writeFile(path, '4242\n');
  const lock = new CacheLock(path, options);
  await assert.rejects(lock.lock(), TokenCacheBusyError);
  assert.ok(asked > 1, `waited, looking ${asked} times`);
  asked = 0;
  // The next read of the same check: one look, no second wait.
  await assert.rejects(lock.lock(), TokenCacheBusyError);
  assert.equal(asked, 1);
  // Once the lock is free and taken, a later busy spell gets the whole wait again.
  await rm(path);
  await lock.lock();
  await lock.unlock();
  await writeFile(path, '4242\n');
  asked = 0;
  await assert.rejects(lock.lock(), TokenCacheBusyError);
  assert.ok(asked > 1, `waited again, looking ${asked} times`);
});

test('a claim dated in the future (a clock set back) is as old as the step, never fresh for hours', async () => {
  const dir = await tempDir();
  const day = { year: 2026, month: 11, day: 20 };
  const path = join(dir, 'reminder-2026-11-20.claim');
  // Every process "runs": only the time can tell (a reused PID).
  const claims = new ReminderClaims(dir, undefined, () => true);
  const record = (state: 'claimed' | 'showing') =>
    JSON.stringify({ pid: 4242, host: hostname(), claimedAt: null, token: 'z', state });
  for (const [content, aheadMs, held] of [
    ['', 60 * 60_000, false],
    ['garbage', 60 * 60_000, false],
    [record('claimed'), 5 * 60_000, false],
    [record('claimed'), 10_000, true],
    // A claim that was showing keeps its day, whatever its date.
    [record('showing'), 60 * 60_000, true],
  ] as const) {
    await writeFile(path, content);
    const ahead = new Date(Date.now() + aheadMs);
    await utimes(path, ahead, ahead);
    assert.equal(await claims.isClaimed(day), held, `${content} ${aheadMs} ms ahead`);
  }
  await writeFile(path, '');
  const ahead = new Date(Date.now() + 60 * 60_000);
  await utimes(path, ahead, ahead);
  assert.ok(await claims.claim(day, new Date()), 'the day is taken over');
});

test('a day claimed by a process that died before showing is taken over; one that was showing is not', async () => {
  const dir = await tempDir();
  const day = { year: 2026, month: 11, day: 20 };
  const path = join(dir, 'reminder-2026-11-20.claim');
  const at = new Date();
  const deadPid = 4_000_000; // beyond any pid_max: no such process
  const left = (state: 'claimed' | 'showing', claimedAt = at) =>
    writeFile(
      path,
      `${JSON.stringify({ pid: deadPid, host: hostname(), claimedAt: claimedAt.toISOString(), token: 'x', state })}\n`,
    );
  const claims = new ReminderClaims(dir, undefined, (pid) => pid !== deadPid);

  // Killed between claiming and showing: the day is free again, and the next run takes it.
  await left('claimed');
  assert.equal(await claims.isClaimed(day), false);
  const taken = await claims.claim(day, at);
  assert.ok(taken, 'taken over');
  assert.equal(await claims.claim(day, at), null, 'and held: not twice');
  await taken.showing();
  assert.match(await readFile(path, 'utf8'), /"state":"showing"/);
  assert.equal(await claims.isClaimed(day), true);

  // Killed after handing it to the desktop: it may be on screen, so the day stays taken.
  await left('showing');
  assert.equal(await claims.isClaimed(day), true);
  assert.equal(await claims.claim(day, at), null);

  // A claim from another computer (a roaming profile) is judged by its age alone.
  await writeFile(
    path,
    JSON.stringify({
      pid: 1,
      host: 'elsewhere',
      claimedAt: at.toISOString(),
      token: 'y',
      state: 'claimed',
    }),
  );
  assert.equal(await claims.claim(day, at), null, 'fresh: its owner may be showing it');
  const threeMinutesAgo = new Date(Date.now() - 3 * 60_000);
  await utimes(path, threeMinutesAgo, threeMinutesAgo);
  assert.ok(await claims.claim(day, at), 'older than two minutes: taken over');
  assert.deepEqual(
    (await readdir(dir)).filter((name) => name.endsWith('.stale')),
    [],
    'nothing left aside',
  );
});
