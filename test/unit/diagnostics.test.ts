import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readZip } from '../support/zipReader';
import { CONFIG_KEYS, resolveConfig } from '../../src/core/config';
import type { StatusReport } from '../../src/core/model';
import { writeDiagnosticsZip } from '../../src/main/diagnostics';
import { realisticSecrets } from '../support/secrets';

const report: StatusReport = {
  account: {
    username: 'adele.vance@contoso.com',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  },
  password: {
    state: 'expiring',
    lastChanged: '2026-09-02T08:14:00.000Z',
    expiresAt: '2026-12-01T08:14:00.000Z',
    daysLeft: 9,
    source: 'graph',
    reason: null,
  },
  reminder: { due: true, nextAt: '2026-11-22T10:00:00.000Z' },
  changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
  error: null,
};

describe('diagnostics archive', () => {
  it('holds logs, configuration with sources, versions and the last check, and no secrets', async () => {
    const s = realisticSecrets();
    const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-diag-'));
    const logsDir = join(dir, 'logs');
    mkdirSync(logsDir);
    // Written raw, as an older version or a crash handler might have: the archive redacts again.
    writeFileSync(
      join(logsDir, 'tray.log'),
      [
        '[2026-11-22 10:00:00.000] [info] (engine) Check finished: expiring in 9 days',
        `[2026-11-22 10:00:01.000] [debug] (auth) {"access_token":"${s.accessToken}","refresh_token":"${s.refreshToken}"}`,
        `[2026-11-22 10:00:02.000] [debug] (auth) code=${s.authCode}&code_verifier=${s.codeVerifier}`,
        `[2026-11-22 10:00:03.000] [warn] (auth) Authorization: Bearer ${s.idToken}`,
        `[2026-11-22 10:00:04.000] [error] (cli) password: ${s.password}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(logsDir, 'tray.1.log'),
      `[2026-11-21 09:00:00.000] [info] (engine) device_code=${s.deviceCode}\n`,
    );
    writeFileSync(join(logsDir, 'notes.txt'), 'not a log');
    const resolved = resolveConfig(
      [
        { source: 'C:\\ProgramData\\config.json', values: { balloonSeconds: 8 } },
        {
          source: 'HKLM\\Software\\Policies\\SignInAssistant',
          values: { tenantId: 'contoso.com', clientId: '3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f' },
          enforced: true,
        },
      ],
      { requireTenant: true },
    );
    const outFile = join(dir, 'out', 'diagnostics.zip');

    const result = await writeDiagnosticsZip({
      outFile,
      logsDir,
      resolved,
      versions: { app: '0.1.0', electron: '39.8.10' },
      lastReport: report,
      now: new Date('2026-11-22T12:00:00Z'),
    });

    const entries = await readZip(outFile);
    assert.deepEqual([...entries.keys()].sort(), [
      'README.txt',
      'configuration.json',
      'last-check.json',
      'logs/tray.1.log',
      'logs/tray.log',
      'versions.json',
    ]);
    assert.deepEqual([...result.entries].sort(), [...entries.keys()].sort());

    const all = [...entries.values()].join('\n');
    for (const [name, secret] of Object.entries(s)) {
      assert.ok(!all.includes(secret), `${name} must not be in the archive`);
    }
    assert.match(
      entries.get('logs/tray.log') ?? '',
      /Check finished: expiring in 9 days/,
      'logs are kept',
    );
    assert.match(entries.get('logs/tray.log') ?? '', /"refresh_token":"\[REDACTED\]"/);

    const config = JSON.parse(entries.get('configuration.json') ?? '{}') as {
      settings: Record<string, { value: unknown; source: string; locked: boolean }>;
    };
    assert.deepEqual(config.settings.tenantId, {
      value: 'contoso.com',
      source: 'HKLM\\Software\\Policies\\SignInAssistant',
      locked: true,
    });
    assert.deepEqual(config.settings.balloonSeconds, {
      value: 8,
      source: 'C:\\ProgramData\\config.json',
      locked: false,
    });
    assert.equal(config.settings.authority?.source, 'default');
    assert.equal(Object.keys(config.settings).length, CONFIG_KEYS.length);

    const versions = JSON.parse(entries.get('versions.json') ?? '{}') as Record<
      string,
      string | null
    >;
    assert.equal(versions.app, '0.1.0');
    assert.equal(versions.electron, '39.8.10');
    assert.equal(versions.node, process.versions.node);
    assert.ok((versions.os ?? '').length > 0);

    assert.deepEqual(JSON.parse(entries.get('last-check.json') ?? 'null'), report);
  });

  it('still writes an archive when the configuration is broken and there are no logs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-diag-'));
    const outFile = join(dir, 'diagnostics.zip');
    await writeDiagnosticsZip({
      outFile,
      logsDir: join(dir, 'missing'),
      resolved: null,
      configError:
        'Configuration error (HKLM\\Software\\Policies\\SignInAssistant): "balloonSeconds" is 99',
      versions: { app: '0.1.0' },
      lastReport: null,
    });
    const entries = await readZip(outFile);
    assert.deepEqual([...entries.keys()].sort(), [
      'README.txt',
      'configuration.json',
      'last-check.json',
      'versions.json',
    ]);
    assert.match(entries.get('configuration.json') ?? '', /"balloonSeconds\\" is 99/);
    const versions = JSON.parse(entries.get('versions.json') ?? '{}') as Record<string, unknown>;
    assert.equal(versions.electron, null);
    assert.equal(entries.get('last-check.json'), 'null\n');
  });
});
