/**
 * A user synced from on-premises AD, end to end with every real part: the engine with real MSAL
 * over HTTPS to the demo tenant and the real keyring, and the real directory reader (system
 * GSS-API, SASL GSSAPI with signing, in its worker) against a real Samba AD DC on loopback. The
 * demo tenant's synced account reports the on-premises names of a DC user, so the engine's own
 * identity check accepts that user's entry. Skips, saying why, where the DC cannot run.
 *
 * The Kerberos library reads KRB5_CONFIG and KRB5CCNAME from the process environment (the reader
 * uses the OS session's logon); each test file runs in a process of its own, so setting them here
 * reaches no other file.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AssistantConfig } from '../../src/core/config';
import type { DirectoryReadRequest, DirectoryReadResult } from '../../src/core/directory';
import { messages } from '../../src/core/messages';
import type { StatusReport } from '../../src/core/model';
import type { DirectorySource, Logger } from '../../src/core/ports';
import { describeStatus } from '../../src/core/statusReport';
import { createDirectorySource } from '../../src/main/onprem';
import type { Engine } from '../../src/main/engine';
import {
  DC,
  directoryDcUnavailable,
  startBlackHole,
  startDirectoryDc,
  type DcUser,
  type DirectoryDc,
} from '../support/directoryDc';
import { engineFor, setUp, signedInEngine, tempHome, type Setup } from '../support/engineHarness';

const DAY = 24 * 60 * 60 * 1000;
const skip = directoryDcUnavailable();
/** Every test says it skipped, and why, where the DC cannot run. */
const needsDc = { skip: skip ?? false };

/** The reader's own log lines, so a test can print how long each read took. */
class ReaderLog implements Logger {
  readonly lines: { message: string; meta: Record<string, unknown> }[] = [];
  debug() {}
  info(message: string, meta: Record<string, unknown> = {}) {
    this.lines.push({ message, meta });
  }
  warn(message: string, meta: Record<string, unknown> = {}) {
    this.lines.push({ message, meta });
  }
  error(message: string, meta: Record<string, unknown> = {}) {
    this.lines.push({ message, meta });
  }
  lastMs(): unknown {
    return this.lines.at(-1)?.meta['ms'];
  }
}

/** The real reader, counted: the port the engine is given, not a fake of it. */
function countedReader(log = new ReaderLog()) {
  const reader = createDirectorySource({
    platform: process.platform,
    env: process.env,
    logger: log,
    dnsServers: [DC.dnsServer],
  });
  const counted = {
    reads: 0,
    log,
    read(request: DirectoryReadRequest): Promise<DirectoryReadResult> {
      counted.reads += 1;
      return reader.read(request);
    },
  } satisfies DirectorySource & { reads: number; log: ReaderLog };
  return counted;
}

/** Local calendar days from `from` to `to` in UTC (the engine's time zone here). */
function calendarDays(from: Date, to: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(to) - day(from)) / DAY);
}

/** Whole seconds: what a FILETIME set from `date +%s`-like values and Graph both carry. */
function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

