import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryEntry } from '../../src/core/directory';
import { domainOfDn, matchDirectoryUser, type UserMatch } from '../../src/core/directoryMatch';
import type { PasswordFacts } from '../../src/core/model';

/** The AD entry the computer's logon reads: only the names matter here. */
function entry(
  userPrincipalName: string | null,
  samAccountName: string | null,
  domainDn = 'DC=corp,DC=contoso,DC=com',
): DirectoryEntry {
  return {
    dn: `CN=${samAccountName ?? 'x'},OU=Staff,${domainDn}`,
    userPrincipalName,
    samAccountName,
    passwordExpiryTimeComputed: null,
    pwdLastSet: null,
    userAccountControl: 0x200,
    userAccountControlComputed: 0,
    maxPwdAge: null,
    resultantPso: null,
  };
}

/** The signed-in Microsoft 365 user as Graph describes them. */
function account(
  userPrincipalName: string,
  onPremises: { upn?: string | null; sam?: string | null; domain?: string | null } | null,
): PasswordFacts {
  return {
    userPrincipalName,
    lastPasswordChangeDateTime: null,
    passwordPolicies: onPremises ? 'DisablePasswordExpiration' : null,
    onPremisesSyncEnabled: onPremises ? true : null,
    onPremisesLastSyncDateTime: null,
    onPremisesUserPrincipalName: onPremises?.upn ?? null,
    onPremisesSamAccountName: onPremises?.sam ?? null,
    onPremisesDomainName: onPremises?.domain ?? null,
  };
}

const lynne = account('lynne.robbins@contoso.com', {
  upn: 'lynne.robbins@contoso.com',
  sam: 'lynne',
});
/** Alternate login ID: the cloud UPN differs from the on-premises one. */
const lynneAltId = account('lynne@contoso.com', {
  upn: 'lynne.robbins@corp.contoso.com',
  sam: 'lynne',
});
const cloudOnly = account('adele.vance@contoso.com', null);
/** Synced, but the record lacks the on-premises names (not returned, not synced by the tool). */
const syncedNoNames = account('lynne.robbins@contoso.com', {});

