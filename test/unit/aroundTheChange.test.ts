import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUTHENTICATION_METHOD_TYPES,
  inResetWindow,
  keptAnswerIsFresh,
  resetReadiness,
} from '../../src/core/resetReadiness';
import { logonCatchUpNeeded, passwordChangedSince } from '../../src/core/passwordChange';
import type { ExpiryEvaluation } from '../../src/core/model';
import { buildStatusReport, describeStatus, reminderContent } from '../../src/core/statusReport';

const type = (name: string) => `#microsoft.graph.${name}AuthenticationMethod`;

void describe('resetReadiness', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['password only', ['password'], false],
    ['Authenticator app', ['password', 'microsoftAuthenticator'], true],
    ['phone', ['password', 'phone'], true],
    ['e-mail', ['password', 'email'], true],
    ['OATH code', ['password', 'softwareOath'], true],
    ['security key only', ['password', 'fido2'], false],
    ['Windows Hello only', ['password', 'windowsHelloForBusiness'], false],
    ['Temporary Access Pass only', ['password', 'temporaryAccessPass'], false],
    ['nothing at all', [], false],
  ];
  for (const [name, methods, ready] of cases) {
    void it(`${name}: ready ${ready}`, () => {
      const answer = resetReadiness(methods.map(type));
      assert.equal(answer.ready, ready);
      assert.deepEqual(answer.methods, [...new Set(methods)].sort());
    });
  }
  void it('names an unknown type without the namespace, and never counts it', () => {
    assert.deepEqual(resetReadiness(['#microsoft.graph.futureAuthenticationMethod']), {
      ready: false,
      methods: ['futureAuthenticationMethod'],
    });
    assert.equal(Object.keys(AUTHENTICATION_METHOD_TYPES).length, 13);
  });
});

function evaluation(
  state: ExpiryEvaluation['state'],
  windowStartsAt: Date | null,
): ExpiryEvaluation {
  return {
    state,
    lastChanged: new Date('2026-09-01T00:00:00Z'),
    expiresAt: windowStartsAt && new Date(windowStartsAt.getTime() + 14 * 86_400_000),
    windowStartsAt,
    daysLeft: 10,
    source: 'graph',
    reason: null,
  };
}

void describe('inResetWindow and the daily answer', () => {
  const now = new Date('2026-11-20T10:00:00Z');
  void it('asks from the start of the window, also once expired; never before or without a date', () => {
    assert.equal(
      inResetWindow(evaluation('expiring', new Date('2026-11-20T09:59:59Z')), now),
      true,
    );
    assert.equal(inResetWindow(evaluation('ok', new Date('2026-11-20T10:00:01Z')), now), false);
    assert.equal(inResetWindow(evaluation('expired', null), now), true);
    assert.equal(inResetWindow(evaluation('never', null), now), false);
    assert.equal(inResetWindow(evaluation('unknown', null), now), false);
    assert.equal(inResetWindow(null, now), false);
  });
  void it('keeps an answer for a day, never one from the future', () => {
    assert.equal(keptAnswerIsFresh(new Date('2026-11-19T10:00:01Z'), now), true);
    assert.equal(keptAnswerIsFresh(new Date('2026-11-19T10:00:00Z'), now), false);
    assert.equal(keptAnswerIsFresh(new Date('2026-11-20T10:00:01Z'), now), false);
  });
});

