/**
 * The one first-run sign-in prompt of `status --notify` (as the Intune remediation runs it for
 * "sign-in needed"): the command in this process against the demo tenant and the real keyring,
 * with the desktop notifier port recorded. Each run is a new engine on the same data folder, as
 * each remediation run is a new process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../src/cli/signinAssistant';
import type { DesktopNotice, DesktopNotifier, NoticeResult } from '../../src/main/desktopNotifier';
import { cliSignIn, setUp, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';

class RecordingNotifier implements DesktopNotifier {
  readonly notices: DesktopNotice[] = [];
  answer: NoticeResult = { shown: true };
  show(notice: DesktopNotice): Promise<NoticeResult> {
    this.notices.push(notice);
    return Promise.resolve(this.answer);
  }
}

describe('status --notify: the one first-run sign-in prompt', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  async function folder(settings: Record<string, unknown> = {}): Promise<NodeJS.ProcessEnv> {
    const home = await tempHome();
    const configFile = join(home, 'config.json');
    await writeFile(configFile, JSON.stringify({ ...setup.settings, ...settings }));
    return {
      ...process.env,
      SIGNIN_ASSISTANT_HOME: home,
      SIGNIN_ASSISTANT_CONFIG: configFile,
      TZ: 'UTC',
      // No Kerberos logon: nothing but a sign-in can give a figure.
      KRB5CCNAME: `FILE:${join(home, 'no-ticket')}`,
    };
  }

  async function status(args: string[], env: NodeJS.ProcessEnv, notifier: DesktopNotifier) {
    let out = '';
    let err = '';
    const code = await runCli(
      ['status', ...args],
      { out: (text) => (out += text), err: (text) => (err += text) },
      env,
      { notifier },
    );
    return {
      code,
      json: args.includes('--json') ? (JSON.parse(out) as Record<string, unknown>) : null,
      err,
    };
  }

  test('shown once across runs; after a sign-out once more', async () => {
    const env = await folder();
    const notifier = new RecordingNotifier();
    const first = await status(['--json', '--notify'], env, notifier);
    assert.equal(first.code, 3, 'still "sign-in needed"');
    assert.equal(first.json?.notified, 'sign-in-prompt');
    assert.equal(notifier.notices.length, 1);
    assert.equal(notifier.notices[0]?.title, 'Sign in to Sign-In Assistant');
    assert.match(
      notifier.notices[0]?.body ?? '',
      /^Sign in to Sign-In Assistant to get a reminder before your password expires\./,
    );
    const second = await status(['--json', '--notify'], env, notifier);
    assert.equal(second.json?.notified, 'already-shown');
    assert.equal(notifier.notices.length, 1, 'not shown again');
    const plain = await status(['--json'], env, notifier);
    assert.equal(plain.json?.notified, null, 'without --notify nothing is shown');

    const user = setup.tenant.account('expires-in-20-days').username;
    const signedIn = await cliSignIn(setup, env, user);
    assert.equal(signedIn.code, 0, signedIn.stderr);
    const whileSignedIn = await status(['--json', '--notify'], env, notifier);
    assert.equal(whileSignedIn.code, 0);
    assert.equal(whileSignedIn.json?.notified, 'not-due', 'a figure: no prompt, no reminder due');
    const out = await runCli(['sign-out'], { out: () => undefined, err: () => undefined }, env);
    assert.equal(out, 0);
    const afterSignOut = await status(['--json', '--notify'], env, notifier);
    assert.equal(afterSignOut.json?.notified, 'sign-in-prompt');
    assert.equal(notifier.notices.length, 2);
  });

  test('a prompt the desktop refused is not counted: offered at the next run', async () => {
    const env = await folder();
    const notifier = new RecordingNotifier();
    notifier.answer = { shown: false, error: 'no notification service' };
    const refused = await status(['--json', '--notify'], env, notifier);
    assert.equal(refused.json?.notified, 'could-not-show');
    assert.match(refused.err, /Could not show a desktop notification/);
    notifier.answer = { shown: true };
    const next = await status(['--json', '--notify'], env, notifier);
    assert.equal(next.json?.notified, 'sign-in-prompt');
  });

  test('never with signIn silent or manual; again when the sign-in settings change', async () => {
    for (const signIn of ['silent', 'manual']) {
      const notifier = new RecordingNotifier();
      const result = await status(['--json', '--notify'], await folder({ signIn }), notifier);
      assert.equal(result.code, 3);
      assert.equal(result.json?.notified, 'not-due', signIn);
      assert.equal(notifier.notices.length, 0, signIn);
    }
    const env = await folder();
    const notifier = new RecordingNotifier();
    await status(['--notify'], env, notifier);
    assert.equal(notifier.notices.length, 1);
    await writeFile(
      env.SIGNIN_ASSISTANT_CONFIG ?? '',
      JSON.stringify({ ...setup.settings, useWindowsBroker: false }),
    );
    await status(['--notify'], env, notifier);
    assert.equal(notifier.notices.length, 2, 'new sign-in settings ask once more');
    await status(['--notify'], env, notifier);
    assert.equal(notifier.notices.length, 2);
  });
});
