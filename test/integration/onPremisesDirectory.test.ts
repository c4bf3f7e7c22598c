/**
 * The engine with a fake of the on-premises directory port, against the demo tenant over HTTPS
 * with real MSAL and the real keyring: for users synced from AD, AD decides the expiry.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  DirectoryEntry,
  DirectoryFailureKind,
  DirectoryReadRequest,
  DirectoryReadResult,
} from '../../src/core/directory';
import type { AssistantConfig } from '../../src/core/config';
import type { DirectorySource } from '../../src/core/ports';
import { messages } from '../../src/core/messages';
import { describeStatus } from '../../src/core/statusReport';
import { setUp, signedInEngine } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';

const DAY = 24 * 60 * 60 * 1000;
const ON_PREMISES_PAGE = 'https://password.corp.contoso.com/change';

const fileTime = (at: Date) => ((BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n).toString();

function entryFor(username: string, lastSet: Date, expiresAt: Date): DirectoryEntry {
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

/** A directory whose answer the test sets; it records each read and what Graph had seen then. */
class FakeDirectory implements DirectorySource {
  readonly calls: { request: DirectoryReadRequest; graphRequestsBefore: number }[] = [];
  answer: () => DirectoryReadResult = () => this.failing('not-configured');

  constructor(
    private readonly setup: Setup,
    private readonly now: () => Date,
  ) {}

  read(request: DirectoryReadRequest): Promise<DirectoryReadResult> {
    const graphRequestsBefore = this.setup.tenant.requests.filter((r) =>
      r.path.startsWith('/graph/v1.0/me'),
    ).length;
    this.calls.push({ request, graphRequestsBefore });
    return Promise.resolve(this.answer());
  }

  answers(entry: DirectoryEntry): void {
    this.answer = () => ({
      ok: true,
      reading: {
        entry,
        server: 'dc1.corp.contoso.com',
        domain: 'CORP.CONTOSO.COM',
        readAt: this.now(),
      },
    });
  }

  failing(kind: DirectoryFailureKind): DirectoryReadResult {
    return { ok: false, failure: { kind, detail: `test: ${kind}`, server: null } };
  }

  fails(kind: DirectoryFailureKind): void {
    this.answer = () => this.failing(kind);
  }
}