const cases: {
  name: string;
  entry: DirectoryEntry;
  facts: PasswordFacts | null;
  want: UserMatch;
}[] = [
  {
    name: 'UPN vs on-premises UPN',
    entry: entry('lynne.robbins@contoso.com', 'lynne'),
    facts: lynne,
    want: { kind: 'same', by: 'on-premises-upn' },
  },
  {
    name: 'UPN in another case, with blanks',
    entry: entry(' Lynne.Robbins@CONTOSO.com ', 'LYNNE'),
    facts: lynne,
    want: { kind: 'same', by: 'on-premises-upn' },
  },
  {
    name: "another user's UPN",
    entry: entry('megan.bowen@contoso.com', 'megan'),
    facts: lynne,
    want: { kind: 'other', by: 'on-premises-upn' },
  },
  {
    name: 'alternate login ID: the on-premises UPN matches, the cloud one differs',
    entry: entry('lynne.robbins@corp.contoso.com', 'lynne'),
    facts: lynneAltId,
    want: { kind: 'same', by: 'on-premises-upn' },
  },
  {
    name: 'alternate UPN suffix: the same local part under another suffix is another name',
    entry: entry('lynne.robbins@fabrikam.com', 'lynne'),
    facts: lynne,
    want: { kind: 'other', by: 'on-premises-upn' },
  },
  {
    name: 'the same sAMAccountName in another domain: the UPNs decide',
    entry: entry('lynne@emea.contoso.com', 'lynne'),
    facts: lynne,
    want: { kind: 'other', by: 'on-premises-upn' },
  },
  {
    name: 'entry without a UPN: the sAMAccountName, in any case',
    entry: entry(null, 'Lynne'),
    facts: lynne,
    want: { kind: 'same', by: 'sam-account-name' },
  },
  {
    name: 'entry without a UPN, another sAMAccountName (a desk account)',
    entry: entry(null, 'desk01'),
    facts: lynne,
    want: { kind: 'other', by: 'sam-account-name' },
  },
  {
    name: 'Graph gives only the sAMAccountName',
    entry: entry('lynne.robbins@corp.contoso.com', 'lynne'),
    facts: account('lynne@contoso.com', { sam: 'LYNNE' }),
    want: { kind: 'same', by: 'sam-account-name' },
  },
  {
    name: 'sAMAccountName in the domain Graph names (onPremisesDomainName), in any case',
    entry: entry(null, 'lynne'),
    facts: account('lynne@contoso.com', { sam: 'lynne', domain: 'CORP.contoso.com.' }),
    want: { kind: 'same', by: 'sam-account-name' },
  },
  {
    name: 'the same sAMAccountName in another domain of the forest',
    entry: entry(null, 'lynne', 'DC=emea,DC=contoso,DC=com'),
    facts: account('lynne@contoso.com', { sam: 'lynne', domain: 'corp.contoso.com' }),
    want: { kind: 'other', by: 'domain' },
  },
  {
    name: 'the same sAMAccountName, a parent domain is not the domain',
    entry: entry(null, 'lynne', 'DC=contoso,DC=com'),
    facts: account('lynne@contoso.com', { sam: 'lynne', domain: 'corp.contoso.com' }),
    want: { kind: 'other', by: 'domain' },
  },
  {
    name: 'the UPN decides before the domain: an alternate UPN suffix in another domain',
    entry: entry('lynne@contoso.com', 'lynne', 'DC=emea,DC=contoso,DC=com'),
    facts: account('lynne@contoso.com', {
      upn: 'lynne@contoso.com',
      sam: 'lynne',
      domain: 'corp.contoso.com',
    }),
    want: { kind: 'same', by: 'on-premises-upn' },
  },
  {
    name: 'cloud-only user, entry with the same UPN',
    entry: entry('adele.vance@contoso.com', 'adele'),
    facts: cloudOnly,
    want: { kind: 'same', by: 'cloud-upn' },
  },
  {
    name: 'cloud-only user, a desk account without a UPN',
    entry: entry(null, 'desk01'),
    facts: cloudOnly,
    want: { kind: 'nothing-to-compare', missing: 'account' },
  },
  {
    name: 'cloud-only user, another user with a UPN',
    entry: entry('megan.bowen@contoso.com', 'megan'),
    facts: cloudOnly,
    want: { kind: 'nothing-to-compare', missing: 'account' },
  },
  {
    name: 'synced user whose record lacks the on-premises names, a desk account',
    entry: entry(null, 'desk01'),
    facts: syncedNoNames,
    want: { kind: 'nothing-to-compare', missing: 'account' },
  },
  {
    name: 'synced user whose record lacks the names, the entry has the same UPN as the cloud',
    entry: entry('lynne.robbins@contoso.com', 'lynne'),
    facts: syncedNoNames,
    want: { kind: 'same', by: 'cloud-upn' },
  },
  {
    name: 'empty and blank names are no names',
    entry: entry('  ', ''),
    facts: account('lynne@contoso.com', { upn: '', sam: ' ' }),
    want: { kind: 'nothing-to-compare', missing: 'account' },
  },
  {
    name: 'Graph names the UPN only, the entry has none',
    entry: entry(null, 'lynne'),
    facts: account('lynne@contoso.com', { upn: 'lynne@corp.contoso.com' }),
    want: { kind: 'nothing-to-compare', missing: 'entry' },
  },
  {
    name: 'an entry without any name',
    entry: entry(null, null),
    facts: lynne,
    want: { kind: 'nothing-to-compare', missing: 'entry' },
  },
  {
    name: 'no Graph record at all',
    entry: entry('lynne.robbins@contoso.com', 'lynne'),
    facts: null,
    want: { kind: 'nothing-to-compare', missing: 'account' },
  },
];

void describe('matchDirectoryUser: a match needs the same name on both sides', () => {
  for (const { name, entry: e, facts, want } of cases) {
    void it(name, () => {
      assert.deepEqual(matchDirectoryUser(e, facts), want);
    });
  }

  void it('"nothing to compare" is never the same person', () => {
    const nothing = cases.filter((c) => c.want.kind === 'nothing-to-compare');
    assert.ok(nothing.length >= 5);
    for (const c of nothing) assert.notEqual(matchDirectoryUser(c.entry, c.facts).kind, 'same');
  });
});

void describe('domainOfDn', () => {
  void it('joins the DC= parts, in any case and spacing, and ignores escaped commas', () => {
    assert.equal(
      domainOfDn('CN=Lynne Robbins,OU=Staff,DC=corp,DC=contoso,DC=com'),
      'corp.contoso.com',
    );
    assert.equal(
      domainOfDn('cn=desk01,cn=Users, dc=CORP , dc=Example,dc=TEST'),
      'corp.example.test',
    );
    assert.equal(
      domainOfDn('CN=Robbins\\, Lynne,OU=Staff,DC=corp,DC=contoso,DC=com'),
      'corp.contoso.com',
    );
    assert.equal(domainOfDn('CN=Lynne,OU=Staff'), null);
    assert.equal(domainOfDn(''), null);
  });
});
