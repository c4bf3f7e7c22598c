/**
 * The on-premises directory reader against a real Samba AD domain controller on loopback: SASL
 * GSSAPI with signing, the user's ticket from a private credential cache, DC discovery through
 * the DC's own DNS. Skips, saying why, where the DC cannot run (not root, packages missing).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectoryReadRequest, DirectoryReadResult } from '../../src/core/directory';
import type { Logger } from '../../src/core/ports';
import { createDirectorySource, type DirectorySourceOptions } from '../../src/main/onprem';
import {
  DC,
  directoryDcUnavailable,
  startBlackHole,
  startDirectoryDc,
  type DcUser,
  type DirectoryDc,
} from '../support/directoryDc';

/** 100 ns ticks. */
const DAY = 864_000_000_000n;
const MINUTE = 600_000_000n;
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const NEVER = 9_223_372_036_854_775_807n;
const UF_DONT_EXPIRE_PASSWD = 0x10000;
const UF_PASSWORD_EXPIRED = 0x800000;

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const skip = directoryDcUnavailable();
/** Every test says it skipped, and why, where the DC cannot run. */
const needsDc = { skip: skip ?? false };

function filetimeNow(): bigint {
  return BigInt(Date.now()) * 10_000n + FILETIME_UNIX_EPOCH;
}

function source(extra: Partial<DirectorySourceOptions> = {}) {
  return createDirectorySource({
    platform: process.platform,
    env: process.env,
    logger: quiet,
    dnsServers: [DC.dnsServer],
    ...extra,
  });
}

