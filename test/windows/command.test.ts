/**
 * The built command under the Windows node.exe against the demo tenant, as an Intune script runs
 * it: its folder found from %LOCALAPPDATA%, sign-in by device code in one process, `status --json`
 * in another (which reads the DPAPI-protected token cache the first wrote), the exit codes, and
 * `diagnostics`. The Windows broker never answers under Wine: it is turned off by HKCU policy, as
 * an admin would, which also shows the command reading the registry.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  DataProtectionScope,
  FilePersistenceWithDataProtection,
} from '@azure/msal-node-extensions';
import { POLICY_REGISTRY_KEY } from '../../src/main/policy';
import { cliSignIn, runCli, setUp } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { readZip } from '../support/zipReader';
import { TestRegistry, assertWindows } from './support/testRegistry';
import { deleteTestCredential, writeTestCredential } from './support/credentialWriter';
import { CredentialType } from '../../src/core/savedCredentials';
import { filesHolding } from './support/prefixScan';

const registry = new TestRegistry();
const folders: string[] = [];

/** A user profile of its own: Local and Roaming AppData, and the settings file. */
async function profile(setup: Setup): Promise<{ env: NodeJS.ProcessEnv; local: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sia-profile-'));
  folders.push(dir);
  const env = {
    LOCALAPPDATA: join(dir, 'AppData', 'Local'),
    APPDATA: join(dir, 'AppData', 'Roaming'),
    SIGNIN_ASSISTANT_HOME: '',
    SIGNIN_ASSISTANT_CONFIG: join(dir, 'config.json'),
    TZ: 'UTC',
  };
  await mkdir(env.LOCALAPPDATA, { recursive: true });
  await mkdir(env.APPDATA, { recursive: true });
  await writeFile(env.SIGNIN_ASSISTANT_CONFIG, JSON.stringify(setup.settings));
  return { env, local: join(env.LOCALAPPDATA, 'SignInAssistant') };
}

/** Every token the cache holds, decrypted by DPAPI in this process (a third one). */
async function cachedSecrets(cacheFile: string): Promise<string[]> {
  const store = await FilePersistenceWithDataProtection.create(
    cacheFile,
    DataProtectionScope.CurrentUser,
  );
  const cache = JSON.parse((await store.load()) ?? '{}') as Record<
    string,
    Record<string, { secret?: string }>
  >;
  return ['AccessToken', 'RefreshToken', 'IdToken'].flatMap((kind) =>
    Object.values(cache[kind] ?? {}).map((entry) => entry.secret ?? ''),
  );
}

test('runs under the Windows node.exe', () => assertWindows());

