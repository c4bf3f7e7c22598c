import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExternalUrl } from '../../src/core/externalUrlPolicy';

const policy = {
  configuredUrls: ['https://passwords.contoso.com/change', 'https://127.0.0.1:8443/reset'],
};

void describe('external URL policy', () => {
  void it('allows https pages on Microsoft password hosts and on the configured pages', () => {
    for (const url of [
      'https://mysignins.microsoft.com/security-info/password/change',
      'https://passwordreset.microsoftonline.com/',
      'https://aka.ms/sspr',
      'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
      'https://account.activedirectory.windowsazure.com/ChangePassword.aspx',
      'https://passwords.contoso.com/other/page?x=1',
      'https://127.0.0.1:8443/reset',
      'HTTPS://AKA.MS/sspr',
    ]) {
      const verdict = checkExternalUrl(url, policy);
      assert.equal(verdict.allowed, true, url);
    }
  });

  void it('refuses forged, foreign and dangerous addresses', () => {
    const refused: [unknown, RegExp][] = [
      ['http://mysignins.microsoft.com/', /not https/],
      ['javascript:alert(1)', /not https/],
      ['file:///C:/Windows/System32/calc.exe', /not https/],
      ['ms-settings:privacy', /not https/],
      ['https://mysignins.microsoft.com.evil.example/', /not an allowed/],
      ['https://evil.example/?next=https://aka.ms', /not an allowed/],
      ['https://aka.ms@evil.example/', /credentials/],
      ['https://user:pw@aka.ms/', /credentials/],
      ['https://aka.ms:8443/', /not an allowed/],
      ['https://127.0.0.1:9999/reset', /not an allowed/],
      ['https://xn--mysignins-microsoft-com.example/', /not an allowed/],
      ['not a url', /not a valid URL/],
      ['', /reasonable length/],
      [42, /reasonable length/],
      [`https://aka.ms/${'a'.repeat(3000)}`, /reasonable length/],
    ];
    for (const [url, reason] of refused) {
      const verdict = checkExternalUrl(url, policy);
      assert.equal(verdict.allowed, false, String(url));
      if (!verdict.allowed) assert.match(verdict.reason, reason, String(url));
    }
  });

  void it('does not allow a configured page that is not https', () => {
    const verdict = checkExternalUrl('http://intranet.contoso.com/pw', {
      configuredUrls: ['http://intranet.contoso.com/pw'],
    });
    assert.equal(verdict.allowed, false);
  });
});
