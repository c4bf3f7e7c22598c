/**
 * The Windows directory reader (SSPI through koffi, the shared LDAP client, the Windows DC
 * locator with the DNS SRV fallback) under the real Windows node.exe (Wine), against the Samba AD
 * DC of the directory tests (signing required), for the cases test/directory covers on Linux.
 *
 * Wine's Kerberos package is the MIT library, which reads KRB5_CONFIG and KRB5CCNAME from the
 * Unix environment node.exe was started with (a child process started from Windows inherits the
 * same), so the tests cannot name a cache per user: node.exe is started with
 * KRB5_CONFIG=<DC folder>/krb5.conf and KRB5CCNAME=FILE:<a cache file of these tests>, and each
 * read puts the user's tickets into that file first (the library opens it at every read). A cache
 * file that was there before is put back at the end.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { posix } from 'node:path';
import type { DirectoryReadRequest, DirectoryReadResult } from '../../../src/core/directory';
import { createDirectorySource } from '../../../src/main/onprem';
import { DirectoryReadError } from '../../../src/main/onprem/readFailure';
import { platformPorts, runDirectoryRead } from '../../../src/main/onprem/readJob';
import { windowsDcLocator } from '../../../src/main/onprem/windows/dcLocator';

/** The test domain, as scripts/directory-dc.sh provisions it. */
const DC = {
  realm: 'CORP.EXAMPLE.TEST',
  domain: 'corp.example.test',
  host: 'dc1.corp.example.test',
  dnsServer: '127.0.0.1:10053',
  unreachableDomain: 'hole.corp.example.test',
  noSrvDomain: 'nosrv.corp.example.test',
} as const;

const DAY = 864_000_000_000n;
const MINUTE = 600_000_000n;
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const NEVER = 9_223_372_036_854_775_807n;
const UF_DONT_EXPIRE_PASSWD = 0x10000;
const UF_PASSWORD_EXPIRED = 0x800000;

/** The DC's state folder, a Unix path (the Kerberos library behind Wine's SSPI is a Unix one). */
const stateDir = process.env.SIGNIN_ASSISTANT_TEST_DC_DIR ?? '';
/** The cache file every read uses: KRB5CCNAME without its FILE: prefix. */
const slot = /^(?:FILE:)?(\/.+)$/.exec(process.env.KRB5CCNAME ?? '')?.[1] ?? '';

function unavailable(): string | null {
  if (process.platform !== 'win32') return 'runs under the Windows node.exe only';
  if (!stateDir) return 'no shared test DC (SIGNIN_ASSISTANT_TEST_DC_DIR is not set)';
  const krb5Config = posix.join(stateDir, 'krb5.conf');
  if (!existsSync(krb5Config)) return `no DC state in ${stateDir}`;
  if (process.env.KRB5_CONFIG !== krb5Config) {
    return `node.exe was not started with KRB5_CONFIG=${krb5Config}`;
  }
  if (!slot) return 'node.exe was not started with KRB5CCNAME=FILE:<a cache file for these tests>';
  return null;
}
const skip = unavailable();
const needsDc = { skip: skip ?? false };

function filetimeNow(): bigint {
  return BigInt(Date.now()) * 10_000n + FILETIME_UNIX_EPOCH;
}

