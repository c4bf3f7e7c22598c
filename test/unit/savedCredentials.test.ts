import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CredentialType,
  accountCredentials,
  belongsToAccount,
  namesIdentity,
  type SavedCredential,
} from '../../src/core/savedCredentials';

const ACCOUNT = ['Alex.Wilber@contoso.com'];
const { generic, domainPassword, domainCertificate, genericCertificate, domainVisiblePassword } =
  CredentialType;

/** Target names as Credential Manager shows them on a managed desktop. */
const TABLE: Array<[string, SavedCredential, boolean]> = [
  [
    'Office (SSPI)',
    {
      target: 'MicrosoftOffice16_Data:SSPI:alex.wilber@contoso.com',
      userName: 'alex.wilber@contoso.com',
      type: generic,
    },
    true,
  ],
  [
    'Office (orgid)',
    {
      target: 'MicrosoftOffice16_Data:orgid:alex.wilber@contoso.com',
      userName: null,
      type: generic,
    },
    true,
  ],
  [
    'Office (ADAL)',
    {
      target: 'MicrosoftOffice16_Data:ADAL:2f1e4c3a-0b3d-4c5e-9a61-1d2f3e4a5b6c',
      userName: 'ALEX.WILBER@CONTOSO.COM',
      type: generic,
    },
    true,
  ],
  [
    'Outlook (domain password)',
    { target: 'outlook.office365.com', userName: 'alex.wilber@contoso.com', type: domainPassword },
    true,
  ],
  [
    'Exchange on-premises (autodiscover)',
    {
      target: 'autodiscover.contoso.com',
      userName: 'Alex.Wilber@Contoso.com',
      type: domainPassword,
    },
    true,
  ],
  [
    'OneDrive',
    {
      target: 'OneDrive Cached Credential Business - Business1',
      userName: 'alex.wilber@contoso.com',
      type: generic,
    },
    true,
  ],
  [
    'OneDrive, another account',
    {
      target: 'OneDrive Cached Credential Business - Business2',
      userName: 'megan.bowen@contoso.com',
      type: generic,
    },
    false,
  ],
  [
    'Teams',
    {
      target: 'msteams_adalsso/adal_context_0',
      userName: 'alex.wilber@contoso.com',
      type: generic,
    },
    true,
  ],
  [
    'Teams segment without a user name',
    { target: 'msteams_adalsso/adal_context_segments', userName: null, type: generic },
    false,
  ],
  [
    'git with the account',
    {
      target: 'git:https://alex.wilber@contoso.com@dev.azure.com',
      userName: 'alex.wilber@contoso.com',
      type: generic,
    },
    true,
  ],
  [
    'git for another host and user',
    { target: 'git:https://github.com', userName: 'awilber-dev', type: generic },
    false,
  ],
  [
    'another account of the same tenant',
    {
      target: 'MicrosoftOffice16_Data:SSPI:megan.bowen@contoso.com',
      userName: 'megan.bowen@contoso.com',
      type: generic,
    },
    false,
  ],
  [
    'a longer address that contains it',
    {
      target: 'MicrosoftOffice16_Data:SSPI:malex.wilber@contoso.com',
      userName: 'malex.wilber@contoso.com',
      type: generic,
    },
    false,
  ],
  [
    'the same name at another domain',
    {
      target: 'MicrosoftOffice16_Data:SSPI:alex.wilber@contoso.com.au',
      userName: 'alex.wilber@contoso.com.au',
      type: generic,
    },
    false,
  ],
  [
    'a domain certificate',
    { target: 'contoso.com', userName: 'alex.wilber@contoso.com', type: domainCertificate },
    false,
  ],
  [
    'a generic certificate',
    { target: 'VPN certificate', userName: 'alex.wilber@contoso.com', type: genericCertificate },
    false,
  ],
  [
    'a .NET Passport entry',
    { target: 'Passport.Net\\*', userName: 'alex.wilber@contoso.com', type: domainVisiblePassword },
    false,
  ],
  [
    'Windows Hello / Microsoft account',
    {
      target: 'WindowsLive:target=virtualapp/didlogical',
      userName: 'alex.wilber@contoso.com',
      type: generic,
    },
    false,
  ],
  [
    'a file share in the domain',
    { target: 'fileserver.corp.contoso.com', userName: 'CONTOSO\\awilber', type: domainPassword },
    false,
  ],
  [
    'a remote desktop entry with the account',
    {
      target: 'TERMSRV/build01.corp.contoso.com',
      userName: 'alex.wilber@contoso.com',
      type: domainPassword,
    },
    true,
  ],
];

void describe('belongsToAccount: the table of realistic entries', () => {
  for (const [name, entry, expected] of TABLE) {
    void it(`${name}: ${expected ? 'the account' : 'not the account'}`, () => {
      assert.equal(belongsToAccount(entry, ACCOUNT), expected);
    });
  }
});

void describe('namesIdentity', () => {
  void it('needs an address, and stops at its edges', () => {
    assert.equal(namesIdentity('x', ''), false);
    assert.equal(namesIdentity('alex', 'alex'), false);
    assert.equal(namesIdentity('a:alex@contoso.com/b', 'alex@contoso.com'), true);
    assert.equal(namesIdentity('alex@contoso.com.', 'alex@contoso.com'), false);
    assert.equal(namesIdentity('x+alex@contoso.com', 'alex@contoso.com'), false);
    // A later, separate mention counts even when an earlier one was part of a longer address.
    assert.equal(namesIdentity('malex@contoso.com;alex@contoso.com', 'alex@contoso.com'), true);
  });
});

void describe('accountCredentials', () => {
  void it('keeps only the account entries, sorted by target', () => {
    const entries = TABLE.map(([, entry]) => entry);
    const found = accountCredentials(entries, ACCOUNT);
    assert.equal(found.length, TABLE.filter(([, , expected]) => expected).length);
    const targets = found.map((entry) => entry.target);
    assert.deepEqual(
      targets,
      [...targets].sort((a, b) => a.localeCompare(b)),
    );
  });
});
