import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryEntry, DirectoryReading } from '../../src/core/directory';
import { evaluateExpiry } from '../../src/core/expiry';
import {
  combineWithDirectory,
  decidePasswordSync,
  isKeptReadingCurrent,
  SYNC_PENDING_WINDOW_MS,
} from '../../src/core/hybridExpiry';
import type { HybridInput } from '../../src/core/hybridExpiry';
import { messages } from '../../src/core/messages';
import type { PasswordFacts } from '../../src/core/model';
import { decideReminder } from '../../src/core/reminderSchedule';
import { buildStatusReport, describeStatus, reminderContent } from '../../src/core/statusReport';

const at = (iso: string) => new Date(iso);
const ticks = (iso: string) =>
  ((BigInt(Date.parse(iso)) + 11_644_473_600_000n) * 10_000n).toString();

const ZONE = 'Europe/Berlin';
/** Three local days before the expiry, across the change to summer time (29 March 2026). */
const NOW = at('2026-03-27T10:00:00Z');
const CLOUD_CHANGED = at('2025-12-30T08:00:00Z');

const syncedFacts: PasswordFacts = {
  userPrincipalName: 'lynne.robbins@contoso.com',
  lastPasswordChangeDateTime: CLOUD_CHANGED,
  passwordPolicies: 'DisablePasswordExpiration',
  onPremisesSyncEnabled: true,
  onPremisesLastSyncDateTime: at('2026-03-27T09:58:00Z'),
  onPremisesUserPrincipalName: 'lynne.robbins@contoso.com',
  onPremisesSamAccountName: 'lynne',
};

function entry(overrides: Partial<DirectoryEntry> = {}): DirectoryEntry {
  return {
    dn: 'CN=Lynne Robbins,OU=Staff,DC=corp,DC=contoso,DC=com',
    userPrincipalName: 'lynne.robbins@contoso.com',
    samAccountName: 'lynne',
    passwordExpiryTimeComputed: ticks('2026-03-30T07:58:00Z'),
    pwdLastSet: ticks('2025-12-30T07:58:00Z'),
    userAccountControl: 0x200,
    userAccountControlComputed: 0,
    maxPwdAge: '-77760000000000',
    resultantPso: null,
    ...overrides,
  };
}

function reading(overrides: Partial<DirectoryEntry> = {}, readAt = NOW): DirectoryReading {
  return {
    entry: entry(overrides),
    server: 'dc1.corp.contoso.com',
    domain: 'CORP.CONTOSO.COM',
    readAt,
  };
}

const cloud = (facts: PasswordFacts = syncedFacts, now = NOW) =>
  evaluateExpiry({
    facts,
    claims: null,
    policy: { validityDays: 90, windowDays: 14, from: 'config' },
    now,
    timeZone: ZONE,
  });

function input(overrides: Partial<HybridInput> = {}): HybridInput {
  return {
    cloud: cloud(),
    facts: syncedFacts,
    directory: { reading: reading(), cached: false },
    failure: null,
    reportFailure: false,
    pendingChange: null,
    windowDays: 14,
    now: NOW,
    timeZone: ZONE,
    ...overrides,
  };
}

const urls = {
  changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
  resetPasswordUrl: 'https://aka.ms/sspr',
};
const onPremisesPage = 'https://password.corp.contoso.com/change';

function reportOf(result: ReturnType<typeof combineWithDirectory>, onPremises: string | null) {
  return buildStatusReport({
    account: { username: 'lynne.robbins@contoso.com', tenantId: 't' },
    evaluation: result.evaluation,
    reminder: decideReminder({
      evaluation: result.evaluation,
      last: null,
      now: NOW,
      timeZone: ZONE,
    }),
    error: null,
    urls,
    directory: result.directory,
    onPremisesChangePasswordUrl: onPremises,
  });
}

