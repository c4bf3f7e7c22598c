/**
 * Around the change, end to end with the real engine, MSAL and keyring against the demo tenant:
 * whether a forgotten password could be reset alone (Graph's authentication methods, asked at
 * most once a day from the start of the reminder window, with an optional permission), and the
 * new password said once after a change.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DemoTenant } from '../../src/demo/tenant';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { DirectoryEntry, DirectoryReadResult } from '../../src/core/directory';
import type { DirectorySource } from '../../src/core/ports';
import { describeStatus } from '../../src/core/statusReport';
import { setUp, signInWithDeviceCode, signedInEngine, type Setup } from '../support/engineHarness';

function methodRequests(tenant: DemoTenant): number {
  return tenant.requests.filter((entry) => entry.route === 'graph-methods').length;
}

void describe('ready to reset: the authentication methods', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  void it('asks nothing outside the reminder window', async () => {
    setup.tenant.resetRequestLog();
    const { engine, report } = await signedInEngine(setup, 'expires-in-20-days');
    try {
      assert.equal(report.password.state, 'ok');
      assert.deepEqual(report.reset, {
        ready: null,
        methods: [],
        message: null,
        securityInfoUrl: DEFAULT_CONFIG.securityInfoUrl,
      });
      await engine.check();
      assert.equal(methodRequests(setup.tenant), 0);
    } finally {
      await engine.dispose();
    }
  });

  void it('inside the window: registered methods make it ready, asked once a day', async () => {
    setup.tenant.resetRequestLog();
    const { engine, report } = await signedInEngine(setup, 'expires-in-10-days');
    try {
      assert.equal(report.password.state, 'expiring');
      assert.equal(report.reset?.ready, true);
      assert.deepEqual(report.reset?.methods, ['microsoftAuthenticator', 'password', 'phone']);
      assert.equal(report.reset?.message, null);
      const again = await engine.check();
      assert.deepEqual(again.reset, report.reset);
      assert.equal(methodRequests(setup.tenant), 1, 'the second check uses the kept answer');
      setup.clock.advanceDays(1);
      await engine.check();
      assert.equal(methodRequests(setup.tenant), 2, 'a day later it is asked again');
    } finally {
      setup.clock.offsetMs = 0;
      await engine.dispose();
    }
  });

  void it('a password alone: not ready, with the security-info page in every text', async () => {
    const { engine, report } = await signedInEngine(setup, 'no-reset-method');
    try {
      assert.equal(report.reset?.ready, false);
      assert.deepEqual(report.reset?.methods, ['password']);
      assert.match(report.reset?.message ?? '', /could not reset your password yourself/);
      assert.match(report.reset?.message ?? '', /https:\/\/aka\.ms\/mysecurityinfo/);
      assert.match(describeStatus(report, 'UTC'), /add a phone or the Authenticator app/);
    } finally {
      await engine.dispose();
    }
  });

  for (const [name, fault] of [
    ['a 403', { kind: 'status', status: 403 }],
    ['a malformed answer', { kind: 'malformed-json' }],
    ['a service failure', { kind: 'status', status: 503 }],
  ] as const) {
    void it(`${name} is "not known", never the check's failure`, async () => {
      setup.tenant.setFault('graph-methods', fault);
      try {
        const { engine, report } = await signedInEngine(setup, 'no-reset-method');
        try {
          assert.equal(report.error, null);
          assert.equal(report.password.state, 'expiring');
          assert.equal(report.reset?.ready, null);
          assert.equal(report.reset?.message, null);
        } finally {
          await engine.dispose();
        }
      } finally {
        setup.tenant.clearFaults('graph-methods');
      }
    });
  }
});

void describe('ready to reset without consent to UserAuthenticationMethod.Read', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp({ methodsConsent: false });
  });
  after(() => setup.close());

  void it('signs in and checks as before; the answer is not known and nothing is asked', async () => {
    setup.tenant.resetRequestLog();
    const { engine, report } = await signedInEngine(setup, 'no-reset-method');
    try {
      assert.equal(report.error, null);
      assert.equal(report.password.state, 'expiring');
      assert.equal(report.reset?.ready, null);
      assert.equal(methodRequests(setup.tenant), 0, 'no token, so no Graph request');
      const again = await engine.check();
      assert.equal(again.error, null);
    } finally {
      await engine.dispose();
    }
  });
});

void describe('after the change: the new password, said once', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  void it('a change in the cloud is said once with the new date; the reminder starts over', async () => {
    const { engine, report, username } = await signedInEngine(setup, 'expires-in-10-days');
    try {
      assert.equal(report.passwordChanged, null);
      assert.equal(report.reminder.due, true);
      setup.tenant.changePassword(username);
      // The change revoked the refresh token: the user signs in again.
      const changed = await signInWithDeviceCode(engine, setup.tenant, username);
      assert.equal(changed.error, null);
      assert.equal(changed.password.state, 'ok');
      // Graph writes whole seconds: the new expiry is the tenant's, to the second.
      const expected = Date.parse(setup.tenant.accountFacts(username).passwordExpiresAt ?? '');
      assert.deepEqual(changed.passwordChanged, {
        expiresAt: changed.password.expiresAt,
        windowsLogonCatchUp: false,
      });
      assert.ok(Math.abs(Date.parse(changed.password.expiresAt ?? '') - expected) < 1000);
      const day = describeStatus(changed, 'UTC');
      assert.match(day, /Your new password is good until \w{3} \d{1,2} \w{3} \d{4}\./);
      assert.equal(changed.reminder.due, false, 'the next reminder follows the new date');
      const windowStart = Date.parse(changed.password.expiresAt ?? '') - 14 * 86_400_000;
      assert.equal(changed.reminder.nextAt, new Date(windowStart).toISOString());
      const next = await engine.check();
      assert.equal(next.passwordChanged, null, 'said once');
      assert.doesNotMatch(describeStatus(next, 'UTC'), /new password/);
    } finally {
      await engine.dispose();
    }
  });

  void it('a first check of an account says nothing (no date kept to compare with)', async () => {
    const { engine, report } = await signedInEngine(setup, 'expires-in-1-day');
    try {
      assert.equal(report.passwordChanged, null);
    } finally {
      await engine.dispose();
    }
  });
});

const DAY = 24 * 60 * 60 * 1000;
const fileTime = (at: Date) => ((BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n).toString();

/** The user's AD entry as the directory port answers it (a fake of our own port). */
class ChangingDirectory implements DirectorySource {
  entry: DirectoryEntry;
  constructor(
    username: string,
    lastSet: Date,
    expiresAt: Date,
    private readonly now: () => Date,
  ) {
    this.entry = ChangingDirectory.entry(username, lastSet, expiresAt);
  }
  static entry(username: string, lastSet: Date, expiresAt: Date): DirectoryEntry {
    return {
      dn: 'CN=Lynne Robbins,OU=Staff,DC=corp,DC=contoso,DC=com',
      userPrincipalName: username,
      samAccountName: 'lynne.robbins',
      passwordExpiryTimeComputed: fileTime(expiresAt),
      pwdLastSet: fileTime(lastSet),
      userAccountControl: 0x200,
      userAccountControlComputed: 0,
      maxPwdAge: '-36288000000000',
      resultantPso: null,
    };
  }
  read(): Promise<DirectoryReadResult> {
    return Promise.resolve({
      ok: true,
      reading: {
        entry: this.entry,
        server: 'dc1.corp.contoso.com',
        domain: 'CORP.CONTOSO.COM',
        readAt: this.now(),
      },
    });
  }
}

