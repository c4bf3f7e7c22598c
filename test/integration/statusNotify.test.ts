/**
 * `status --json --notify` says what the user was shown (`notified`), and the `enabled` policy
 * set to false turns the command off (exit 6) without a check.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { cliEnv, cliSignIn, runCli, setUp, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { fakeNotifySend } from '../support/stateFixtures';
import { NOTIFY_OUTCOMES } from '../../src/core/notifyOutcome';

interface Answer {
  notified: string | null;
  password?: { state: string };
  error?: { kind: string } | null;
  disabled?: boolean;
  message?: string;
}

function answer(stdout: string): Answer {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
  const parsed = JSON.parse(lines[0] ?? '') as Answer;
  assert.ok(parsed.notified === null || NOTIFY_OUTCOMES.includes(parsed.notified as never));
  return parsed;
}

describe('status --json --notify: what was shown', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  async function signedIn(scenario: 'expires-in-10-days' | 'never-expires') {
    const env = await cliEnv(setup);
    const signIn = await cliSignIn(setup, env, setup.tenant.account(scenario).username);
    assert.equal(signIn.code, 0, signIn.stderr);
    return env;
  }

  test('shown once, then already shown today; null without --notify', async () => {
    const notify = await fakeNotifySend();
    const env = {
      ...(await signedIn('expires-in-10-days')),
      PATH: `${notify.binDir}:${process.env.PATH ?? ''}`,
    };
    const plain = await runCli(['status', '--json'], env);
    assert.equal(plain.code, 1, plain.stderr);
    assert.equal(answer(plain.stdout).notified, null);
    const first = await runCli(['status', '--json', '--notify'], env);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(answer(first.stdout).notified, 'shown');
    const second = await runCli(['status', '--json', '--notify'], env);
    assert.equal(second.code, 1, second.stderr);
    assert.equal(answer(second.stdout).notified, 'already-shown');
    assert.equal(await notify.count(), 1);
  });

  test('could not show: no notification service, and the day stays open', async () => {
    const env = await signedIn('expires-in-10-days');
    const refused = await runCli(['status', '--json', '--notify'], {
      ...env,
      PATH: '/nonexistent',
    });
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(answer(refused.stdout).notified, 'could-not-show');
    assert.match(refused.stderr, /Could not show a desktop notification/);
    const notify = await fakeNotifySend();
    const later = await runCli(['status', '--json', '--notify'], {
      ...env,
      PATH: `${notify.binDir}:${process.env.PATH ?? ''}`,
    });
    assert.equal(answer(later.stdout).notified, 'shown');
  });

  test('not due: a password that never expires, and a user who is not signed in', async () => {
    const never = await runCli(['status', '--json', '--notify'], await signedIn('never-expires'));
    assert.equal(never.code, 0, never.stderr);
    assert.equal(answer(never.stdout).notified, 'not-due');
    // Nobody signed in, and the policy keeps the first-run sign-in prompt away (signIn manual).
    const env = await cliEnv(setup);
    await writeFile(
      env.SIGNIN_ASSISTANT_CONFIG ?? '',
      JSON.stringify({ ...setup.settings, signIn: 'manual' }),
    );
    const nobody = await runCli(['status', '--json', '--notify'], env);
    assert.equal(nobody.code, 3, nobody.stderr);
    const result = answer(nobody.stdout);
    assert.equal(result.error?.kind, 'sign-in-required');
    assert.equal(result.notified, 'not-due');
  });
});

describe('the enabled policy set to false', () => {
  test('status and sign-in exit 6 and say so; sign-out still works', async () => {
    const home = await tempHome();
    const config = `${home}/config.json`;
    // Not reachable: a check or sign-in would fail with exit 5, not 6.
    await writeFile(
      config,
      JSON.stringify({
        tenantId: 'contoso.com',
        clientId: '3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f',
        authority: 'https://127.0.0.1:9',
        enabled: false,
      }),
    );
    const env = { SIGNIN_ASSISTANT_HOME: home, SIGNIN_ASSISTANT_CONFIG: config, TZ: 'UTC' };
    const json = await runCli(['status', '--json'], env);
    assert.equal(json.code, 6, json.stderr);
    const off = answer(json.stdout);
    assert.equal(off.disabled, true);
    assert.equal(off.notified, null);
    assert.match(
      off.message ?? '',
      /turned off by your organisation \(enabled = false, from .*config\.json\)/,
    );
    const notify = await runCli(['status', '--json', '--notify'], env);
    assert.equal(notify.code, 6);
    assert.equal(answer(notify.stdout).notified, 'not-due');
    const text = await runCli(['status'], env);
    assert.equal(text.code, 6);
    assert.match(text.stdout, /^Sign-In Assistant is turned off by your organisation/);
    const signIn = await runCli(['sign-in', '--device-code'], env);
    assert.equal(signIn.code, 6, signIn.stderr);
    assert.equal(signIn.stderr, '', 'no sign-in was started');
    const signOut = await runCli(['sign-out'], env);
    assert.notEqual(signOut.code, 6, 'sign-out is clean-up: it still runs');
  });
});