describe('the built command against the demo tenant', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());
  afterEach(async () => {
    registry.cleanUp();
    await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const brokerOff = () =>
    registry.set('HKCU', POLICY_REGISTRY_KEY, 'useWindowsBroker', { type: 'dword', value: 0 });

  test('signs in by device code; a second process reads the DPAPI cache; no token in plaintext', async () => {
    brokerOff();
    const { env, local } = await profile(setup);
    const account = setup.tenant.account('expires-in-10-days');
    const signIn = await cliSignIn(setup, env, account.username);
    assert.equal(signIn.code, 0, signIn.stderr);
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 1, status.stderr);
    const report = JSON.parse(status.stdout) as {
      account: { username: string } | null;
      password: { state: string; daysLeft: number | null };
    };
    assert.equal(report.account?.username, account.username, 'signed in silently from the cache');
    assert.equal(report.password.state, 'expiring');
    assert.equal(report.password.daysLeft, 10);

    const cacheFile = join(local, 'token-cache.json');
    const raw = await readFile(cacheFile);
    assert.throws(() => JSON.parse(raw.toString('utf8')) as unknown, 'not JSON: a DPAPI blob');
    const secrets = await cachedSecrets(cacheFile);
    // Inside the reminder window a second access token is kept, for the optional scope of the
    // authentication methods: the sign-in's, that one, a refresh and an ID token.
    assert.equal(secrets.length, 4, 'two access tokens, a refresh and an ID token');
    for (const secret of secrets) assert.ok(secret.length >= 20);
    const prefix = process.env.WINEPREFIX;
    assert.ok(prefix, 'WINEPREFIX is passed to the Windows process');
    // The scan must find a secret that is there: one planted in the data folder.
    const planted = `planted-${randomUUID()}`;
    await writeFile(join(local, 'planted.txt'), planted);
    const found = await filesHolding(prefix, [planted, ...secrets]);
    assert.deepEqual(
      found.get(planted)?.map((file) => file.endsWith('planted.txt')),
      [true],
      'the scan reaches the data folder',
    );
    for (const secret of secrets) {
      assert.deepEqual(found.get(secret), [], 'no token in plaintext anywhere in the prefix');
    }
  });

  test('status --json exit codes: 0 ok, 1 expiring, 3 sign-in needed', async () => {
    brokerOff();
    for (const [scenario, signInCode, statusCode] of [
      ['expires-in-20-days', 0, 0],
      ['expired', 3, 3],
    ] as const) {
      const { env } = await profile(setup);
      const signIn = await cliSignIn(setup, env, setup.tenant.account(scenario).username);
      assert.equal(signIn.code, signInCode, `${scenario}: ${signIn.stderr}`);
      const status = await runCli(['status', '--json'], env);
      assert.equal(status.code, statusCode, `${scenario}: ${status.stderr}`);
      assert.equal(status.stdout.trim().split('\n').length, 1, 'one JSON object');
    }
    const { env } = await profile(setup);
    const signedOut = await runCli(['status', '--json'], env);
    assert.equal(signedOut.code, 3, 'never signed in');
  });

  test('diagnostics: the zip names the HKCU policy that turned the broker off, and no tokens', async () => {
    brokerOff();
    const { env, local } = await profile(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    // A check with something to log (Graph busy once; a clean run logs nothing), then a clean one.
    setup.tenant.setFault('graph-me', {
      kind: 'status',
      status: 503,
      retryAfterSeconds: 600,
      times: 1,
    });
    await runCli(['status'], env);
    await runCli(['status'], env);
    // One saved sign-in of the account in Credential Manager, one of another account: one counted.
    const account = setup.tenant.account('expires-in-10-days').username;
    const saved = [
      { target: `MicrosoftOffice16_Data:SSPI:${account}`, userName: account },
      {
        target: 'MicrosoftOffice16_Data:SSPI:someone@fabrikam.com',
        userName: 'someone@fabrikam.com',
      },
    ];
    for (const entry of saved) {
      writeTestCredential({ ...entry, type: CredentialType.generic, secret: 'old-password' });
    }
    const out = join(local, 'diagnostics.zip');
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      result = await runCli(['diagnostics', '--out', out], env);
    } finally {
      for (const entry of saved) deleteTestCredential(entry.target, CredentialType.generic);
    }
    assert.equal(result.code, 0, result.stderr);
    const zip = await readZip(out);
    assert.deepEqual(JSON.parse(zip.get('saved-sign-ins.json') ?? 'null'), { count: 1 });
    assert.doesNotMatch([...zip.values()].join('\n'), /old-password/, 'never a secret');
    const configuration = zip.get('configuration.json') ?? '';
    assert.match(configuration, /useWindowsBroker/);
    assert.ok(
      configuration.includes(JSON.stringify(`HKCU\\${POLICY_REGISTRY_KEY}`).slice(1, -1)),
      configuration,
    );
    const last = JSON.parse(zip.get('last-check.json') ?? '{}') as {
      password?: { state?: string };
    };
    assert.equal(last.password?.state, 'expiring');
    const log = zip.get('logs/cli.log') ?? '';
    assert.match(log, /Setting tenantId/, 'the log from %LOCALAPPDATA%\\SignInAssistant\\logs');
    assert.match(log, /Sign-in or check failed/);
    const everything = [...zip.values()].join('\n');
    assert.doesNotMatch(everything, /eyJ[\w-]+\.[\w-]+\./, 'no JWT anywhere');
  });
});