void describe('combineWithDirectory', () => {
  void it('lets AD decide for a synced user: the date, local days across DST, the source', () => {
    assert.equal(cloud().reason, messages.reasons.managedOnPremises);
    const result = combineWithDirectory(input());
    assert.equal(result.evaluation.source, 'directory');
    assert.equal(result.evaluation.state, 'expiring');
    assert.equal(result.evaluation.expiresAt?.toISOString(), '2026-03-30T07:58:00.000Z');
    assert.equal(result.evaluation.windowStartsAt?.toISOString(), '2026-03-16T07:58:00.000Z');
    assert.equal(result.evaluation.daysLeft, 3);
    assert.equal(result.evaluation.lastChanged?.toISOString(), '2025-12-30T07:58:00.000Z');
    assert.deepEqual(result.directory, {
      domain: 'corp.contoso.com',
      server: 'dc1.corp.contoso.com',
      readAt: '2026-03-27T10:00:00.000Z',
      cached: false,
      passwordSync: null,
    });

    const report = reportOf(result, null);
    assert.equal(report.password.source, 'directory');
    assert.equal(report.password.reason, null);
    assert.equal(report.reminder.due, true);
    assert.equal(report.directory?.readAt, '2026-03-27T10:00:00.000Z');
    assert.equal(
      describeStatus(report, ZONE),
      'Password for lynne.robbins@contoso.com expires in 3 days, on Mon 30 Mar 2026 at 09:58 (Europe/Berlin).',
    );
  });

  void it('a domain that refuses the logon because the password expired makes it expired, in any mode', () => {
    for (const reportFailure of [false, true]) {
      const result = combineWithDirectory(
        input({ directory: null, failure: 'password-expired', reportFailure }),
      );
      assert.equal(result.evaluation.state, 'expired');
      assert.equal(result.evaluation.source, 'directory');
      assert.equal(result.evaluation.reason, messages.reasons.directoryPasswordExpired);
      assert.equal(result.directory, null, 'no "as of": the domain did answer');
      const report = reportOf(result, onPremisesPage);
      assert.equal(report.reminder.due, true);
      assert.equal(report.changePasswordUrl, onPremisesPage);
      assert.equal(
        describeStatus(report, ZONE),
        'Password for lynne.robbins@contoso.com has expired.',
      );
    }
  });

  void it('opens the on-premises change page for directory figures when one is set', () => {
    const result = combineWithDirectory(input());
    assert.equal(reportOf(result, onPremisesPage).changePasswordUrl, onPremisesPage);
    assert.equal(reportOf(result, null).changePasswordUrl, urls.changePasswordUrl);
    // A cloud figure keeps the cloud pages even when the on-premises page is set.
    const cloudOnly = buildStatusReport({
      account: null,
      evaluation: cloud({ ...syncedFacts, passwordPolicies: null, onPremisesSyncEnabled: null }),
      reminder: null,
      error: null,
      urls,
      onPremisesChangePasswordUrl: onPremisesPage,
    });
    assert.equal(cloudOnly.changePasswordUrl, urls.changePasswordUrl);
    assert.equal(cloudOnly.directory, null);
  });

  void it('says "as of" the reading time when the kept reading stands in', () => {
    const readAt = at('2026-03-25T16:30:00Z');
    const result = combineWithDirectory(
      input({ directory: { reading: reading({}, readAt), cached: true }, failure: 'unreachable' }),
    );
    assert.equal(result.evaluation.state, 'expiring');
    assert.equal(result.directory?.cached, true);
    const report = reportOf(result, null);
    assert.equal(report.reminder.due, true, 'reminders go on from the kept value');
    assert.equal(
      describeStatus(report, ZONE),
      'Password for lynne.robbins@contoso.com expires in 3 days, on Mon 30 Mar 2026 at 09:58 (Europe/Berlin). ' +
        'As of Wed 25 Mar 2026 at 17:30 (Europe/Berlin): the on-premises directory cannot be reached right now.',
    );
  });

  void it('must change now (computed 0) is expired, with its own sentence and page', () => {
    const result = combineWithDirectory(
      input({
        directory: {
          reading: reading({ passwordExpiryTimeComputed: '0', pwdLastSet: '0' }),
          cached: false,
        },
      }),
    );
    assert.equal(result.evaluation.state, 'expired');
    assert.equal(result.evaluation.reason, messages.reasons.mustChangeNow);
    assert.equal(result.evaluation.lastChanged?.toISOString(), CLOUD_CHANGED.toISOString());
    const report = reportOf(result, onPremisesPage);
    assert.equal(report.changePasswordUrl, onPremisesPage);
    assert.equal(report.reminder.due, true);
    assert.equal(
      describeStatus(report, ZONE),
      'Password for lynne.robbins@contoso.com must be changed now: your organisation requires a new password.',
    );
    assert.equal(reportOf(result, null).changePasswordUrl, urls.resetPasswordUrl);
    assert.equal(reminderContent(report, ZONE).body, messages.reminder.bodyExpiredOnPremises);
  });

  void it('never (0x7FFF…) and DONT_EXPIRE_PASSWD are "never" from the directory', () => {
    const computed = combineWithDirectory(
      input({
        directory: {
          reading: reading({ passwordExpiryTimeComputed: '9223372036854775807' }),
          cached: false,
        },
      }),
    );
    assert.equal(computed.evaluation.state, 'never');
    assert.equal(computed.evaluation.source, 'directory');
    assert.equal(computed.evaluation.reason, messages.reasons.directoryNeverExpires);
    const flag = combineWithDirectory(
      input({ directory: { reading: reading({ userAccountControl: 0x10200 }), cached: false } }),
    );
    assert.equal(flag.evaluation.state, 'never');
    assert.equal(flag.evaluation.reason, messages.reasons.accountNeverExpires);
  });

  void it("expired while the ticket is still valid: the directory's flag wins over the clock", () => {
    const flagged = combineWithDirectory(
      input({
        directory: { reading: reading({ userAccountControlComputed: 0x800000 }), cached: false },
      }),
    );
    assert.equal(flagged.evaluation.state, 'expired');
    const past = combineWithDirectory(
      input({
        directory: {
          reading: reading({ passwordExpiryTimeComputed: ticks('2026-03-25T07:58:00Z') }),
          cached: false,
        },
      }),
    );
    assert.equal(past.evaluation.state, 'expired');
    assert.equal(past.evaluation.daysLeft, -2);
    const report = reportOf(past, null);
    assert.equal(report.changePasswordUrl, urls.resetPasswordUrl);
    assert.match(describeStatus(report, ZONE), /expired 2 days ago, on Wed 25 Mar 2026 at 08:58/);
  });

  void it('keeps the cloud answer when the entry says nothing usable', () => {
    const result = combineWithDirectory(
      input({
        directory: {
          reading: reading({ passwordExpiryTimeComputed: null, pwdLastSet: null }),
          cached: false,
        },
      }),
    );
    assert.equal(result.evaluation.state, 'unknown');
    assert.equal(result.evaluation.reason, messages.reasons.directoryUnusable);
    assert.equal(result.directory, null);
  });

  void it('without a reading: quiet in auto, the failure as the reason in on', () => {
    const quiet = combineWithDirectory(input({ directory: null, failure: 'unreachable' }));
    assert.equal(quiet.evaluation.reason, messages.reasons.managedOnPremises);
    const reported = combineWithDirectory(
      input({ directory: null, failure: 'unreachable', reportFailure: true }),
    );
    assert.equal(reported.evaluation.state, 'unknown');
    assert.equal(
      reported.evaluation.reason,
      'the on-premises directory could not be read (unreachable)',
    );
  });
});

