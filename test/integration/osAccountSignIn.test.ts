/**
 * Signing in without the user, with real MSAL over HTTPS to the demo tenant and the Windows
 * broker played by FakeBroker (MSAL's broker plugin interface): the silent sign-in with the
 * computer's account, what happens when the broker needs the user, and the interactive sign-in's
 * fallback from the broker to the system browser.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectoryReadResult } from '../../src/core/directory';
import type { DirectorySource } from '../../src/core/ports';
import { engineFor, setUp, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { FakeBroker } from '../support/fakeBroker';

const DAY = 24 * 60 * 60 * 1000;
const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n;
const fileTime = (at: Date): string =>
  ((BigInt(at.getTime()) + FILETIME_UNIX_EPOCH_MS) * 10_000n).toString();

/** The logon's own AD entry, as the directory reader port gives it. */
function logonDirectory(upn: string, expiresInDays: number): DirectorySource {
  const now = Date.now();
  const result: DirectoryReadResult = {
    ok: true,
    reading: {
      entry: {
        dn: 'CN=Avery,OU=Staff,DC=corp,DC=contoso,DC=com',
        userPrincipalName: upn,
        samAccountName: 'avery',
        passwordExpiryTimeComputed: fileTime(new Date(now + expiresInDays * DAY)),
        pwdLastSet: fileTime(new Date(now - (90 - expiresInDays) * DAY)),
        userAccountControl: 0x200,
        userAccountControlComputed: 0,
        maxPwdAge: '-77760000000000',
        resultantPso: null,
      },
      server: 'dc1.corp.contoso.com',
      domain: 'CORP.CONTOSO.COM',
      readAt: new Date(now),
    },
  };
  return { read: () => Promise.resolve(result) };
}

describe('silent sign-in with the computer’s account (Windows broker)', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  function recordingBrowser(): { opened: string[]; open: (url: string) => Promise<void> } {
    const opened: string[] = [];
    return {
      opened,
      open: (url) => {
        opened.push(url);
        return Promise.reject(new Error('no browser in this test'));
      },
    };
  }

  test('the first check signs in as the Windows account: no window, no browser, kept for the next process', async () => {
    const broker = new FakeBroker(setup.tenant);
    const user = setup.tenant.account('expires-in-10-days').username;
    broker.osUser = user;
    const browser = recordingBrowser();
    const home = await tempHome();
    const engine = await engineFor(setup, home, { broker, openBrowser: browser.open });
    const report = await engine.check();
    assert.equal(report.error, null);
    assert.equal(report.account?.username, user);
    assert.equal(report.password.state, 'expiring');
    assert.equal(report.reminder.due, true);
    assert.deepEqual(broker.interactiveRequests, [{ prompt: 'none', loginHint: undefined }]);
    assert.deepEqual(broker.windowHandles, [undefined], 'no window for a silent sign-in');
    assert.deepEqual(browser.opened, []);
    // The next process (the command, the tray after a restart) finds the account in the broker.
    const next = await engineFor(setup, home, { broker, openBrowser: browser.open });
    assert.equal((await next.check()).account?.username, user);
    assert.equal(broker.interactiveRequests.length, 1, 'no second sign-in');
  });

  test('when the broker needs the user, nothing is shown: "not signed in", and asked again at the next check', async () => {
    const broker = new FakeBroker(setup.tenant);
    const browser = recordingBrowser();
    const engine = await engineFor(setup, await tempHome(), { broker, openBrowser: browser.open });
    const first = await engine.check();
    assert.equal(first.account, null);
    assert.equal(first.error?.kind, 'sign-in-required');
    assert.equal(await engine.signInPrompt(first), 'due', 'the one prompt may ask');
    broker.osUser = setup.tenant.account('expires-in-20-days').username;
    const second = await engine.check();
    assert.equal(second.account?.username, broker.osUser);
    assert.deepEqual(
      broker.interactiveRequests.map((r) => r.prompt),
      ['none', 'none'],
    );
    assert.deepEqual(browser.opened, []);
    assert.deepEqual(broker.windowHandles, [undefined, undefined]);
  });

  test('signIn manual never tries it; silent never prompts', async () => {
    const manual = await setUp({}, { signIn: 'manual' });
    try {
      const broker = new FakeBroker(manual.tenant);
      broker.osUser = manual.tenant.account('expires-in-10-days').username;
      const engine = await engineFor(manual, await tempHome(), { broker });
      const report = await engine.check();
      assert.equal(report.account, null);
      assert.deepEqual(broker.calls.includes('acquireTokenInteractive'), false);
      assert.equal(await engine.signInPrompt(report), 'off');
    } finally {
      await manual.close();
    }
    const silent = await setUp({}, { signIn: 'silent' });
    try {
      const engine = await engineFor(silent, await tempHome(), {
        broker: new FakeBroker(silent.tenant),
      });
      assert.equal(await engine.signInPrompt(await engine.check()), 'off');
    } finally {
      await silent.close();
    }
  });

  test('after a sign-out the computer’s account is not signed in again until the user signs in', async () => {
    const broker = new FakeBroker(setup.tenant);
    const user = setup.tenant.account('expires-in-20-days').username;
    broker.osUser = user;
    broker.nextUser = user;
    const handle = Buffer.from([7, 0, 0, 0, 0, 0, 0, 0]);
    const home = await tempHome();
    const engine = await engineFor(setup, home, { broker, windowHandle: () => handle });
    assert.equal((await engine.check()).account?.username, user);
    const out = await engine.signOut();
    assert.equal(out.account, null);
    const later = await (await engineFor(setup, home, { broker })).check();
    assert.equal(later.account, null, 'a new process does not undo the sign-out');
    assert.equal(broker.interactiveRequests.length, 1);
    const signedIn = await engine.signIn();
    assert.equal(signedIn.account?.username, user);
    assert.deepEqual(broker.windowHandles.at(-1), handle);
    await engine.signOut();
    broker.osUser = user;
    // Signed in by the user once more, then out again: still no silent sign-in.
    assert.equal((await engine.check()).account, null);
  });
});