void describe('after the change: an on-premises change (AD pwdLastSet)', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  void it('pwdLastSet moved on: the new password and its AD expiry, said once', async () => {
    const username = setup.tenant.account('synced-on-premises').username;
    const cloudChanged = new Date(setup.tenant.accountFacts(username).lastPasswordChangeDateTime);
    const lastSet = new Date(cloudChanged.getTime() - 2 * 60 * 1000);
    const now = setup.clock.now();
    const directory = new ChangingDirectory(
      username,
      lastSet,
      new Date(now.getTime() + 10 * DAY),
      setup.clock.now,
    );
    const { engine, report } = await signedInEngine(setup, 'synced-on-premises', {
      extra: { directory },
    });
    try {
      assert.equal(report.password.source, 'directory');
      assert.equal(report.passwordChanged, null);
      const changedAt = new Date(now.getTime() - 60 * 1000);
      const newExpiry = new Date(changedAt.getTime() + 42 * DAY);
      directory.entry = ChangingDirectory.entry(username, changedAt, newExpiry);
      const changed = await engine.check();
      assert.equal(changed.password.source, 'directory');
      assert.deepEqual(changed.passwordChanged, {
        expiresAt: newExpiry.toISOString(),
        windowsLogonCatchUp: false,
      });
      assert.equal((await engine.check()).passwordChanged, null, 'said once');
    } finally {
      await engine.dispose();
    }
  });
});