void describe('a password changed on-premises on its way to Microsoft 365', () => {
  const changedOnPremises = at('2026-03-27T09:57:00Z');
  const pending = () =>
    combineWithDirectory(
      input({
        directory: {
          reading: reading({
            pwdLastSet: ticks('2026-03-27T09:57:00Z'),
            passwordExpiryTimeComputed: ticks('2026-06-25T09:57:00Z'),
          }),
          cached: false,
        },
      }),
    );

  void it('is pending while AD has a newer change than the cloud, and says the old one still works', () => {
    const result = pending();
    assert.equal(result.directory?.passwordSync, 'pending');
    assert.equal(result.pendingChange?.toISOString(), changedOnPremises.toISOString());
    assert.equal(result.evaluation.state, 'ok');
    const text = describeStatus(reportOf(result, null), ZONE);
    assert.ok(text.endsWith(messages.status.syncPending), text);
    assert.match(
      text,
      /reaches Microsoft 365 in a few minutes; until then, Microsoft 365 still accepts the old one/,
    );
  });

  void it('says once that it arrived, then nothing', () => {
    const arrivedFacts = { ...syncedFacts, lastPasswordChangeDateTime: at('2026-03-27T09:59:00Z') };
    const arrived = combineWithDirectory(
      input({
        facts: arrivedFacts,
        pendingChange: changedOnPremises,
        directory: pending().directory && {
          reading: reading({ pwdLastSet: ticks('2026-03-27T09:57:00Z') }),
          cached: false,
        },
      }),
    );
    assert.equal(arrived.directory?.passwordSync, 'arrived');
    assert.equal(arrived.pendingChange, null);
    assert.ok(
      describeStatus(reportOf(arrived, null), ZONE).endsWith(
        'Your new password now works in Microsoft 365.',
      ),
    );
    const after = combineWithDirectory(
      input({
        facts: arrivedFacts,
        pendingChange: arrived.pendingChange,
        directory: {
          reading: reading({ pwdLastSet: ticks('2026-03-27T09:57:00Z') }),
          cached: false,
        },
      }),
    );
    assert.equal(after.directory?.passwordSync, null);
  });

  void it('is not a sync in progress once the window has passed, or without a cloud date', () => {
    const lastSet = at('2026-03-27T08:00:00Z');
    const decide = (now: Date, cloudLastChanged: Date | null) =>
      decidePasswordSync({ lastSet, cloudLastChanged, pendingChange: null, now }).passwordSync;
    const justInside = new Date(lastSet.getTime() + SYNC_PENDING_WINDOW_MS - 1);
    assert.equal(decide(justInside, CLOUD_CHANGED), 'pending');
    assert.equal(decide(new Date(lastSet.getTime() + SYNC_PENDING_WINDOW_MS), CLOUD_CHANGED), null);
    assert.equal(decide(justInside, null), null);
    assert.equal(decide(justInside, lastSet), null, 'equal instants: in step');
  });

  void it("compares on Graph's whole seconds: AD's fraction of a second is not a newer change", () => {
    // AD keeps 100 ns; Graph reports the same change to the second.
    const lastSet = at('2026-03-27T08:00:00.750Z');
    const cloud = at('2026-03-27T08:00:00Z');
    const now = at('2026-03-27T08:01:00Z');
    const same = decidePasswordSync({ lastSet, cloudLastChanged: cloud, pendingChange: null, now });
    assert.equal(same.passwordSync, null, 'in step, not on its way');
    const arrived = decidePasswordSync({
      lastSet,
      cloudLastChanged: cloud,
      pendingChange: lastSet,
      now,
    });
    assert.equal(arrived.passwordSync, 'arrived');
    assert.equal(arrived.pendingChange, null);
    const newer = decidePasswordSync({
      lastSet: at('2026-03-27T08:00:01.250Z'),
      cloudLastChanged: cloud,
      pendingChange: null,
      now,
    });
    assert.equal(newer.passwordSync, 'pending', 'a later second is a newer change');
  });
});

