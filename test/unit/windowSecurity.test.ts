import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { API_CHANNELS, REQUEST_CHANNELS, REQUEST_VALIDATORS } from '../../src/core/ipcContract';
import { TRAY_ICON_STATES } from '../../src/core/statusPresentation';
import {
  guardWebContents,
  statusWindowOptions,
  statusWindowWebPreferences,
} from '../../src/main/electron/windowSecurity';
import type { GuardedContents } from '../../src/main/electron/windowSecurity';
import { appIconFile, trayIconFile } from '../../src/main/tray/trayIcons';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The directives of the page's Content-Security-Policy meta tag. */
function cspOf(html: string): Map<string, string[]> {
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  assert.ok(match?.[1], 'the page declares a Content-Security-Policy');
  return new Map(
    match[1]
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map((words) => [words[0] ?? '', words.slice(1)]),
  );
}

void describe('status window security', () => {
  void it('every window is isolated, sandboxed and without Node', () => {
    const prefs = statusWindowWebPreferences('/app/dist/preload/preload.js', { packaged: true });
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.disableBlinkFeatures, 'Auxclick');
    assert.equal(prefs.preload, '/app/dist/preload/preload.js');
    const options = statusWindowOptions('/p.js', { packaged: true });
    assert.equal(options.show, false, 'created hidden: no window flashes at start');
    assert.deepEqual(
      options.webPreferences,
      statusWindowWebPreferences('/p.js', { packaged: true }),
    );
  });

  void it('a packaged app has no developer tools and no default menu', () => {
    assert.equal(statusWindowWebPreferences('/p.js', { packaged: true }).devTools, false);
    assert.equal(statusWindowOptions('/p.js', { packaged: true }).webPreferences?.devTools, false);
    assert.equal(
      statusWindowWebPreferences('/p.js', { packaged: false }).devTools,
      true,
      'run from the sources, developers keep them',
    );
    // The factory is told how the app runs, by Electron itself.
    const index = readFileSync(join(root, 'src', 'main', 'index.ts'), 'utf8');
    assert.match(index, /createStatusWindowFactory\(\{[^}]*packaged: app\.isPackaged/s);
    // Electron's default menu (Reload, Toggle Developer Tools, Help › Learn More) is removed
    // once ready, before any window can exist.
    const lifecycle = readFileSync(
      join(root, 'src', 'main', 'electron', 'appLifecycle.ts'),
      'utf8',
    );
    assert.match(lifecycle, /if \(app\.isPackaged\) Menu\.setApplicationMenu\(null\);/);
    const ready = index.indexOf('await app.whenReady()');
    const removed = index.indexOf('removeDefaultMenu()');
    assert.ok(ready > 0 && removed > ready, 'removed after ready');
    assert.ok(removed < index.indexOf('createStatusWindowFactory('), 'before the window factory');
  });

  void it('windows are created in one place only, with those settings', () => {
    const creators = sourceFiles(join(root, 'src')).filter((file) =>
      /new\s+BrowserWindow\s*\(/.test(readFileSync(file, 'utf8')),
    );
    assert.deepEqual(
      creators.map((file) => relative(root, file)),
      [join('src', 'main', 'electron', 'statusWindow.ts')],
    );
    const text = readFileSync(creators[0] ?? '', 'utf8');
    assert.match(text, /new BrowserWindow\(\{\s*\.\.\.statusWindowOptions\(/);
    assert.match(
      text,
      /statusWindowOptions\(options\.preloadPath, \{ packaged: options\.packaged \}\)/,
    );
    assert.match(text, /guardWebContents\(window\.webContents/);
    assert.doesNotMatch(text, /webPreferences\s*:/, 'no settings overridden at the call site');
  });

  void it('window.open is denied and navigation away from our page is blocked', () => {
    const app = 'file:///opt/app/dist/renderer/index.html';
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
    const listeners = new Map<string, (event: { preventDefault(): void }, url?: unknown) => void>();
    const contents: GuardedContents = {
      setWindowOpenHandler: (handler) => {
        openHandler = handler;
      },
      on: (event, listener) => listeners.set(event, listener),
    };
    const refused: string[] = [];
    guardWebContents(contents, app, (what, url) => refused.push(`${what} ${url}`));
    assert.ok(openHandler);
    assert.deepEqual(
      (openHandler as (d: { url: string }) => unknown)({ url: 'https://aka.ms/sspr' }),
      {
        action: 'deny',
      },
    );
    const navigate = (event: string, url: string) => {
      let prevented = false;
      listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    assert.equal(navigate('will-navigate', 'https://evil.example/'), true);
    assert.equal(navigate('will-navigate', 'file:///etc/passwd'), true);
    assert.equal(navigate('will-redirect', 'https://evil.example/'), true);
    assert.equal(navigate('will-navigate', app), false, 'reloading our own page is fine');
    assert.equal(navigate('will-attach-webview', ''), true);
    assert.equal(refused.length, 5);
  });

  void it('the page has a strict CSP and no inline script, style or handler', () => {
    const pages = [join(root, 'src', 'renderer', 'index.html')];
    const built = join(root, 'dist', 'renderer', 'index.html');
    if (existsSync(built)) pages.push(built);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      const csp = cspOf(html);
      assert.deepEqual(csp.get('default-src'), ["'none'"], page);
      assert.deepEqual(csp.get('script-src'), ["'self'"], page);
      assert.deepEqual(csp.get('style-src'), ["'self'"], page);
      assert.deepEqual(csp.get('connect-src'), ["'none'"], page);
      assert.deepEqual(csp.get('object-src'), ["'none'"], page);
      assert.deepEqual(csp.get('base-uri'), ["'none'"], page);
      assert.deepEqual(csp.get('form-action'), ["'none'"], page);
      assert.doesNotMatch(html, /unsafe-(inline|eval|hashes)/, page);
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `no inline script in ${page}`);
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `no inline event handler in ${page}`);
      assert.doesNotMatch(html, /\sstyle\s*=/i, `no inline style in ${page}`);
      assert.doesNotMatch(html, /https?:\/\//i, `nothing loaded from the network in ${page}`);
    }
  });

  void it('the preload uses exactly the contract channels and requires only electron', () => {
    const preload = readFileSync(join(root, 'src', 'preload', 'preload.ts'), 'utf8');
    const literal = /const channels: ApiChannels = \{([^}]+)\}/.exec(preload)?.[1] ?? '';
    const declared = Object.fromEntries(
      [...literal.matchAll(/(\w+):\s*'([^']+)'/g)].map((m): [string, string] => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    assert.deepEqual(declared, { ...API_CHANNELS });
    const runtimeImports = [...preload.matchAll(/^import\s+(?!type\b)[^;]*from\s+'([^']+)'/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual(runtimeImports, ['electron']);
    assert.doesNotMatch(preload, /require\(/);
    // Every request channel has a validator, and no validator accepts a stray payload.
    for (const channel of REQUEST_CHANNELS) {
      assert.equal(
        REQUEST_VALIDATORS[channel](Object.create({ enabled: true }) as unknown),
        false,
        channel,
      );
      assert.equal(REQUEST_VALIDATORS[channel]('x'), false, channel);
    }
  });

  void it('every state has its tray icons on every platform, with the right sizes', () => {
    const assets = join(root, 'assets');
    const pngSize = (file: string) => {
      const data = readFileSync(file);
      assert.equal(data.subarray(1, 4).toString('ascii'), 'PNG', file);
      return [data.readUInt32BE(16), data.readUInt32BE(20)];
    };
    for (const state of TRAY_ICON_STATES) {
      const win = trayIconFile(assets, state, 'win32');
      const ico = readFileSync(win);
      assert.equal(ico.readUInt16LE(2), 1, `${win} is an icon file`);
      assert.ok(ico.readUInt16LE(4) >= 2, `${win} holds several sizes`);
      const mac = trayIconFile(assets, state, 'darwin');
      assert.match(mac, /Template\.png$/);
      assert.deepEqual(pngSize(mac), [16, 16]);
      assert.deepEqual(pngSize(mac.replace('.png', '@2x.png')), [32, 32]);
      const linux = trayIconFile(assets, state, 'linux');
      assert.deepEqual(pngSize(linux), [16, 16]);
      assert.deepEqual(pngSize(linux.replace('.png', '@2x.png')), [32, 32]);
    }
    assert.deepEqual(pngSize(appIconFile(assets, 'linux')), [512, 512]);
    assert.ok(existsSync(appIconFile(assets, 'win32')));
  });
});
