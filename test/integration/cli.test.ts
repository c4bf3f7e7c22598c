/**
 * The headless command as IT scripts run it: a separate process per call, exit codes and the
 * `status --json` contract for every seeded account.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cliEnv, cliSignIn, runCli, setUp, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import type { DemoScenario } from '../../src/demo/tenant';
import { readZip } from '../support/zipReader';
import { closedPortUrl, startConnectProxy } from '../support/connectProxy';
import type { ConnectProxy } from '../support/connectProxy';
import { messages } from '../../src/core/messages';
import { CONFIG_KEYS } from '../../src/core/config';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Report {
  account: { username: string; tenantId: string } | null;
  password: {
    state: string;
    lastChanged: string | null;
    expiresAt: string | null;
    daysLeft: number | null;
    source: string;
    reason: string | null;
  };
  reminder: { due: boolean; nextAt: string | null };
  changePasswordUrl: string;
  error: { kind: string; aadsts: number | null; message: string } | null;
}

function parseReport(stdout: string): Report {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON object on stdout');
  const report = JSON.parse(lines[0] ?? '') as Report;
  assert.deepEqual(Object.keys(report).sort(), [
    'account',
    'changePasswordUrl',
    'directory',
    'error',
    'notified',
    'password',
    'passwordChanged',
    'reminder',
    'reset',
  ]);
  assert.deepEqual(Object.keys(report.password).sort(), [
    'daysLeft',
    'expiresAt',
    'lastChanged',
    'reason',
    'source',
    'state',
  ]);
  assert.deepEqual(Object.keys(report.reminder).sort(), ['due', 'nextAt']);
  for (const value of [
    report.password.lastChanged,
    report.password.expiresAt,
    report.reminder.nextAt,
  ]) {
    if (value !== null) assert.match(value, ISO_UTC);
  }
  assert.ok(['graph', 'token', 'policy', 'directory'].includes(report.password.source));
  if (report.error)
    assert.deepEqual(Object.keys(report.error).sort(), ['aadsts', 'kind', 'message']);
  return report;
}

interface Expectation {
  scenario: DemoScenario;
  signIn: number;
  exit: number;
  state: string;
  daysLeft: number | null;
  source?: string;
  reason?: string;
  due: boolean;
}

const SEEDED: Expectation[] = [
  {
    scenario: 'expires-in-20-days',
    signIn: 0,
    exit: 0,
    state: 'ok',
    daysLeft: 20,
    source: 'policy',
    due: false,
  },
  {
    scenario: 'expires-in-10-days',
    signIn: 0,
    exit: 1,
    state: 'expiring',
    daysLeft: 10,
    due: true,
  },
  { scenario: 'expires-in-1-day', signIn: 0, exit: 1, state: 'expiring', daysLeft: 1, due: true },
  { scenario: 'never-expires', signIn: 0, exit: 0, state: 'never', daysLeft: null, due: false },
  {
    scenario: 'synced-on-premises',
    signIn: 0,
    exit: 0,
    state: 'unknown',
    daysLeft: null,
    reason: 'managed on-premises',
    due: false,
  },
  {
    scenario: 'token-claims',
    signIn: 0,
    exit: 1,
    state: 'expiring',
    daysLeft: 5,
    source: 'token',
    due: true,
  },
  { scenario: 'expired', signIn: 3, exit: 3, state: 'unknown', daysLeft: null, due: false },
];

describe('status for each seeded account', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  for (const expected of SEEDED) {
    test(`${expected.scenario}: sign-in exit ${expected.signIn}, status exit ${expected.exit}`, async () => {
      const env = await cliEnv(setup);
      const account = setup.tenant.account(expected.scenario);
      const signIn = await cliSignIn(setup, env, account.username);
      assert.equal(signIn.code, expected.signIn, signIn.stderr);
      const json = await runCli(['status', '--json'], env);
      assert.equal(json.code, expected.exit, json.stderr);
      const report = parseReport(json.stdout);
      assert.equal(report.password.state, expected.state);
      assert.equal(report.password.daysLeft, expected.daysLeft);
      assert.equal(report.reminder.due, expected.due);
      if (expected.source) assert.equal(report.password.source, expected.source);
      if (expected.reason) assert.equal(report.password.reason, expected.reason);
      if (expected.signIn === 0) {
        assert.equal(report.account?.username, account.username);
        assert.equal(report.account?.tenantId, setup.tenant.tenantId);
        assert.equal(report.error, null);
      } else {
        assert.equal(report.account, null);
        assert.equal(report.error?.kind, 'sign-in-required');
        assert.match(signIn.stdout + signIn.stderr, /expired/i);
      }
      const plain = await runCli(['status'], env);
      assert.equal(plain.code, expected.exit);
      assert.equal(plain.stdout.trim().split('\n').length, 1, 'one sentence');
      assert.doesNotMatch(plain.stdout, /[{}]/);
    });
  }

  test('the plain sentence names the user, the days, the date and the zone', async () => {
    const env = await cliEnv(setup);
    const account = setup.tenant.account('expires-in-10-days');
    await cliSignIn(setup, env, account.username);
    const plain = await runCli(['status'], { ...env, TZ: 'Europe/Berlin' });
    assert.match(
      plain.stdout,
      new RegExp(
        `Password for ${account.username.replace('.', '\\.')} expires in 10 days, on \\w{3} \\d{1,2} \\w{3} \\d{4} at \\d{2}:\\d{2} \\(Europe/Berlin\\)\\.`,
      ),
    );
  });

  test("the command reads its own zone's dates without an Intl formatter, as Intl would", async () => {
    const env = await cliEnv(setup);
    const account = setup.tenant.account('expires-in-10-days');
    await cliSignIn(setup, env, account.username);
    const dir = await tempHome();
    // Counts the formatters a run builds: the first one costs a process about 7 MiB.
    const probe = join(dir, 'count-formatters.cjs');
    await writeFile(
      probe,
      [
        "const { writeFileSync } = require('node:fs');",
        'const Original = Intl.DateTimeFormat;',
        'let built = 0;',
        'Intl.DateTimeFormat = function (...args) { built++; return new Original(...args); };',
        "process.on('exit', () => writeFileSync(process.env.FORMATTERS_FILE, String(built)));",
      ].join('\n'),
    );
    const run = async (tz: string) => {
      const formatters = join(dir, `formatters-${tz.replace('/', '-')}`);
      const options = { NODE_OPTIONS: `--require ${probe}`, FORMATTERS_FILE: formatters };
      const plain = await runCli(['status'], { ...env, ...options, TZ: tz });
      const json = await runCli(['status', '--json'], { ...env, ...options, TZ: tz });
      const expiresAt = new Date(parseReport(json.stdout).password.expiresAt ?? NaN);
      const shown = /on (\w{3} \d{1,2} \w{3} \d{4} at \d{2}:\d{2}) \(/.exec(plain.stdout)?.[1];
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-GB', {
          timeZone: tz,
          weekday: 'short',
          day: 'numeric',
          month: 'short',
          year: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        })
          .formatToParts(expiresAt)
          .map((part) => [part.type, part.value]),
      );
      const month = parts.month === 'Sept' ? 'Sep' : parts.month;
      assert.equal(
        shown,
        `${parts.weekday} ${parts.day} ${month} ${parts.year} at ${parts.hour}:${parts.minute}`,
        `${tz}: ${plain.stdout}`,
      );
      return Number(await readFile(formatters, 'utf8'));
    };
    // A canonical zone (from TZ here; from the /etc/localtime link when TZ is unset).
    assert.equal(await run('Pacific/Chatham'), 0);
    assert.equal(await run('America/St_Johns'), 0);
    // A name the runtime knows under another (Asia/Calcutta): Intl reads it.
    assert.ok((await run('Asia/Kolkata')) > 0);
  });

  test('a busy or broken service is exit 5 with a clear message', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    setup.tenant.setFault('graph-me', {
      kind: 'status',
      status: 503,
      retryAfterSeconds: 600,
      times: 1,
    });
    const busy = await runCli(['status', '--json'], env);
    assert.equal(busy.code, 5);
    assert.equal(parseReport(busy.stdout).error?.kind, 'service');
    setup.tenant.setFault('graph-me', { kind: 'malformed-json', times: 1 });
    const malformed = await runCli(['status'], env);
    assert.equal(malformed.code, 5);
    assert.doesNotMatch(malformed.stdout + malformed.stderr, /\n\s+at /, 'no stack trace');
  });

  test('no reachable keyring: status says so (exit 3) and never falls back to a plain file', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    const broken = { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
    const status = await runCli(['status', '--json'], broken);
    assert.equal(status.code, 3, status.stderr);
    assert.equal(parseReport(status.stdout).error?.kind, 'keyring-unavailable');
    const signIn = await cliSignIn(
      setup,
      broken,
      setup.tenant.account('expires-in-1-day').username,
    );
    assert.equal(signIn.code, 3);
    assert.match(signIn.stdout, /secure storage is not available/);
  });

  test('sign-out, then status asks for a sign-in (exit 3)', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-20-days').username);
    const out = await runCli(['sign-out'], env);
    assert.equal(out.code, 0);
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 3);
    assert.equal(parseReport(status.stdout).account, null);
  });

  test('a clean status leaves the log alone; a run with something to report writes its settings first', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    const logFile = join(env.SIGNIN_ASSISTANT_HOME ?? '', 'logs', 'cli.log');
    const logged = () => readFile(logFile, 'utf8').catch(() => '');
    const before = await logged();
    assert.equal((await runCli(['status', '--json'], env)).code, 1);
    assert.equal(await logged(), before, 'nothing to report, nothing written');
    setup.tenant.setFault('graph-me', {
      kind: 'status',
      status: 503,
      retryAfterSeconds: 600,
      times: 1,
    });
    assert.equal((await runCli(['status', '--json'], env)).code, 5);
    const lines = (await logged()).slice(before.length).trim().split('\n');
    const settings = lines.filter((line) => / Setting \w+ \{/.test(line));
    assert.equal(settings.length, CONFIG_KEYS.length, 'every effective setting, once');
    const failure = lines.findIndex((line) => line.includes('Sign-in or check failed'));
    assert.ok(failure > lines.indexOf(settings.at(-1) ?? ''), 'after the settings');
  });

  test('the first status run keeps a code cache, later runs start from it; a damaged one is replaced', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    const dir = join(env.SIGNIN_ASSISTANT_HOME ?? '', 'command-cache');
    const caches = () => readdir(dir).catch(() => [] as string[]);
    assert.deepEqual(await caches(), [], 'a sign-in does not make it');
    assert.equal((await runCli(['status', '--json'], env)).code, 1);
    const [name, ...others] = await caches();
    assert.ok(name && /^command-[0-9a-f]{32}\.cache$/.test(name), String(name));
    assert.deepEqual(others, []);
    const file = join(dir, name);
    const made = await stat(file, { bigint: true });
    const again = await runCli(['status', '--json'], env);
    assert.equal(again.code, 1, again.stderr);
    assert.equal(parseReport(again.stdout).password.daysLeft, 10);
    assert.equal((await stat(file, { bigint: true })).ino, made.ino, 'used, not rewritten');
    await writeFile(file, 'not a code cache');
    const damaged = await runCli(['status', '--json'], env);
    assert.equal(damaged.code, 1, damaged.stderr);
    assert.equal(parseReport(damaged.stdout).password.state, 'expiring');
    assert.notEqual(await readFile(file, 'utf8'), 'not a code cache', 'replaced');
    await rm(file);
    await symlink(join(dir, 'elsewhere'), file);
    assert.equal((await runCli(['status', '--json'], env)).code, 1);
    assert.equal((await lstat(file)).isSymbolicLink(), false, 'a link is replaced, not followed');
    // A cache others could have written is not used (and is replaced by the user's own).
    await chmod(file, 0o666);
    assert.equal((await runCli(['status', '--json'], env)).code, 1);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    // From the cache, what loads at first use still loads (here the proxy client).
    const down = await closedPortUrl();
    const viaProxy = await runCli(['status', '--json'], {
      ...env,
      HTTPS_PROXY: down,
      SIGNIN_ASSISTANT_LOG_LEVEL: 'debug',
    });
    assert.equal(viaProxy.code, 5, viaProxy.stderr);
    const log = await readFile(join(env.SIGNIN_ASSISTANT_HOME ?? '', 'logs', 'cli.log'), 'utf8');
    assert.match(log, /ECONNREFUSED/);
    assert.doesNotMatch(log + viaProxy.stderr, /dynamic import|ExperimentalWarning/);
  });

  test('finalDays: status --json plans the next reminder N hours after the last one; a slot another process holds is not due', async () => {
    const env = await cliEnv(setup);
    const home = env.SIGNIN_ASSISTANT_HOME ?? '';
    await cliSignIn(setup, env, setup.tenant.account('expires-in-1-day').username);
    const first = parseReport((await runCli(['status', '--json'], env)).stdout);
    assert.equal(first.reminder.due, true);
    const now = Date.now();
    const today = new Date(now);
    const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
    const shownAt = new Date(Math.max(now - 3_600_000, midnight));
    const record = {
      shownAt: shownAt.toISOString(),
      passwordLastChanged: first.password.lastChanged,
    };
    await writeFile(join(home, 'reminder.json'), JSON.stringify(record));
    const daily = parseReport((await runCli(['status', '--json'], env)).stdout);
    assert.deepEqual(daily.reminder, {
      due: false,
      nextAt: new Date(midnight + 86_400_000).toISOString(),
    });
    const configFile = env.SIGNIN_ASSISTANT_CONFIG ?? '';
    const settings = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(
      configFile,
      JSON.stringify({ ...settings, finalDays: 2, finalDaysEveryHours: 4 }),
    );
    const firmer = parseReport((await runCli(['status', '--json'], env)).stdout);
    assert.deepEqual(firmer.reminder, {
      due: false,
      nextAt: new Date(shownAt.getTime() + 4 * 3_600_000).toISOString(),
    });
    // Another process holds this four-hour part of the day (named by its first hour, UTC here).
    await rm(join(home, 'reminder.json'));
    const fromHour = Math.floor(new Date().getUTCHours() / 4) * 4;
    const day = new Date().toISOString().slice(0, 10);
    const claim = {
      pid: 1,
      host: 'elsewhere',
      claimedAt: new Date().toISOString(),
      state: 'showing',
    };
    await writeFile(
      join(home, `reminder-${day}-${String(fromHour).padStart(2, '0')}.claim`),
      JSON.stringify(claim),
    );
    const held = parseReport((await runCli(['status', '--json'], env)).stdout);
    assert.deepEqual(held.reminder, {
      due: false,
      nextAt: new Date(midnight + (fromHour + 4) * 3_600_000).toISOString(),
    });
  });

  test('--notify without a notification service says so and keeps the reminder due', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    const notify = await runCli(['status', '--notify'], { ...env, PATH: '/nonexistent' });
    assert.equal(notify.code, 1);
    assert.match(notify.stderr, /Could not show a desktop notification/);
    const after = parseReport((await runCli(['status', '--json'], env)).stdout);
    assert.equal(after.reminder.due, true);
  });
});

describe('diagnostics for IT', () => {
  test('after a check: settings with sources, versions, the last result and logs, and no tokens', async () => {
    const setup = await setUp();
    try {
      const env = await cliEnv(setup);
      await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
      // A check with something to log (Graph busy once), then a clean one.
      setup.tenant.setFault('graph-me', {
        kind: 'status',
        status: 503,
        retryAfterSeconds: 600,
        times: 1,
      });
      await runCli(['status'], env);
      await runCli(['status'], env);
      const out = join(env.SIGNIN_ASSISTANT_HOME ?? '', 'diag.zip');
      const result = await runCli(['diagnostics', '--out', out], env);
      assert.equal(result.code, 0, result.stderr);
      const zip = await readZip(out);
      const config = JSON.parse(zip.get('configuration.json') ?? '{}') as Record<string, unknown>;
      assert.match(JSON.stringify(config), /tenantId/);
      const last = JSON.parse(zip.get('last-check.json') ?? '{}') as {
        password?: { state?: string };
      };
      assert.equal(last.password?.state, 'expiring');
      const log = zip.get('logs/cli.log') ?? '';
      assert.match(log, /Setting tenantId .*"source":/, 'the settings that run used');
      assert.match(log, /Sign-in or check failed/);
      const everything = [...zip.values()].join('\n');
      assert.doesNotMatch(everything, /eyJ[\w-]+\.[\w-]+\./, 'no JWT anywhere');
      assert.doesNotMatch(everything, /refresh_token=|"secret"|Bearer [\w-]{20,}/);
    } finally {
      await setup.close();
    }
  });

  test('a broken configuration still gives diagnostics that say what is wrong', async () => {
    const home = await tempHome();
    const file = join(home, 'bad.json');
    await writeFile(file, '{ "passwordValidityDays": "ninety" }');
    const out = join(home, 'diag.zip');
    const result = await runCli(['diagnostics', '--out', out, '--config', file], {
      SIGNIN_ASSISTANT_HOME: home,
    });
    assert.equal(result.code, 0, result.stderr);
    const zip = await readZip(out);
    assert.match([...zip.values()].join('\n'), /passwordValidityDays/);
  });
});

describe('refresh failures through the command', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp({ tokenLifetimeSeconds: 60 });
  });
  after(() => setup.close());

  test('expired on refresh (AADSTS50055) is exit 2 with the reset page', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('expires-in-1-day').username);
    setup.clock.advanceDays(2);
    try {
      const result = await runCli(['status', '--json'], env);
      assert.equal(result.code, 2, result.stderr);
      const report = parseReport(result.stdout);
      assert.equal(report.password.state, 'expired');
      assert.equal(report.error?.kind, 'password-expired');
      assert.equal(report.error?.aadsts, 50055);
      assert.equal(report.changePasswordUrl, 'https://aka.ms/sspr');
    } finally {
      setup.clock.advanceDays(-2);
    }
  });

  test('changed elsewhere (AADSTS50133) is exit 3: sign in again', async () => {
    const env = await cliEnv(setup);
    await cliSignIn(setup, env, setup.tenant.account('changed-elsewhere').username);
    const result = await runCli(['status', '--json'], env);
    assert.equal(result.code, 3);
    const report = parseReport(result.stdout);
    assert.equal(report.error?.kind, 'password-changed');
    assert.equal(report.error?.aadsts, 50133);
  });
});

describe('configuration and usage errors', () => {
  test('a bad value: one message naming key, value and what is allowed; exit 4; no stack', async () => {
    const home = await tempHome();
    const file = join(home, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        tenantId: 'contoso.com',
        clientId: '11111111-2222-3333-4444-555555555555',
        balloonSeconds: 0,
      }),
    );
    for (const args of [
      ['status', '--config', file],
      ['--config', file, 'status'],
    ]) {
      const result = await runCli(args, { SIGNIN_ASSISTANT_HOME: home });
      assert.equal(result.code, 4);
      assert.match(result.stderr, /"balloonSeconds" is 0; allowed: a whole number from 1 to 60/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });

  test('no settings at all, an unknown command and an unknown option are exit 4', async () => {
    const home = await tempHome();
    const none = await runCli(['status'], {
      SIGNIN_ASSISTANT_HOME: home,
      SIGNIN_ASSISTANT_CONFIG: '',
    });
    assert.equal(none.code, 4);
    assert.match(none.stderr, /"tenantId" is missing/);
    assert.equal((await runCli(['frobnicate'], { SIGNIN_ASSISTANT_HOME: home })).code, 4);
    assert.equal((await runCli(['status', '--jsn'], { SIGNIN_ASSISTANT_HOME: home })).code, 4);
  });
});

describe('behind a corporate proxy (HTTPS_PROXY, NO_PROXY)', () => {
  let setup: Setup;
  let proxy: ConnectProxy;
  before(async () => {
    setup = await setUp();
    proxy = await startConnectProxy();
  });
  after(async () => {
    await proxy.close();
    await setup.close();
  });
  const tenantHost = () => new URL(setup.tenant.origin).host;

  test('a device-code sign-in and a check go through the proxy', async () => {
    const env = { ...(await cliEnv(setup)), HTTPS_PROXY: proxy.url, NO_PROXY: '' };
    proxy.connects.length = 0;
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
    assert.ok(proxy.connects.length >= 1, 'the sign-in tunnelled through the proxy');
    assert.ok(proxy.connects.every((target) => target === tenantHost()));

    proxy.connects.length = 0;
    setup.tenant.resetRequestLog();
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 1, status.stderr);
    assert.equal(parseReport(status.stdout).password.state, 'expiring');
    assert.equal(setup.tenant.requests.length, 1, 'one Graph request');
    assert.deepEqual(proxy.connects, [tenantHost()], 'and it went through the proxy');
  });

  test('hosts in NO_PROXY are reached directly', async () => {
    const env = { ...(await cliEnv(setup)), HTTPS_PROXY: proxy.url, NO_PROXY: 'localhost' };
    proxy.connects.length = 0;
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-20-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.deepEqual(proxy.connects, []);
  });

  test('a proxy that is down is a network error: exit 5 and the network message', async () => {
    const env = await cliEnv(setup);
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
    const down = await closedPortUrl();
    const status = await runCli(['status', '--json'], {
      ...env,
      HTTPS_PROXY: down,
      SIGNIN_ASSISTANT_LOG_LEVEL: 'debug',
    });
    assert.equal(status.code, 5, status.stderr);
    const report = parseReport(status.stdout);
    assert.equal(report.error?.kind, 'network');
    // The token is still valid, so the first request that fails is the one to Microsoft Graph.
    assert.equal(report.error?.message, messages.errors.graphNetwork);
    const logsDir = join(env.SIGNIN_ASSISTANT_HOME ?? '', 'logs');
    const logs = await Promise.all(
      (await readdir(logsDir)).map((name) => readFile(join(logsDir, name), 'utf8')),
    );
    assert.match(logs.join('\n'), new RegExp(`proxy ${down.replace(/\./g, '\\.')}`));
  });
});