void describe('isKeptReadingCurrent', () => {
  const kept = reading({ pwdLastSet: ticks('2026-03-20T08:00:00Z') }, at('2026-03-25T16:30:00Z'));
  const factsChanged = (iso: string | null) => ({
    ...syncedFacts,
    lastPasswordChangeDateTime: iso === null ? null : at(iso),
  });

  void it('keeps a reading newer than the last change the cloud knows', () => {
    assert.equal(isKeptReadingCurrent(kept, factsChanged('2026-03-20T08:02:00Z')), true);
    assert.equal(isKeptReadingCurrent(kept, factsChanged(null)), true);
    assert.equal(isKeptReadingCurrent(kept, null), true);
  });

  void it('drops it when the password changed after the reading', () => {
    assert.equal(isKeptReadingCurrent(kept, factsChanged('2026-03-26T09:00:00Z')), false);
  });

  void it('keeps it when the later cloud date is the change the reading saw, arriving by sync', () => {
    const justChanged = reading(
      { pwdLastSet: ticks('2026-03-27T09:57:00Z') },
      at('2026-03-27T09:58:00Z'),
    );
    assert.equal(isKeptReadingCurrent(justChanged, factsChanged('2026-03-27T09:59:00Z')), true);
  });
});

void describe("another user's entry", () => {
  void it("keeps the cloud answer for another user's entry", () => {
    const result = combineWithDirectory(
      input({
        directory: { reading: reading({ userPrincipalName: 'megan@contoso.com' }), cached: false },
      }),
    );
    assert.equal(result.directory, null);
    assert.equal(result.evaluation.reason, messages.reasons.directoryOtherUser);
    assert.equal(result.ignored, messages.reasons.directoryOtherUser);
  });
});