describe('users synced from on-premises AD', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp({}, { onPremisesChangePasswordUrl: ON_PREMISES_PAGE });
  });
  after(() => setup.close());

  /** Signs the synced user in with a fake directory; AD's change 2 minutes before the cloud's. */
  async function syncedUser(expiresInDays: number, configOverrides: Partial<AssistantConfig> = {}) {
    const directory = new FakeDirectory(setup, setup.clock.now);
    const username = setup.tenant.account('synced-on-premises').username;
    const cloudChanged = new Date(setup.tenant.accountFacts(username).lastPasswordChangeDateTime);
    const lastSet = new Date(cloudChanged.getTime() - 2 * 60 * 1000);
    const expiresAt = new Date(setup.clock.now().getTime() + expiresInDays * DAY);
    directory.answers(entryFor(username, lastSet, expiresAt));
    setup.tenant.resetRequestLog();
    const signedIn = await signedInEngine(setup, 'synced-on-premises', {
      extra: { directory, config: { ...setup.config, ...configOverrides } },
    });
    return { ...signedIn, directory, expiresAt, lastSet, cloudChanged };
  }

  test('AD decides: the source is the directory, its date, one read per check, the on-premises page', async () => {
    const { engine, report, directory, expiresAt, lastSet, username } = await syncedUser(10);
    assert.equal(report.error, null);
    assert.equal(report.password.source, 'directory');
    assert.equal(report.password.state, 'expiring');
    assert.equal(report.password.expiresAt, expiresAt.toISOString());
    assert.equal(report.password.daysLeft, 10);
    assert.equal(report.password.lastChanged, lastSet.toISOString());
    assert.equal(report.password.reason, null);
    assert.equal(report.reminder.due, true);
    assert.equal(report.changePasswordUrl, ON_PREMISES_PAGE);
    assert.equal(report.directory?.cached, false);
    assert.equal(report.directory?.server, 'dc1.corp.contoso.com');
    assert.equal(report.directory?.passwordSync, null);
    assert.deepEqual(directory.calls[0]?.request, { domain: null, servers: [] });
    // Not yet known to be synced: read once Graph said so.
    assert.equal(directory.calls.length, 1);
    assert.equal(directory.calls[0]?.graphRequestsBefore, 1);
    assert.match(
      describeStatus(report, 'UTC'),
      new RegExp(`^Password for ${username} expires in 10 days`),
    );

    setup.tenant.resetRequestLog();
    const again = await engine.check();
    assert.equal(again.password.source, 'directory');
    assert.deepEqual(
      setup.tenant.requests.map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`),
      ['GET /graph/v1.0/me'],
    );
    assert.equal(directory.calls.length, 2, 'one directory read per check');
    // Known to be synced now: the read starts before the Graph request, alongside it.
    assert.equal(directory.calls[1]?.graphRequestsBefore, 0);
    await engine.dispose();
  });

  test('a change made on-premises: pending, then once "now works", then nothing', async () => {
    const { engine, directory, username } = await syncedUser(10);
    const changedAt = new Date(setup.clock.now().getTime() - 60 * 1000);
    directory.answers(entryFor(username, changedAt, new Date(changedAt.getTime() + 42 * DAY)));

    const pending = await engine.check();
    assert.equal(pending.directory?.passwordSync, 'pending');
    assert.equal(pending.password.state, 'ok');
    assert.equal(pending.password.daysLeft, 42);
    assert.ok(describeStatus(pending, 'UTC').endsWith(messages.status.syncPending));

    // Password hash sync brings the change to the cloud.
    setup.tenant.changePassword(username, new Date(changedAt.getTime() + 90 * 1000));
    const arrived = await engine.check();
    assert.equal(arrived.error, null);
    assert.equal(arrived.directory?.passwordSync, 'arrived');
    assert.ok(describeStatus(arrived, 'UTC').endsWith(messages.status.syncArrived));

    const later = await engine.check();
    assert.equal(later.directory?.passwordSync, null);
    assert.equal(directory.calls.length, 4);
    await engine.dispose();
  });

  test('domain controller unreachable: the kept reading "as of" its time, reminders go on', async () => {
    const { engine, directory, expiresAt, report: first } = await syncedUser(5);
    const readAt = first.directory?.readAt;
    assert.ok(readAt);
    directory.fails('unreachable');
    setup.clock.advanceDays(1);
    try {
      const report = await engine.check();
      assert.equal(report.password.source, 'directory');
      assert.equal(report.password.expiresAt, expiresAt.toISOString());
      assert.equal(report.password.daysLeft, 4);
      assert.equal(report.directory?.cached, true);
      assert.equal(report.directory?.readAt, readAt);
      assert.equal(report.reminder.due, true, 'reminders continue from the kept value');
      assert.match(
        describeStatus(report, 'UTC'),
        /As of .*: the on-premises directory cannot be reached right now\.$/,
      );

      // Back on the network: the fresh reading replaces the kept one.
      directory.answers(
        entryFor(
          setup.tenant.account('synced-on-premises').username,
          new Date(setup.clock.now().getTime() - DAY),
          new Date(setup.clock.now().getTime() + 60 * DAY),
        ),
      );
      const fresh = await engine.check();
      assert.equal(fresh.directory?.cached, false);
      assert.equal(fresh.password.daysLeft, 60);
      directory.fails('unreachable');
      const keptAgain = await engine.check();
      assert.equal(keptAgain.password.daysLeft, 60);
      assert.equal(keptAgain.directory?.cached, true);
    } finally {
      setup.clock.advanceDays(-1);
      await engine.dispose();
    }
  });

  test('the domain refuses the logon for an expired password: expired, never the kept "as of"', async () => {
    const { engine, directory } = await syncedUser(5);
    directory.fails('password-expired');
    try {
      const report = await engine.check();
      assert.equal(report.error, null);
      assert.equal(report.password.state, 'expired');
      assert.equal(report.password.source, 'directory');
      assert.equal(report.password.reason, messages.reasons.directoryPasswordExpired);
      assert.equal(report.directory, null);
      assert.equal(report.reminder.due, true);
      assert.doesNotMatch(describeStatus(report, 'UTC'), /As of/);
    } finally {
      await engine.dispose();
    }
  });

  test('unreachable with nothing kept, in auto: the old "managed on-premises" answer', async () => {
    for (const kind of ['unreachable', 'not-configured', 'no-credentials'] as const) {
      const directory = new FakeDirectory(setup, setup.clock.now);
      directory.fails(kind);
      const { engine, report } = await signedInEngine(setup, 'synced-on-premises', {
        extra: { directory },
      });
      assert.equal(report.error, null, kind);
      assert.equal(report.password.state, 'unknown', kind);
      assert.equal(report.password.reason, messages.reasons.managedOnPremises, kind);
      assert.equal(report.directory, null, kind);
      assert.equal(report.changePasswordUrl, setup.config.changePasswordUrl, kind);
      assert.equal(directory.calls.length, 1, kind);
      // Known to be synced now (nothing kept): the next read runs alongside Graph.
      setup.tenant.resetRequestLog();
      await engine.check();
      assert.equal(directory.calls.length, 2, kind);
      assert.equal(directory.calls[1]?.graphRequestsBefore, 0, kind);
      await engine.dispose();
    }
  });

  test('mode on: a failure is the reason, not a sign-in error; cloud-only users are read too', async () => {
    const directory = new FakeDirectory(setup, setup.clock.now);
    directory.fails('refused');
    const config = { ...setup.config, onPremisesDirectory: 'on' as const };
    setup.tenant.resetRequestLog();
    const { engine, report } = await signedInEngine(setup, 'synced-on-premises', {
      extra: { directory, config },
    });
    assert.equal(report.error, null);
    assert.equal(report.password.state, 'unknown');
    assert.equal(report.password.reason, 'the on-premises directory could not be read (refused)');
    // In mode on the read starts alongside Graph from the first check.
    assert.equal(directory.calls[0]?.graphRequestsBefore, 0);
    await engine.dispose();

    const cloudOnly = new FakeDirectory(setup, setup.clock.now);
    cloudOnly.fails('unreachable');
    const other = await signedInEngine(setup, 'expires-in-20-days', {
      extra: { directory: cloudOnly, config },
    });
    assert.equal(cloudOnly.calls.length, 1);
    assert.equal(other.report.password.source, 'policy', 'the cloud answer stands');
    assert.equal(other.report.password.state, 'ok');
    await other.engine.dispose();
  });

  test('mode off, and cloud-only users in auto: no directory read at all', async () => {
    const { engine, directory } = await syncedUser(10, { onPremisesDirectory: 'off' });
    const report = await engine.check();
    assert.equal(report.password.reason, messages.reasons.managedOnPremises);
    assert.equal(directory.calls.length, 0);
    await engine.dispose();

    const cloudOnly = new FakeDirectory(setup, setup.clock.now);
    const other = await signedInEngine(setup, 'expires-in-10-days', {
      extra: { directory: cloudOnly },
    });
    await other.engine.check();
    assert.equal(cloudOnly.calls.length, 0);
    await other.engine.dispose();
  });

  test("another user's AD logon (a shared computer) is not taken for this user's", async () => {
    const directory = new FakeDirectory(setup, setup.clock.now);
    const now = setup.clock.now();
    directory.answers({
      ...entryFor('megan.bowen@contoso.com', now, new Date(now.getTime() + 3 * DAY)),
      samAccountName: 'megan.bowen',
    });
    const { engine, report } = await signedInEngine(setup, 'synced-on-premises', {
      extra: { directory },
    });
    assert.equal(report.password.state, 'unknown');
    assert.equal(report.password.reason, messages.reasons.directoryOtherUser);
    assert.equal(report.directory, null);
    directory.fails('unreachable');
    const offline = await engine.check();
    assert.equal(offline.directory, null, 'nothing of the other user was kept');
    await engine.dispose();
  });

  test('sign-out forgets the kept reading', async () => {
    const { engine, directory, home } = await syncedUser(10);
    await engine.signOut();
    directory.fails('unreachable');
    const relogged = await signedInEngine(setup, 'synced-on-premises', {
      home,
      extra: { directory },
    });
    assert.equal(relogged.report.password.reason, messages.reasons.managedOnPremises);
    await engine.dispose();
    await relogged.engine.dispose();
  });
});
