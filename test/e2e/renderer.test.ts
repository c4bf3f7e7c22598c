/**
 * The status window as shipped (the built dist/renderer files) in real Chromium, with a test
 * implementation of the same typed window.api: every state rendered and screenshotted, keyboard
 * use, the content security policy, and an accessibility scan in light and dark.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../support/chromium';
import type { SettingsView, StatusView } from '../../src/core/ipcContract';
import type { StatusReport } from '../../src/core/model';

const root = join(__dirname, '..', '..');
const pageUrl = pathToFileURL(join(root, 'dist', 'renderer', 'index.html')).href;
const screenshots = join(root, 'test-output', 'screenshots');

const account = {
  username: 'adele.vance@contoso.com',
  tenantId: '11111111-2222-3333-4444-555555555555',
};
const CHANGE = 'https://mysignins.microsoft.com/security-info/password/change';

function report(overrides: Partial<StatusReport>): StatusReport {
  return {
    account,
    password: {
      state: 'ok',
      lastChanged: '2026-01-01T09:00:00.000Z',
      expiresAt: '2026-04-01T09:00:00.000Z',
      daysLeft: 40,
      source: 'policy',
      reason: null,
    },
    reminder: { due: false, nextAt: '2026-03-18T09:00:00.000Z' },
    changePasswordUrl: CHANGE,
    error: null,
    ...overrides,
  };
}

function view(r: StatusReport | null, busy: StatusView['busy'] = null): StatusView {
  return { report: r, timeZone: 'Europe/Berlin', busy, checkedAt: '2026-02-20T08:15:00.000Z' };
}

const settings = (locked: boolean, offInSystem = false): SettingsView => ({
  startAtLogin: { enabled: !offInSystem, locked, supported: true, offInSystem },
  settings: [
    { key: 'notificationWindowDays', value: 14, locked },
    { key: 'passwordValidityDays', value: 90, locked },
    { key: 'balloonSeconds', value: 5, locked: false },
    { key: 'changePasswordUrl', value: CHANGE, locked: false },
    { key: 'resetPasswordUrl', value: 'https://aka.ms/sspr', locked: false },
  ],
});

interface Scenario {
  name: string;
  view: StatusView;
  settings: SettingsView;
  summary: RegExp;
  errorButton: string | null;
  /** The on-premises note under the summary; absent = hidden. */
  directoryNote?: RegExp;
  /** The new password's note and the not-ready reset note; absent = hidden. */
  changeNote?: RegExp;
  resetNote?: RegExp;
  /** The old saved sign-ins listed; absent = the section is hidden. */
  savedSignIns?: number;
}

const hybridPassword: StatusReport['password'] = {
  state: 'expiring',
  lastChanged: '2026-01-01T09:00:00.000Z',
  expiresAt: '2026-04-01T09:00:00.000Z',
  daysLeft: 12,
  source: 'directory',
  reason: null,
};
const hybridDirectory = (
  cached: boolean,
  passwordSync: 'pending' | 'arrived' | null,
): NonNullable<StatusReport['directory']> => ({
  domain: 'CORP.CONTOSO.COM',
  server: 'dc1.corp.contoso.com',
  readAt: '2026-03-19T07:45:00.000Z',
  cached,
  passwordSync,
});

/** The note under "Start at login" when the user turned it off in Windows' Startup apps. */
const STARTUP_APPS_NOTE =
  'Turned off in Startup apps (Windows Settings › Apps › Startup). Turn it on there to start Sign-In Assistant when you sign in.';

const NOT_READY =
  'You could not reset your password yourself if you forgot it: add a phone or the Authenticator app at https://aka.ms/mysecurityinfo.';
