import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { AT_LOGIN_ARGUMENT } from '../../src/main/commandLine';
import {
  effectiveStartAtLogin,
  enforcedStartAtLogin,
  shouldRunAtLogin,
} from '../../src/main/startAtLogin';
import { createPreferencesStore } from '../../src/main/store/preferencesStore';

void describe('start at login: stay or quit when started at sign-in', () => {
  const cases: [string, Parameters<typeof shouldRunAtLogin>[0], boolean][] = [
    [
      'policy off (enforced) quits, whatever the user chose',
      { launchedAtLogin: true, policy: false, locked: true, userChoice: true },
      false,
    ],
    [
      'policy on (enforced) runs, whatever the user chose',
      { launchedAtLogin: true, policy: true, locked: true, userChoice: false },
      true,
    ],
    [
      'no policy, user turned it off: quits',
      { launchedAtLogin: true, policy: null, locked: false, userChoice: false },
      false,
    ],
    [
      'no policy, user turned it on: runs',
      { launchedAtLogin: true, policy: null, locked: false, userChoice: true },
      true,
    ],
    [
      'no policy, user never chose: runs (the installers meant it to start)',
      { launchedAtLogin: true, policy: null, locked: false, userChoice: null },
      true,
    ],
    [
      'a setting from the configuration file is only the default',
      { launchedAtLogin: true, policy: false, locked: false, userChoice: null },
      false,
    ],
    [
      'the user overrides a configuration-file default',
      { launchedAtLogin: true, policy: false, locked: false, userChoice: true },
      true,
    ],
    [
      'started by the user, not at sign-in: always runs',
      { launchedAtLogin: false, policy: false, locked: true, userChoice: false },
      true,
    ],
  ];
  for (const [name, input, expected] of cases) {
    void it(name, () => assert.equal(shouldRunAtLogin(input), expected));
  }

  void it('the menu shows the same effective value', () => {
    assert.equal(effectiveStartAtLogin({ policy: null, locked: false, userChoice: null }), true);
    assert.equal(effectiveStartAtLogin({ policy: true, locked: true, userChoice: false }), true);
    assert.equal(effectiveStartAtLogin({ policy: null, locked: false, userChoice: false }), false);
  });

  void it('the app looks for the argument the MSI and NSIS installers pass', async () => {
    const root = join(__dirname, '..', '..');
    const msi = (await import(
      pathToFileURL(join(root, 'deploy', 'msiProjectCreated.mjs')).href
    )) as {
      RUN_ARGUMENT: string;
    };
    assert.equal(msi.RUN_ARGUMENT, AT_LOGIN_ARGUMENT);
    const nsis = await readFile(join(root, 'deploy', 'installer', 'installer.nsh'), 'utf8');
    assert.match(nsis, new RegExp(`WriteRegStr SHCTX .*" ${AT_LOGIN_ARGUMENT}'`));
  });
});

void describe('start at login from policy alone', () => {
  void it('reads the enforced value, the strongest layer last, whatever else is wrong', () => {
    assert.equal(enforcedStartAtLogin([]), null);
    assert.equal(
      enforcedStartAtLogin([
        { source: 'file', values: { startAtLogin: false } },
        { source: 'HKCU policy', values: { clientId: 'not-a-guid' }, enforced: true },
      ]),
      null,
      'a file is not policy',
    );
    assert.equal(
      enforcedStartAtLogin([
        {
          source: 'HKCU policy',
          values: { startAtLogin: true, balloonSeconds: 0 },
          enforced: true,
        },
        { source: 'HKLM policy', values: { startAtLogin: false }, enforced: true },
      ]),
      false,
    );
    assert.equal(
      enforcedStartAtLogin([
        { source: 'HKLM policy', values: 'unreadable: access denied', enforced: true },
        { source: 'HKLM policy', values: { startAtLogin: 'yes' }, enforced: true },
      ]),
      null,
      'nothing usable',
    );
  });
});

void describe('preferences.json', () => {
  async function withHome(run: (home: string) => Promise<void>): Promise<void> {
    const home = await mkdtemp(join(tmpdir(), 'sia-prefs-'));
    try {
      await run(home);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }

  void it('reads as "never chose" when missing, and keeps a choice across instances', () =>
    withHome(async (home) => {
      assert.deepEqual(await createPreferencesStore(home).read(), { startAtLogin: null });
      await createPreferencesStore(home).setStartAtLogin(false);
      assert.deepEqual(await createPreferencesStore(home).read(), { startAtLogin: false });
      const onDisk = JSON.parse(await readFile(join(home, 'preferences.json'), 'utf8')) as unknown;
      assert.deepEqual(onDisk, { startAtLogin: false });
    }));

  void it('a corrupt or wrongly typed file reads as "never chose"', () =>
    withHome(async (home) => {
      await writeFile(join(home, 'preferences.json'), '{ "startAtLogin": "no" }');
      assert.deepEqual(await createPreferencesStore(home).read(), { startAtLogin: null });
      await writeFile(join(home, 'preferences.json'), 'not json');
      assert.deepEqual(await createPreferencesStore(home).read(), { startAtLogin: null });
      await createPreferencesStore(home).setStartAtLogin(true);
      assert.deepEqual(await createPreferencesStore(home).read(), { startAtLogin: true });
    }));
});