describe('interactive sign-in: the broker in front of the status window, else the browser', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  async function attempt(options: {
    failInteractive: 'cancel' | 'error' | null;
    handle: Buffer | undefined;
    directory?: DirectorySource;
  }) {
    const broker = new FakeBroker(setup.tenant);
    broker.failInteractive = options.failInteractive;
    broker.nextUser = setup.tenant.account('expires-in-10-days').username;
    const opened: string[] = [];
    const engine = await engineFor(setup, await tempHome(), {
      broker,
      windowHandle: () => options.handle,
      interactiveTimeoutMs: 3000,
      openBrowser: (url) => {
        opened.push(url);
        return Promise.reject(new Error('no browser in this test'));
      },
      ...(options.directory ? { directory: options.directory } : {}),
    });
    if (options.directory) await engine.check();
    const report = await engine.signIn();
    return { broker, opened, report };
  }

  test('the broker gets the status window’s handle and signs in', async () => {
    const handle = Buffer.from([0x42, 0x13, 0, 0, 0, 0, 0, 0]);
    const { broker, opened, report } = await attempt({ failInteractive: null, handle });
    assert.equal(report.error, null);
    assert.equal(report.account?.username, broker.nextUser);
    assert.deepEqual(broker.windowHandles, [handle]);
    assert.equal(broker.interactiveRequests[0]?.prompt, 'select_account');
    assert.deepEqual(opened, []);
  });

  test('a broker that fails for another reason than the user falls back to the system browser', async () => {
    const handle = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const { broker, opened } = await attempt({ failInteractive: 'error', handle });
    assert.equal(broker.interactiveRequests.length, 1);
    assert.equal(opened.length, 1, 'the browser was asked');
    assert.match(opened[0] ?? '', /code_challenge_method=S256/);
  });

  test('the user cancelling the broker’s dialog is the end of it: no browser', async () => {
    const handle = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
    const { opened, report } = await attempt({ failInteractive: 'cancel', handle });
    assert.deepEqual(opened, []);
    assert.equal(report.account, null);
    assert.equal(report.error?.kind, 'cancelled');
  });

  test('never HWND 0: without a window the browser signs in, not the broker', async () => {
    for (const handle of [undefined, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])]) {
      const { broker, opened } = await attempt({ failInteractive: null, handle });
      assert.deepEqual(broker.windowHandles, [], 'the broker was not asked without a window');
      assert.equal(opened.length, 1);
    }
  });

  test('the logon’s user principal name is the login hint, for the broker and the browser', async () => {
    const upn = 'avery@contoso.com';
    const handle = Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]);
    const viaBroker = await attempt({
      failInteractive: null,
      handle,
      directory: logonDirectory(upn, 30),
    });
    assert.deepEqual(viaBroker.broker.interactiveRequests.at(-1), {
      prompt: 'select_account',
      loginHint: upn,
    });
    const viaBrowser = await attempt({
      failInteractive: 'error',
      handle,
      directory: logonDirectory(upn, 30),
    });
    assert.match(viaBrowser.opened[0] ?? '', /login_hint=avery%40contoso\.com/);
  });
});

describe('reminders from the domain logon alone (directory reader port)', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  test('no cloud account: the logon’s own entry, named by its UPN, with no tenant', async () => {
    const engine = await engineFor(setup, await tempHome(), {
      directory: logonDirectory('avery@contoso.com', 5),
    });
    const report = await engine.check();
    assert.equal(report.error, null);
    assert.deepEqual(report.account, { username: 'avery@contoso.com', tenantId: null });
    assert.equal(report.password.source, 'directory');
    assert.equal(report.password.state, 'expiring');
    assert.equal(report.directory?.server, 'dc1.corp.contoso.com');
    assert.equal(await engine.signInPrompt(report), 'not-needed', 'a figure: no prompt');
  });

  test('no domain logon and no account: "not signed in"', async () => {
    const engine = await engineFor(setup, await tempHome(), {
      directory: {
        read: () =>
          Promise.resolve({
            ok: false,
            failure: { kind: 'no-credentials', detail: 'no ticket', server: null },
          }),
      },
    });
    const report = await engine.check();
    assert.equal(report.account, null);
    assert.equal(report.error?.kind, 'sign-in-required');
  });
});