describe('on-premises directory against a Samba AD DC', () => {
  let dc: DirectoryDc;
  /** One source, so one worker thread, for the reads with default options (as in the app). */
  const shared = source();

  /** Reads as `user` (the ticket cache the process's GSS-API sees), timed. */
  async function readAs(
    user: DcUser | null,
    request: DirectoryReadRequest = { domain: null, servers: [] },
    options: Partial<DirectorySourceOptions> = {},
  ): Promise<{ result: DirectoryReadResult; ms: number }> {
    process.env.KRB5CCNAME = user ? dc.ccache(user) : `FILE:${join(dc.stateDir, 'no-such-cache')}`;
    const started = performance.now();
    const reader = Object.keys(options).length > 0 ? source(options) : shared;
    const result = await reader.read(request);
    return { result, ms: Math.round(performance.now() - started) };
  }

  async function entryOf(user: DcUser) {
    const { result } = await readAs(user);
    assert.ok(result.ok, `read as ${user}: ${JSON.stringify(result)}`);
    return result.reading.entry;
  }

  before(
    async () => {
      if (skip) return;
      dc = await startDirectoryDc();
      process.env.KRB5_CONFIG = dc.krb5Config;
    },
    { timeout: 300_000 },
  );
  after(async () => {
    if (dc) console.log(`# ${await dc.stop()}`);
  });

  test(
    'default domain policy: expiry is the last change plus 90 days, read with a signed bind',
    needsDc,
    async (t) => {
      t.diagnostic(dc.log.replace(/\n/g, '; '));
      const first = await readAs('alice');
      const steady = await readAs('alice');
      t.diagnostic(`first read ${first.ms} ms (service ticket from the KDC), then ${steady.ms} ms`);
      assert.ok(first.result.ok, JSON.stringify(first.result));
      const { reading } = first.result;
      assert.equal(
        reading.domain,
        DC.domain,
        'the domain from the ticket realm, in its DNS spelling',
      );
      assert.equal(reading.server, DC.host, 'the DC comes from the SRV record');
      assert.equal(reading.entry.samAccountName, 'alice');
      assert.equal(reading.entry.userPrincipalName, `alice@${DC.domain}`);
      assert.equal(reading.entry.dn, 'CN=alice,CN=Users,DC=corp,DC=example,DC=test');
      const lastSet = BigInt(reading.entry.pwdLastSet ?? 'missing');
      const expiry = BigInt(reading.entry.passwordExpiryTimeComputed ?? 'missing');
      assert.equal(expiry, lastSet + 90n * DAY);
      const age = filetimeNow() - lastSet;
      assert.ok(age >= 60n * DAY && age < 60n * DAY + 30n * MINUTE, `age ${age / MINUTE} minutes`);
      assert.equal(reading.entry.maxPwdAge, String(-90n * DAY));
      assert.equal((reading.entry.userAccountControl ?? 0) & UF_DONT_EXPIRE_PASSWD, 0);
      assert.equal(reading.entry.userAccountControlComputed, 0);
      assert.equal(reading.entry.resultantPso, null);
      assert.ok(Math.abs(reading.readAt.getTime() - Date.now()) < 60_000);
    },
  );

  test('never expires: the maximum FILETIME and DONT_EXPIRE_PASSWD', needsDc, async () => {
    const entry = await entryOf('bob');
    assert.equal(BigInt(entry.passwordExpiryTimeComputed ?? '0'), NEVER);
    assert.equal((entry.userAccountControl ?? 0) & UF_DONT_EXPIRE_PASSWD, UF_DONT_EXPIRE_PASSWD);
  });

  test('fine-grained policy: 30 days, and the policy in force is named', needsDc, async () => {
    const entry = await entryOf('carol');
    const lastSet = BigInt(entry.pwdLastSet ?? 'missing');
    assert.equal(BigInt(entry.passwordExpiryTimeComputed ?? '0'), lastSet + 30n * DAY);
    assert.match(entry.resultantPso ?? '', /^CN=short-pso,CN=Password Settings Container,/);
    assert.equal(entry.maxPwdAge, String(-90n * DAY), 'the domain policy is read as well');
  });

  test('must change now: pwdLastSet 0, expiry 0, flagged expired', needsDc, async () => {
    const entry = await entryOf('dave');
    assert.equal(entry.pwdLastSet, '0');
    assert.equal(entry.passwordExpiryTimeComputed, '0');
    assert.equal(
      (entry.userAccountControlComputed ?? 0) & UF_PASSWORD_EXPIRED,
      UF_PASSWORD_EXPIRED,
    );
  });

  test('expired, with tickets still valid: the past expiry is read', needsDc, async () => {
    const entry = await entryOf('erin');
    const lastSet = BigInt(entry.pwdLastSet ?? 'missing');
    const expiry = BigInt(entry.passwordExpiryTimeComputed ?? 'missing');
    assert.equal(expiry, lastSet + 90n * DAY);
    const overdue = filetimeNow() - expiry;
    assert.ok(overdue >= 10n * DAY && overdue < 10n * DAY + 30n * MINUTE, `${overdue / DAY} days`);
    assert.equal(
      (entry.userAccountControlComputed ?? 0) & UF_PASSWORD_EXPIRED,
      UF_PASSWORD_EXPIRED,
    );
  });

  test(
    'expired, with only the logon ticket: the KDC refuses a service ticket',
    needsDc,
    async () => {
      const { result } = await readAs('erin-tgt');
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.failure.kind, 'password-expired');
      assert.match(!result.ok ? result.failure.detail : '', /expired/i);
      assert.equal(!result.ok && result.failure.server, DC.host);
    },
  );

  test('changed on-premises a moment ago: pwdLastSet is recent', needsDc, async () => {
    const entry = await entryOf('frank');
    const age = filetimeNow() - BigInt(entry.pwdLastSet ?? '0');
    assert.ok(age >= 0n && age < 30n * MINUTE, `changed ${age / MINUTE} minutes ago`);
    assert.equal(
      BigInt(entry.passwordExpiryTimeComputed ?? '0'),
      BigInt(entry.pwdLastSet ?? '0') + 90n * DAY,
    );
  });

  test('a configured domain is used as given', needsDc, async () => {
    const { result } = await readAs('alice', { domain: DC.domain, servers: [] });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.reading.domain, DC.domain);
    assert.equal(result.reading.entry.samAccountName, 'alice');
  });

  test(
    'no ticket: no-credentials when the domain is known, not-configured when not',
    needsDc,
    async (t) => {
      const known = await readAs(null, { domain: DC.domain, servers: [] });
      t.diagnostic(`no ticket: ${known.ms} ms`);
      assert.equal(known.result.ok, false);
      assert.equal(!known.result.ok && known.result.failure.kind, 'no-credentials');
      assert.equal(!known.result.ok && known.result.failure.server, DC.host);
      const unknown = await readAs(null);
      assert.equal(!unknown.result.ok && unknown.result.failure.kind, 'not-configured');
    },
  );

  test('no SRV record for the domain: no-server', needsDc, async () => {
    const { result } = await readAs('alice', { domain: DC.noSrvDomain, servers: [] });
    assert.equal(!result.ok && result.failure.kind, 'no-server');
    assert.match(!result.ok ? result.failure.detail : '', /_ldap\._tcp\.dc\._msdcs\.nosrv/);
  });

  test('a DC that never answers: unreachable after the connect timeout', needsDc, async (t) => {
    const hole = await startBlackHole(DC.blackHolePort);
    try {
      const { result, ms } = await readAs('alice', { domain: DC.unreachableDomain, servers: [] });
      t.diagnostic(`unreachable DC: ${ms} ms`);
      assert.equal(!result.ok && result.failure.kind, 'unreachable');
      assert.equal(!result.ok && result.failure.server, `hole.${DC.domain}`);
      assert.ok(ms >= 1500 && ms < 4000, `${ms} ms`);
    } finally {
      hole.close();
    }
  });

  test('a bind without a signing layer is refused by the DC', needsDc, async () => {
    const { result } = await readAs('alice', undefined, { securityLayer: 'none' });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.kind, 'refused');
    assert.match(!result.ok ? result.failure.detail : '', /result 8/);
  });

  test('a KDC that never answers: the hard deadline ends the read', needsDc, async (t) => {
    // The DC answers but the KDC is silent and no service ticket is cached: the GSS call blocks
    // in the worker (MIT retries for about 17 s) and cannot be cancelled.
    const silentKdc = join(dc.stateDir, 'krb5.silent-kdc.conf');
    writeFileSync(
      silentKdc,
      `[libdefaults]\n\tdefault_realm = ${DC.realm}\n\tdns_lookup_kdc = false\n\trdns = false\n\tdns_canonicalize_hostname = false\n[realms]\n\t${DC.realm} = {\n\t\tkdc = 127.0.0.1:${DC.blackHolePort + 1}\n\t}\n`,
    );
    process.env.KRB5_CONFIG = silentKdc;
    const udp = (await import('node:dgram')).createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(DC.blackHolePort + 1, '127.0.0.1', resolve));
    try {
      const { result, ms } = await readAs('erin-tgt', undefined, { budgetMs: 1500 });
      t.diagnostic(`silent KDC: ${ms} ms`);
      assert.equal(!result.ok && result.failure.kind, 'unreachable');
      assert.match(!result.ok ? result.failure.detail : '', /no answer within 3000 ms/);
      assert.ok(ms < 4500, `${ms} ms`);
    } finally {
      udp.close();
      process.env.KRB5_CONFIG = dc.krb5Config;
    }
  });
});
