import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messages } from '../../src/core/messages';
import type { ClassifiedError, StatusReport } from '../../src/core/model';
import { startTrayApp } from '../../src/main/trayApp';
import type { TrayApp } from '../../src/main/trayApp';
import { CoreBackedEngine, makeHarness } from '../support/trayFakes';
import type { Harness } from '../support/trayFakes';

const SIGNED_OUT: ClassifiedError = {
  kind: 'sign-in-required',
  aadsts: null,
  message: messages.status.signedOut,
  action: null,
};

/** Nobody signed in until the user signs in (as the real engine reports it). */
class SignedOutEngine extends CoreBackedEngine {
  override signIn(): Promise<StatusReport> {
    this.failWith = null;
    return super.signIn();
  }
  override signOut(): Promise<StatusReport> {
    this.failWith = SIGNED_OUT;
    return super.signOut();
  }
}

function harness(
  options: { platform?: NodeJS.Platform; policyLayer?: Record<string, unknown> } = {},
) {
  const h = makeHarness({
    start: '2026-03-16T08:00:00.000Z',
    lastChanged: '2026-01-01T09:00:00.000Z',
    ...options,
  });
  const engine = new SignedOutEngine(
    h.time,
    h.deps.resolved.config,
    h.deps.timeZone,
    '2026-01-01T09:00:00.000Z',
  );
  engine.signedIn = false;
  engine.failWith = SIGNED_OUT;
  return { ...h, engine, deps: { ...h.deps, engine } };
}

async function start(h: Harness): Promise<TrayApp> {
  const app = startTrayApp(h.deps);
  await app.started;
  await h.time.settle();
  return app;
}

void describe('tray app: the one first-run sign-in prompt', () => {
  void it('is shown once at the first start, not at the next start, and again after a sign-out', async () => {
    const h = harness();
    const first = await start(h);
    assert.equal(h.tray.balloons.length, 1);
    assert.equal(h.tray.balloons[0]?.title, 'Sign in to Sign-In Assistant');
    assert.equal(
      h.tray.balloons[0]?.content,
      'Sign in to Sign-In Assistant to get a reminder before your password expires. Click here, or use its icon in the hidden icons, next to the clock.',
    );
    assert.equal(h.windows.created.length, 0, 'no window at logon');
    assert.equal(h.engine.signIns, 0, 'no sign-in without a click');
    await first.dispose();

    // The next logon: the same per-user record, a new tray app.
    const second = await start(h);
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.tray.balloons.length, 1, 'not at every logon');
    await second.signIn();
    await second.signOut();
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.tray.balloons.length, 2, 'once more after a sign-out');
    await second.quit();
  });

  void it('under quiet time it is not counted and is offered at the next check', async () => {
    const h = harness();
    h.tray.quietTime = true;
    const app = await start(h);
    assert.equal(h.tray.balloons.length, 1, 'handed to Windows');
    await h.time.advance(20_000);
    assert.equal(h.engine.signInState.promptShownFor, null, 'never on screen: not recorded');
    h.tray.quietTime = false;
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.tray.balloons.length, 2);
    assert.notEqual(h.engine.signInState.promptShownFor, null);
    await app.quit();
  });

  void it('a click opens the status window and signs in', async () => {
    const h = harness();
    const app = await start(h);
    h.tray.userClicksBalloon();
    await h.time.settle();
    assert.equal(h.windows.created.length, 1, 'the window the broker’s picker belongs to');
    assert.equal(h.engine.signIns, 1);
    assert.equal(app.view().report?.account?.username, 'adele@contoso.com');
    await app.quit();
  });

  void it('a click on the prompt never opens the page of a reminder shown earlier', async () => {
    const h = makeHarness({
      start: '2026-03-25T08:00:00.000Z',
      lastChanged: '2026-01-01T09:00:00.000Z',
    });
    const engine = new SignedOutEngine(
      h.time,
      h.deps.resolved.config,
      h.deps.timeZone,
      '2026-01-01T09:00:00.000Z',
    );
    const app = startTrayApp({ ...h.deps, engine });
    await app.started;
    await h.time.settle();
    assert.equal(h.tray.balloons[0]?.title, 'Password expires in 7 days');
    h.tray.userClosesBalloon();
    await app.signOut();
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.tray.balloons[1]?.title, 'Sign in to Sign-In Assistant');
    h.tray.userClicksBalloon();
    await h.time.settle();
    assert.deepEqual(h.shell.opened, [], 'no change page');
    assert.equal(engine.signIns, 1);
    await app.quit();
  });

  void it('never with signIn silent or manual, and never while the user is away', async () => {
    for (const signIn of ['silent', 'manual']) {
      const h = harness({ policyLayer: { signIn } });
      const app = await start(h);
      assert.equal(h.tray.balloons.length, 0, signIn);
      await app.quit();
    }
    const h = harness({ platform: 'linux' });
    h.power.userActive = false;
    const app = await start(h);
    assert.equal(h.notifications.shown.length, 0, 'away: not shown');
    h.power.userActive = true;
    h.power.listeners.emit('unlock-screen');
    await h.time.settle();
    assert.equal(h.notifications.shown.length, 1);
    assert.match(h.notifications.shown[0]?.body ?? '', /in the system tray/);
    await app.quit();
  });
});

void describe('tray app: changing a password that lives in the domain (Windows)', () => {
  function domainHarness(policyLayer?: Record<string, unknown>) {
    const h = makeHarness({
      start: '2026-03-25T08:00:00.000Z',
      lastChanged: '2026-01-01T09:00:00.000Z',
      ...(policyLayer ? { policyLayer } : {}),
    });
    // The figure of the domain logon's own AD entry, with no cloud account.
    h.engine.tamper = (report) => ({
      ...report,
      account: { username: 'CORP\\avery', tenantId: null },
      password: { ...report.password, source: 'directory' },
    });
    const opened: string[] = [];
    const screen = {
      open: () => {
        opened.push('windows-security');
        return Promise.resolve(true);
      },
    };
    return { ...h, opened, deps: { ...h.deps, passwordChangeScreen: screen } };
  }

  void it('Change password… and the reminder’s click open the Windows Security screen', async () => {
    const h = domainHarness();
    const app = startTrayApp(h.deps);
    await app.started;
    await h.time.settle();
    assert.equal(h.tray.balloons.length, 1, 'the reminder, with zero clicks');
    assert.ok(h.tray.menuItem('sign-in'), 'no cloud account yet: Sign in is offered');
    assert.equal(h.tray.menuItem('sign-out'), undefined);
    h.tray.userClicksBalloon();
    await h.time.settle();
    assert.equal(await app.changePassword(), true);
    assert.deepEqual(h.opened, ['windows-security', 'windows-security']);
    assert.deepEqual(h.shell.opened, []);
    await app.quit();
  });

  void it('with onPremisesChangePasswordUrl set, that page instead', async () => {
    const page = 'https://passwords.contoso.com/change';
    const h = domainHarness({ onPremisesChangePasswordUrl: page });
    h.engine.tamper = (report) => ({
      ...report,
      account: { username: 'CORP\\avery', tenantId: null },
      password: { ...report.password, source: 'directory' },
      changePasswordUrl: page,
    });
    const app = startTrayApp(h.deps);
    await app.started;
    await h.time.settle();
    assert.equal(await app.changePassword(), true);
    assert.deepEqual(h.opened, []);
    assert.deepEqual(h.shell.opened, [page]);
    await app.quit();
  });
});
