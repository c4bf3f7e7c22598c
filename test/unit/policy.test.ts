import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/core/config';
import type { Logger } from '../../src/core/ports';
import { loadConfig } from '../../src/main/configLoader';
import {
  createPolicySource,
  POLICY_REGISTRY_KEY,
  type PlistReader,
  type RegistryHive,
  type RegistryReader,
  type RegistryValue,
} from '../../src/main/policy';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f';
const HKLM = `HKLM\\${POLICY_REGISTRY_KEY}`;
const HKCU = `HKCU\\${POLICY_REGISTRY_KEY}`;

/** A registry held in memory, behind the same port as the native one. */
class TestRegistry implements RegistryReader {
  readonly keys = new Map<string, Map<string, RegistryValue>>();
  reads = 0;
  set(hive: RegistryHive, name: string, value: RegistryValue): this {
    const path = `${hive}\\${POLICY_REGISTRY_KEY}`;
    const values = this.keys.get(path) ?? new Map<string, RegistryValue>();
    values.set(name, value);
    this.keys.set(path, values);
    return this;
  }
  readValues(hive: RegistryHive, key: string): Promise<Map<string, RegistryValue> | null> {
    this.reads += 1;
    return Promise.resolve(this.keys.get(`${hive}\\${key}`) ?? null);
  }
}

const sz = (value: string): RegistryValue => ({ type: 'string', value });
const dword = (value: number): RegistryValue => ({ type: 'dword', value });

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'signin-assistant-policy-'));
}

function configFile(values: object): string {
  const file = join(tempDir(), 'config.json');
  writeFileSync(file, JSON.stringify(values));
  return file;
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, meta) => warnings.push(`${message} ${JSON.stringify(meta)}`),
    error: () => undefined,
  };
}

