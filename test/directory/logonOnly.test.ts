/**
 * Reminders from the domain logon alone: the built command with only a Kerberos ticket (no cloud
 * sign-in at all) against a real Samba AD DC on loopback, and the demo tenant for the later cloud
 * sign-in. As in hybridCommand.test.ts the DC is named in a private mount namespace's /etc/hosts
 * (`unshare -m`), so the command finds it the product's way (`onPremisesServers`). Skips, saying
 * why, where the DC or the namespace cannot be had.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DC,
  directoryDcUnavailable,
  startDirectoryDc,
  type DcUser,
  type DirectoryDc,
} from '../support/directoryDc';
import { CLI, setUp, tempHome, type CliResult, type Setup } from '../support/engineHarness';

const DAY = 24 * 60 * 60 * 1000;

function namespaceUnavailable(): string | null {
  const made = spawnSync('unshare', ['-m', 'true'], { encoding: 'utf8' });
  if (made.error) return `unshare cannot run: ${made.error.message}`;
  return made.status === 0 ? null : `no private mount namespace here (${made.stderr.trim()})`;
}

const skip =
  directoryDcUnavailable() ??
  namespaceUnavailable() ??
  (existsSync(CLI) ? null : `${CLI} is missing: npm run build first`);
const needsDc = { skip: skip ?? false };

interface Report {
  account: { username: string; tenantId: string | null } | null;
  password: { state: string; source: string; reason: string | null; expiresAt: string | null };
  error: { kind: string } | null;
  directory: { domain: string; server: string; cached: boolean } | null;
}

describe('the built command with only a Kerberos ticket, against a Samba AD DC', () => {
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

  /** A data folder, a settings file naming the DC, and the hosts file that resolves it. */
  async function computer(logon: DcUser | null) {
    const home = await tempHome();
    const configFile = join(home, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({ ...setup.settings, onPremisesServers: [DC.host] }),
    );
    const hosts = join(home, 'hosts');
    await writeFile(
      hosts,
      `${readFileSync('/etc/hosts', 'utf8').trimEnd()}\n127.0.0.1\t${DC.host}\n`,
    );
    const env: NodeJS.ProcessEnv = {
      SIGNIN_ASSISTANT_HOME: home,
      SIGNIN_ASSISTANT_CONFIG: configFile,
      TZ: 'UTC',
      KRB5_CONFIG: dc.krb5Config,
      KRB5CCNAME: logon ? dc.ccache(logon) : `FILE:${join(home, 'no-ticket')}`,
    };
    return { env, hosts };
  }

  /** The built command in the namespace; approves a device code it prints for `approveAs`. */
  function command(
    args: string[],
    where: { env: NodeJS.ProcessEnv; hosts: string },
    approveAs?: string,
  ): Promise<CliResult> {
    const script = 'mount --bind "$0" /etc/hosts && exec "$@"';
    const argv = ['-m', 'sh', '-c', script, where.hosts, process.execPath, CLI, ...args];
    return new Promise((resolve, reject) => {
      const child = spawn('unshare', argv, { env: { ...process.env, ...where.env } });
      let stdout = '';
      let stderr = '';
      let approved = false;
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const code = /enter the code (\S+)/.exec(stderr)?.[1];
        if (code && approveAs && !approved) {
          approved = true;
          setup.tenant.approveDeviceCode(code, approveAs);
        }
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function status(logon: DcUser | null): Promise<{ code: number | null; report: Report }> {
    const result = await command(['status', '--json'], await computer(logon));
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  }

  test('expiring, expired and never: the AD date with its usual exit code', needsDc, async () => {
    await dc.setLastChange('grace', new Date(Math.floor(Date.now() / 1000) * 1000 - 80 * DAY));
    const expiring = await status('grace');
    assert.equal(expiring.report.error, null, JSON.stringify(expiring.report));
    assert.ok(
      ['grace@corp.example.test', 'CORP\\grace'].includes(expiring.report.account?.username ?? ''),
      expiring.report.account?.username,
    );
    assert.equal(expiring.report.account?.tenantId, null);
    assert.equal(expiring.report.password.source, 'directory');
    assert.equal(expiring.report.password.state, 'expiring');
    assert.equal(expiring.report.directory?.server, DC.host);
    assert.equal(expiring.report.directory?.domain, DC.domain, 'one spelling: lower case');
    assert.equal(expiring.code, 1);

    const expired = await status('erin');
    assert.equal(expired.report.password.state, 'expired', JSON.stringify(expired.report));
    assert.equal(expired.report.password.source, 'directory');
    assert.equal(expired.code, 2);

    const never = await status('bob');
    assert.equal(never.report.password.state, 'never', JSON.stringify(never.report));
    assert.equal(never.report.account?.tenantId, null);
    assert.equal(never.code, 0);
  });

  test('no ticket and no account: exit 3, not signed in', needsDc, async () => {
    const none = await status(null);
    assert.equal(none.code, 3);
    assert.equal(none.report.account, null);
    assert.equal(none.report.error?.kind, 'sign-in-required');
  });

  test(
    'a ticket for another user than the later cloud sign-in: the shared-computer rule holds',
    needsDc,
    async () => {
      await dc.setLastChange('grace', new Date(Math.floor(Date.now() / 1000) * 1000 - 80 * DAY));
      const where = await computer('grace');
      const before = await command(['status', '--json'], where);
      assert.equal((JSON.parse(before.stdout) as Report).password.source, 'directory');
      // The synced cloud account's on-premises names are another DC user's, not grace's.
      const username = setup.tenant.account('synced-on-premises').username;
      setup.tenant.setOnPremisesNames(username, {
        userPrincipalName: `carol@${DC.domain}`,
        samAccountName: 'carol',
      });
      const signIn = await command(['sign-in', '--device-code'], where, username);
      assert.equal(signIn.code, 0, signIn.stderr);
      const after = await command(['status', '--json'], where);
      const report = JSON.parse(after.stdout) as Report;
      assert.equal(report.account?.username, username);
      assert.notEqual(report.account?.tenantId, null);
      assert.notEqual(report.password.source, 'directory', "grace's date is not the cloud user's");
      assert.equal(report.password.reason, 'the on-premises logon belongs to another user');
      assert.equal(report.directory, null);
      assert.equal(after.code, 0);
    },
  );
});