void describe('a shared computer: the logon of a desk account without a user principal name', () => {
  /** A shared desk account: only a sAMAccountName, no userPrincipalName (as created by hand). */
  const desk01 = (overrides: Partial<DirectoryEntry> = {}) =>
    reading({
      dn: 'CN=desk01,OU=Shared,DC=corp,DC=contoso,DC=com',
      userPrincipalName: null,
      samAccountName: 'desk01',
      ...overrides,
    });
  const cloudOnly: PasswordFacts = {
    userPrincipalName: 'adele.vance@contoso.com',
    lastPasswordChangeDateTime: at('2026-01-20T08:00:00Z'),
    passwordPolicies: null,
    onPremisesSyncEnabled: null,
    onPremisesLastSyncDateTime: null,
    onPremisesUserPrincipalName: null,
    onPremisesSamAccountName: null,
  };

  void it("is not a cloud-only user's (mode on): the cloud's answer, and why, for the log", () => {
    const cloudAnswer = cloud(cloudOnly);
    assert.equal(cloudAnswer.state, 'ok');
    const result = combineWithDirectory(
      input({
        cloud: cloudAnswer,
        facts: cloudOnly,
        directory: { reading: desk01(), cached: false },
        reportFailure: true,
      }),
    );
    assert.deepEqual(result.evaluation, cloudAnswer);
    assert.equal(result.evaluation.source, 'policy');
    assert.equal(result.directory, null);
    assert.equal(result.ignored, messages.reasons.directoryNoOnPremisesNames);
  });

  void it("is not a synced user's whose Graph record lacks the on-premises names", () => {
    const { onPremisesUserPrincipalName, onPremisesSamAccountName, ...withoutNames } = syncedFacts;
    assert.ok(onPremisesUserPrincipalName && onPremisesSamAccountName);
    for (const facts of [
      withoutNames,
      { ...syncedFacts, onPremisesUserPrincipalName: null, onPremisesSamAccountName: null },
      { ...syncedFacts, onPremisesUserPrincipalName: ' ', onPremisesSamAccountName: '' },
    ]) {
      const result = combineWithDirectory(
        input({ facts, directory: { reading: desk01(), cached: false } }),
      );
      assert.equal(result.evaluation.source, 'graph');
      assert.equal(result.evaluation.state, 'unknown');
      assert.equal(result.evaluation.reason, messages.reasons.directoryNoOnPremisesNames);
      assert.equal(result.directory, null);
    }
  });

  void it('is not taken from a kept reading either, nor when the entry has no names at all', () => {
    const kept = combineWithDirectory(
      input({
        facts: {
          ...syncedFacts,
          onPremisesUserPrincipalName: null,
          onPremisesSamAccountName: null,
        },
        directory: { reading: desk01(), cached: true },
        failure: 'unreachable',
      }),
    );
    assert.equal(kept.directory, null);
    assert.equal(kept.evaluation.reason, messages.reasons.directoryNoOnPremisesNames);
    const named = { ...syncedFacts, onPremisesUserPrincipalName: 'lynne.robbins@contoso.com' };
    const unnamed = combineWithDirectory(
      input({
        facts: named,
        directory: {
          reading: desk01({ userPrincipalName: null, samAccountName: null }),
          cached: false,
        },
      }),
    );
    assert.equal(unnamed.directory, null);
    assert.equal(unnamed.evaluation.reason, messages.reasons.directoryEntryUnnamed);
  });

  void it('is still the user whose record names it (sAMAccountName desk01)', () => {
    const result = combineWithDirectory(
      input({
        facts: { ...syncedFacts, onPremisesSamAccountName: 'DESK01' },
        directory: { reading: desk01(), cached: false },
      }),
    );
    assert.equal(result.evaluation.source, 'directory');
    assert.equal(result.ignored, null);
    assert.equal(result.evaluation.expiresAt?.toISOString(), '2026-03-30T07:58:00.000Z');
  });
});

