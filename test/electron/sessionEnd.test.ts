/**
 * The real tray app at the end of the session: Electron's `shutdown` signal (what macOS and
 * Linux send at log-off and shutdown; on Windows a hidden window's `session-end` stands in,
 * which only a real Windows log-off sends) makes it release what it holds and end. Runs wherever
 * an Electron binary and a display are; elsewhere it reports itself skipped with the reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { electronBinary, writeUnreachableTenantConfig } from '../support/electronBinary';

const root = join(__dirname, '..', '..');

async function until(probe: () => boolean, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

void it('the tray app ends on the session-end signal, which sends no before-quit', async (t) => {
  const binary = electronBinary(root);
  let skip: string | null = null;
  if ('missing' in binary) skip = binary.missing;
  else if (process.platform === 'win32') skip = 'Windows sends session-end only at a real log-off';
  else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    skip = 'no display for Electron (DISPLAY and WAYLAND_DISPLAY unset)';
  }
  if ('missing' in binary || skip !== null) {
    process.stdout.write(`# electron session-end test skipped: ${skip ?? ''}\n`);
    t.skip(skip ?? '');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), 'signin-assistant-session-end-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [root, '--no-sandbox'],
    env: {
      ...process.env,
      SIGNIN_ASSISTANT_HOME: home,
      SIGNIN_ASSISTANT_CONFIG: writeUnreachableTenantConfig(home),
    },
  });
  const child = app.process();
  let ended = false;
  child.once('exit', () => (ended = true));
  try {
    const logFile = join(home, 'logs', 'tray.log');
    await until(
      () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('tray ready'),
      'the tray to be ready',
    );
    await app.evaluate(({ powerMonitor }) => {
      powerMonitor.emit('shutdown', { preventDefault: () => undefined });
    });
    await until(() => ended, 'the app to end');
    assert.equal(ended, true);
  } finally {
    if (!ended) await app.close();
    rmSync(home, { recursive: true, force: true });
  }
});