const notReady: NonNullable<StatusReport['reset']> = {
  ready: false,
  methods: ['password'],
  message: NOT_READY,
  securityInfoUrl: 'https://aka.ms/mysecurityinfo',
};
const OLD_SIGN_INS = [
  {
    target: 'MicrosoftOffice16_Data:SSPI:adele.vance@contoso.com',
    userName: 'adele.vance@contoso.com',
  },
  { target: 'outlook.office365.com', userName: 'adele.vance@contoso.com' },
  { target: 'msteams_adalsso/adal_context_0', userName: 'adele.vance@contoso.com' },
];
const changed = (savedSignIns: StatusView['savedSignIns']): StatusView => ({
  ...view(
    report({
      passwordChanged: { expiresAt: '2026-04-01T09:00:00.000Z', windowsLogonCatchUp: true },
    }),
  ),
  savedSignIns,
});

const scenarios: Scenario[] = [
  {
    name: 'reset-not-ready',
    view: view(
      report({
        password: { ...hybridPassword, source: 'graph', daysLeft: 12 },
        reminder: { due: true, nextAt: '2026-02-20T08:15:00.000Z' },
        reset: notReady,
      }),
    ),
    settings: settings(false),
    summary: /expires in 12 days/,
    errorButton: null,
    resetNote:
      /^You could not reset your password yourself if you forgot it: add a phone or the Authenticator app at https:\/\/aka\.ms\/mysecurityinfo\.$/,
  },
  {
    name: 'password-changed',
    view: changed({ entries: OLD_SIGN_INS, removed: [], failed: [] }),
    settings: settings(false),
    summary: /expires in 40 days/,
    errorButton: null,
    changeNote:
      /^Your new password is good until Wed 1 Apr 2026\. Windows on this computer still accepts only your old password .*connect to the office network or VPN, then lock the computer/,
    savedSignIns: 3,
  },
  {
    name: 'saved-sign-ins-removed',
    view: changed({ entries: [], removed: OLD_SIGN_INS, failed: [] }),
    settings: settings(false),
    summary: /expires in 40 days/,
    errorButton: null,
    changeNote: /^Your new password is good until Wed 1 Apr 2026\./,
    savedSignIns: 0,
  },
  {
    name: 'hybrid-as-of',
    view: view(
      report({
        password: hybridPassword,
        reminder: { due: false, nextAt: '2026-03-21T23:00:00.000Z' },
        changePasswordUrl: 'https://password.corp.contoso.com/change',
        directory: hybridDirectory(true, null),
      }),
    ),
    settings: settings(true),
    summary: /expires in 12 days/,
    errorButton: null,
    directoryNote:
      /^As of Thu,? 19 Mar 2026,? 08:45 .*\(Europe\/Berlin\): the on-premises directory cannot be reached right now/,
  },
  {
    name: 'hybrid-sync-pending',
    view: view(
      report({
        password: { ...hybridPassword, state: 'ok', daysLeft: 42 },
        directory: hybridDirectory(false, 'pending'),
      }),
    ),
    settings: settings(false),
    summary: /expires in 42 days/,
    errorButton: null,
    directoryNote:
      /^Your new password reaches Microsoft 365 in a few minutes\. Until then, use your old password there\.$/,
  },
  {
    name: 'ok',
    view: view(report({})),
    settings: settings(false),
    summary: /expires in 40 days/,
    errorButton: null,
  },
  {
    name: 'expiring',
    view: view(
      report({
        password: {
          state: 'expiring',
          lastChanged: '2026-01-01T09:00:00.000Z',
          expiresAt: '2026-04-01T09:00:00.000Z',
          daysLeft: 3,
          source: 'graph',
          reason: null,
        },
        reminder: { due: false, nextAt: '2026-03-29T22:00:00.000Z' },
      }),
    ),
    settings: settings(true),
    summary: /expires in 3 days/,
    errorButton: null,
  },
  {
    name: 'expired',
    view: view(
      report({
        password: {
          state: 'expired',
          lastChanged: '2026-01-01T09:00:00.000Z',
          expiresAt: '2026-04-01T09:00:00.000Z',
          daysLeft: -2,
          source: 'token',
          reason: null,
        },
        reminder: { due: true, nextAt: '2026-04-03T08:00:00.000Z' },
        changePasswordUrl: 'https://aka.ms/sspr',
        error: {
          kind: 'password-expired',
          aadsts: 50055,
          message: 'Your password has expired. Reset it to sign in again.',
        },
      }),
    ),
    settings: settings(false),
    summary: /has expired/,
    errorButton: 'Reset password',
  },
  {
    name: 'signed-out',
    view: view(
      report({
        account: null,
        password: {
          state: 'unknown',
          lastChanged: null,
          expiresAt: null,
          daysLeft: null,
          source: 'policy',
          reason: 'not checked yet',
        },
        reminder: { due: false, nextAt: null },
      }),
    ),
    settings: settings(false),
    summary: /Not signed in/,
    errorButton: null,
  },
  {
    name: 'error-network',
    view: view(
      report({
        error: {
          kind: 'network',
          aadsts: null,
          message: 'The sign-in service cannot be reached. Check your network connection.',
        },
      }),
    ),
    settings: settings(false),
    summary: /expires in 40 days/,
    errorButton: 'Try again',
  },
  {
    name: 'error-blocked',
    view: view(
      report({
        account: null,
        password: {
          state: 'unknown',
          lastChanged: null,
          expiresAt: null,
          daysLeft: null,
          source: 'policy',
          reason: null,
        },
        reminder: { due: false, nextAt: null },
        error: {
          kind: 'blocked-by-policy',
          aadsts: 53003,
          message: 'Your organisation’s access policy blocked this sign-in (error AADSTS53003).',
        },
      }),
    ),
    settings: settings(true),
    summary: /Not signed in/,
    errorButton: null,
  },
  {
    name: 'checking',
    view: view(report({}), 'checking'),
    settings: settings(false),
    summary: /expires in 40 days/,
    errorButton: null,
  },
  {
    name: 'startup-apps-off',
    view: view(report({})),
    settings: settings(false, true),
    summary: /expires in 40 days/,
    errorButton: null,
  },
];

