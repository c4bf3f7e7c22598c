/**
 * Starts the real tray app in Electron: it comes up without a window, its tray is made, and a
 * second launch opens a sandboxed status window. Runs wherever an Electron binary is installed;
 * elsewhere it reports itself skipped with the reason.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { electronBinary, writeUnreachableTenantConfig } from '../support/electronBinary';

const root = join(__dirname, '..', '..');

async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

void it('tray app smoke test: starts with a tray and no window, a second launch opens the status window', async (t) => {
  const binary = electronBinary(root);
  if ('missing' in binary) {
    const reason = `skipped: ${binary.missing}`;
    process.stdout.write(`# electron smoke test ${reason}\n`);
    t.skip(reason);
    return;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    const reason = 'skipped: no display for Electron (DISPLAY and WAYLAND_DISPLAY unset)';
    process.stdout.write(`# electron smoke test ${reason}\n`);
    t.skip(reason);
    return;
  }
  assert.ok(existsSync(join(root, 'dist', 'main', 'index.js')), 'run the build first');
  assert.ok(existsSync(join(root, 'dist', 'renderer', 'index.html')), 'run the UI build first');

  const home = mkdtempSync(join(tmpdir(), 'signin-assistant-smoke-'));
  const configFile = writeUnreachableTenantConfig(home);
  const app = await electron.launch({
    executablePath: binary.path,
    args: [root, '--no-sandbox'],
    env: {
      ...process.env,
      SIGNIN_ASSISTANT_HOME: home,
      SIGNIN_ASSISTANT_CONFIG: configFile,
    },
  });
  try {
    const logFile = join(home, 'logs', 'tray.log');
    await waitFor(
      () => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('tray ready'),
      'the tray to be ready',
    );
    assert.equal(
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length),
      0,
      'no window at start',
    );
    // What Electron hands over when a second copy starts: (event, argv, workingDirectory, data).
    // A second start by the sign-in entry stays quiet; one by the user opens the status window.
    const secondLaunch = (argv: string[] | null) =>
      app.evaluate(({ app: electronApp }, args) => {
        const event = { preventDefault: () => undefined };
        if (args === null) electronApp.emit('second-instance', event);
        else electronApp.emit('second-instance', event, args, process.cwd(), {});
      }, argv);
    await secondLaunch([binary.path, root, '--at-login']);
    assert.equal(
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length),
      0,
      'a second start at sign-in opens nothing',
    );
    // Whatever the emitter leaves out, the listener must not throw; it counts as the user's launch.
    const windowShown = app.firstWindow();
    await secondLaunch(null);
    const page = await windowShown;
    await page.waitForSelector('#details dt');
    assert.equal(await page.title(), 'Sign-In Assistant');
    assert.equal(await page.evaluate('typeof window.api.getStatus'), 'function');
    assert.equal(await page.evaluate('typeof require'), 'undefined', 'no Node in the page');
    assert.equal(await page.evaluate('typeof process'), 'undefined', 'no Node in the page');
    // Context isolation: the page sees the bridge's copy, and cannot replace it.
    assert.equal(
      await page.evaluate(
        '(() => { try { window.api = null; } catch {} return typeof window.api; })()',
      ),
      'object',
    );
  } finally {
    await app.close();
    rmSync(home, { recursive: true, force: true });
  }
});