interface Timed {
  result: DirectoryReadResult;
  ms: number;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** One source, so one worker thread, as in the app; the logon domain from USERDNSDOMAIN. */
const source = createDirectorySource({
  platform: process.platform,
  env: { USERDNSDOMAIN: DC.realm },
  logger: quiet,
  dnsServers: [DC.dnsServer],
});

/** Puts `user`'s tickets into the cache the process uses (null: no cache at all). */
function ticketsOf(user: string | null): void {
  if (user) copyFileSync(posix.join(stateDir, `ccache.${user}`), slot);
  else rmSync(slot, { force: true });
}

async function readAs(user: string | null, request: DirectoryReadRequest): Promise<Timed> {
  ticketsOf(user);
  const started = performance.now();
  const result = await source.read(request);
  return { result, ms: Math.round(performance.now() - started) };
}

function failureOf(timed: Timed) {
  assert.ok(!timed.result.ok, `expected a failure: ${JSON.stringify(timed)}`);
  return timed.result.failure;
}

async function entryOf(user: string) {
  const timed = await readAs(user, own);
  assert.ok(timed.result.ok, JSON.stringify(timed));
  return timed.result.reading.entry;
}

const own: DirectoryReadRequest = { domain: null, servers: [] };

describe('the Windows directory reader (SSPI) against a Samba AD DC', () => {
  let saved: Buffer | null = null;
  before(() => {
    if (!skip && existsSync(slot)) saved = readFileSync(slot);
  });
  after(() => {
    if (skip) return;
    if (saved) writeFileSync(slot, saved);
    else rmSync(slot, { force: true });
  });

  test('runs under the Windows node.exe', () => {
    assert.equal(process.platform, 'win32');
  });

  test(
    'default domain policy: read with a signed bind, the DC from the fallback SRV lookup',
    needsDc,
    async (t) => {
      const first = await readAs('alice', own);
      const steady = await readAs('alice', own);
      t.diagnostic(
        `first read ${first.ms} ms (worker start, service ticket), then ${steady.ms} ms`,
      );
      assert.ok(first.result.ok, JSON.stringify(first));
      const { reading } = first.result;
      assert.equal(reading.domain, DC.domain, 'USERDNSDOMAIN, in its DNS spelling');
      assert.equal(reading.server, DC.host, 'the DC from the SRV record');
      assert.equal(reading.entry.samAccountName, 'alice');
      assert.equal(reading.entry.userPrincipalName, `alice@${DC.domain}`);
      assert.equal(reading.entry.dn, 'CN=alice,CN=Users,DC=corp,DC=example,DC=test');
      const lastSet = BigInt(reading.entry.pwdLastSet ?? 'missing');
      assert.equal(BigInt(reading.entry.passwordExpiryTimeComputed ?? '0'), lastSet + 90n * DAY);
      const age = filetimeNow() - lastSet;
      assert.ok(age >= 60n * DAY && age < 60n * DAY + 30n * MINUTE, `age ${age / MINUTE} min`);
      assert.equal(reading.entry.maxPwdAge, String(-90n * DAY));
      assert.equal((reading.entry.userAccountControl ?? 0) & UF_DONT_EXPIRE_PASSWD, 0);
      assert.equal(reading.entry.resultantPso, null);
      assert.ok(steady.result.ok, JSON.stringify(steady));
    },
  );

  test(
    'a configured domain in upper case: the same DNS spelling in the result',
    needsDc,
    async () => {
      const { result } = await readAs('alice', { domain: DC.realm, servers: [] });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.reading.domain, DC.domain);
      assert.equal(result.reading.entry.samAccountName, 'alice');
    },
  );

  test('never expires: the maximum FILETIME and DONT_EXPIRE_PASSWD', needsDc, async () => {
    const entry = await entryOf('bob');
    assert.equal(entry.samAccountName, 'bob');
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
    const expiry = BigInt(entry.passwordExpiryTimeComputed ?? 'missing');
    assert.equal(expiry, BigInt(entry.pwdLastSet ?? 'missing') + 90n * DAY);
    const overdue = filetimeNow() - expiry;
    assert.ok(overdue >= 10n * DAY && overdue < 10n * DAY + 30n * MINUTE, `${overdue / DAY} d`);
    assert.equal(
      (entry.userAccountControlComputed ?? 0) & UF_PASSWORD_EXPIRED,
      UF_PASSWORD_EXPIRED,
    );
  });

  test(
    'expired, with only the logon ticket: the KDC refuses a service ticket',
    needsDc,
    async (t) => {
      const failure = failureOf(await readAs('erin-tgt', own));
      // Windows names the KDC's answer; Wine's package maps every library failure to one status.
      t.diagnostic(failure.detail);
      assert.notEqual(failure.kind, 'protocol', failure.detail);
      assert.match(failure.detail, /^InitializeSecurityContextW: /);
      assert.equal(failure.server, DC.host);
    },
  );

  test('a bind without a signing layer is refused by the DC', needsDc, async () => {
    const unsigned = createDirectorySource({
      platform: process.platform,
      env: { USERDNSDOMAIN: DC.realm },
      logger: quiet,
      dnsServers: [DC.dnsServer],
      securityLayer: 'none',
    });
    ticketsOf('alice');
    const failure = failureOf({ result: await unsigned.read(own), ms: 0 });
    assert.equal(failure.kind, 'refused', failure.detail);
    assert.match(failure.detail, /result 8/);
  });

  test('no ticket: no-credentials when the domain is known', needsDc, async (t) => {
    const timed = await readAs(null, own);
    t.diagnostic(`no ticket: ${timed.ms} ms`);
    const failure = failureOf(timed);
    assert.equal(failure.kind, 'no-credentials', failure.detail);
    assert.equal(failure.server, DC.host);
  });

  test('no logon domain and none configured: not-configured', needsDc, async () => {
    const bare = createDirectorySource({ platform: process.platform, env: {}, logger: quiet });
    const failure = failureOf({ result: await bare.read(own), ms: 0 });
    assert.equal(failure.kind, 'not-configured');
    assert.match(failure.detail, /USERDNSDOMAIN/);
  });

  test(
    'a DC that refuses the connection: unreachable; a domain without SRV: no-server',
    needsDc,
    async (t) => {
      const hole = await readAs('alice', { domain: DC.unreachableDomain, servers: [] });
      t.diagnostic(`unreachable DC: ${hole.ms} ms`);
      const unreachable = failureOf(hole);
      assert.equal(unreachable.kind, 'unreachable', unreachable.detail);
      assert.equal(unreachable.server, `hole.${DC.domain}`);
      const missing = failureOf(await readAs('alice', { domain: DC.noSrvDomain, servers: [] }));
      assert.equal(missing.kind, 'no-server', missing.detail);
      assert.match(missing.detail, /_ldap\._tcp\.dc\._msdcs\.nosrv/);
    },
  );

  test(
    'a DC that accepts and never answers: unreachable after the operation timeout',
    needsDc,
    async (t) => {
      // The located DC's name is dc1 (its service ticket is real) but its address a silent port.
      const silent = net.createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as net.AddressInfo;
      const locator = { locate: () => ({ host: DC.host, address: '127.0.0.1', port }) };
      ticketsOf('alice');
      try {
        const started = performance.now();
        const result = await runDirectoryRead(
          {
            platform: 'win32',
            request: own,
            userDnsDomain: DC.realm,
            dnsServers: [DC.dnsServer],
            connectTimeoutMs: 1500,
            operationTimeoutMs: 2000,
            budgetMs: 6000,
            securityLayer: 'integrity',
          },
          { ...platformPorts('win32'), locator },
        );
        t.diagnostic(`silent DC: ${Math.round(performance.now() - started)} ms`);
        const failure = failureOf({ result, ms: 0 });
        assert.equal(failure.kind, 'unreachable', failure.detail);
        assert.match(failure.detail, /did not answer within 2000 ms/);
        assert.equal(failure.server, DC.host);
      } finally {
        silent.close();
      }
    },
  );

  test(
    "the system's DC locator, called for real: a DC or a reason, never a crash",
    needsDc,
    (t) => {
      try {
        const located = windowsDcLocator.locate(DC.domain);
        t.diagnostic(`DsGetDcNameW: ${JSON.stringify(located)}`);
        assert.match(located.host, /\./);
      } catch (error) {
        assert.ok(error instanceof DirectoryReadError, String(error));
        assert.equal(error.kind, 'no-server');
        assert.match(error.message, /DC locator found no domain controller of corp\.example\.test/);
        t.diagnostic(error.message);
      }
    },
  );
});
