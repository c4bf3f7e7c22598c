/**
 * Part of `npm run demo` (started by runDemo.ts as its own process, so it trusts the demo
 * certificate): the user synced from on-premises AD, with the engine running in this process
 * and a **demo directory stand-in** injected in place of the real AD reader. The stand-in is an
 * object implementing the DirectorySource port with seeded entries; the shipped command and tray
 * app never read fake directory data.
 *
 * Environment: SIGNIN_ASSISTANT_CONFIG (the demo settings), SIGNIN_ASSISTANT_HOME (a fresh data
 * folder), SIGNIN_ASSISTANT_DEMO_ADMIN (the tenant's /_demo URL), SIGNIN_ASSISTANT_DEMO_USER.
 */
import { readFileSync } from 'node:fs';
import type { DirectoryEntry, DirectoryReadResult } from '../core/directory';
import { resolveConfig } from '../core/config';
import type { DirectorySource, Logger } from '../core/ports';
import type { StatusReport } from '../core/model';
import { describeStatus } from '../core/statusReport';
import { createEngine } from '../main/engine';

const DAY = 24 * 60 * 60 * 1000;
const fileTime = (at: Date) => ((BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n).toString();

/** Seeded AD entries for the demo: a 42-day maximum age, changed on-premises when told to. */
class DemoDirectoryStandIn implements DirectorySource {
  reachable = true;
  private lastSet: Date;

  constructor(
    private readonly username: string,
    lastSet: Date,
  ) {
    this.lastSet = lastSet;
  }

  /** The user pressed Ctrl+Alt+Del, "Change a password", on a domain-joined PC. */
  changePassword(at: Date): void {
    this.lastSet = at;
  }

  read(): Promise<DirectoryReadResult> {
    if (!this.reachable) {
      return Promise.resolve({
        ok: false,
        failure: { kind: 'unreachable', detail: 'demo: off the network', server: null },
      });
    }
    const entry: DirectoryEntry = {
      dn: 'CN=Lynne Robbins,OU=Staff,DC=corp,DC=contoso,DC=com',
      userPrincipalName: this.username,
      samAccountName: 'lynne.robbins',
      passwordExpiryTimeComputed: fileTime(new Date(this.lastSet.getTime() + 42 * DAY)),
      pwdLastSet: fileTime(this.lastSet),
      userAccountControl: 0x200,
      userAccountControlComputed: 0,
      maxPwdAge: '-36288000000000',
      resultantPso: null,
    };
    return Promise.resolve({
      ok: true,
      reading: {
        entry,
        server: 'dc1.corp.contoso.com',
        domain: 'CORP.CONTOSO.COM',
        readAt: new Date(),
      },
    });
  }
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function admin(adminUrl: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${adminUrl}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`demo tenant ${path}: HTTP ${response.status}`);
}

function show(report: StatusReport, timeZone: string): void {
  console.log(`    ${describeStatus(report, timeZone)}`);
  const { source, expiresAt, daysLeft } = report.password;
  console.log(
    `    status --json: password.source "${source}", expiresAt ${expiresAt ?? 'null'}, daysLeft ${daysLeft ?? 'null'}, directory ${JSON.stringify(report.directory ?? null)}`,
  );
}

async function main(): Promise<void> {
  const configFile = required('SIGNIN_ASSISTANT_CONFIG');
  const adminUrl = required('SIGNIN_ASSISTANT_DEMO_ADMIN');
  const username = required('SIGNIN_ASSISTANT_DEMO_USER');
  const { config } = resolveConfig(
    [{ source: configFile, values: JSON.parse(readFileSync(configFile, 'utf8')) as unknown }],
    { requireTenant: true },
  );
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const standIn = new DemoDirectoryStandIn(username, new Date(Date.now() - 30 * DAY));
  const engine = await createEngine({
    config,
    home: required('SIGNIN_ASSISTANT_HOME'),
    timeZone,
    clock: { now: () => new Date() },
    logger: quiet,
    openBrowser: () => Promise.reject(new Error('the demo signs in with a device code')),
    broker: 'off',
    directory: standIn,
  });
  const signIn = () =>
    engine.signIn({
      onDeviceCode: (message) => {
        const code = /enter the code (\S+)/.exec(message)?.[1];
        if (code) void admin(adminUrl, 'device-codes/approve', { userCode: code, username });
      },
    });
  try {
    console.log('  Sign-in (device code), then the engine reads AD through the stand-in:');
    show(await signIn(), timeZone);

    console.log('\n  Lynne changes her password on-premises (Ctrl+Alt+Del on her office PC):');
    const changedAt = new Date();
    standIn.changePassword(changedAt);
    show(await engine.check(), timeZone);
    console.log('    (the tray app checks again in three minutes)');

    console.log('\n  Password hash sync brings the new password to Microsoft 365:');
    await admin(adminUrl, 'accounts/password', {
      username,
      when: new Date(changedAt.getTime() + 1000).toISOString(),
    });
    const synced = await engine.check();
    show(synced, timeZone);
    if (synced.error?.kind === 'password-changed') {
      // Microsoft 365 ends the old sessions once the new password arrives.
      console.log('\n  Lynne signs in again, with her new password:');
      show(await signIn(), timeZone);
    }

    console.log('\n  At home without VPN, the domain controller cannot be reached:');
    standIn.reachable = false;
    show(await engine.check(), timeZone);
  } finally {
    await engine.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(`Hybrid demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
