import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAuthFailure } from '../../src/core/errorClassification';
import { evaluateExpiry } from '../../src/core/expiry';
import { messages } from '../../src/core/messages';
import type {
  ExpiryEvaluation,
  ExpiryPolicy,
  PasswordFacts,
  StatusReport,
} from '../../src/core/model';
import { decideReminder } from '../../src/core/reminderSchedule';
import {
  buildStatusReport,
  describeStatus,
  exitCodeForReport,
  reminderContent,
} from '../../src/core/statusReport';

const DAY = 86_400_000;
const BERLIN = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const urls = {
  changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
  resetPasswordUrl: 'https://aka.ms/sspr',
};
const account = { username: 'adele@contoso.com', tenantId: '11111111-2222-3333-4444-555555555555' };
// Expires Tue 1 Dec 2026 09:14 Berlin.
const EXPIRES = at('2026-12-01T08:14:00Z');

function facts(overrides: Partial<PasswordFacts> = {}): PasswordFacts {
  return {
    userPrincipalName: account.username,
    lastPasswordChangeDateTime: new Date(EXPIRES.getTime() - 90 * DAY),
    passwordPolicies: null,
    onPremisesSyncEnabled: null,
    onPremisesLastSyncDateTime: null,
    ...overrides,
  };
}

function evaluationAt(
  now: Date,
  overrides: Partial<PasswordFacts> = {},
  policy?: ExpiryPolicy,
): ExpiryEvaluation {
  return evaluateExpiry({
    facts: facts(overrides),
    claims: null,
    policy: policy ?? { validityDays: 90, windowDays: 14, from: 'config' },
    now,
    timeZone: BERLIN,
  });
}

function reportAt(
  now: Date,
  overrides: Partial<PasswordFacts> = {},
  policy?: ExpiryPolicy,
): StatusReport {
  const evaluation = evaluationAt(now, overrides, policy);
  return buildStatusReport({
    account,
    evaluation,
    reminder: decideReminder({ evaluation, last: null, now, timeZone: BERLIN }),
    error: null,
    urls,
  });
}

void describe('buildStatusReport', () => {
  void it('writes the JSON contract with ISO 8601 UTC strings', () => {
    const now = at('2026-11-22T10:00:00Z');
    const report = reportAt(now);
    assert.deepEqual(report, {
      account,
      password: {
        state: 'expiring',
        lastChanged: '2026-09-02T08:14:00.000Z',
        expiresAt: '2026-12-01T08:14:00.000Z',
        daysLeft: 9,
        source: 'policy',
        reason: null,
      },
      reminder: { due: true, nextAt: '2026-11-22T10:00:00.000Z' },
      changePasswordUrl: urls.changePasswordUrl,
      error: null,
      directory: null,
    });
    // Survives a JSON round trip unchanged (no Date objects inside).
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });

  void it('links to the reset page once the password expired', () => {
    const report = reportAt(at('2026-12-02T10:00:00Z'));
    assert.equal(report.password.state, 'expired');
    assert.equal(report.changePasswordUrl, urls.resetPasswordUrl);
  });

  void it('reports unknown with the error as the reason when nothing could be evaluated', () => {
    const error = classifyAuthFailure({ code: 'ECONNREFUSED' }, urls);
    const report = buildStatusReport({ account, evaluation: null, reminder: null, error, urls });
    assert.deepEqual(report.password, {
      state: 'unknown',
      lastChanged: null,
      expiresAt: null,
      daysLeft: null,
      source: 'policy',
      reason: error.message,
    });
    assert.deepEqual(report.reminder, { due: false, nextAt: null });
    assert.deepEqual(report.error, { kind: 'network', aadsts: null, message: error.message });
    assert.equal(report.changePasswordUrl, urls.changePasswordUrl);
  });

  void it('reports expired (and the reset page) when sign-in said the password expired', () => {
    const error = classifyAuthFailure({ errorCode: 'invalid_grant', errorNo: 50055 }, urls);
    const report = buildStatusReport({ account, evaluation: null, reminder: null, error, urls });
    assert.equal(report.password.state, 'expired');
    assert.equal(report.changePasswordUrl, urls.resetPasswordUrl);
    assert.deepEqual(report.error, {
      kind: 'password-expired',
      aadsts: 50055,
      message: error.message,
    });
    // Even when the computed state disagrees.
    const evaluation = evaluationAt(at('2026-10-01T00:00:00Z'));
    assert.equal(evaluation.state, 'ok');
    const overruled = buildStatusReport({ account, evaluation, reminder: null, error, urls });
    assert.equal(overruled.password.state, 'expired');
    assert.equal(overruled.password.expiresAt, '2026-12-01T08:14:00.000Z');
  });

  void it('reports a signed-out user without an account', () => {
    const report = buildStatusReport({
      account: null,
      evaluation: null,
      reminder: null,
      error: null,
      urls,
    });
    assert.equal(report.account, null);
    assert.equal(report.password.state, 'unknown');
    assert.equal(report.password.reason, messages.reasons.notChecked);
  });
});