describe('a synced user through the real engine and the real reader against a Samba AD DC', () => {
  let dc: DirectoryDc;
  let setup: Setup;
  let username: string;
  const engines: Engine[] = [];

  before(
    async () => {
      if (skip) return;
      dc = await startDirectoryDc();
      process.env.KRB5_CONFIG = dc.krb5Config;
      setup = await setUp();
      username = setup.tenant.account('synced-on-premises').username;
    },
    { timeout: 300_000 },
  );
  after(async () => {
    for (const engine of engines) await engine.dispose();
    await setup?.close();
    if (dc) console.log(`# ${await dc.stop()}`);
  });

  /** The Kerberos logon of the computer: `user`'s ticket cache, or none at all. */
  function logOnAs(user: DcUser | null): void {
    process.env.KRB5CCNAME = user ? dc.ccache(user) : `FILE:${join(dc.stateDir, 'no-such-cache')}`;
  }

  /** Microsoft 365 reports this DC user's names as the synced account's on-premises names. */
  function syncedFrom(user: DcUser): void {
    setup.tenant.setOnPremisesNames(username, {
      userPrincipalName: `${user}@${DC.domain}`,
      samAccountName: user,
    });
  }

  async function signIn(
    directory: DirectorySource,
    config: Partial<AssistantConfig> = {},
    home?: string,
  ) {
    const signedIn = await signedInEngine(setup, 'synced-on-premises', {
      home: home ?? (await tempHome()),
      extra: { directory, config: { ...setup.config, ...config } },
    });
    engines.push(signedIn.engine);
    return signedIn;
  }

  /** One check, timed, with the Graph requests it made. */
  async function timedCheck(engine: Engine) {
    setup.tenant.resetRequestLog();
    const started = performance.now();
    const report = await engine.check();
    const ms = Math.round(performance.now() - started);
    const requests = setup.tenant.requests.map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
    return { report, ms, requests };
  }

  /** grace's last change on the DC `daysAgo` days ago, the cloud's a minute later (synced). */
  async function graceChanged(daysAgo: number): Promise<Date> {
    const lastSet = wholeSeconds(Date.now() - daysAgo * DAY);
    await dc.setLastChange('grace', lastSet);
    setup.tenant.changePassword(username, new Date(lastSet.getTime() + 60_000));
    return lastSet;
  }

  function assertDirectoryFigure(report: StatusReport, cached: boolean): void {
    assert.equal(report.error, null, JSON.stringify(report.error));
    assert.equal(report.password.source, 'directory', JSON.stringify(report.password));
    assert.equal(report.directory?.server, DC.host);
    assert.equal(report.directory?.domain, DC.domain);
    assert.equal(report.directory?.cached, cached);
  }

  test(
    "the DC's date: source directory, msDS-UserPasswordExpiryTimeComputed, one read and one Graph request per check",
    needsDc,
    async (t: TestContext) => {
      t.diagnostic(`DC: ${dc.log.replace(/\n/g, '; ')}`);
      const lastSet = await graceChanged(80);
      // Computed here from what the harness set: the domain's 90 days.
      const expected = new Date(lastSet.getTime() + 90 * DAY);
      logOnAs('grace');
      const reader = countedReader();

      // The seeded on-premises names are lynne.robbins's: the DC's grace is someone else.
      const { engine, report: other } = await signIn(reader);
      assert.equal(reader.reads, 1);
      assert.equal(other.password.state, 'unknown');
      assert.equal(other.password.reason, messages.reasons.directoryOtherUser);
      assert.equal(other.directory, null);

      syncedFrom('grace');
      const first = await timedCheck(engine);
      const steady = await timedCheck(engine);
      t.diagnostic(
        `checks with the real DC: ${first.ms} ms, then ${steady.ms} ms ` +
          `(reader ${String(reader.log.lastMs())} ms)`,
      );
      for (const { report } of [first, steady]) {
        assertDirectoryFigure(report, false);
        assert.equal(report.password.expiresAt, expected.toISOString());
        assert.equal(report.password.lastChanged, lastSet.toISOString());
        assert.equal(report.password.state, 'expiring');
        assert.equal(report.password.daysLeft, calendarDays(new Date(), expected));
        assert.equal(report.password.reason, null);
        assert.equal(report.directory?.passwordSync, null);
        assert.ok(Math.abs(Date.parse(report.directory?.readAt ?? '') - Date.now()) < 60_000);
        assert.match(
          describeStatus(report, 'UTC'),
          new RegExp(`^Password for ${username} expires in ${report.password.daysLeft} days`),
        );
      }
      assert.equal(reader.reads, 3, 'one directory read per check');
      assert.deepEqual(steady.requests, ['GET /graph/v1.0/me'], 'one Graph request per check');
      assert.ok(steady.ms < 10_000, `${steady.ms} ms`);

      // "Check now" while a scheduled check runs: two reads at once in the reader's worker.
      const both = await Promise.all([engine.check(), engine.check()]);
      for (const report of both) {
        assertDirectoryFigure(report, false);
        assert.equal(report.password.expiresAt, expected.toISOString());
      }
      assert.equal(reader.reads, 5);
    },
  );

  test(
    'changed on the DC: sync pending, then arrived once the cloud has it, then nothing',
    needsDc,
    async (t: TestContext) => {
      await graceChanged(80);
      syncedFrom('grace');
      logOnAs('grace');
      const reader = countedReader();
      const { engine, report: before } = await signIn(reader);
      assertDirectoryFigure(before, false);
      assert.equal(before.directory?.passwordSync, null);

      // The user changes the password on-premises; the next logon brings a new ticket.
      const changing = Date.now();
      await dc.changePassword('grace');
      const changed = Date.now();
      const pending = await timedCheck(engine);
      t.diagnostic(`check after the change: ${pending.ms} ms`);
      assertDirectoryFigure(pending.report, false);
      const lastSet = Date.parse(pending.report.password.lastChanged ?? '');
      assert.ok(lastSet >= changing - 2000 && lastSet <= changed + 2000, `${lastSet}`);
      assert.equal(
        pending.report.password.expiresAt,
        new Date(lastSet + 90 * DAY).toISOString(),
        'a new password: 90 days from its change',
      );
      assert.equal(pending.report.password.state, 'ok');
      assert.equal(pending.report.directory?.passwordSync, 'pending');
      assert.ok(
        describeStatus(pending.report, 'UTC').endsWith(` ${messages.status.syncPending}`),
        describeStatus(pending.report, 'UTC'),
      );
      const stillPending = await timedCheck(engine);
      assert.equal(stillPending.report.directory?.passwordSync, 'pending');

      // Password hash sync brings the change to Microsoft 365 (about two minutes later).
      setup.tenant.changePassword(username, new Date(lastSet + 2 * 60_000));
      const arrived = await timedCheck(engine);
      assert.equal(arrived.report.error, null);
      assert.equal(arrived.report.directory?.passwordSync, 'arrived');
      assert.ok(
        describeStatus(arrived.report, 'UTC').endsWith(` ${messages.status.syncArrived}`),
        describeStatus(arrived.report, 'UTC'),
      );
      const later = await timedCheck(engine);
      assertDirectoryFigure(later.report, false);
      assert.equal(later.report.directory?.passwordSync, null);
      assert.equal(describeStatus(later.report, 'UTC').includes('Microsoft 365'), false);
      assert.equal(reader.reads, 5, 'one directory read per check');
    },
  );

  test(
    'off the network: the kept reading "as of" its time, within the reader\'s budget',
    needsDc,
    async (t: TestContext) => {
      const lastSet = await graceChanged(80);
      const expected = new Date(lastSet.getTime() + 90 * DAY).toISOString();
      syncedFrom('grace');
      logOnAs('grace');
      const home = await tempHome();
      const { engine, report: onNetwork } = await signIn(countedReader(), {}, home);
      assertDirectoryFigure(onNetwork, false);
      const readAt = onNetwork.directory?.readAt;
      assert.ok(readAt);
      await engine.dispose();

      // The next start finds the only DC of the domain silent: the SYN goes unanswered.
      const hole = await startBlackHole(DC.blackHolePort);
      try {
        const reader = countedReader();
        const offline = await engineFor(setup, home, {
          directory: reader,
          config: { ...setup.config, onPremisesDomain: DC.unreachableDomain },
        });
        engines.push(offline);
        const { report, ms, requests } = await timedCheck(offline);
        t.diagnostic(
          `off-network check: ${ms} ms (reader ${String(reader.log.lastMs())} ms, ` +
            `${JSON.stringify(reader.log.lines.at(-1)?.meta['kind'])})`,
        );
        assert.equal(reader.log.lines.at(-1)?.meta['kind'], 'unreachable');
        assertDirectoryFigure(report, true);
        assert.equal(report.password.expiresAt, expected);
        assert.equal(report.directory?.readAt, readAt);
        assert.equal(report.password.state, 'expiring');
        assert.equal(report.reminder.due, true, 'reminders go on from the kept reading');
        assert.match(
          describeStatus(report, 'UTC'),
          /As of .*: the on-premises directory cannot be reached right now\.$/,
        );
        assert.deepEqual(requests, ['GET /graph/v1.0/me']);
        assert.equal(reader.reads, 1);
        // The reader's budget is 6 s (plus its grace); a loaded machine still stays well inside 10 s.
        assert.ok(ms < 10_000, `${ms} ms`);
      } finally {
        hole.close();
      }
    },
  );

  test(
    'a fine-grained policy, a password that never expires, one that must change now, an expired one',
    needsDc,
    async (t: TestContext) => {
      // The cloud's last change after the DC's setup: no change on its way to the cloud.
      setup.tenant.changePassword(username, new Date());
      const reader = countedReader();
      syncedFrom('carol');
      logOnAs('carol');
      const { engine, report: pso } = await signIn(reader);
      t.diagnostic(`carol: ${describeStatus(pso, 'UTC')}`);
      assertDirectoryFigure(pso, false);
      const lastSet = Date.parse(pso.password.lastChanged ?? '');
      const expiresAt = new Date(lastSet + 30 * DAY);
      assert.ok(Math.abs(lastSet - Date.now()) < 60 * 60_000, 'set when the DC was set up');
      assert.equal(pso.password.expiresAt, expiresAt.toISOString(), 'short-pso: 30 days');
      assert.equal(pso.password.state, 'ok');
      assert.equal(pso.password.daysLeft, calendarDays(new Date(), expiresAt));
      assert.equal(pso.directory?.passwordSync, null);

      syncedFrom('bob');
      logOnAs('bob');
      const never = (await timedCheck(engine)).report;
      t.diagnostic(`bob: ${describeStatus(never, 'UTC')}`);
      assertDirectoryFigure(never, false);
      assert.equal(never.password.state, 'never');
      assert.equal(never.password.expiresAt, null);
      assert.equal(never.password.reason, messages.reasons.accountNeverExpires);
      assert.equal(describeStatus(never, 'UTC'), messages.status.never(username));
      assert.equal(never.reminder.due, false);

      syncedFrom('dave');
      logOnAs('dave');
      const mustChange = (await timedCheck(engine)).report;
      t.diagnostic(`dave: ${describeStatus(mustChange, 'UTC')}`);
      assertDirectoryFigure(mustChange, false);
      assert.equal(mustChange.password.state, 'expired');
      assert.equal(mustChange.password.reason, messages.reasons.mustChangeNow);
      assert.equal(describeStatus(mustChange, 'UTC'), messages.status.mustChangeNow(username));
      assert.match(describeStatus(mustChange, 'UTC'), /must be changed now/);
      assert.equal(mustChange.reminder.due, true);

      // Expired 10 days ago on the DC, with the tickets of an earlier logon still valid.
      syncedFrom('erin');
      logOnAs('erin');
      const expired = (await timedCheck(engine)).report;
      t.diagnostic(`erin: ${describeStatus(expired, 'UTC')}`);
      assertDirectoryFigure(expired, false);
      const erinLastSet = Date.parse(expired.password.lastChanged ?? '');
      const erinExpiry = new Date(erinLastSet + 90 * DAY);
      assert.equal(expired.password.expiresAt, erinExpiry.toISOString());
      assert.equal(expired.password.state, 'expired');
      assert.equal(expired.password.daysLeft, calendarDays(new Date(), erinExpiry));
      assert.match(describeStatus(expired, 'UTC'), / expired 10 days ago, on /);
      assert.equal(reader.reads, 4);

      // Expired, and only the logon ticket is left: the domain refuses a service ticket. That is
      // the domain's own answer, so the reading kept from before is not shown "as of".
      logOnAs('erin-tgt');
      const refused = (await timedCheck(engine)).report;
      t.diagnostic(`erin, logon ticket only: ${describeStatus(refused, 'UTC')}`);
      assert.equal(refused.error, null);
      assert.equal(refused.password.state, 'expired');
      assert.equal(refused.password.source, 'directory');
      assert.equal(refused.password.reason, messages.reasons.directoryPasswordExpired);
      assert.equal(refused.directory, null);
      assert.doesNotMatch(describeStatus(refused, 'UTC'), /As of/);
      assert.equal(refused.reminder.due, true);
      assert.equal(reader.reads, 5);
    },
  );

  test(
    'no ticket in auto: the cloud answer "managed on-premises" stands, no error (in on: the reason)',
    needsDc,
    async (t: TestContext) => {
      syncedFrom('grace');
      logOnAs(null);
      for (const domain of [null, DC.domain]) {
        const reader = countedReader();
        const { engine, report: signedIn } = await signIn(reader, { onPremisesDomain: domain });
        const { report, ms } = await timedCheck(engine);
        const kind = reader.log.lines.at(-1)?.meta['kind'];
        t.diagnostic(`no ticket, domain ${String(domain)}: ${String(kind)}, check ${ms} ms`);
        assert.equal(kind, domain === null ? 'not-configured' : 'no-credentials');
        for (const r of [signedIn, report]) {
          assert.equal(r.error, null);
          assert.equal(r.password.state, 'unknown');
          assert.equal(r.password.source, 'graph');
          assert.equal(r.password.reason, messages.reasons.managedOnPremises);
          assert.equal(r.directory, null);
          assert.equal(describeStatus(r, 'UTC'), messages.status.managedOnPremises(username));
        }
        assert.equal(reader.reads, 2);
      }

      // In mode on, the failure becomes the reason (still no sign-in error).
      const { report: on } = await signIn(countedReader(), {
        onPremisesDirectory: 'on',
        onPremisesDomain: DC.domain,
      });
      assert.equal(on.error, null);
      assert.equal(on.password.state, 'unknown');
      assert.equal(on.password.reason, messages.reasons.directoryFailed('no-credentials'));
      assert.equal(on.directory, null);
    },
  );
});
