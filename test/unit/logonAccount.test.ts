import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { DirectoryReading } from '../../src/core/directory';
import { logonAccountName } from '../../src/core/logonAccount';
import { buildStatusReport } from '../../src/core/statusReport';
import { decideSignInPrompt, signInPromptKey } from '../../src/core/signInPrompt';

function reading(upn: string | null, sam: string | null): DirectoryReading {
  return {
    entry: {
      dn: 'CN=Avery,DC=corp,DC=contoso,DC=com',
      userPrincipalName: upn,
      samAccountName: sam,
      passwordExpiryTimeComputed: null,
      pwdLastSet: null,
      userAccountControl: null,
      userAccountControlComputed: null,
      maxPwdAge: null,
      resultantPso: null,
    },
    server: 'dc1.corp.contoso.com',
    domain: 'corp.contoso.com',
    readAt: new Date('2026-03-01T00:00:00Z'),
  };
}

void describe('the domain logon’s account name', () => {
  void it('is the entry’s UPN, else DOMAIN\\sAMAccountName, else none', () => {
    assert.equal(logonAccountName(reading('avery@contoso.com', 'avery')), 'avery@contoso.com');
    assert.equal(logonAccountName(reading(null, 'avery')), 'CORP\\avery');
    assert.equal(logonAccountName(reading('  ', ' avery ')), 'CORP\\avery');
    assert.equal(logonAccountName(reading(null, null)), null);
  });
});

void describe('the first-run sign-in prompt decision', () => {
  const urls = {
    changePasswordUrl: 'https://a.example/c',
    resetPasswordUrl: 'https://a.example/r',
  };
  const signedOut = buildStatusReport({
    account: null,
    evaluation: null,
    reminder: null,
    error: { kind: 'sign-in-required', aadsts: null, message: 'Not signed in.', action: null },
    urls,
  });
  const offline = buildStatusReport({
    account: null,
    evaluation: null,
    reminder: null,
    error: { kind: 'network', aadsts: null, message: 'offline', action: null },
    urls,
  });
  const none = { promptShownFor: null, signedOut: false };

  void it('is due once per sign-in settings, only when nobody is signed in', () => {
    const config = { ...DEFAULT_CONFIG };
    assert.equal(decideSignInPrompt({ config, report: signedOut, state: none }), 'due');
    assert.equal(decideSignInPrompt({ config, report: offline, state: none }), 'not-needed');
    const shown = { promptShownFor: signInPromptKey(config), signedOut: false };
    assert.equal(decideSignInPrompt({ config, report: signedOut, state: shown }), 'already-shown');
    const otherTenant = { ...config, tenantId: 'fabrikam.com' };
    assert.equal(
      decideSignInPrompt({ config: otherTenant, report: signedOut, state: shown }),
      'due',
    );
    const otherWindow = { ...config, balloonSeconds: 9 };
    assert.equal(
      decideSignInPrompt({ config: otherWindow, report: signedOut, state: shown }),
      'already-shown',
      'a setting that has nothing to do with signing in does not ask again',
    );
  });

  void it('is off with signIn silent or manual', () => {
    for (const signIn of ['silent', 'manual'] as const) {
      const config = { ...DEFAULT_CONFIG, signIn };
      assert.equal(decideSignInPrompt({ config, report: signedOut, state: none }), 'off');
    }
  });
});