void describe('exitCodeForReport', () => {
  void it('is 0 for ok, never and unknown, 1 when expiring, 2 when expired', () => {
    assert.equal(exitCodeForReport(reportAt(at('2026-10-01T00:00:00Z'))), 0);
    assert.equal(exitCodeForReport(reportAt(at('2026-11-22T10:00:00Z'))), 1);
    assert.equal(exitCodeForReport(reportAt(at('2026-12-02T10:00:00Z'))), 2);
    const never = reportAt(at('2026-11-22T10:00:00Z'), {
      passwordPolicies: 'DisablePasswordExpiration',
    });
    assert.equal(never.password.state, 'never');
    assert.equal(exitCodeForReport(never), 0);
    const synced = reportAt(at('2026-11-22T10:00:00Z'), {
      passwordPolicies: 'DisablePasswordExpiration',
      onPremisesSyncEnabled: true,
    });
    assert.equal(exitCodeForReport(synced), 0);
  });

  void it('follows the error kind when there is an error', () => {
    const withError = (failure: Parameters<typeof classifyAuthFailure>[0]) =>
      exitCodeForReport(
        buildStatusReport({
          account,
          evaluation: evaluationAt(at('2026-11-22T10:00:00Z')),
          reminder: null,
          error: classifyAuthFailure(failure, urls),
          urls,
        }),
      );
    assert.equal(withError({ errorNo: 50055 }), 2);
    assert.equal(withError({ errorCode: 'no_tokens_found' }), 3);
    assert.equal(withError({ errorCode: 'invalid_client' }), 4);
    assert.equal(withError({ code: 'ETIMEDOUT' }), 5);
    assert.equal(withError({ status: 503 }), 5);
  });
});

void describe('describeStatus', () => {
  void it('says how many days are left, with date, time and zone', () => {
    assert.equal(
      describeStatus(reportAt(at('2026-11-22T10:00:00Z')), BERLIN),
      'Password for adele@contoso.com expires in 9 days, on Tue 1 Dec 2026 at 09:14 (Europe/Berlin).',
    );
    assert.equal(
      describeStatus(reportAt(at('2026-10-01T10:00:00Z')), BERLIN),
      'Password for adele@contoso.com expires in 61 days, on Tue 1 Dec 2026 at 09:14 (Europe/Berlin).',
    );
  });

  void it('writes times in the zone asked for', () => {
    assert.equal(
      describeStatus(reportAt(at('2026-11-22T10:00:00Z')), 'UTC'),
      'Password for adele@contoso.com expires in 9 days, on Tue 1 Dec 2026 at 08:14 (UTC).',
    );
  });

  void it('says tomorrow and today', () => {
    assert.equal(
      describeStatus(reportAt(at('2026-11-30T10:00:00Z')), BERLIN),
      'Password for adele@contoso.com expires tomorrow, on Tue 1 Dec 2026 at 09:14 (Europe/Berlin).',
    );
    assert.equal(
      describeStatus(reportAt(at('2026-12-01T06:00:00Z')), BERLIN),
      'Password for adele@contoso.com expires today at 09:14 (Europe/Berlin).',
    );
  });

  void it('says when it expired: today, yesterday or days ago', () => {
    assert.equal(
      describeStatus(reportAt(at('2026-12-01T12:00:00Z')), BERLIN),
      'Password for adele@contoso.com expired today at 09:14 (Europe/Berlin).',
    );
    assert.equal(
      describeStatus(reportAt(at('2026-12-02T12:00:00Z')), BERLIN),
      'Password for adele@contoso.com expired yesterday, on Tue 1 Dec 2026 at 09:14 (Europe/Berlin).',
    );
    assert.equal(
      describeStatus(reportAt(at('2026-12-04T12:00:00Z')), BERLIN),
      'Password for adele@contoso.com expired 3 days ago, on Tue 1 Dec 2026 at 09:14 (Europe/Berlin).',
    );
  });

  void it('says never, and managed on-premises for synced users', () => {
    const now = at('2026-11-22T10:00:00Z');
    assert.equal(
      describeStatus(reportAt(now, { passwordPolicies: 'DisablePasswordExpiration' }), BERLIN),
      'Password for adele@contoso.com never expires.',
    );
    assert.equal(
      describeStatus(
        reportAt(now, {
          passwordPolicies: 'DisablePasswordExpiration',
          onPremisesSyncEnabled: true,
        }),
        BERLIN,
      ),
      'Password for adele@contoso.com is managed on-premises: ask your IT department when it expires.',
    );
  });

  void it('gives the reason when the expiry is unknown', () => {
    const text = describeStatus(
      reportAt(at('2026-11-22T10:00:00Z'), { lastPasswordChangeDateTime: null }),
      BERLIN,
    );
    assert.equal(
      text,
      `When the password for adele@contoso.com expires is not known: ${messages.reasons.noLastChange}.`,
    );
  });

  void it('says signed out, and shows the error sentence when there is an error', () => {
    const signedOut = buildStatusReport({
      account: null,
      evaluation: null,
      reminder: null,
      error: null,
      urls,
    });
    assert.equal(describeStatus(signedOut, BERLIN), messages.status.signedOut);
    const error = classifyAuthFailure({ errorCode: 'invalid_grant', errorNo: 50133 }, urls);
    const report = buildStatusReport({ account, evaluation: null, reminder: null, error, urls });
    assert.equal(describeStatus(report, BERLIN), 'Your password changed. Sign in again.');
  });

  void it('says the password has expired when only sign-in knows it', () => {
    const error = classifyAuthFailure({ subError: 'user_password_expired' }, urls);
    const report = buildStatusReport({ account, evaluation: null, reminder: null, error, urls });
    assert.equal(
      describeStatus({ ...report, error: null }, BERLIN),
      'Password for adele@contoso.com has expired.',
    );
  });
});

