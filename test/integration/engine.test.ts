/**
 * The engine against real parts: MSAL over HTTPS to the demo tenant, the OS keyring (libsecret
 * through a real Secret Service), and Chromium driving the sign-in page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { getPassword } from 'keytar';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KEYRING_SERVICE } from '../../src/main/auth/tokenCache';
import {
  cliEnv,
  cliSignIn,
  engineFor,
  runCli,
  setUp,
  signedInEngine,
  signInWithDeviceCode,
  tempHome,
} from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { FakeBroker } from '../support/fakeBroker';

function graphAndTokenRequests(setup: Setup): string[] {
  return setup.tenant.requests.map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
}

describe('steady state against the demo tenant', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  test('device-code sign-in, then each check costs exactly one Graph request', async () => {
    const home = await tempHome();
    const engine = await engineFor(setup, home);
    const user = setup.tenant.account('expires-in-10-days').username;
    const signedIn = await signInWithDeviceCode(engine, setup.tenant, user);
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.account?.username, user);
    assert.equal(signedIn.password.state, 'expiring');
    assert.equal(signedIn.password.daysLeft, 10);
    assert.equal(signedIn.password.source, 'policy');
    assert.equal(signedIn.reminder.due, true);

    setup.tenant.resetRequestLog();
    const report = await engine.check();
    assert.equal(report.password.state, 'expiring');
    // Graph returns lastPasswordChangeDateTime only when $select-ed: 'expiring' proves it was.
    assert.deepEqual(graphAndTokenRequests(setup), ['GET /graph/v1.0/me']);
  });

  test('a second process finds the cached account silently: no discovery, no token request', async () => {
    const home = await tempHome();
    const engine = await engineFor(setup, home);
    const user = setup.tenant.account('expires-in-20-days').username;
    await signInWithDeviceCode(engine, setup.tenant, user);

    setup.tenant.resetRequestLog();
    const result = await runCli(['status', '--json'], await cliEnv(setup, home));
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      account: { username: string };
      password: { state: string };
    };
    assert.equal(report.account.username, user);
    assert.equal(report.password.state, 'ok');
    assert.deepEqual(graphAndTokenRequests(setup), ['GET /graph/v1.0/me']);
  });

  test('a new process rewrites the last-status record only when its report says something new', async () => {
    const { engine, home } = await signedInEngine(setup, 'expires-in-20-days');
    await engine.check();
    await engine.dispose();
    const file = join(home, 'last-status.json');
    const identity = async () => {
      const info = await stat(file, { bigint: true });
      return `${info.ino}:${info.mtimeNs}`;
    };
    const written = await identity();
    const again = await engineFor(setup, home);
    assert.equal((await again.check()).password.state, 'ok');
    await again.dispose();
    assert.equal(await identity(), written, 'the same report: the record is left as it is');
    setup.tenant.setFault('graph-me', { kind: 'status', status: 503, retryAfterSeconds: 600 });
    const busy = await engineFor(setup, home);
    assert.equal((await busy.check()).error?.kind, 'service');
    await busy.dispose();
    setup.tenant.clearFaults();
    assert.notEqual(await identity(), written, 'a different report is recorded');
    const kept = JSON.parse(await readFile(file, 'utf8')) as { error: { kind: string } | null };
    assert.equal(kept.error?.kind, 'service');
  });

  test('pwd_exp in the ID token answers without any request', async () => {
    const engine = await engineFor(setup, await tempHome());
    const user = setup.tenant.account('token-claims').username;
    const signedIn = await signInWithDeviceCode(engine, setup.tenant, user);
    assert.equal(signedIn.password.source, 'token');
    setup.tenant.resetRequestLog();
    const report = await engine.check();
    assert.equal(report.password.source, 'token');
    assert.equal(report.password.state, 'expiring');
    assert.equal(report.password.daysLeft, 5);
    assert.deepEqual(graphAndTokenRequests(setup), []);
  });

  test('never expires, synced from on-premises, and outside the window', async () => {
    const cases = [
      { scenario: 'never-expires', state: 'never', reason: null },
      { scenario: 'synced-on-premises', state: 'unknown', reason: 'managed on-premises' },
      { scenario: 'expires-in-20-days', state: 'ok', reason: null },
    ] as const;
    for (const expected of cases) {
      const engine = await engineFor(setup, await tempHome());
      const report = await signInWithDeviceCode(
        engine,
        setup.tenant,
        setup.tenant.account(expected.scenario).username,
      );
      assert.equal(report.password.state, expected.state, expected.scenario);
      if (expected.reason) assert.equal(report.password.reason, expected.reason);
      assert.equal(report.reminder.due, false, expected.scenario);
    }
  });

  test('a reminder is due once per local day: recorded, then due again the next day', async () => {
    const { engine, report: first } = await signedInEngine(setup, 'expires-in-1-day');
    assert.equal(first.reminder.due, true);
    const claim = await engine.claimReminder(first, setup.clock.now());
    assert.ok(claim, 'the first claim of the day is granted');
    assert.equal(await engine.claimReminder(first, setup.clock.now()), null, 'only one per day');
    await claim.confirm(setup.clock.now());
    const again = await engine.check();
    assert.equal(again.reminder.due, false);
    const nextAt = new Date(again.reminder.nextAt ?? '');
    assert.equal(nextAt.getUTCHours(), 0);
    assert.ok(nextAt.getTime() > setup.clock.now().getTime());
  });

  test('429 with Retry-After is waited out and retried', async () => {
    const { engine } = await signedInEngine(setup, 'expires-in-10-days');
    setup.tenant.resetRequestLog();
    setup.tenant.setFault('graph-me', {
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    const started = Date.now();
    const report = await engine.check();
    const elapsed = Date.now() - started;
    assert.equal(report.error, null);
    assert.equal(report.password.state, 'expiring');
    assert.ok(elapsed >= 1000, `waited ${elapsed} ms`);
    assert.deepEqual(graphAndTokenRequests(setup), ['GET /graph/v1.0/me', 'GET /graph/v1.0/me']);
  });

  test('malformed Graph JSON and a slow service give clear errors, not a hang', async () => {
    const { engine } = await signedInEngine(setup, 'expires-in-10-days', {
      extra: { http: { timeoutMs: 500 } },
    });
    setup.tenant.setFault('graph-me', { kind: 'malformed-json', times: 1 });
    const malformed = await engine.check();
    assert.equal(malformed.error?.kind, 'service');
    assert.doesNotMatch(malformed.error?.message ?? '', /SyntaxError|at .*\.js/);
    setup.tenant.setFault('graph-me', { kind: 'delay', ms: 2000, times: 1 });
    const started = Date.now();
    const slow = await engine.check();
    assert.equal(slow.error?.kind, 'network');
    assert.ok(Date.now() - started < 1900, 'the timeout ended the check');
  });

  test('an engine set up before another process signed in as someone else checks the new account', async () => {
    const { engine, home } = await signedInEngine(setup, 'expires-in-10-days');
    await engine.dispose();
    // Its token cache is read from the keyring while it is set up, before the other sign-in.
    const early = await engineFor(setup, home);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const other = setup.tenant.account('expires-in-20-days').username;
    const signIn = await cliSignIn(setup, await cliEnv(setup, home), other);
    assert.equal(signIn.code, 0, signIn.stderr);
    const report = await early.check();
    assert.equal(report.error, null);
    assert.equal(report.account?.username, other);
  });

  test('a long-running engine sees a sign-out made by another process', async () => {
    const { engine, home } = await signedInEngine(setup, 'expires-in-10-days');
    assert.notEqual((await engine.check()).account, null);
    const out = await runCli(['sign-out'], await cliEnv(setup, home));
    assert.equal(out.code, 0, out.stderr);
    const report = await engine.check();
    assert.equal(report.account, null);
    assert.equal(report.error?.kind, 'sign-in-required');
  });

  test('sign-out empties the cache in the keyring', async () => {
    const { engine, home } = await signedInEngine(setup, 'expires-in-10-days');
    const account = `token-cache-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`;
    const before = JSON.parse((await getPassword(KEYRING_SERVICE, account)) ?? '{}') as Record<
      string,
      object
    >;
    assert.equal(
      Object.keys(before.RefreshToken ?? {}).length,
      1,
      'signed in: one refresh token in the keyring',
    );

    const report = await engine.signOut();
    assert.equal(report.account, null);
    assert.equal(report.error?.kind, 'sign-in-required');
    const afterOut = JSON.parse((await getPassword(KEYRING_SERVICE, account)) ?? '{}') as Record<
      string,
      object
    >;
    assert.equal(Object.keys(afterOut.RefreshToken ?? {}).length, 0);
    assert.equal(Object.keys(afterOut.Account ?? {}).length, 0);
    const fresh = await engineFor(setup, home);
    assert.equal((await fresh.check()).account, null);
  });
});

describe('passwords that expire or change while signed in', () => {
  let setup: Setup;
  before(async () => {
    // Short-lived access tokens make every check refresh, as after an hour in real life.
    setup = await setUp({ tokenLifetimeSeconds: 60 });
  });
  after(() => setup.close());

  test('the refresh refused with AADSTS50055 becomes "expired" with the reset link', async () => {
    const { engine, report: signedIn } = await signedInEngine(setup, 'expires-in-1-day');
    assert.equal(signedIn.password.state, 'expiring');
    setup.clock.advanceDays(2);
    try {
      const report = await engine.check();
      assert.equal(report.password.state, 'expired');
      assert.equal(report.error?.kind, 'password-expired');
      assert.equal(report.error?.aadsts, 50055);
      assert.equal(report.changePasswordUrl, setup.config.resetPasswordUrl);
      assert.equal(report.reminder.due, true, 'expired still reminds daily');
    } finally {
      setup.clock.advanceDays(-2);
    }
  });

  test('an expired password at device-code sign-in is named, not a generic failure', async () => {
    const { report } = await signedInEngine(setup, 'expired');
    assert.equal(report.error?.kind, 'password-expired');
    assert.equal(report.error?.aadsts, 50055);
  });

  test('a password changed elsewhere (AADSTS50133) asks for one sign-in, no loop', async () => {
    const { engine } = await signedInEngine(setup, 'changed-elsewhere');
    setup.tenant.resetRequestLog();
    const report = await engine.check();
    assert.equal(report.error?.kind, 'password-changed');
    assert.equal(report.error?.aadsts, 50133);
    const tokenCalls = setup.tenant.requests.filter((r) => r.path.includes('/token')).length;
    assert.equal(tokenCalls, 1, 'one refresh attempt, no retries');
  });
});

describe('domain policy', () => {
  test('read once a day when consented, and used for the expiry', async () => {
    const consented = await setUp(
      { domainPolicy: { passwordValidityPeriodInDays: 60 } },
      { readDomainPolicy: true },
    );
    try {
      const engine = await engineFor(consented, await tempHome());
      const account = consented.tenant.account('expires-in-20-days');
      const report = await signInWithDeviceCode(engine, consented.tenant, account.username);
      assert.equal(report.password.source, 'graph');
      const lastChanged = new Date(report.password.lastChanged ?? '').getTime();
      assert.equal(
        new Date(report.password.expiresAt ?? '').getTime() - lastChanged,
        60 * 86_400_000,
      );
      consented.tenant.resetRequestLog();
      await engine.check();
      assert.deepEqual(graphAndTokenRequests(consented), ['GET /graph/v1.0/me']);
    } finally {
      await consented.close();
    }
  });

  test('a 403 from the domain falls back to the configured policy and is not asked again for 24 h', async () => {
    const setup = await setUp({}, { readDomainPolicy: true, passwordValidityDays: 90 });
    try {
      setup.tenant.setFault('graph-domain', { kind: 'status', status: 403 });
      const engine = await engineFor(setup, await tempHome());
      const user = setup.tenant.account('expires-in-10-days').username;
      const report = await signInWithDeviceCode(engine, setup.tenant, user);
      assert.equal(report.password.source, 'policy');
      assert.equal(report.password.state, 'expiring');
      assert.equal(setup.tenant.requests.filter((r) => r.route === 'graph-domain').length, 1);
      setup.tenant.resetRequestLog();
      await engine.check();
      assert.deepEqual(graphAndTokenRequests(setup), ['GET /graph/v1.0/me']);
      setup.clock.advanceDays(1.01);
      setup.tenant.resetRequestLog();
      await engine.check();
      assert.equal(
        setup.tenant.requests.filter((r) => r.route === 'graph-domain').length,
        1,
        'asked again after 24 h',
      );
    } finally {
      await setup.close();
    }
  });

  test('without admin consent the sign-in explains it to IT instead of failing vaguely', async () => {
    const refused = await setUp({ adminConsent: false }, { readDomainPolicy: true });
    try {
      const { report } = await signedInEngine(refused, 'expires-in-10-days');
      assert.equal(report.account, null);
      assert.equal(report.error?.kind, 'consent-required');
      assert.match(report.error?.message ?? '', /IT|administrator/i);
    } finally {
      await refused.close();
    }
  });
});

describe('interactive sign-in through the system browser', () => {
  let setup: Setup;
  let browser: Browser;
  before(async () => {
    setup = await setUp();
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
    await setup.close();
  });

  test('Chromium fills the sign-in page; MSAL completes with PKCE over the loopback redirect', async () => {
    const account = setup.tenant.account('expires-in-10-days');
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    let pageFlow: Promise<void> = Promise.resolve();
    const engine = await engineFor(setup, await tempHome(), {
      openBrowser: (url) => {
        assert.match(url, /code_challenge_method=S256/);
        assert.match(url, /redirect_uri=http%3A%2F%2Flocalhost%3A\d+/);
        pageFlow = (async () => {
          const page = await context.newPage();
          await page.goto(url);
          await page.getByLabel(/user ?name|email/i).fill(account.username);
          await page.getByLabel(/password/i).fill(account.password);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.waitForURL(/^http:\/\/localhost:\d+/);
        })();
        return Promise.resolve();
      },
    });
    const report = await engine.signIn();
    await pageFlow;
    await context.close();
    assert.equal(report.error, null);
    assert.equal(report.account?.username, account.username);
    assert.equal(report.password.state, 'expiring');
  });
});

describe('sign-in through the Windows broker', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  /** The accounts in the file cache (in the keyring) of a data folder. */
  async function fileCacheAccounts(home: string): Promise<number> {
    const entry = `token-cache-${createHash('sha256').update(home).digest('hex').slice(0, 16)}`;
    const cache = JSON.parse((await getPassword(KEYRING_SERVICE, entry)) ?? '{}') as {
      Account?: object;
    };
    return Object.keys(cache.Account ?? {}).length;
  }

  test('an account known only to the broker is found by the next check and the next process', async () => {
    const broker = new FakeBroker(setup.tenant);
    const user = setup.tenant.account('expires-in-10-days').username;
    broker.nextUser = user;
    const handle = Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const home = await tempHome();
    const engine = await engineFor(setup, home, { broker, windowHandle: () => handle });
    const signedIn = await engine.signIn();
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.account?.username, user);
    assert.equal(await fileCacheAccounts(home), 0, 'the broker keeps the account, not the file');

    setup.tenant.resetRequestLog();
    const report = await engine.check();
    assert.equal(report.error, null);
    assert.equal(report.account?.username, user);
    assert.equal(report.password.state, 'expiring');
    assert.deepEqual(graphAndTokenRequests(setup), ['GET /graph/v1.0/me']);

    // A new process (the status command, the tray after a restart) asks the broker too.
    const next = await engineFor(setup, home, { broker });
    const again = await next.check();
    assert.equal(again.account?.username, user);
    assert.equal(again.password.state, 'expiring');

    const out = await next.signOut();
    assert.equal(out.account, null);
    assert.equal(out.error?.kind, 'sign-in-required');
    assert.equal(broker.accountCount, 0, 'signed out of the broker too');
    assert.deepEqual(broker.windowHandles, [handle], 'the dialog belongs to the given window');
  });

  test('a device-code account is still checked from the file cache when the broker is present', async () => {
    const broker = new FakeBroker(setup.tenant);
    const home = await tempHome();
    const engine = await engineFor(setup, home, { broker });
    const user = setup.tenant.account('expires-in-20-days').username;
    const signedIn = await signInWithDeviceCode(engine, setup.tenant, user);
    assert.equal(signedIn.error, null);
    assert.equal(await fileCacheAccounts(home), 1);
    const report = await (await engineFor(setup, home, { broker })).check();
    assert.equal(report.error, null);
    assert.equal(report.account?.username, user);
    assert.equal(report.password.state, 'ok');
    assert.ok(!broker.calls.includes('acquireTokenSilent'), 'the broker was not asked for it');
  });

  test('a broker sign-in replaces a device-code account, and the reverse', async () => {
    const broker = new FakeBroker(setup.tenant);
    const home = await tempHome();
    const handle = Buffer.from([9, 0, 0, 0, 0, 0, 0, 0]);
    const engine = await engineFor(setup, home, { broker, windowHandle: () => handle });
    await signInWithDeviceCode(
      engine,
      setup.tenant,
      setup.tenant.account('never-expires').username,
    );
    broker.nextUser = setup.tenant.account('expires-in-1-day').username;
    const viaBroker = await engine.signIn();
    assert.equal(viaBroker.account?.username, broker.nextUser);
    assert.equal(await fileCacheAccounts(home), 0);
    const viaCode = await signInWithDeviceCode(
      engine,
      setup.tenant,
      setup.tenant.account('never-expires').username,
    );
    assert.equal(viaCode.password.state, 'never');
    assert.equal(broker.accountCount, 0);
    assert.equal((await engine.check()).password.state, 'never');
  });

  test('useWindowsBroker false signs in through the system browser, never the broker', async () => {
    const off = await setUp({}, { useWindowsBroker: false });
    try {
      const broker = new FakeBroker(off.tenant);
      broker.nextUser = off.tenant.account('expires-in-10-days').username;
      const opened: string[] = [];
      const engine = await engineFor(off, await tempHome(), {
        broker,
        interactiveTimeoutMs: 2000,
        openBrowser: (url) => {
          opened.push(url);
          return Promise.reject(new Error('no browser in this test'));
        },
      });
      const report = await engine.signIn();
      assert.equal(report.account, null);
      assert.equal(opened.length, 1, 'the system browser was asked');
      assert.deepEqual(broker.calls, []);
    } finally {
      await off.close();
    }
  });
});
