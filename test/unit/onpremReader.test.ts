/**
 * The pure parts of the on-premises directory reader: LDAP messages, the SASL layer answer, the
 * entry decoding, failure classification, SRV ordering, the Windows arguments; and the adapter's
 * behaviour without a domain controller (bad input, unsupported platform, a silent server).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { BerReader, BerWriter } from 'ldapts';
import type { Logger } from '../../src/core/ports';
import { createDirectorySource } from '../../src/main/onprem';
import { orderServiceRecords } from '../../src/main/onprem/discovery';
import { accountNameFrom, dnFromWhoAmI, ownEntryFrom } from '../../src/main/onprem/ownEntry';
import { classifyGssStatus } from '../../src/main/onprem/unix/gssapi';
import { LdapConnection } from '../../src/main/onprem/unix/ldapConnection';
import {
  completeElementLength,
  decodeResponse,
  encodeSaslBind,
  encodeSearch,
} from '../../src/main/onprem/unix/ldapMessages';
import { answerLayerOffer } from '../../src/main/onprem/unix/saslGssapi';
import {
  attributeList,
  initArguments,
  timevalFor,
  windowsFailureKind,
} from '../../src/main/onprem/windows/wldap32Values';
import { DirectoryReadError } from '../../src/main/onprem/readFailure';

function bindResponse(messageId: number, resultCode: number, creds: Buffer | null): Buffer {
  const w = new BerWriter();
  w.startSequence(0x30);
  w.writeInt(messageId);
  w.startSequence(0x61);
  w.writeEnumeration(resultCode);
  w.writeString('');
  w.writeString(resultCode === 0 || resultCode === 14 ? '' : 'Strong(er) authentication required');
  if (creds) w.writeBuffer(creds, 0x87);
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

function searchEntry(messageId: number, dn: string, attributes: Record<string, string[]>): Buffer {
  const w = new BerWriter();
  w.startSequence(0x30);
  w.writeInt(messageId);
  w.startSequence(0x64);
  w.writeString(dn);
  w.startSequence(0x30);
  for (const [name, values] of Object.entries(attributes)) {
    w.startSequence(0x30);
    w.writeString(name);
    w.startSequence(0x31);
    for (const value of values) w.writeString(value);
    w.endSequence();
    w.endSequence();
  }
  w.endSequence();
  w.endSequence();
  w.endSequence();
  return w.buffer;
}

const raw = (values: Record<string, string>) =>
  new Map(Object.entries(values).map(([k, v]) => [k, [Buffer.from(v)]]));

describe('LDAP messages', () => {
  test('a SASL bind request carries version 3, the mechanism and raw credentials', () => {
    const token = Buffer.from([0x60, 0x00, 0xff, 0x80]); // not valid UTF-8: must stay bytes
    const r = new BerReader(encodeSaslBind(7, 'GSSAPI', token));
    r.readSequence(0x30);
    assert.equal(r.readInt(), 7);
    r.readSequence(0x60);
    assert.equal(r.readInt(), 3);
    assert.equal(r.readString(), '');
    r.readSequence(0xa3);
    assert.equal(r.readString(), 'GSSAPI');
    assert.deepEqual(r.readString(0x04, true), token);
  });

  test('a search request names base, scope, filter and attributes', () => {
    const bytes = encodeSearch(3, {
      base: 'DC=corp,DC=example,DC=test',
      scope: 'subtree',
      filter: { and: [{ equals: ['sAMAccountName', 'alice'] }, { present: 'objectClass' }] },
      attributes: ['pwdLastSet'],
      sizeLimit: 2,
    });
    assert.equal(completeElementLength(bytes), bytes.length);
    const r = new BerReader(bytes);
    r.readSequence(0x30);
    r.readInt();
    r.readSequence(0x63);
    assert.equal(r.readString(), 'DC=corp,DC=example,DC=test');
    assert.equal(r.readEnumeration(), 2);
    assert.equal(r.readEnumeration(), 0);
    assert.equal(r.readInt(), 2);
    assert.equal(r.readInt(), 0);
    assert.equal(r.readBoolean(), false);
    r.readSequence(0xa0);
    r.readSequence(0xa3);
    assert.equal(r.readString(), 'sAMAccountName');
    assert.equal(r.readString(), 'alice');
    assert.equal(r.readString(0x87), 'objectClass');
    r.readSequence(0x30);
    assert.equal(r.readString(), 'pwdLastSet');
  });

  test('a bind response in progress keeps the server credentials as bytes', () => {
    const creds = Buffer.from([0x05, 0x04, 0xff, 0x00, 0x80]);
    const response = decodeResponse(bindResponse(2, 14, creds));
    assert.equal(response.kind, 'result');
    assert.deepEqual(response.kind === 'result' && response.result, {
      operation: 'bind',
      resultCode: 14,
      diagnosticMessage: '',
      value: creds,
    });
  });

  test('a search entry keeps every attribute value', () => {
    const response = decodeResponse(
      searchEntry(4, 'CN=alice,CN=Users', { pwdLastSet: ['134354610480000000'], x: ['a', 'b'] }),
    );
    assert.equal(response.kind, 'entry');
    if (response.kind !== 'entry') return;
    assert.equal(response.entry.dn, 'CN=alice,CN=Users');
    assert.deepEqual(response.entry.attributes.get('x')?.map(String), ['a', 'b']);
  });

  test('message boundaries: incomplete input waits, long-form lengths are read', () => {
    const big = searchEntry(5, 'CN=x', { description: ['y'.repeat(300)] });
    assert.ok(big[1] === 0x82, 'a two-byte length');
    assert.equal(completeElementLength(big.subarray(0, 1)), null);
    assert.equal(completeElementLength(big.subarray(0, 3)), null);
    assert.equal(completeElementLength(big.subarray(0, big.length - 1)), null);
    assert.equal(completeElementLength(Buffer.concat([big, big])), big.length);
  });
});

describe('SASL GSSAPI security layer answer (RFC 4752)', () => {
  test('integrity is chosen with the server maximum buffer size', () => {
    assert.deepEqual(
      answerLayerOffer(Buffer.from([0x07, 0x00, 0xa0, 0x00]), 'integrity'),
      Buffer.from([0x02, 0x00, 0xa0, 0x00]),
    );
  });

  test('no layer answers with size 0', () => {
    assert.deepEqual(
      answerLayerOffer(Buffer.from([0x07, 0x01, 0x00, 0x00]), 'none'),
      Buffer.from([0x01, 0, 0, 0]),
    );
  });

  test('a server that offers no signing is refused, a malformed offer is a protocol error', () => {
    assert.throws(
      () => answerLayerOffer(Buffer.from([0x01, 0, 0, 0]), 'integrity'),
      (e: unknown) => e instanceof DirectoryReadError && e.kind === 'refused',
    );
    assert.throws(
      () => answerLayerOffer(Buffer.from([0x07, 0]), 'integrity'),
      (e: unknown) => e instanceof DirectoryReadError && e.kind === 'protocol',
    );
  });
});

describe('the own entry', () => {
  test('values by attribute name in any case; large integers stay strings', () => {
    const entry = ownEntryFrom(
      'CN=a',
      raw({
        'msds-userpasswordexpirytimecomputed': '9223372036854775807',
        PWDLASTSET: '134354610480000000',
        userAccountControl: '66048',
        'msDS-User-Account-Control-Computed': '8388608',
        sAMAccountName: 'a',
      }),
      raw({ maxPwdAge: '-77760000000000' }),
    );
    assert.deepEqual(entry, {
      dn: 'CN=a',
      userPrincipalName: null,
      samAccountName: 'a',
      passwordExpiryTimeComputed: '9223372036854775807',
      pwdLastSet: '134354610480000000',
      userAccountControl: 66048,
      userAccountControlComputed: 8388608,
      maxPwdAge: '-77760000000000',
      resultantPso: null,
    });
  });

  test('a negative flag field is read as its 32 bits; garbage is refused', () => {
    const entry = ownEntryFrom('CN=a', raw({ userAccountControl: '-2147483136' }), null);
    assert.equal(entry.userAccountControl, 0x80000200);
    assert.equal(entry.maxPwdAge, null);
    assert.throws(() => ownEntryFrom('CN=a', raw({ pwdLastSet: '12; drop' }), null), /integer/);
  });

  test('the account name from WhoAmI, else from the ticket', () => {
    assert.equal(accountNameFrom('u:CORP\\alice', 'x@Y'), 'alice');
    assert.equal(accountNameFrom(null, 'alice@CORP.EXAMPLE.COM'), 'alice');
    assert.equal(accountNameFrom(null, 'host/pc1@CORP'), null);
    assert.equal(accountNameFrom(null, null), null);
    assert.equal(dnFromWhoAmI('dn:CN=alice,DC=corp'), 'CN=alice,DC=corp');
    assert.equal(dnFromWhoAmI('u:CORP\\alice'), null);
  });
});

describe('failure classification', () => {
  test('GSS-API statuses', () => {
    assert.equal(classifyGssStatus(7 << 16, 0), 'no-credentials'); // GSS_S_NO_CRED
    assert.equal(classifyGssStatus(11 << 16, 0), 'no-credentials'); // expired credentials
    assert.equal(classifyGssStatus(13 << 16, 2529639107), 'no-credentials'); // no cache file
    assert.equal(classifyGssStatus(13 << 16, 2529639068), 'unreachable'); // no KDC answered
    assert.equal(classifyGssStatus(13 << 16, 2529638919), 'refused'); // SPN unknown
    // The KDC refuses a service ticket for a logon ticket whose password has expired.
    assert.equal(classifyGssStatus(13 << 16, 2529638935), 'password-expired');
    assert.equal(classifyGssStatus(9 << 16, 0), 'protocol'); // defective token
  });

  test('wldap32 result codes by step', () => {
    assert.equal(windowsFailureKind('connect', 0x51), 'unreachable');
    assert.equal(windowsFailureKind('connect', 0x55), 'unreachable');
    assert.equal(windowsFailureKind('bind', 0x08), 'refused');
    assert.equal(windowsFailureKind('bind', 0x31), 'refused');
    assert.equal(windowsFailureKind('bind', 0x52), 'no-credentials');
    assert.equal(windowsFailureKind('search', 0x20), 'not-found');
    assert.equal(windowsFailureKind('search', 0x52), 'protocol');
    assert.equal(windowsFailureKind('init', 0x5a), 'unavailable');
    assert.equal(windowsFailureKind('dn', 0), 'not-found');
  });
});

describe('arguments', () => {
  test('SRV answers: lowest priority first, then heaviest weight, without the root dot', () => {
    const ordered = orderServiceRecords([
      { name: 'c.corp.', port: 389, priority: 10, weight: 100 },
      { name: 'a.corp.', port: 389, priority: 0, weight: 50 },
      { name: 'b.corp.', port: 3268, priority: 0, weight: 100 },
    ]);
    assert.deepEqual(ordered, [
      { host: 'b.corp', port: 3268 },
      { host: 'a.corp', port: 389 },
      { host: 'c.corp', port: 389 },
    ]);
  });

  test('wldap32: NULL host for the DC locator, timeouts in seconds and microseconds', () => {
    assert.deepEqual(initArguments(null), { host: null, port: 389 });
    assert.deepEqual(initArguments('  '), { host: null, port: 389 });
    assert.deepEqual(initArguments(' dc1.corp '), { host: 'dc1.corp', port: 389 });
    assert.deepEqual(timevalFor(2000), { tv_sec: 2, tv_usec: 0 });
    assert.deepEqual(timevalFor(1500), { tv_sec: 1, tv_usec: 500_000 });
    assert.deepEqual(attributeList(['a', 'b']), ['a', 'b', null]);
  });
});

describe('the directory source without a domain controller', () => {
  const logged: { level: string; message: string; meta: unknown }[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (message, meta) => logged.push({ level: 'info', message, meta }),
    warn: (message, meta) => logged.push({ level: 'warn', message, meta }),
    error: () => undefined,
  };

  test('an unsupported platform is unavailable', async () => {
    const source = createDirectorySource({ platform: 'aix', env: {}, logger });
    const result = await source.read({ domain: 'corp.example.com', servers: [] });
    assert.deepEqual(result, {
      ok: false,
      failure: { kind: 'unavailable', detail: 'no directory reader for aix', server: null },
    });
    assert.equal(logged.at(-1)?.level, 'warn');
  });

  test('a domain or server that is not a DNS name is not-configured, with the value named', async () => {
    const source = createDirectorySource({ platform: 'linux', env: {}, logger });
    const bad = await source.read({ domain: 'corp example', servers: [] });
    assert.equal(!bad.ok && bad.failure.kind, 'not-configured');
    assert.match(!bad.ok ? bad.failure.detail : '', /"corp example" is not a DNS name/);
    const server = await source.read({ domain: null, servers: ['dc1/../x'] });
    assert.match(!server.ok ? server.failure.detail : '', /"dc1\/..\/x"/);
  });

  test('a malformed request is a result, not a rejection', async () => {
    const source = createDirectorySource({ platform: 'linux', env: {}, logger });
    const result = await source.read({ domain: null, servers: null } as never);
    assert.equal(!result.ok && result.failure.kind, 'not-configured');
  });

  test('Windows without USERDNSDOMAIN and without a configured domain is not-configured', async () => {
    const source = createDirectorySource({ platform: 'win32', env: {}, logger });
    const result = await source.read({ domain: null, servers: [] });
    assert.equal(!result.ok && result.failure.kind, 'not-configured');
    assert.match(!result.ok ? result.failure.detail : '', /USERDNSDOMAIN/);
  });

  test('a DNS server that refuses: unreachable, from the worker', async () => {
    const source = createDirectorySource({
      platform: 'linux',
      env: {},
      logger,
      dnsServers: ['127.0.0.1:9'],
    });
    const result = await source.read({ domain: 'corp.invalid', servers: [] });
    assert.equal(result.ok, false);
    assert.ok(
      !result.ok && ['unreachable', 'no-server'].includes(result.failure.kind),
      JSON.stringify(result),
    );
  });

  test('after a read the idle worker does not keep a command process alive', () => {
    const script = [
      `const { createDirectorySource } = require(${JSON.stringify(join(__dirname, '../../src/main/onprem'))});`,
      'const logger = { debug() {}, info() {}, warn() {}, error() {} };',
      "const source = createDirectorySource({ platform: 'linux', env: {}, logger, dnsServers: ['127.0.0.1:9'] });",
      "source.read({ domain: 'corp.invalid', servers: [] }).then((r) => console.log(r.ok ? 'ok' : r.failure.kind));",
    ].join('\n');
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const ms = Date.now() - started;
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^(unreachable|no-server)$/m);
    // The worker stays for 2 minutes for a next read, unreferenced: the process ends at once.
    assert.ok(ms < 20_000, `the process took ${ms} ms to end`);
  });

  test('an LDAP server that accepts but never answers: unreachable after the operation timeout', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const connection = await LdapConnection.connect({
        server: 'dc.test',
        address: '127.0.0.1',
        port,
        connectTimeoutMs: 1000,
        operationTimeoutMs: 200,
      });
      await assert.rejects(
        connection.saslBind('GSSAPI', null),
        (e: unknown) =>
          e instanceof DirectoryReadError && e.kind === 'unreachable' && /200 ms/.test(e.message),
      );
      connection.close();
    } finally {
      silent.close();
    }
  });

  test('a response split across packets is put together', async () => {
    const reply = bindResponse(1, 8, null);
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        socket.write(reply.subarray(0, 3));
        setTimeout(() => socket.write(reply.subarray(3)), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const connection = await LdapConnection.connect({
        server: 'dc.test',
        address: '127.0.0.1',
        port,
        connectTimeoutMs: 1000,
        operationTimeoutMs: 1000,
      });
      const result = await connection.saslBind('GSSAPI', Buffer.from('token'));
      assert.equal(result.resultCode, 8);
      assert.equal(result.diagnosticMessage, 'Strong(er) authentication required');
      connection.close();
    } finally {
      server.close();
    }
  });
});
