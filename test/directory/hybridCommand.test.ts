/**
 * The built headless command for a user synced from on-premises AD, against the demo tenant and a
 * real Samba AD DC on loopback. The command finds domain controllers the product's way: here the
 * configured `onPremisesServers`, a name the operating system resolves. So it runs in a private
 * mount namespace (`unshare -m`) whose /etc/hosts, bind-mounted over the real one, names the DC
 * on 127.0.0.1: the machine's own files stay untouched and the product has no test-only way in.
 * Skips, saying why, where the DC or the namespace cannot be had.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DC,
  directoryDcUnavailable,
  startDirectoryDc,
  type DirectoryDc,
} from '../support/directoryDc';
import { CLI, setUp, tempHome, type CliResult, type Setup } from '../support/engineHarness';

const DAY = 24 * 60 * 60 * 1000;

/** Whether a private mount namespace can be made here (root, and a kernel that allows it). */
function namespaceUnavailable(): string | null {
  const made = spawnSync('unshare', ['-m', 'true'], { encoding: 'utf8' });
  if (made.error) return `unshare cannot run: ${made.error.message}`;
  return made.status === 0
    ? null
    : `no private mount namespace here (unshare -m: ${made.stderr.trim()})`;
}

/** Until the command passes the directory reader to the engine, there is nothing to test. */

const skip =
  directoryDcUnavailable() ??
  namespaceUnavailable() ??
  (existsSync(CLI) ? null : `${CLI} is missing: npm run build first`);
const needsDc = { skip: skip ?? false };

interface Report {
  password: { state: string; expiresAt: string | null; lastChanged: string | null; source: string };
  error: unknown;
  directory: {
    domain: string;
    server: string;
    readAt: string;
    cached: boolean;
    passwordSync: string | null;
  } | null;
}

describe('the built command for a synced user, against a Samba AD DC', () => {
  let dc: DirectoryDc;
  let setup: Setup;

  before(
    async () => {
      if (skip) return;
      dc = await startDirectoryDc();
      setup = await setUp();
    },
    { timeout: 300_000 },
  );
  after(async () => {
    await setup?.close();
    if (dc) console.log(`# ${await dc.stop()}`);
  });

  /**
   * Runs the built command; with `hosts`, inside a private mount namespace where that file is
   * /etc/hosts. Approves a device code it prints for `approveAs`.
   */
  function command(
    args: string[],
    env: NodeJS.ProcessEnv,
    options: { hosts?: string; approveAs?: string } = {},
  ): Promise<CliResult & { ms: number }> {
    // sh -c SCRIPT HOSTS node ...: $0 is the hosts file, "$@" the command.
    const [file, ...prefix]: [string, ...string[]] = options.hosts
      ? [
          'unshare',
          '-m',
          'sh',
          '-c',
          'mount --bind "$0" /etc/hosts && exec "$@"',
          options.hosts,
          process.execPath,
        ]
      : [process.execPath];
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawn(file, [...prefix, CLI, ...args], { env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      let approved = false;
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const code = /enter the code (\S+)/.exec(stderr)?.[1];
        if (code && options.approveAs && !approved) {
          approved = true;
          setup.tenant.approveDeviceCode(code, options.approveAs);
        }
      });
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({ code, stdout, stderr, ms: Math.round(performance.now() - started) }),
      );
    });
  }

  test(
    'status --json: the DC date with source directory, and the kept reading once the DC is gone',
    needsDc,
    async (t: TestContext) => {
      const username = setup.tenant.account('synced-on-premises').username;
      setup.tenant.setOnPremisesNames(username, {
        userPrincipalName: `grace@${DC.domain}`,
        samAccountName: 'grace',
      });
      const lastSet = new Date(Math.floor(Date.now() / 1000) * 1000 - 80 * DAY);
      await dc.setLastChange('grace', lastSet);
      setup.tenant.changePassword(username, new Date(lastSet.getTime() + 60_000));
      const expected = new Date(lastSet.getTime() + 90 * DAY).toISOString();

      const home = await tempHome();
      const configFile = join(home, 'config.json');
      await writeFile(
        configFile,
        JSON.stringify({ ...setup.settings, onPremisesServers: [DC.host] }),
      );
      // The machine's hosts file plus the DC, as the corporate DNS would name it.
      const hosts = join(home, 'hosts');
      await writeFile(
        hosts,
        `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n127.0.0.1\t${DC.host}\n`,
      );
      const env: NodeJS.ProcessEnv = {
        SIGNIN_ASSISTANT_HOME: home,
        SIGNIN_ASSISTANT_CONFIG: configFile,
        TZ: 'UTC',
        // The user's Kerberos logon, as the session has it.
        KRB5_CONFIG: dc.krb5Config,
        KRB5CCNAME: dc.ccache('grace'),
      };

      const signIn = await command(['sign-in', '--device-code'], env, {
        hosts,
        approveAs: username,
      });
      assert.equal(signIn.code, 0, signIn.stderr);

      const status = await command(['status', '--json'], env, { hosts });
      t.diagnostic(`status with the DC: ${status.ms} ms (a new process, exit ${status.code})`);
      const report = JSON.parse(status.stdout) as Report;
      assert.equal(report.error, null, status.stdout);
      assert.equal(report.password.source, 'directory');
      assert.equal(report.password.expiresAt, expected);
      assert.equal(report.password.lastChanged, lastSet.toISOString());
      assert.equal(report.password.state, 'expiring');
      assert.equal(status.code, 1, 'exit 1: expiring');
      assert.equal(report.directory?.server, DC.host);
      assert.equal(report.directory?.domain, DC.domain);
      assert.equal(report.directory?.cached, false);
      assert.equal(report.directory?.passwordSync, null);

      // Outside the namespace the name does not resolve: as off the corporate network.
      const offline = await command(['status', '--json'], env);
      t.diagnostic(`status without the DC: ${offline.ms} ms (exit ${offline.code})`);
      const kept = JSON.parse(offline.stdout) as Report;
      assert.equal(kept.error, null, offline.stdout);
      assert.equal(kept.password.source, 'directory');
      assert.equal(kept.password.expiresAt, expected);
      assert.equal(kept.directory?.cached, true);
      assert.equal(kept.directory?.readAt, report.directory?.readAt);
      assert.equal(offline.code, 1);
      assert.ok(offline.ms < 15_000, `${offline.ms} ms`);
    },
  );
});