void describe('passwordChangedSince', () => {
  const account = 'alex@contoso.com';
  const at = (iso: string) => ({ account, lastChanged: new Date(iso) });
  void it('sees a cloud change (lastPasswordChangeDateTime moved on)', () => {
    assert.equal(
      passwordChangedSince(at('2026-09-01T08:00:00Z'), at('2026-11-20T09:12:44Z')),
      true,
    );
  });
  void it('sees an AD change (pwdLastSet moved on)', () => {
    assert.equal(
      passwordChangedSince(at('2025-11-20T08:00:00Z'), at('2025-11-21T08:00:00Z')),
      true,
    );
  });
  void it('the same change seen from AD then from the cloud (minutes apart) is not a new one', () => {
    assert.equal(
      passwordChangedSince(at('2026-11-20T09:00:00Z'), at('2026-11-20T09:02:10Z')),
      false,
    );
    assert.equal(
      passwordChangedSince(at('2026-11-20T09:02:10Z'), at('2026-11-20T09:00:00Z')),
      false,
    );
  });
  void it('says nothing without a kept date, for another account, or without a date now', () => {
    assert.equal(passwordChangedSince(null, at('2026-11-20T09:00:00Z')), false);
    assert.equal(
      passwordChangedSince(
        { account: 'other@contoso.com', lastChanged: new Date(0) },
        at('2026-11-20T09:00:00Z'),
      ),
      false,
    );
    assert.equal(
      passwordChangedSince(at('2026-09-01T08:00:00Z'), { account, lastChanged: null }),
      false,
    );
    assert.equal(
      passwordChangedSince({ account, lastChanged: null }, at('2026-09-01T08:00:00Z')),
      false,
    );
  });
});

void describe('logonCatchUpNeeded', () => {
  const reading = {
    domain: 'corp.contoso.com',
    server: 'dc1',
    readAt: '2026-11-20T09:00:00Z',
    passwordSync: null,
  };
  void it('a synced account on Windows with no domain controller in reach', () => {
    assert.equal(logonCatchUpNeeded({ platform: 'win32', synced: true, directory: null }), true);
    assert.equal(
      logonCatchUpNeeded({
        platform: 'win32',
        synced: true,
        directory: { ...reading, cached: true },
      }),
      true,
    );
  });
  void it('not on the office network, not for cloud accounts, not elsewhere than Windows', () => {
    assert.equal(
      logonCatchUpNeeded({
        platform: 'win32',
        synced: true,
        directory: { ...reading, cached: false },
      }),
      false,
    );
    assert.equal(logonCatchUpNeeded({ platform: 'win32', synced: false, directory: null }), false);
    assert.equal(logonCatchUpNeeded({ platform: 'darwin', synced: true, directory: null }), false);
  });
});

void describe('the sentences around the change', () => {
  const urls = {
    changePasswordUrl: 'https://change.example',
    resetPasswordUrl: 'https://reset.example',
  };
  const now = new Date('2026-11-20T10:00:00Z');
  const expiring = evaluation('expiring', new Date('2026-11-16T00:00:00Z'));
  void it('the reminder, the status and the JSON carry the not-ready sentence and page', () => {
    const report = buildStatusReport({
      account: { username: 'isaiah@contoso.com', tenantId: 't' },
      evaluation: expiring,
      reminder: { due: true, nextAt: now },
      error: null,
      urls,
      reset: { ready: false, methods: ['password'] },
      securityInfoUrl: 'https://security.example/info',
    });
    assert.equal(
      report.reset?.message,
      'You could not reset your password yourself if you forgot it: add a phone or the Authenticator app at https://security.example/info.',
    );
    assert.ok(reminderContent(report, 'UTC').body.endsWith(report.reset?.message ?? '-'));
    assert.ok(describeStatus(report, 'UTC').endsWith(report.reset?.message ?? '-'));
    assert.ok(reminderContent(report, 'UTC').body.length < 256, 'fits a Windows balloon');
  });
  void it('says the new date with its year, and the catch-up after it', () => {
    const report = buildStatusReport({
      account: { username: 'alex@contoso.com', tenantId: 't' },
      evaluation: { ...expiring, state: 'ok' },
      reminder: { due: false, nextAt: null },
      error: null,
      urls,
      passwordChanged: { expiresAt: '2027-03-02T23:30:00Z', windowsLogonCatchUp: true },
    });
    const text = describeStatus(report, 'Europe/Berlin');
    assert.match(text, /Your new password is good until Wed 3 Mar 2027\. Windows on this computer/);
    assert.match(text, /connect to the office network or VPN, then lock the computer/);
  });
});
