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
import type { SecurityProvider } from '../../src/main/onprem/ldap/securityProvider';
import { runDirectoryRead, type ReadJob, type ReadPorts } from '../../src/main/onprem/readJob';
import { orderServiceRecords } from '../../src/main/onprem/discovery';
import { accountNameFrom, dnFromWhoAmI, ownEntryFrom } from '../../src/main/onprem/ownEntry';
import { classifyGssStatus } from '../../src/main/onprem/unix/gssapi';
import { LdapConnection } from '../../src/main/onprem/ldap/ldapConnection';
import {
  completeElementLength,
  decodeResponse,
  encodeSaslBind,
  encodeSearch,
} from '../../src/main/onprem/ldap/ldapMessages';
import { authzIdFrom } from '../../src/main/onprem/ldap/ownEntryRead';
import { answerLayerOffer } from '../../src/main/onprem/ldap/saslGssapi';
import { DirectoryReadError } from '../../src/main/onprem/readFailure';
import { controllerFromAnswer } from '../../src/main/onprem/windows/dcLocator';
import {
  classifySspiStatus,
  plaintextLengthOf,
  wireTokenOf,
} from '../../src/main/onprem/windows/sspiValues';
import { cachePrincipalOf } from '../../src/main/onprem/windows/ticketCache';

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

  test('SSPI statuses', () => {
    assert.deepEqual(classifySspiStatus(0x8009030e), {
      kind: 'no-credentials',
      name: 'SEC_E_NO_CREDENTIALS (0x8009030e)',
    });
    assert.equal(classifySspiStatus(0x80090311).kind, 'unreachable'); // no KDC answered
    assert.equal(classifySspiStatus(0x80090303).kind, 'refused'); // SPN unknown
    assert.equal(classifySspiStatus(0xc0000071).kind, 'password-expired');
    assert.equal(classifySspiStatus(0x8009030f).kind, 'protocol'); // signature broken
    // koffi hands a negative SECURITY_STATUS back where the type is signed
    assert.equal(classifySspiStatus(0x80090308 | 0).kind, 'protocol');
    assert.deepEqual(classifySspiStatus(0x80091234), { kind: 'refused', name: '0x80091234' });
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

  test('the DC locator: the DNS name and the IP address without their backslashes', () => {
    assert.deepEqual(
      controllerFromAnswer({
        DomainControllerName: '\\\\dc1.corp.example.com',
        DomainControllerAddress: '\\\\10.0.0.5',
        DomainControllerAddressType: 1,
      }),
      { host: 'dc1.corp.example.com', port: 389, address: '10.0.0.5' },
    );
    // a NetBIOS address (type 2) is not a place to connect to
    assert.deepEqual(
      controllerFromAnswer({
        DomainControllerName: '\\\\dc1.corp.example.com.',
        DomainControllerAddress: '\\\\DC1',
        DomainControllerAddressType: 2,
      }),
      { host: 'dc1.corp.example.com', port: 389 },
    );
    const none = { DomainControllerAddress: null, DomainControllerAddressType: 1 };
    assert.equal(controllerFromAnswer({ ...none, DomainControllerName: null }), null);
    assert.equal(controllerFromAnswer({ ...none, DomainControllerName: '\\\\' }), null);
  });

  test('the logon identity: WhoAmI first, else a Windows account name in the same form', () => {
    assert.equal(authzIdFrom('u:CORP\\alice', 'CORP\\bob'), 'u:CORP\\alice');
    assert.equal(authzIdFrom(null, 'CORP\\alice'), 'u:CORP\\alice');
    assert.equal(accountNameFrom(authzIdFrom(null, 'CORP\\alice'), 'CORP\\alice'), 'alice');
    // a Kerberos principal stays the initiator name
    assert.equal(authzIdFrom(null, 'alice@CORP.EXAMPLE.COM'), null);
    assert.equal(authzIdFrom(null, null), null);
  });
});

describe('SSPI wrap tokens (RFC 4121 through EncryptMessage / DecryptMessage)', () => {
  /** A signed RFC 4121 wrap token: header (EC = 12, RRC = 0), the data, a 12-byte checksum. */
  function signedToken(data: Buffer): Buffer {
    const header = Buffer.from('050400ff000c00000000000000000007', 'hex');
    return Buffer.concat([header, data, Buffer.alloc(12, 0xab)]);
  }

  test("Windows' buffers: the token buffer holds the header and comes first", () => {
    const header = Buffer.from('050400ff000c000c0000000000000001', 'hex');
    const trailer = Buffer.concat([header, Buffer.alloc(12, 0xcd)]);
    const data = Buffer.from('plaintext');
    assert.deepEqual(wireTokenOf(trailer, data, Buffer.alloc(0)), Buffer.concat([trailer, data]));
  });

  test("Wine's buffers: the data buffer begins with the header, the token buffer holds the rest", () => {
    const wire = signedToken(Buffer.from('0123456789abcdefghij'));
    const dataPart = wire.subarray(0, 20);
    const tokenPart = wire.subarray(20);
    // the padding buffer is left as it was given, unwritten: it is no part of the token
    assert.deepEqual(wireTokenOf(tokenPart, dataPart, Buffer.from([0])), wire);
    assert.throws(
      () => wireTokenOf(Buffer.alloc(28), Buffer.alloc(4), Buffer.alloc(0)),
      /no Kerberos wrap token/,
    );
  });

  test('the plaintext length of a signed token, for a provider without stream buffers', () => {
    assert.equal(plaintextLengthOf(signedToken(Buffer.from([7, 0, 0, 0]))), 4);
    assert.equal(plaintextLengthOf(signedToken(Buffer.alloc(300))), 300);
    const sealed = signedToken(Buffer.alloc(8));
    sealed[2] = 0x02;
    assert.equal(plaintextLengthOf(sealed), null, 'a sealed token has a confounder');
    const rotated = signedToken(Buffer.alloc(8));
    rotated.writeUInt16BE(12, 6);
    assert.equal(plaintextLengthOf(rotated), 8, 'the checksum rotated to the front: as long');
    assert.equal(plaintextLengthOf(Buffer.from('6082', 'hex')), null);
  });
});

