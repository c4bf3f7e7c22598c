import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/core/config';
import { loadConfig } from '../../src/main/configLoader';
import type { PolicySource } from '../../src/core/ports';

const TENANT = { tenantId: 'contoso.com', clientId: '11111111-2222-3333-4444-555555555555' };

async function file(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sia-config-'));
  const path = join(dir, 'config.json');
  await writeFile(path, content);
  return path;
}

test('a file over the defaults, with the source of each value', async () => {
  const path = await file(JSON.stringify({ ...TENANT, passwordValidityDays: 60 }));
  const loaded = await loadConfig({ configPath: path, env: {}, policy: null, requireTenant: true });
  assert.equal(loaded.config.passwordValidityDays, 60);
  assert.equal(loaded.config.notificationWindowDays, 14);
  assert.equal(loaded.sources.passwordValidityDays, path);
  assert.equal(loaded.sources.notificationWindowDays, 'default');
  assert.equal(loaded.file, path);
});

test('SIGNIN_ASSISTANT_CONFIG names the file when --config does not', async () => {
  const path = await file(JSON.stringify({ ...TENANT, balloonSeconds: 9 }));
  const loaded = await loadConfig({
    configPath: null,
    env: { SIGNIN_ASSISTANT_CONFIG: path },
    policy: null,
    requireTenant: true,
  });
  assert.equal(loaded.config.balloonSeconds, 9);
});

test('a bad value is named with the key, the value and what is allowed', async () => {
  const path = await file(JSON.stringify({ ...TENANT, notificationWindowDays: 45 }));
  await assert.rejects(
    loadConfig({ configPath: path, env: {}, policy: null, requireTenant: true }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.message,
        /"notificationWindowDays" is 45; allowed: a whole number from 1 to 30/,
      );
      assert.ok(error.message.includes(path));
      return true;
    },
  );
});

test('a missing file and broken JSON are configuration errors, not crashes', async () => {
  await assert.rejects(
    loadConfig({ configPath: '/nonexistent/sia.json', env: {}, policy: null, requireTenant: true }),
    /does not exist/,
  );
  const broken = await file('{ "tenantId": ');
  await assert.rejects(
    loadConfig({ configPath: broken, env: {}, policy: null, requireTenant: true }),
    /valid JSON/,
  );
});

test('tenant and client are required outside the demo', async () => {
  await assert.rejects(
    loadConfig({ configPath: null, env: {}, policy: null, requireTenant: true }),
    /"tenantId" is missing/,
  );
});

test('policy wins over the file and marks its keys locked', async () => {
  const path = await file(JSON.stringify({ ...TENANT, balloonSeconds: 9 }));
  const policy: PolicySource = {
    read: () =>
      Promise.resolve([
        { source: 'user policy', values: { balloonSeconds: 20 }, enforced: true },
        { source: 'machine policy', values: { balloonSeconds: 30 }, enforced: true },
      ]),
  };
  const loaded = await loadConfig({ configPath: path, env: {}, policy, requireTenant: true });
  assert.equal(loaded.config.balloonSeconds, 30);
  assert.equal(loaded.sources.balloonSeconds, 'machine policy');
  assert.deepEqual(loaded.locked, ['balloonSeconds']);
});
