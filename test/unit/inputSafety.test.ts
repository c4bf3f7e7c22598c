/**
 * The pure checks that keep hostile input out: time-zone choice, JSON bounds, server dates,
 * authority endpoints, URL settings and the words for Graph failures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalZoneName,
  chooseTimeZone,
  zoneFromZoneinfoPath,
} from '../../src/core/timeZoneChoice';
import type { TimeZoneClues } from '../../src/core/timeZoneChoice';
import { jsonNestingDepth, parseBoundedJson, shortened } from '../../src/core/inputLimits';
import { checkServerInstant, passwordClaimsProblem } from '../../src/core/serverDates';
import { checkAuthorityMetadata, trustedAuthorityHosts } from '../../src/core/authorityHosts';
import {
  ConfigError,
  formatConfigIssues,
  httpsUrlProblem,
  showConfigValue,
  validateConfigLayer,
} from '../../src/core/config';
import { classifyAuthFailure, exitCodeForErrorKind } from '../../src/core/errorClassification';
import { messages } from '../../src/core/messages';

const NOW = new Date('2026-12-01T10:00:00Z');

void describe('chooseTimeZone', () => {
  const clues = (over: Partial<TimeZoneClues>): TimeZoneClues => ({
    intlZone: () => undefined,
    tz: undefined,
    resolveLink: (path) => (path === '/etc/localtime' ? '/usr/share/zoneinfo/Europe/Berlin' : null),
    etcTimezone: () => null,
    ...over,
  });

  void it("uses the runtime's zone when it is a real one", () => {
    const choice = chooseTimeZone(clues({ intlZone: () => 'Asia/Tokyo', tz: 'garbage' }));
    assert.deepEqual(choice, { zone: 'Asia/Tokyo', note: null, fallback: false });
  });

  void it('reads the zone the runtime reads, without Intl, when it is a canonical name', () => {
    const noIntl = () => assert.fail('Intl was asked');
    const cases: [string | undefined, string, string][] = [
      [undefined, '/usr/share/zoneinfo/Europe/Berlin', 'Europe/Berlin'],
      [undefined, '/var/db/timezone/zoneinfo/America/New_York', 'America/New_York'],
      [undefined, '/usr/share/zoneinfo/posix/Asia/Tokyo', 'Asia/Tokyo'],
      [undefined, '/usr/share/zoneinfo/Etc/UTC', 'UTC'],
      ['Australia/Lord_Howe', '/usr/share/zoneinfo/Europe/Berlin', 'Australia/Lord_Howe'],
      ['Etc/GMT', '/usr/share/zoneinfo/Europe/Berlin', 'UTC'],
    ];
    for (const [tz, link, zone] of cases) {
      const choice = chooseTimeZone(clues({ tz, intlZone: noIntl, resolveLink: () => link }));
      assert.deepEqual(choice, { zone, note: null, fallback: false }, `${tz} ${link}`);
    }
  });

  void it('asks the runtime for any other name, and for an empty, ":" or path TZ', () => {
    let asked = 0;
    const intlZone = () => {
      asked++;
      return 'Asia/Calcutta';
    };
    const kolkata = () => '/usr/share/zoneinfo/Asia/Kolkata';
    for (const tz of [undefined, '', ':/etc/localtime', '/etc/localtime', 'Asia/Kolkata']) {
      const choice = chooseTimeZone(clues({ tz, intlZone, resolveLink: kolkata }));
      assert.deepEqual(choice, { zone: 'Asia/Calcutta', note: null, fallback: false }, tz);
    }
    assert.equal(asked, 5);
  });

  void it('names each zone as the runtime does: the canonical list, and UTC for its aliases', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    assert.ok(zones.length > 300, `${zones.length} zones`);
    for (const name of [...zones, 'UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal']) {
      const runtime = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions();
      assert.equal(canonicalZoneName(name), runtime.timeZone, name);
    }
    assert.equal(canonicalZoneName('Asia/Kolkata'), null);
    assert.equal(canonicalZoneName('Not/AZone'), null);
  });

  void it('follows TZ=":/etc/localtime" and an empty or unset TZ to the zone file', () => {
    for (const tz of [':/etc/localtime', '/etc/localtime', '', undefined]) {
      const choice = chooseTimeZone(clues({ tz }));
      assert.equal(choice.zone, 'Europe/Berlin', String(tz));
      assert.equal(choice.fallback, false);
    }
  });

  void it('reads /etc/timezone when /etc/localtime is a copy, not a link', () => {
    const choice = chooseTimeZone(
      clues({
        tz: ':/etc/localtime',
        resolveLink: () => '/etc/localtime',
        etcTimezone: () => 'America/Chicago\n',
      }),
    );
    assert.equal(choice.zone, 'America/Chicago');
  });

  void it('falls back to UTC, saying why, for garbage, POSIX offsets and unreadable files', () => {
    for (const tz of ['garbage', 'UTC+99', ':/nonexistent', 'Etc/Unknown']) {
      const choice = chooseTimeZone(clues({ tz, intlZone: () => 'Etc/Unknown' }));
      assert.equal(choice.zone, 'UTC', tz);
      assert.equal(choice.fallback, true, tz);
      assert.match(choice.note ?? '', /TZ/);
    }
    const nothing = chooseTimeZone(clues({ resolveLink: () => null }));
    assert.deepEqual([nothing.zone, nothing.fallback], ['UTC', true]);
  });

  void it('names zones from zoneinfo paths, including posix/ and right/ variants', () => {
    assert.equal(zoneFromZoneinfoPath('/usr/share/zoneinfo/America/New_York'), 'America/New_York');
    assert.equal(zoneFromZoneinfoPath('/usr/share/zoneinfo/posix/Europe/Paris'), 'Europe/Paris');
    assert.equal(zoneFromZoneinfoPath('/var/db/timezone/zoneinfo/Asia/Kolkata'), 'Asia/Kolkata');
    assert.equal(zoneFromZoneinfoPath('/etc/localtime'), null);
    assert.equal(zoneFromZoneinfoPath('/usr/share/zoneinfo/Not/AZone'), null);
  });
});

void describe('JSON bounds', () => {
  void it('measures nesting without recursion, ignoring brackets in strings', () => {
    assert.equal(jsonNestingDepth('{"a":[1,{"b":"[[[{{{\\"]]]"}]}'), 3);
    assert.equal(jsonNestingDepth('"just a string"'), 0);
    assert.equal(jsonNestingDepth('['.repeat(100_000) + ']'.repeat(100_000)), 100_000);
  });

  void it('refuses deep JSON before parsing and says how deep', () => {
    const deep = parseBoundedJson('['.repeat(65) + ']'.repeat(65));
    assert.deepEqual(deep, { ok: false, problem: 'nested 65 levels deep (at most 64 allowed)' });
    assert.deepEqual(parseBoundedJson('{"a":[1]}'), { ok: true, value: { a: [1] } });
    const broken = parseBoundedJson('{');
    assert.equal(broken.ok, false);
  });

  void it('shortens with an ellipsis only when needed', () => {
    assert.equal(shortened('abc', 5), 'abc');
    assert.equal(shortened('abcdefgh', 5), 'abcd…');
    assert.equal(shortened('x'.repeat(10_000_000)).length, 80);
  });
});

void describe('server dates', () => {
  void it('accepts plausible ISO instants', () => {
    for (const value of [
      '2026-11-30T08:00:00Z',
      '2001-02-03T04:05:06.789+02:00',
      '2026-12-02T09:00:00Z',
    ]) {
      assert.equal(checkServerInstant(value, NOW).ok, true, value);
    }
  });

  void it('refuses 1601, 9999, +275760, "0", non-ISO text and anything beyond a day ahead', () => {
    const cases: [string, RegExp][] = [
      ['1601-01-01T00:00:00Z', /before 1990/],
      ['1989-12-31T23:59:59Z', /before 1990/],
      ['9999-12-31T23:59:59Z', /in the future/],
      ['2026-12-02T10:00:01Z', /in the future/],
      ['+275760-09-13T00:00:00.000Z', /not an ISO 8601 date/],
      ['0', /not an ISO 8601 date/],
      ['December 1, 2026', /not an ISO 8601 date/],
      ['2026-13-45T99:99:99Z', /not a valid date/],
    ];
    for (const [value, problem] of cases) {
      const checked = checkServerInstant(value, NOW);
      assert.equal(checked.ok, false, value);
      if (!checked.ok) assert.match(checked.problem, problem, value);
    }
  });

  void it('refuses days, hours and offsets that do not exist instead of rolling them over', () => {
    for (const value of [
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T12:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-06-00T00:00:00Z',
      '2026-06-10T24:00:00Z',
      '2026-06-10T23:60:00Z',
      '2026-06-10T23:59:60Z',
      '2026-06-10T12:00:00+24:00',
      '2026-06-10T12:00:00+05:60',
    ]) {
      const checked = checkServerInstant(value, NOW);
      assert.equal(checked.ok, false, value);
      if (!checked.ok) assert.match(checked.problem, /not a valid date/, value);
    }
    for (const value of ['2024-02-29T00:00:00Z', '2000-02-29T23:59:59.999-12:00']) {
      assert.equal(checkServerInstant(value, NOW).ok, true, value);
    }
  });

  void it('shows at most 80 characters of a bad value', () => {
    const checked = checkServerInstant('9'.repeat(1_000_000), NOW);
    assert.ok(!checked.ok && checked.problem.length < 120);
  });

  void it('takes pwd_exp only within 0-730 days and iat only when plausible', () => {
    const issuedAt = new Date(NOW.getTime() - 60_000);
    assert.equal(
      passwordClaimsProblem({ pwdExpSeconds: 5 * 86_400, issuedAt, pwdUrl: null }, NOW),
      null,
    );
    assert.match(
      passwordClaimsProblem({ pwdExpSeconds: 731 * 86_400, issuedAt, pwdUrl: null }, NOW) ?? '',
      /pwd_exp .* out of range/,
    );
    assert.match(
      passwordClaimsProblem({ pwdExpSeconds: 60, issuedAt: new Date(0), pwdUrl: null }, NOW) ?? '',
      /iat .* before 1990/,
    );
  });
});

void describe('authority endpoints', () => {
  const tenant = 'c6d50510-7433-48aa-8741-9597e9cc918e';
  const microsoft = (host: string) => ({
    token_endpoint: `https://${host}/${tenant}/oauth2/v2.0/token`,
    jwks_uri: `https://${host}/${tenant}/discovery/v2.0/keys`,
    issuer: `https://${host}/${tenant}/v2.0`,
    authorization_endpoint: `https://${host}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `https://${host}/${tenant}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `https://${host}/${tenant}/oauth2/v2.0/logout`,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    rbac_url: 'https://pas.windows.net',
  });

  void it("trusts the authority's host and its cloud's Microsoft aliases, nothing else", () => {
    const global = trustedAuthorityHosts('https://login.microsoftonline.com');
    for (const host of ['login.microsoftonline.com', 'login.microsoft.com', 'login.windows.net']) {
      assert.ok(global.has(host), host);
    }
    assert.ok(!global.has('login.microsoftonline.us'));
    assert.ok(
      trustedAuthorityHosts('https://login.microsoftonline.us').has('login.usgovcloudapi.net'),
    );
    assert.ok(
      trustedAuthorityHosts('https://login.chinacloudapi.cn').has(
        'login.partner.microsoftonline.cn',
      ),
    );
    assert.deepEqual([...trustedAuthorityHosts('https://localhost:8443')], ['localhost:8443']);
    assert.deepEqual(
      [...trustedAuthorityHosts('https://login.microsoftonline.com:8443')],
      ['login.microsoftonline.com:8443'],
    );
  });

  void it("keeps Microsoft's real metadata (Graph's userinfo is not passed on)", () => {
    const checked = checkAuthorityMetadata(
      microsoft('login.microsoftonline.com'),
      `https://login.microsoft.com/${tenant}`,
    );
    assert.ok(checked.ok);
    if (checked.ok) {
      assert.deepEqual(Object.keys(checked.metadata).sort(), [
        'authorization_endpoint',
        'device_authorization_endpoint',
        'end_session_endpoint',
        'issuer',
        'jwks_uri',
        'token_endpoint',
      ]);
    }
  });

  void it('refuses an endpoint on another host, over http, with credentials, or missing', () => {
    const authority = `https://login.microsoftonline.com/${tenant}`;
    const base = microsoft('login.microsoftonline.com');
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { ...base, token_endpoint: 'https://evil.example/token' },
        /token_endpoint points at evil\.example/,
      ],
      [{ ...base, jwks_uri: 'https://login.microsoftonline.us/keys' }, /jwks_uri points at/],
      [{ ...base, end_session_endpoint: 'http://login.microsoftonline.com/x' }, /not https/],
      [
        { ...base, authorization_endpoint: 'https://u:p@login.microsoftonline.com/x' },
        /credentials/,
      ],
      [{ ...base, issuer: undefined }, /issuer is missing/],
      [{ ...base, device_authorization_endpoint: 42 }, /device_authorization_endpoint is missing/],
    ];
    for (const [metadata, problem] of cases) {
      const checked = checkAuthorityMetadata(metadata, authority);
      assert.equal(checked.ok, false);
      if (!checked.ok) assert.match(checked.problem, problem);
    }
    const demo = checkAuthorityMetadata(
      { ...microsoft('localhost:9443'), token_endpoint: 'https://localhost:9444/t/token' },
      'https://localhost:9443/t',
    );
    assert.equal(demo.ok, false, 'another port on the same machine is another host');
  });
});

void describe('URL settings and configuration messages', () => {
  void it('parses URLs for real: port range, host, https, no credentials', () => {
    assert.equal(httpsUrlProblem('https://login.microsoftonline.us'), null);
    assert.equal(httpsUrlProblem('https://localhost:8443/x?y=1'), null);
    assert.match(httpsUrlProblem('https://login.microsoftonline.com:99999') ?? '', /port/);
    for (const port of ['0', '00000', '65536']) {
      const problem = httpsUrlProblem(`https://login.microsoftonline.com:${port}/x`);
      assert.match(problem ?? '', /port is not between 1 and 65535/, port);
    }
    assert.equal(httpsUrlProblem('https://login.microsoftonline.com:1'), null);
    assert.equal(httpsUrlProblem('https://login.microsoftonline.com:65535'), null);
    assert.match(httpsUrlProblem('https://user:pw@host.example') ?? '', /user name or password/);
    assert.match(httpsUrlProblem('https://user@host.example') ?? '', /user name or password/);
    assert.match(httpsUrlProblem('http://host.example') ?? '', /not https/);
    assert.match(httpsUrlProblem('https://exa mple.com') ?? '', /not a valid URL/);
    for (const authority of [
      'https://login.microsoftonline.com:99999',
      'https://a:b@login.microsoftonline.com',
    ]) {
      assert.equal(validateConfigLayer({ authority }, 'file').ok, false, authority);
    }
  });

  void it('shows at most 80 characters of a value, and never a URL password', () => {
    assert.equal(showConfigValue('x'.repeat(10_000_000)), JSON.stringify(`${'x'.repeat(79)}…`));
    assert.equal(showConfigValue('https://me:s3cr3t@host/x'), '"https://***@host/x"');
    assert.equal(showConfigValue(undefined), 'missing');
    assert.equal(showConfigValue({ a: 'y'.repeat(500) }).length, 80);
  });

  void it('describes a deeply nested value (a policy file is not bounded by the loader) without a crash', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    const result = validateConfigLayer({ tenantId: deep }, '/etc/signin-assistant/config.json');
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(formatConfigIssues(result.issues), /"tenantId" is \[…\]; allowed/);
  });

  void it('lists the first 10 problems and counts the rest', () => {
    const values = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const result = validateConfigLayer(values, 'file');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issues.length, 5000);
    const lines = formatConfigIssues(result.issues).split('\n');
    assert.equal(lines.length, 11);
    assert.equal(lines[10], '…and 4990 more configuration errors.');
    assert.equal(new ConfigError(result.issues).message.split('\n').length, 11);
  });
});

void describe('Microsoft Graph failures', () => {
  const urls = { changePasswordUrl: 'https://c.example', resetPasswordUrl: 'https://r.example' };
  void it('a refusal is directory-refused (exit 3), not a sign-in failure', () => {
    for (const status of [401, 403]) {
      const result = classifyAuthFailure({ name: 'GraphFailure', status, service: 'graph' }, urls);
      assert.equal(result.kind, 'directory-refused');
      assert.equal(result.message, messages.errors.directoryRefused);
      assert.equal(result.action, null);
    }
    assert.equal(exitCodeForErrorKind('directory-refused'), 3);
  });

  void it('unreachable and unusable Graph are worded as Graph, with the same kinds as before', () => {
    const gone = classifyAuthFailure({ code: 'ECONNREFUSED', service: 'graph' }, urls);
    assert.deepEqual([gone.kind, gone.message], ['network', messages.errors.graphNetwork]);
    for (const failure of [
      { errorCode: 'malformed_response', status: 200 },
      { status: 503 },
      { status: 404 },
    ]) {
      const bad = classifyAuthFailure({ ...failure, service: 'graph' }, urls);
      assert.deepEqual([bad.kind, bad.message], ['service', messages.errors.graphService]);
    }
    for (const message of [messages.errors.graphNetwork, messages.errors.graphService]) {
      assert.doesNotMatch(message, /sign-in service/);
    }
  });
});
