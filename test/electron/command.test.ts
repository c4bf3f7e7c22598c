/**
 * The headless command inside the real Electron app, as IT scripts run it
 * (`"Sign-In Assistant.exe" status --json 2>&1 | ConvertFrom-Json`): stdout and stderr together
 * must be exactly the JSON object. On Linux without a display it runs with Chromium's headless
 * platform. Runs wherever an Electron binary is installed; elsewhere it reports itself skipped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { electronBinary, writeUnreachableTenantConfig } from '../support/electronBinary';

const root = join(__dirname, '..', '..');

void it('the command inside Electron prints its JSON and nothing else, display or not', (t) => {
  const binary = electronBinary(root);
  if ('missing' in binary) {
    const reason = `skipped: ${binary.missing}`;
    process.stdout.write(`# electron command test ${reason}\n`);
    t.skip(reason);
    return;
  }
  assert.ok(existsSync(join(root, 'dist', 'main', 'index.js')), 'run the build first');
  const home = mkdtempSync(join(tmpdir(), 'signin-assistant-command-'));
  try {
    const configFile = writeUnreachableTenantConfig(home);
    const linuxSwitches =
      process.platform === 'linux'
        ? [
            // Chromium refuses to run as root with its sandbox; without a display, headless.
            ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
            ...(!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
              ? ['--ozone-platform=headless']
              : []),
          ]
        : [];
    // As a script runs it: no Electron debugging switches inherited from a developer's shell.
    const env = { ...process.env };
    delete env.ELECTRON_ENABLE_LOGGING;
    delete env.ELECTRON_RUN_AS_NODE;
    const run = spawnSync(binary.path, [root, 'status', '--json', ...linuxSwitches], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...env, SIGNIN_ASSISTANT_HOME: home, SIGNIN_ASSISTANT_CONFIG: configFile },
    });
    const combined = `${run.stdout}${run.stderr}`;
    assert.equal(run.stderr, '', 'nothing on stderr');
    const report = JSON.parse(combined) as { account: unknown; password: { state: string } };
    assert.equal(report.account, null, 'never signed in');
    assert.ok(
      [3, 5].includes(run.status ?? -1),
      `exit code ${run.status}: sign-in needed or unreachable`,
    );
    assert.ok(existsSync(join(home, 'electron', 'command')), 'its own Chromium profile');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
