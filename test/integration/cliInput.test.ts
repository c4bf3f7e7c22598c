/**
 * The headless command given odd time zones, odd arguments and hostile settings or state files:
 * the right exit code and a short, clear message, never a crash or a stack.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliEnv, cliSignIn, runCli, setUp, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { lingeringHandlePreload, runCliStdio } from '../support/cliProcess';

const TENANT = {
  tenantId: 'contoso.com',
  clientId: '11111111-2222-3333-4444-555555555555',
};

async function configFile(home: string, content: string | Buffer): Promise<string> {
  const file = join(home, 'config.json');
  await writeFile(file, content);
  return file;
}

function assertNoCrash(output: string): void {
  assert.doesNotMatch(output, /\n\s+at |Unexpected error|Maximum call stack|undefined/);
}

describe('a signed-in user with odd time zones, arguments and service failures', () => {
  let setup: Setup;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    setup = await setUp();
    env = await cliEnv(setup);
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
  });
  after(() => setup.close());

  for (const tz of [':/etc/localtime', '', 'garbage', 'UTC+99', ':Europe/Berlin']) {
    test(`TZ=${JSON.stringify(tz)} still gives the expiry, in a named zone`, async () => {
      const result = await runCli(['status'], { ...env, TZ: tz });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /expires in 10 days, on .* \((UTC|Etc\/UTC|Europe\/Berlin)\)\./);
      assertNoCrash(result.stdout + result.stderr);
    });
  }

  test('a BOM at the start of the settings file (as Windows tools write it) is accepted', async () => {
    const file = await configFile(
      env.SIGNIN_ASSISTANT_HOME ?? '',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(setup.settings))]),
    );
    const result = await runCli(['status', '--json'], { ...env, SIGNIN_ASSISTANT_CONFIG: file });
    assert.equal(result.code, 1, result.stderr);
  });

  test('a directory refusal (Graph 403) is its own kind, not "Sign-in failed"', async () => {
    setup.tenant.setFault('graph-me', { kind: 'status', status: 403, times: 1 });
    const result = await runCli(['status', '--json'], env);
    assert.equal(result.code, 3);
    const report = JSON.parse(result.stdout) as { error: { kind: string; message: string } };
    assert.equal(report.error.kind, 'directory-refused');
    assert.doesNotMatch(report.error.message, /Sign-in failed|sign-in service/);
  });

  test("a full stdout (/dev/full) or a reader gone (`status | true`): the password's exit code, no stack", async () => {
    const full = await runCliStdio(['status', '--json'], env, { stdout: { file: '/dev/full' } });
    assert.equal(full.code, 1, full.stderr);
    assert.match(full.stderr, /Could not write the output: the disk is full/);
    assertNoCrash(full.stderr);
    assert.doesNotMatch(full.stderr, /Unhandled|ENOSPC.*\n.*ENOSPC/);
    for (const args of [['status', '--json'], ['status']]) {
      const closed = await runCliStdio(args, env, { stdout: 'closed-pipe' });
      assert.equal(closed.code, 1, closed.stderr);
      assert.equal(closed.stderr, '', 'a reader that left is not an error to report');
    }
  });

  test('a full or closed stderr changes nothing: the exit code stays', async () => {
    const usage = await runCliStdio(['bogus'], env, { stderr: { file: '/dev/full' } });
    assert.equal(usage.code, 4);
    const closed = await runCliStdio(['status', '--json', '--config', '/nonexistent.json'], env, {
      stderr: 'closed-pipe',
    });
    assert.equal(closed.code, 4);
    assert.equal(
      (JSON.parse(closed.stdout) as { error: { kind: string } }).error.kind,
      'configuration',
    );
  });

  test("a handle the command does not own (the Windows broker's) never keeps it running, in any mode", async () => {
    const lingering = { ...env, NODE_OPTIONS: `--require ${await lingeringHandlePreload()}` };
    const cases: [string[], number][] = [
      [['status', '--json'], 1],
      [['status'], 1],
      [['--version'], 0],
      [['bogus'], 4],
      [['status', '--config', '/nonexistent.json'], 4],
    ];
    for (const [args, code] of cases) {
      const run = await runCliStdio(args, lingering, { limitMs: 30_000 });
      assert.equal(run.signal, null, `${args.join(' ')} ended by itself`);
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
    }
  });

  test('a failed device-code request prints a sentence, never "undefined"', async () => {
    const home = await tempHome();
    setup.tenant.setFault('devicecode', { kind: 'status', status: 500, times: 1 });
    const result = await runCli(['sign-in', '--device-code'], await cliEnv(setup, home));
    assert.equal(result.code, 3);
    assert.match(result.stdout, /sign-in service/);
    assertNoCrash(result.stdout + result.stderr);
  });
});

describe('usage and settings that cannot be used', () => {
  test('--config with an empty name is a usage error (exit 4), not "no settings file"', async () => {
    const home = await tempHome();
    for (const args of [
      ['status', '--config='],
      ['--config', '', 'status'],
    ]) {
      const result = await runCli(args, { SIGNIN_ASSISTANT_HOME: home });
      assert.equal(result.code, 4, args.join(' '));
      assert.match(result.stderr, /--config needs a file name/);
    }
  });

  test('URL settings are parsed for real: no credentials, a valid port, https', async () => {
    const home = await tempHome();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ changePasswordUrl: 'https://user:s3cr3t@example.com/change' }, /user name or password/],
      [{ resetPasswordUrl: 'https://admin:s3cr3t@aka.ms/sspr' }, /user name or password/],
      [{ authority: 'https://login.microsoftonline.com:99999' }, /port/],
      [{ graphEndpoint: 'https://graph.microsoft.com:70000' }, /port/],
    ];
    for (const [values, problem] of cases) {
      const file = await configFile(home, JSON.stringify({ ...TENANT, ...values }));
      const result = await runCli(['status', '--config', file], { SIGNIN_ASSISTANT_HOME: home });
      assert.equal(result.code, 4, result.stderr);
      assert.match(result.stderr, new RegExp(`"${Object.keys(values)[0] ?? ''}"`));
      assert.match(result.stderr, problem);
      assert.doesNotMatch(result.stderr, /s3cr3t/, 'the password is not echoed');
      assertNoCrash(result.stderr);
    }
  });

  test('an authority with port 0 (or any port outside 1-65535) is a configuration error naming it', async () => {
    const home = await tempHome();
    for (const authority of [
      'https://login.microsoftonline.com:0',
      'https://login.microsoftonline.com:00',
      'https://login.microsoftonline.com:65536',
    ]) {
      const file = await configFile(home, JSON.stringify({ ...TENANT, authority }));
      const result = await runCli(['status', '--json', '--config', file], {
        SIGNIN_ASSISTANT_HOME: home,
      });
      assert.equal(result.code, 4, `${authority}: ${result.stderr}`);
      assert.match(result.stderr, /"authority"/);
      assert.match(result.stderr, /port/);
    }
  });

  test('status --json with settings that cannot be used prints the one object too (kind configuration)', async () => {
    const home = await tempHome();
    const file = await configFile(home, JSON.stringify({ ...TENANT, balloonSeconds: 'soon' }));
    const result = await runCli(['status', '--json', '--config', file], {
      SIGNIN_ASSISTANT_HOME: home,
    });
    assert.equal(result.code, 4);
    assert.match(result.stderr, /"balloonSeconds"/);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1, result.stdout);
    const report = JSON.parse(lines[0] ?? '') as {
      account: unknown;
      password: { state: string };
      error: { kind: string; message: string };
    };
    assert.equal(report.error.kind, 'configuration');
    assert.match(report.error.message, /"balloonSeconds"/);
    assert.equal(report.account, null);
    assert.equal(report.password.state, 'unknown');
  });

  test('a 10 kB unknown command or flag is cut to 80 characters, and said once', async () => {
    const home = await tempHome();
    for (const args of [['x'.repeat(10_000)], ['status', `--${'y'.repeat(10_000)}`]]) {
      const result = await runCli(args, { SIGNIN_ASSISTANT_HOME: home });
      assert.equal(result.code, 4);
      assert.ok(result.stderr.length < 2000, `${result.stderr.length} characters`);
      assert.match(result.stderr, /[xy]{70,79}…/);
      assert.equal(result.stderr.match(/[xy]{70}/g)?.length, 1, result.stderr.slice(0, 400));
    }
  });

  test('huge values, thousands of unknown keys and deep nesting get short messages', async () => {
    const home = await tempHome();
    const run = async (content: string) =>
      runCli(['status', '--config', await configFile(home, content)], {
        SIGNIN_ASSISTANT_HOME: home,
      });

    const hugeFile = await run(JSON.stringify({ ...TENANT, tenantId: 'x'.repeat(10_000_000) }));
    assert.equal(hugeFile.code, 4);
    assert.match(hugeFile.stderr, /at most 1024 KB/);
    assert.ok(hugeFile.stderr.length < 2000, `${hugeFile.stderr.length} characters`);

    const longValue = await run(
      JSON.stringify({ ...TENANT, changePasswordUrl: 'y'.repeat(500_000) }),
    );
    assert.equal(longValue.code, 4);
    assert.match(longValue.stderr, /"changePasswordUrl" is "y{70,79}…"/);
    assert.ok(longValue.stderr.length < 2000, `${longValue.stderr.length} characters`);

    const unknown = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`key${i}`, i]));
    const manyKeys = await run(JSON.stringify({ ...TENANT, ...unknown }));
    assert.equal(manyKeys.code, 4);
    const lines = manyKeys.stderr.trim().split('\n');
    assert.equal(lines.length, 11);
    assert.match(lines[10] ?? '', /and 4990 more configuration errors/);

    const deep = await run(`{"tenantId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    assert.equal(deep.code, 4);
    assert.match(deep.stderr, /nested 100001 levels deep/);
    assertNoCrash(deep.stderr);
  });

  test('an oversized or deeply nested state file does not break diagnostics', async () => {
    for (const content of [
      JSON.stringify({ password: { state: 'ok', reason: 'a'.repeat(20_000_000) } }),
      `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
    ]) {
      const home = await tempHome();
      await writeFile(join(home, 'last-status.json'), content);
      const out = join(home, 'diag.zip');
      const result = await runCli(['diagnostics', '--out', out, '--config', '/nonexistent.json'], {
        SIGNIN_ASSISTANT_HOME: home,
      });
      assert.equal(result.code, 0, result.stderr);
      assertNoCrash(result.stdout + result.stderr);
    }
  });
});