const pageErrors = new WeakMap<Page, string[]>();

/** Installs the test window.api before the page's own script runs. */
async function openPage(
  browser: Browser,
  scenario: Scenario,
  colorScheme: 'light' | 'dark',
): Promise<Page> {
  const context = await browser.newContext({
    colorScheme,
    viewport: { width: 540, height: 900 },
    timezoneId: 'America/New_York', // the window must show the user's zone, not the machine's
  });
  const page = await context.newPage();
  // Given as text: a function compiled by the test loader may refer to its helpers, which do
  // not exist in the page.
  await page.addInitScript({
    content: `(() => {
      const initial = ${JSON.stringify(scenario.view)};
      const initialSettings = ${JSON.stringify(scenario.settings)};
      const calls = [];
      let listener = null;
      window.__calls = calls;
      window.__emit = (next) => listener && listener(next);
      const answer = (name, value) => {
        calls.push(name);
        return Promise.resolve(value);
      };
      Object.defineProperty(window, 'api', {
        value: Object.freeze({
          getStatus: () => answer('getStatus', initial),
          onStatus: (l) => {
            calls.push('onStatus');
            listener = l;
            return () => { listener = null; };
          },
          checkNow: () => answer('checkNow', initial),
          signIn: () => answer('signIn', initial),
          signOut: () => answer('signOut', initial),
          changePassword: () => answer('changePassword', { opened: true }),
          getSettings: () => answer('getSettings', window.__settingsNow ?? initialSettings),
          setStartAtLogin: (enabled) => answer('setStartAtLogin:' + String(enabled), initialSettings),
          removeSavedSignIns: (targets) =>
            answer('removeSavedSignIns:' + JSON.stringify(targets), window.__afterRemoval ?? initial),
          openSecurityInfo: () => answer('openSecurityInfo', { opened: true }),
        }),
      });
    })();`,
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  pageErrors.set(page, errors);
  await page.goto(pageUrl);
  // Loaded once the details list is filled. Polled by selector: the page's CSP forbids the
  // eval that function polling would need.
  await page.waitForSelector('#details dt');
  return page;
}

/** The calls the page made on the test api, once at least `count` have arrived. */
async function pollCalls(page: Page, count: number): Promise<string[]> {
  const read = () => page.evaluate<string[]>('window.__calls');
  for (let i = 0; i < 50; i++) {
    const calls = await read();
    if (calls.length >= count) return calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

void describe('status window in Chromium (built files)', () => {
  let browser: Browser;

  before(async () => {
    // Build exactly what ships, so the test never looks at stale files.
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-ui.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    assert.equal(built.status, 0, 'the UI build succeeded');
    assert.ok(existsSync(CHROMIUM_PATH), `Chromium is expected at ${CHROMIUM_PATH}`);
    mkdirSync(screenshots, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  for (const scenario of scenarios) {
    for (const scheme of ['light', 'dark'] as const) {
      void it(`${scenario.name} (${scheme}): renders, is screenshotted, has no axe violations`, async () => {
        const page = await openPage(browser, scenario, scheme);
        const summary = (await page.textContent('#summary')) ?? '';
        assert.match(summary, scenario.summary);
        const errorBox = page.locator('#error');
        if (scenario.view.report?.error) {
          assert.equal(await errorBox.isVisible(), true, 'the error sentence is shown');
          assert.equal(
            (await page.textContent('#error-message'))?.trim(),
            scenario.view.report.error.message,
          );
        } else {
          assert.equal(await errorBox.isVisible(), false);
        }
        const errorButton = page.locator('#error-action');
        if (scenario.errorButton) {
          assert.equal((await errorButton.textContent())?.trim(), scenario.errorButton);
        } else {
          assert.equal(await errorButton.isVisible(), false);
        }
        const note = page.locator('#directory-note');
        if (scenario.directoryNote) {
          assert.equal(await note.isVisible(), true, 'the on-premises note is shown');
          assert.match((await note.textContent()) ?? '', scenario.directoryNote);
        } else {
          assert.equal(await note.isVisible(), false);
        }
        for (const [id, expected] of [
          ['#change-note', scenario.changeNote],
          ['#reset-note', scenario.resetNote],
        ] as const) {
          const shown = page.locator(id);
          assert.equal(await shown.isVisible(), expected !== undefined, `${id} shown or hidden`);
          const text = id === '#reset-note' ? page.locator('#reset-message') : shown;
          if (expected) assert.match(((await text.textContent()) ?? '').trim(), expected);
        }
        const saved = page.locator('#saved-sign-ins');
        assert.equal(await saved.isVisible(), scenario.savedSignIns !== undefined);
        if (scenario.savedSignIns !== undefined) {
          assert.equal(
            await page.locator('#saved-sign-ins-list li').count(),
            scenario.savedSignIns,
          );
          assert.equal(await page.isVisible('#remove-saved-sign-ins'), scenario.savedSignIns > 0);
        }
        const details = (await page.textContent('#details')) ?? '';
        if (scenario.view.report?.directory) {
          assert.match(details, /on-premises directory \(Active Directory\)/);
          assert.match(details, /Read from the directory/);
        }
        if (scenario.view.report?.password.expiresAt) {
          assert.match(details, /1 Apr 2026/);
          assert.match(details, /\(Europe\/Berlin\)/, 'time zone named');
          // 09:00 UTC is 11:00 summer time in Berlin: shown in the user's zone, not New York's.
          assert.match(details, /11:00/);
        }
        if (scenario.view.report?.account) assert.match(details, /adele\.vance@contoso\.com/);
        const lockedBadges = await page.locator('#settings .badge').count();
        assert.equal(lockedBadges, scenario.settings.settings.filter((s) => s.locked).length);
        const { locked, offInSystem } = scenario.settings.startAtLogin;
        assert.equal(
          await page.isDisabled('#start-at-login'),
          locked || offInSystem,
          'start at login greyed out only when locked or turned off in Startup apps',
        );
        assert.equal(
          await page.textContent('#start-at-login-note'),
          offInSystem ? STARTUP_APPS_NOTE : locked ? 'Set by your organisation' : '',
        );
        if (scenario.view.busy) {
          assert.equal(await page.isDisabled('#check-now'), true);
          assert.match((await page.textContent('#busy')) ?? '', /Checking/);
        }
        await page.screenshot({
          path: join(screenshots, `status-${scenario.name}-${scheme}.png`),
          fullPage: true,
        });
        const axe = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(
          axe.violations.map(
            (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          ),
          [],
        );
        assert.deepEqual(pageErrors.get(page), [], 'no script errors on the page');
        await page.context().close();
      });
    }
  }

  void it('removes the old saved sign-ins only on the click, exactly those shown, and says what went', async () => {
    const base = scenarios.find((s) => s.name === 'password-changed');
    assert.ok(base);
    const page = await openPage(browser, base, 'light');
    const button = page.locator('#remove-saved-sign-ins');
    assert.equal(
      (await button.textContent())?.trim(),
      'Remove 3 saved sign-ins that still hold your old password',
    );
    assert.ok(!(await pollCalls(page, 3)).some((call) => call.startsWith('removeSavedSignIns')));
    const after = changed({ entries: [], removed: OLD_SIGN_INS, failed: [] });
    await page.evaluate(`window.__afterRemoval = ${JSON.stringify(after)}`);
    await button.click();
    const calls = await pollCalls(page, 4);
    assert.ok(
      calls.includes(`removeSavedSignIns:${JSON.stringify(OLD_SIGN_INS.map((e) => e.target))}`),
      `calls: ${calls.join(', ')}`,
    );
    await page.waitForSelector('#remove-saved-sign-ins', { state: 'hidden' });
    assert.match(
      (await page.textContent('#saved-sign-ins-result')) ?? '',
      /^Removed: MicrosoftOffice16_Data:SSPI:adele\.vance@contoso\.com, outlook\.office365\.com, msteams_adalsso\/adal_context_0\./,
    );
    await page.context().close();
  });

  void it('the security-info button opens the configured page through the api', async () => {
    const base = scenarios.find((s) => s.name === 'reset-not-ready');
    assert.ok(base);
    const page = await openPage(browser, base, 'light');
    assert.equal(
      (await page.textContent('#security-info'))?.trim(),
      'Add a phone or the Authenticator app',
    );
    await page.click('#security-info');
    assert.ok((await pollCalls(page, 4)).includes('openSecurityInfo'));
    await page.context().close();
  });

  for (const locked of [false, true]) {
    void it(`turned off in Startup apps${locked ? ', though policy forces it on' : ''}: unticked, greyed out, and says where to turn it on`, async () => {
      const base = scenarios.find((s) => s.name === 'ok');
      assert.ok(base);
      const offInSystem = settings(locked, true);
      // The main process sends enabled false then; the box stays clear even if it did not.
      offInSystem.startAtLogin.enabled = true;
      const page = await openPage(browser, { ...base, settings: offInSystem }, 'light');
      // The settings list is filled by the same render as the checkbox and its note.
      await page.waitForSelector('#settings dt');
      assert.equal(await page.textContent('#start-at-login-note'), STARTUP_APPS_NOTE);
      assert.equal(await page.isDisabled('#start-at-login'), true);
      assert.equal(await page.isChecked('#start-at-login'), false);
      assert.equal(
        await page.getAttribute('#start-at-login', 'aria-describedby'),
        'start-at-login-note',
        'the note is read with the checkbox',
      );
      assert.deepEqual(pageErrors.get(page), [], 'no script errors on the page');
      await page.context().close();
    });
  }

  void it('reads the settings again when the window comes back into focus', async () => {
    const base = scenarios.find((s) => s.name === 'ok');
    assert.ok(base);
    const page = await openPage(browser, { ...base, settings: settings(false) }, 'light');
    await page.waitForSelector('#settings dt');
    assert.equal(await page.isChecked('#start-at-login'), true);
    // Turned off in Startup apps while the window was open, then back to the window.
    await page.evaluate(
      `window.__settingsNow = ${JSON.stringify(settings(false, true))};` +
        "window.dispatchEvent(new Event('focus'));",
    );
    await page.waitForSelector(
      `#start-at-login-note:text-is(${JSON.stringify(STARTUP_APPS_NOTE)})`,
    );
    assert.equal(await page.isChecked('#start-at-login'), false);
    assert.equal(await page.isDisabled('#start-at-login'), true);
    assert.deepEqual(
      (await pollCalls(page, 4)).filter((call) => call === 'getSettings'),
      ['getSettings', 'getSettings'],
    );
    assert.deepEqual(pageErrors.get(page), [], 'no script errors on the page');
    await page.context().close();
  });

  void it('keyboard only: Tab reaches every button in order, Enter activates', async () => {
    const scenario = scenarios.find((s) => s.name === 'error-network');
    assert.ok(scenario);
    const page = await openPage(browser, scenario, 'light');
    const order: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate<string>('document.activeElement?.id ?? ""'));
    }
    assert.deepEqual(order.slice(0, 5), [
      'error-action',
      'change-password',
      'check-now',
      'account-action',
      'start-at-login',
    ]);
    // Focus is visible: the focused button draws an outline.
    await page.focus('#check-now');
    const outline = await page.evaluate<string>(
      'getComputedStyle(document.activeElement).outlineStyle',
    );
    assert.equal(outline, 'solid');
    await page.keyboard.press('Enter');
    await page.focus('#change-password');
    await page.keyboard.press('Enter');
    await page.focus('#start-at-login');
    await page.keyboard.press('Space');
    const calls = await pollCalls(page, 6);
    assert.ok(calls.includes('checkNow'), `calls: ${calls.join(', ')}`);
    assert.ok(calls.includes('changePassword'));
    assert.ok(calls.includes('setStartAtLogin:false'));
    await page.context().close();
  });

  void it('follows status pushed by the main process, announcing it politely', async () => {
    const first = scenarios[0];
    const expired = scenarios.find((s) => s.name === 'expired');
    assert.ok(first && expired);
    const page = await openPage(browser, first, 'light');
    assert.equal(await page.getAttribute('#summary', 'aria-live'), 'polite');
    await page.evaluate(`window.__emit(${JSON.stringify(expired.view)})`);
    assert.match((await page.textContent('#summary')) ?? '', /has expired/);
    assert.equal((await page.textContent('#change-password'))?.trim(), 'Reset password');
    await page.context().close();
  });

  void it('the content security policy blocks inline and foreign scripts', async () => {
    const first = scenarios[0];
    assert.ok(first);
    const page = await openPage(browser, first, 'light');
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    // Page code as text: the test's own compile settings know no DOM.
    const executed = await page.evaluate<{ inline: boolean; blocked: string[] }>(`(async () => {
      const blocked = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        blocked.push(event.effectiveDirective),
      );
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.append(inline);
      const foreign = document.createElement('script');
      foreign.src = 'https://example.com/evil.js';
      document.body.append(foreign);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { inline: window.__inlineRan === true, blocked };
    })()`);
    assert.equal(executed.inline, false, 'the inline script did not run');
    assert.deepEqual(
      [...executed.blocked].sort(),
      ['script-src-elem', 'script-src-elem'],
      'both the inline and the foreign script were refused by the policy',
    );
    assert.ok(violations.length >= 1, 'the browser reported the blocked script');
    await page.context().close();
  });
});