void describe('reminderContent', () => {
  void it('names the days left and the short date', () => {
    assert.deepEqual(reminderContent(reportAt(at('2026-11-28T10:00:00Z')), BERLIN), {
      title: 'Password expires in 3 days',
      body: 'Your password expires in 3 days (Tue 1 Dec). Click to change it now.',
    });
  });

  void it('has tomorrow and today variants', () => {
    assert.deepEqual(reminderContent(reportAt(at('2026-11-30T10:00:00Z')), BERLIN), {
      title: 'Password expires tomorrow',
      body: 'Your password expires tomorrow (Tue 1 Dec). Click to change it now.',
    });
    assert.deepEqual(reminderContent(reportAt(at('2026-12-01T06:00:00Z')), BERLIN), {
      title: 'Password expires today',
      body: 'Your password expires today at 09:14. Click to change it now.',
    });
  });

  void it('asks for a reset once expired', () => {
    assert.deepEqual(reminderContent(reportAt(at('2026-12-05T10:00:00Z')), BERLIN), {
      title: 'Password expired',
      body: 'Your password has expired. Click to reset it now.',
    });
  });

  void it('uses the short date in the zone asked for', () => {
    // 1 Dec 08:14 UTC is still 30 Nov 22:14 in Honolulu (-10).
    const report = reportAt(at('2026-11-28T10:00:00Z'));
    assert.match(reminderContent(report, 'Pacific/Honolulu').body, /\(Mon 30 Nov\)/);
  });
});

void describe('buildStatusReport: the on-premises change page', () => {
  const onPremises = 'https://password.corp.contoso.com/change';

  void it('opens it when sign-in says the on-premises password expired (AADSTS50144)', () => {
    const error = classifyAuthFailure(
      { errorCode: 'invalid_grant', subError: 'user_password_expired', errorNo: 50144 },
      urls,
    );
    const report = buildStatusReport({
      account,
      evaluation: null,
      reminder: null,
      error,
      urls,
      onPremisesChangePasswordUrl: onPremises,
    });
    assert.equal(report.password.state, 'expired');
    assert.equal(report.changePasswordUrl, onPremises);
    const cloudExpired = buildStatusReport({
      account,
      evaluation: null,
      reminder: null,
      error: classifyAuthFailure({ errorCode: 'invalid_grant', errorNo: 50055 }, urls),
      urls,
      onPremisesChangePasswordUrl: onPremises,
    });
    assert.equal(cloudExpired.changePasswordUrl, urls.resetPasswordUrl);
  });
});