void describe('the shape of a directory answer', () => {
  const expiredOn = ticks('2026-03-17T07:58:00Z');

  void it('the domain says expired: the exact date of the kept reading from seconds earlier', () => {
    const keptAt = new Date(NOW.getTime() - 20_000);
    const result = combineWithDirectory(
      input({
        directory: {
          reading: reading({ passwordExpiryTimeComputed: expiredOn }, keptAt),
          cached: true,
        },
        failure: 'password-expired',
      }),
    );
    assert.equal(result.evaluation.state, 'expired');
    assert.equal(result.evaluation.source, 'directory');
    assert.equal(result.evaluation.expiresAt?.toISOString(), '2026-03-17T07:58:00.000Z');
    assert.equal(result.evaluation.daysLeft, -10);
    assert.equal(result.evaluation.reason, null);
    // The domain did answer now: no "as of"; the figure was read at the kept reading's time.
    assert.deepEqual(result.directory, {
      domain: 'corp.contoso.com',
      server: 'dc1.corp.contoso.com',
      readAt: keptAt.toISOString(),
      cached: false,
      passwordSync: null,
    });
    assert.match(
      describeStatus(reportOf(result, null), ZONE),
      /^Password for lynne\.robbins@contoso\.com expired 10 days ago, on Tue 17 Mar 2026 at 08:58 \(Europe\/Berlin\)\.$/,
    );
  });

  void it('the domain says expired, no kept date that has passed: no date, and no directory object', () => {
    const cases: (HybridInput['directory'] | null)[] = [
      null,
      // The kept reading still said 3 days: the domain's word stands, the date is not the answer.
      { reading: reading(), cached: true },
      { reading: reading({ passwordExpiryTimeComputed: '0', pwdLastSet: '0' }), cached: true },
      { reading: reading({ userPrincipalName: 'megan@contoso.com' }), cached: true },
    ];
    for (const directory of cases) {
      const result = combineWithDirectory(input({ directory, failure: 'password-expired' }));
      assert.equal(result.evaluation.state, 'expired');
      assert.equal(result.evaluation.source, 'directory');
      assert.equal(result.evaluation.expiresAt, null);
      assert.equal(result.evaluation.daysLeft, null);
      assert.equal(result.evaluation.reason, messages.reasons.directoryPasswordExpired);
      assert.equal(result.directory, null);
    }
  });

  void it('a source directory figure always comes with its directory object, but that one case', () => {
    const readings: DirectoryEntry[] = [
      entry(),
      entry({ passwordExpiryTimeComputed: '9223372036854775807' }),
      entry({ passwordExpiryTimeComputed: '0', pwdLastSet: '0' }),
      entry({ userAccountControlComputed: 0x800000 }),
      entry({ passwordExpiryTimeComputed: null, pwdLastSet: null }),
      entry({ userPrincipalName: 'megan@contoso.com' }),
    ];
    for (const e of readings) {
      for (const cached of [false, true]) {
        const result = combineWithDirectory(
          input({
            directory: { reading: { ...reading(), entry: e }, cached },
            failure: cached ? 'unreachable' : null,
          }),
        );
        assert.equal(
          result.evaluation.source === 'directory',
          result.directory !== null,
          JSON.stringify({ e, cached }),
        );
      }
    }
  });

  void it('one spelling of the domain: the ticket realm and the configured name give one answer', () => {
    const upper = combineWithDirectory(input());
    const lower = combineWithDirectory(
      input({
        directory: { reading: { ...reading(), domain: 'corp.contoso.com' }, cached: false },
      }),
    );
    assert.equal(upper.directory?.domain, 'corp.contoso.com');
    assert.deepEqual(upper, lower);
  });
});