describe('the client principal of an MIT credential cache file', () => {
  function principal(realm: string, ...components: string[]): Buffer {
    const counted = (text: string) => {
      const bytes = Buffer.from(text);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const head = Buffer.alloc(8);
    head.writeUInt32BE(1, 0);
    head.writeUInt32BE(components.length, 4);
    return Buffer.concat([head, counted(realm), ...components.map(counted)]);
  }

  test('version 4 (with its header tags) and version 3', () => {
    const v4 = Buffer.concat([
      Buffer.from('0504000c00010008ffffffff00000000', 'hex'),
      principal('CORP.EXAMPLE.TEST', 'alice'),
    ]);
    assert.equal(cachePrincipalOf(v4), 'alice@CORP.EXAMPLE.TEST');
    const v3 = Buffer.concat([Buffer.from('0503', 'hex'), principal('R', 'host', 'pc1')]);
    assert.equal(cachePrincipalOf(v3), 'host/pc1@R');
  });

  test('anything else is no principal', () => {
    assert.equal(cachePrincipalOf(Buffer.from('0502', 'hex')), null);
    assert.equal(cachePrincipalOf(Buffer.alloc(0)), null);
    const truncated = Buffer.concat([Buffer.from('0503', 'hex'), principal('CORP', 'alice')]);
    assert.equal(cachePrincipalOf(truncated.subarray(0, truncated.length - 2)), null);
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

  const windowsJob: ReadJob = {
    platform: 'win32',
    request: { domain: null, servers: [] },
    userDnsDomain: 'CORP.EXAMPLE.TEST',
    dnsServers: ['127.0.0.1:9'],
    connectTimeoutMs: 1000,
    operationTimeoutMs: 1000,
    budgetMs: 3000,
    securityLayer: 'integrity',
  };
  /** The project's own port, recording the DCs it was asked for; the read never gets that far. */
  function recordingPorts(locate: ReadPorts['locator']): ReadPorts & { asked: string[] } {
    const asked: string[] = [];
    const provider: SecurityProvider = {
      contextFor(host) {
        asked.push(host);
        throw new DirectoryReadError('no-credentials', 'no ticket here');
      },
    };
    return { provider, locator: locate, ticketRealm: () => null, asked };
  }

  test("Windows: the DC locator's choice is the DC read, in the lower-case domain", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const domains: string[] = [];
    const ports = recordingPorts({
      locate(domain) {
        domains.push(domain);
        return { host: 'dc7.corp.example.test', address: '127.0.0.1', port };
      },
    });
    const result = await runDirectoryRead(windowsJob, ports);
    assert.deepEqual(domains, ['corp.example.test'], 'USERDNSDOMAIN, in its DNS spelling');
    assert.equal(!result.ok && result.failure.kind, 'unreachable', JSON.stringify(result));
    assert.equal(!result.ok && result.failure.server, 'dc7.corp.example.test');
    assert.match(!result.ok ? result.failure.detail : '', /127\.0\.0\.1/);
    assert.deepEqual(ports.asked, [], 'the connection comes before Kerberos');
  });

  test('Windows: where the DC locator finds none, the DNS SRV lookup is the fallback', async () => {
    const ports = recordingPorts({
      locate(domain) {
        throw new DirectoryReadError('no-server', `the locator found no DC of ${domain}`);
      },
    });
    const result = await runDirectoryRead(windowsJob, ports);
    assert.equal(result.ok, false);
    const detail = !result.ok ? result.failure.detail : '';
    assert.match(detail, /^the locator found no DC of corp\.example\.test; /);
    assert.match(detail, /_ldap\._tcp\.dc\._msdcs\.corp\.example\.test/);
    assert.ok(!result.ok && ['unreachable', 'no-server'].includes(result.failure.kind), detail);
  });

  test('configured servers come before the DC locator', async () => {
    const ports = recordingPorts({
      locate() {
        throw new Error('the locator must not be asked');
      },
    });
    const result = await runDirectoryRead(
      { ...windowsJob, request: { domain: 'Corp.Example.Test', servers: ['127.0.0.1'] } },
      { ...ports, provider: ports.provider },
    );
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.server, '127.0.0.1');
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
