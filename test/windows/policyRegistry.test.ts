/**
 * Admin policy from the real registry, read by the product's own reader (native-reg), over the
 * configuration file: HKLM over HKCU over the file, each registry type as admins write it, and a
 * value of the wrong type refused with its message. The keys are deleted after each test.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { ConfigError } from '../../src/core/config';
import { loadConfig } from '../../src/main/configLoader';
import { POLICY_REGISTRY_KEY, createPolicySource } from '../../src/main/policy';
import { TestRegistry, assertWindows } from './support/testRegistry';

const HKLM = `HKLM\\${POLICY_REGISTRY_KEY}`;
const HKCU = `HKCU\\${POLICY_REGISTRY_KEY}`;
const TENANT = 'contoso.onmicrosoft.com';
const CLIENT = '11111111-2222-3333-4444-555555555555';

const registry = new TestRegistry();
const folders: string[] = [];
afterEach(async () => {
  registry.cleanUp();
  assert.equal(registry.exists('HKLM', POLICY_REGISTRY_KEY), false, 'the HKLM key is gone');
  assert.equal(registry.exists('HKCU', POLICY_REGISTRY_KEY), false, 'the HKCU key is gone');
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function configFile(values: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sia-policy-'));
  folders.push(dir);
  const file = join(dir, 'config.json');
  await writeFile(file, JSON.stringify(values));
  return file;
}

const load = (configPath: string | null, requireTenant = true) =>
  loadConfig({
    configPath,
    env: {},
    policy: createPolicySource({ platform: 'win32' }),
    requireTenant,
  });

test('runs under the Windows node.exe', () => assertWindows());

test('HKLM wins over HKCU, HKCU over the file, the file over the defaults', async () => {
  const file = await configFile({
    tenantId: 'from-the-file.example',
    clientId: CLIENT,
    balloonSeconds: 9,
    notificationWindowDays: 7,
    passwordValidityDays: 60,
  });
  registry.set('HKCU', POLICY_REGISTRY_KEY, 'balloonSeconds', { type: 'dword', value: 20 });
  registry.set('HKCU', POLICY_REGISTRY_KEY, 'notificationWindowDays', { type: 'dword', value: 10 });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'notificationWindowDays', { type: 'dword', value: 21 });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'tenantId', { type: 'string', value: TENANT });
  const loaded = await load(file);
  assert.equal(loaded.config.notificationWindowDays, 21);
  assert.equal(loaded.sources.notificationWindowDays, HKLM);
  assert.equal(loaded.config.balloonSeconds, 20);
  assert.equal(loaded.sources.balloonSeconds, HKCU);
  assert.equal(loaded.config.passwordValidityDays, 60);
  assert.equal(loaded.sources.passwordValidityDays, file);
  assert.equal(loaded.config.tenantId, TENANT);
  assert.equal(loaded.sources.clientId, file);
  assert.deepEqual([...loaded.locked].sort(), [
    'balloonSeconds',
    'notificationWindowDays',
    'tenantId',
  ]);
});

test('every registry type an admin writes: REG_SZ, REG_EXPAND_SZ, DWORD, QWORD, MULTI_SZ', async () => {
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'tenantId', { type: 'string', value: TENANT });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'clientId', { type: 'string', value: CLIENT });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'startAtLogin', { type: 'dword', value: 0 });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'readDomainPolicy', { type: 'dword', value: 1 });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'passwordValidityDays', { type: 'qword', value: 45n });
  registry.set('HKCU', POLICY_REGISTRY_KEY, 'balloonSeconds', { type: 'string', value: ' 12 ' });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'onPremisesDirectory', { type: 'string', value: 'on' });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'onPremisesServers', {
    type: 'multi-string',
    value: ['dc1.corp.contoso.com', 'dc2.corp.contoso.com'],
  });
  const loaded = await load(null);
  assert.equal(loaded.config.tenantId, TENANT);
  assert.equal(loaded.config.startAtLogin, false);
  assert.equal(loaded.config.readDomainPolicy, true);
  assert.equal(loaded.config.passwordValidityDays, 45);
  assert.equal(loaded.config.balloonSeconds, 12, 'a number typed by hand as REG_SZ');
  assert.deepEqual(loaded.config.onPremisesServers, [
    'dc1.corp.contoso.com',
    'dc2.corp.contoso.com',
  ]);
});

test('a value written with reg.exe, as a deployment script does, is read the same way', async () => {
  registry.expect('HKCU', POLICY_REGISTRY_KEY, 'balloonSeconds');
  const key = `HKCU\\${POLICY_REGISTRY_KEY}`;
  execFileSync('reg.exe', [
    'add',
    key,
    '/v',
    'balloonSeconds',
    '/t',
    'REG_DWORD',
    '/d',
    '17',
    '/f',
  ]);
  const loaded = await load(null, false);
  assert.equal(loaded.config.balloonSeconds, 17);
  assert.equal(loaded.sources.balloonSeconds, HKCU);
});

test('a value of the wrong registry type is refused with its key, value and what is allowed', async () => {
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'balloonSeconds', {
    type: 'binary',
    value: new Uint8Array([5, 0, 0, 0]),
  });
  registry.set('HKCU', POLICY_REGISTRY_KEY, 'readDomainPolicy', { type: 'dword', value: 2 });
  await assert.rejects(load(null, false), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    const byKey = new Map(error.issues.map((issue) => [issue.key, issue]));
    assert.equal(byKey.get('balloonSeconds')?.source, HKLM);
    assert.equal(byKey.get('readDomainPolicy')?.source, HKCU);
    assert.match(
      error.message,
      /Configuration error \(HKLM\\Software\\Policies\\SignInAssistant\): "balloonSeconds" is "\(registry value of type 3\)"; allowed: a whole number/,
    );
    return true;
  });
});

test('a value that is not a setting is ignored, the rest still applies', async () => {
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'balloonSecs', { type: 'dword', value: 5 });
  registry.set('HKLM', POLICY_REGISTRY_KEY, 'balloonSeconds', { type: 'dword', value: 8 });
  const loaded = await load(null, false);
  assert.equal(loaded.config.balloonSeconds, 8);
});