describe('Windows policy (registry)', () => {
  it('applies HKLM over HKCU over the config file over the defaults', async () => {
    const registry = new TestRegistry()
      .set('HKCU', 'tenantId', sz(TENANT))
      .set('HKCU', 'notificationWindowDays', dword(10))
      .set('HKCU', 'balloonSeconds', dword(7))
      .set('HKLM', 'clientId', sz(CLIENT))
      .set('HKLM', 'notificationWindowDays', dword(21));
    const file = configFile({
      notificationWindowDays: 3,
      balloonSeconds: 2,
      passwordValidityDays: 60,
    });
    const policy = createPolicySource({ platform: 'win32', registry });

    const loaded = await loadConfig({ configPath: file, env: {}, policy, requireTenant: true });

    assert.equal(loaded.config.notificationWindowDays, 21, 'HKLM wins over HKCU and the file');
    assert.equal(loaded.sources.notificationWindowDays, HKLM);
    assert.equal(loaded.config.balloonSeconds, 7, 'HKCU wins over the file');
    assert.equal(loaded.sources.balloonSeconds, HKCU);
    assert.equal(loaded.config.passwordValidityDays, 60, 'the file wins over the default');
    assert.equal(loaded.sources.passwordValidityDays, file);
    assert.equal(loaded.config.authority, 'https://login.microsoftonline.com');
    assert.equal(loaded.sources.authority, 'default');
    assert.equal(loaded.config.tenantId, TENANT);
    assert.equal(loaded.sources.clientId, HKLM);
    assert.deepEqual(
      [...loaded.locked].sort(),
      ['balloonSeconds', 'clientId', 'notificationWindowDays', 'tenantId'],
      'every key set by policy is locked, file settings are not',
    );
  });

  it('returns HKCU first and HKLM last, both enforced', async () => {
    const registry = new TestRegistry()
      .set('HKLM', 'balloonSeconds', dword(9))
      .set('HKCU', 'balloonSeconds', dword(3));
    const layers = await createPolicySource({ platform: 'win32', registry }).read();
    assert.deepEqual(
      layers.map((l) => [l.source, l.enforced, l.values]),
      [
        [HKCU, true, { balloonSeconds: 3 }],
        [HKLM, true, { balloonSeconds: 9 }],
      ],
    );
  });

  it('turns DWORD 1/0 into booleans for boolean settings', async () => {
    const registry = new TestRegistry()
      .set('HKLM', 'readDomainPolicy', dword(1))
      .set('HKLM', 'startAtLogin', dword(0))
      .set('HKLM', 'tenantId', sz(TENANT))
      .set('HKLM', 'clientId', sz(CLIENT));
    const loaded = await loadConfig({
      configPath: null,
      env: {},
      policy: createPolicySource({ platform: 'win32', registry }),
      requireTenant: true,
    });
    assert.equal(loaded.config.readDomainPolicy, true);
    assert.equal(loaded.config.startAtLogin, false);
    assert.equal(loaded.sources.startAtLogin, HKLM);
  });

  it('accepts a number typed by hand as REG_SZ', async () => {
    const registry = new TestRegistry().set('HKLM', 'passwordValidityDays', sz(' 42 '));
    const [layer] = await createPolicySource({ platform: 'win32', registry }).read();
    assert.deepEqual(layer?.values, { passwordValidityDays: 42 });
  });

  it('names a bad policy value with its registry key, value and what is allowed', async () => {
    const registry = new TestRegistry()
      .set('HKLM', 'notificationWindowDays', dword(90))
      .set('HKCU', 'readDomainPolicy', dword(2))
      .set('HKCU', 'authority', sz('http://login.example.com'));
    const policy = createPolicySource({ platform: 'win32', registry });
    await assert.rejects(
      loadConfig({ configPath: null, env: {}, policy, requireTenant: false }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const byKey = new Map(error.issues.map((issue) => [issue.key, issue]));
        assert.equal(byKey.get('notificationWindowDays')?.source, HKLM);
        assert.equal(byKey.get('notificationWindowDays')?.value, 90);
        assert.equal(byKey.get('readDomainPolicy')?.source, HKCU);
        assert.equal(byKey.get('authority')?.source, HKCU);
        assert.match(
          error.message,
          /Configuration error \(HKLM\\Software\\Policies\\SignInAssistant\): "notificationWindowDays" is 90; allowed: a whole number from 1 to 30\./,
        );
        return true;
      },
    );
  });

  it('reports a value of the wrong registry type instead of guessing', async () => {
    const registry = new TestRegistry().set('HKLM', 'balloonSeconds', {
      type: 'multi-string',
      value: ['5'],
    });
    await assert.rejects(
      loadConfig({
        configPath: null,
        env: {},
        policy: createPolicySource({ platform: 'win32', registry }),
        requireTenant: false,
      }),
      /HKLM\\Software\\Policies\\SignInAssistant\): "balloonSeconds" is \["5"\]/,
    );
  });

  it('reads the domain controllers from REG_MULTI_SZ or from one REG_SZ separated by ;', async () => {
    const values: RegistryValue[] = [
      { type: 'multi-string', value: ['dc1.corp.contoso.com', 'dc2.corp.contoso.com'] },
      { type: 'string', value: 'dc1.corp.contoso.com; dc2.corp.contoso.com' },
    ];
    for (const value of values) {
      const registry = new TestRegistry()
        .set('HKLM', 'onPremisesServers', value)
        .set('HKLM', 'onPremisesDirectory', { type: 'string', value: 'on' });
      const resolved = await loadConfig({
        configPath: null,
        env: {},
        policy: createPolicySource({ platform: 'win32', registry }),
        requireTenant: false,
      });
      assert.deepEqual(resolved.config.onPremisesServers, [
        'dc1.corp.contoso.com',
        'dc2.corp.contoso.com',
      ]);
      assert.equal(resolved.config.onPremisesDirectory, 'on');
      assert.ok(resolved.locked.includes('onPremisesServers'));
    }
  });

  it('names a bad domain controller list with its registry key', async () => {
    const registry = new TestRegistry().set('HKLM', 'onPremisesServers', {
      type: 'multi-string',
      value: ['dc1.corp.contoso.com', 'not a host'],
    });
    await assert.rejects(
      loadConfig({
        configPath: null,
        env: {},
        policy: createPolicySource({ platform: 'win32', registry }),
        requireTenant: false,
      }),
      /HKLM\\Software\\Policies\\SignInAssistant\): "onPremisesServers" is \["dc1.corp.contoso.com","not a host"\]; allowed: up to 20 domain controller DNS names/,
    );
  });

  it('ignores value names that are not settings, with a warning', async () => {
    const logger = recordingLogger();
    const registry = new TestRegistry()
      .set('HKLM', 'balloonSecs', dword(5))
      .set('HKLM', 'balloonSeconds', dword(6));
    const layers = await createPolicySource({ platform: 'win32', registry, logger }).read();
    assert.deepEqual(layers[0]?.values, { balloonSeconds: 6 });
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0] ?? '', /balloonSecs/);
  });

  it('gives no layer when neither key exists, and re-reads the registry at every read', async () => {
    const registry = new TestRegistry();
    const policy = createPolicySource({ platform: 'win32', registry });
    assert.deepEqual(await policy.read(), []);
    registry.set('HKLM', 'balloonSeconds', dword(12));
    const layers = await policy.read();
    assert.deepEqual(
      layers[0]?.values,
      { balloonSeconds: 12 },
      'a policy change is seen at the next check',
    );
    assert.equal(registry.reads, 4);
  });
});

