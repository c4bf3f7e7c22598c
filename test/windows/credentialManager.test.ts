/**
 * The Credential Manager clean-up for real: the app's koffi adapter lists and removes entries
 * that CredWriteW put in the user's store (Windows node.exe; under Wine in this tier).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CredentialType } from '../../src/core/savedCredentials';
import type { Logger } from '../../src/core/ports';
import {
  createWindowsCredentialStore,
  listWindowsCredentials,
} from '../../src/main/credentials/windowsCredentialStore';
import { createSavedSignIns } from '../../src/main/credentials/savedSignIns';
import { deleteTestCredential, writeTestCredential } from './support/credentialWriter';

const run = randomBytes(4).toString('hex');
const account = `wine.test.${run}@contoso.example`;
const other = `someone.else.${run}@contoso.example`;
const SECRET = `old-Passw0rd-${run}`;

const ENTRIES = [
  // The account's: Office, Outlook (a domain password entry), Teams.
  {
    target: `MicrosoftOffice16_Data:SSPI:${account}`,
    userName: account,
    type: CredentialType.generic,
  },
  {
    target: `outlook-${run}.office365.example`,
    userName: account.toUpperCase(),
    type: CredentialType.domainPassword,
  },
  {
    target: `msteams_adalsso/adal_context_${run}`,
    userName: account,
    type: CredentialType.generic,
  },
  // Not the account's: another user, Windows' own sign-in with the same name.
  { target: `MicrosoftOffice16_Data:SSPI:${other}`, userName: other, type: CredentialType.generic },
  {
    target: `WindowsLive:target=virtualapp/${run}`,
    userName: account,
    type: CredentialType.generic,
  },
];

const logged: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
  warn: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
  error: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`),
};

void describe('Windows Credential Manager clean-up', () => {
  after(() => {
    for (const entry of ENTRIES) deleteTestCredential(entry.target, entry.type);
  });

  void it('runs on Windows', () => {
    assert.equal(process.platform, 'win32');
  });

  void it('lists the entries CredWriteW wrote, names and types only', () => {
    for (const entry of ENTRIES) writeTestCredential({ ...entry, secret: SECRET });
    const listed = listWindowsCredentials().filter((entry) => entry.target.includes(run));
    assert.equal(listed.length, ENTRIES.length);
    for (const entry of listed)
      assert.deepEqual(Object.keys(entry).sort(), ['target', 'type', 'userName']);
    assert.ok(!JSON.stringify(listed).includes(SECRET), 'no secret is read');
  });

  void it("offers only the account's entries and removes exactly those asked for", async () => {
    const signIns = createSavedSignIns(createWindowsCredentialStore(), logger);
    const offered = await signIns.list([account]);
    assert.deepEqual(
      offered.map((entry) => entry.target),
      ENTRIES.slice(0, 3)
        .map((entry) => entry.target)
        .sort((a, b) => a.localeCompare(b)),
    );
    // A target that is not the account's is never removed, even when asked for.
    const asked = [
      ...offered.map((entry) => entry.target),
      ENTRIES[3]?.target ?? '',
      ENTRIES[4]?.target ?? '',
    ];
    const result = await signIns.remove([account], asked);
    assert.equal(result.removed.length, 3);
    assert.deepEqual(result.failed, []);
    const left = listWindowsCredentials().filter((entry) => entry.target.includes(run));
    assert.deepEqual(
      left.map((entry) => entry.target).sort(),
      [ENTRIES[3]?.target, ENTRIES[4]?.target].sort(),
    );
    assert.deepEqual(await signIns.list([account]), []);
    assert.ok(
      logged.some((line) => line.includes(ENTRIES[0]?.target ?? '-')),
      'names are logged',
    );
    assert.ok(!logged.join('\n').includes(SECRET), 'never the secret');
  });

  void it('an entry already gone counts as removed, not as a failure', async () => {
    const store = createWindowsCredentialStore();
    assert.equal(
      await store.remove({ target: `gone-${run}`, type: CredentialType.generic }),
      false,
    );
  });
});