describe('macOS policy (managed preferences)', () => {
  class TestPlists implements PlistReader {
    constructor(readonly files: Record<string, Record<string, unknown> | Error>) {}
    readDictionary(path: string): Promise<Record<string, unknown> | null> {
      const found = this.files[path];
      if (found instanceof Error) return Promise.reject(found);
      return Promise.resolve(found ?? null);
    }
  }

  // Joined with this system's separator, as the reader joins them (backslashes under node.exe).
  const USER_PLIST = join('/MP', 'adele', 'com.signinassistant.app.plist');
  const COMPUTER_PLIST = join('/MP', 'com.signinassistant.app.plist');

  it('reads the user file then the computer file, the computer winning', async () => {
    const plist = new TestPlists({
      [USER_PLIST]: {
        balloonSeconds: 4,
        notificationWindowDays: 5,
        PayloadUUID: 'x',
      },
      [COMPUTER_PLIST]: { notificationWindowDays: 20, readDomainPolicy: 1 },
    });
    const policy = createPolicySource({
      platform: 'darwin',
      plist,
      userName: 'adele',
      managedPreferencesDir: '/MP',
    });
    const loaded = await loadConfig({ configPath: null, env: {}, policy, requireTenant: false });
    assert.equal(loaded.config.notificationWindowDays, 20);
    assert.equal(loaded.sources.notificationWindowDays, COMPUTER_PLIST);
    assert.equal(loaded.config.balloonSeconds, 4);
    assert.equal(loaded.sources.balloonSeconds, USER_PLIST);
    assert.equal(loaded.config.readDomainPolicy, true, 'integer 1 from a profile is true');
  });

  it('reports an unreadable managed preferences file with its path', async () => {
    const plist = new TestPlists({ [COMPUTER_PLIST]: new Error('bad plist') });
    const policy = createPolicySource({
      platform: 'darwin',
      plist,
      userName: 'adele',
      managedPreferencesDir: '/MP',
    });
    await assert.rejects(
      loadConfig({ configPath: null, env: {}, policy, requireTenant: false }),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        const expected = `Configuration error (${COMPUTER_PLIST}): "(file)" is "unreadable: bad plist"`;
        assert.ok(error.message.includes(expected), error.message);
        return true;
      },
    );
  });

  it('parses real binary and XML property list files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'adele'));
    writeFileSync(
      join(dir, 'com.signinassistant.app.plist'),
      `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>tenantId</key><string>contoso.com</string>
  <key>passwordValidityDays</key><integer>180</integer>
  <key>startAtLogin</key><true/>
</dict></plist>`,
    );
    // Profiles usually write binary property lists.
    const plist = await import('plist');
    writeFileSync(
      join(dir, 'adele', 'com.signinassistant.app.plist'),
      plist.buildBinary({ balloonSeconds: 11, readDomainPolicy: false }),
    );
    const layers = await createPolicySource({
      platform: 'darwin',
      userName: 'adele',
      managedPreferencesDir: dir,
    }).read();
    assert.deepEqual(layers, [
      {
        source: join(dir, 'adele', 'com.signinassistant.app.plist'),
        values: { balloonSeconds: 11, readDomainPolicy: false },
        enforced: true,
      },
      {
        source: join(dir, 'com.signinassistant.app.plist'),
        values: { tenantId: 'contoso.com', passwordValidityDays: 180, startAtLogin: true },
        enforced: true,
      },
    ]);
  });
});

describe('Linux policy (/etc file)', () => {
  it('reads the enforced file over the user file', async () => {
    const etc = configFile({ balloonSeconds: 30 });
    const user = configFile({ balloonSeconds: 3, notificationWindowDays: 9 });
    const policy = createPolicySource({ platform: 'linux', linuxPolicyFile: etc });
    const loaded = await loadConfig({ configPath: user, env: {}, policy, requireTenant: false });
    assert.equal(loaded.config.balloonSeconds, 30);
    assert.equal(loaded.sources.balloonSeconds, etc);
    assert.deepEqual(loaded.locked, ['balloonSeconds']);
    assert.equal(loaded.config.notificationWindowDays, 9);
  });

  it('gives no layer when the file is absent and names the file when it is not JSON', async () => {
    const dir = tempDir();
    assert.deepEqual(
      await createPolicySource({
        platform: 'linux',
        linuxPolicyFile: join(dir, 'none.json'),
      }).read(),
      [],
    );
    const broken = join(dir, 'config.json');
    writeFileSync(broken, '{ "balloonSeconds": ');
    await assert.rejects(
      loadConfig({
        configPath: null,
        env: {},
        policy: createPolicySource({ platform: 'linux', linuxPolicyFile: broken }),
        requireTenant: false,
      }),
      (error: unknown) => error instanceof ConfigError && error.issues[0]?.source === broken,
    );
  });
});
