import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  sameEffectiveConfig,
  CONFIG_KEYS,
  CONFIG_RULES,
  ConfigError,
  DEFAULT_CONFIG,
  coercePolicyValue,
  describeConfigIssue,
  resolveConfig,
  showConfigValue,
  validateConfigLayer,
} from '../../src/core/config';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

void describe('on-premises directory settings', () => {
  void it('default to auto, no domain, DNS discovery and the cloud pages', () => {
    assert.equal(DEFAULT_CONFIG.onPremisesDirectory, 'auto');
    assert.equal(DEFAULT_CONFIG.onPremisesDomain, null);
    assert.deepEqual(DEFAULT_CONFIG.onPremisesServers, []);
    assert.equal(DEFAULT_CONFIG.onPremisesChangePasswordUrl, null);
  });

  void it('accept a server list as an array or as one text separated by ; or ,', () => {
    for (const servers of [
      ['dc1.corp.contoso.com', 'DC2.corp.contoso.com'],
      'dc1.corp.contoso.com;DC2.corp.contoso.com',
      ' dc1.corp.contoso.com , DC2.corp.contoso.com ; ',
    ]) {
      const result = validateConfigLayer({ onPremisesServers: servers }, 'file');
      assert.deepEqual(
        result,
        {
          ok: true,
          values: { onPremisesServers: ['dc1.corp.contoso.com', 'DC2.corp.contoso.com'] },
        },
        JSON.stringify(servers),
      );
    }
    assert.deepEqual(validateConfigLayer({ onPremisesServers: '' }, 'file'), {
      ok: true,
      values: { onPremisesServers: [] },
    });
  });

  void it('refuse bad values with one message naming the key, the value and what is allowed', () => {
    const cases: [string, unknown, string, string?][] = [
      ['onPremisesDirectory', 'yes', 'auto, on or off'],
      ['onPremisesDirectory', true, 'auto, on or off'],
      ['onPremisesDomain', 'corp', CONFIG_RULES.onPremisesDomain.allowed],
      [
        'onPremisesServers',
        'dc1.corp.contoso.com dc2.corp.contoso.com',
        CONFIG_RULES.onPremisesServers.allowed,
      ],
      [
        'onPremisesServers',
        ['dc1.corp.contoso.com', 'https://dc2'],
        CONFIG_RULES.onPremisesServers.allowed,
      ],
      [
        'onPremisesServers',
        Array.from({ length: 21 }, (_, i) => `dc${i}.corp.contoso.com`),
        CONFIG_RULES.onPremisesServers.allowed,
      ],
      [
        'onPremisesChangePasswordUrl',
        'http://pw.corp.contoso.com',
        CONFIG_RULES.onPremisesChangePasswordUrl.allowed,
        ' (it is not https)',
      ],
    ];
    for (const [key, value, allowed, problem = ''] of cases) {
      const error = configErrorOf(() =>
        resolveConfig([{ source: 'policy', values: { [key]: value } }], { requireTenant: false }),
      );
      assert.equal(error.issues.length, 1, `${key}=${JSON.stringify(value)}`);
      assert.equal(error.issues[0]?.key, key);
      assert.deepEqual(error.issues[0]?.value, value);
      assert.equal(error.issues[0]?.allowed, allowed);
      assert.equal(
        error.message,
        `Configuration error (policy): "${key}" is ${showConfigValue(value)}; allowed: ${allowed}${problem}.`,
      );
    }
  });

  void it('compare server lists by their items when deciding whether settings changed', () => {
    const layer = (servers: string) => [{ source: 'p', values: { onPremisesServers: servers } }];
    const a = resolveConfig(layer('dc1.corp.contoso.com'), { requireTenant: false });
    const b = resolveConfig(layer('dc1.corp.contoso.com'), { requireTenant: false });
    const c = resolveConfig(layer('dc2.corp.contoso.com'), { requireTenant: false });
    assert.equal(sameEffectiveConfig(a, b), true);
    assert.equal(sameEffectiveConfig(a, c), false);
  });
});

void describe('validateConfigLayer', () => {
  void it('accepts a partial layer of valid values', () => {
    const result = validateConfigLayer(
      { tenantId: 'contoso.com', passwordValidityDays: 0 },
      'file',
    );
    assert.deepEqual(result, {
      ok: true,
      values: { tenantId: 'contoso.com', passwordValidityDays: 0 },
    });
  });

  void it('names the key, the value, what is allowed and the source', () => {
    const result = validateConfigLayer(
      { notificationWindowDays: 45 },
      '/etc/signin-assistant/config.json',
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.issues, [
      {
        key: 'notificationWindowDays',
        value: 45,
        allowed: CONFIG_RULES.notificationWindowDays.allowed,
        source: '/etc/signin-assistant/config.json',
      },
    ]);
    assert.equal(
      describeConfigIssue(result.issues[0]!),
      'Configuration error (/etc/signin-assistant/config.json): "notificationWindowDays" is 45; allowed: a whole number from 1 to 30.',
    );
  });

  void it('reports one issue per bad key, even when a key breaks several rules', () => {
    const result = validateConfigLayer(
      { authority: 'http://login.example', tenantId: 'not a tenant', balloonSeconds: 1.5 },
      'policy',
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.issues.map((i) => i.key).sort(), [
      'authority',
      'balloonSeconds',
      'tenantId',
    ]);
    const tenant = result.issues.find((i) => i.key === 'tenantId');
    assert.equal(tenant?.value, 'not a tenant');
    assert.match(tenant?.allowed ?? '', /GUID/);
  });

  void it('rejects unknown keys and lists the known ones', () => {
    const result = validateConfigLayer({ passwordValidityDay: 90 }, 'file');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issues.length, 1);
    const issue = result.issues[0]!;
    assert.equal(issue.key, 'passwordValidityDay');
    assert.equal(issue.value, 90);
    assert.match(issue.allowed, /^not a setting/);
    for (const key of CONFIG_KEYS) assert.ok(issue.allowed.includes(key), key);
  });

  void it('rejects a layer that is not an object', () => {
    for (const raw of [null, [], 'text', 42]) {
      const result = validateConfigLayer(raw, 'file');
      assert.equal(result.ok, false);
      if (result.ok) continue;
      assert.equal(result.issues[0]?.key, '(file)');
    }
  });
});

void describe('resolveConfig', () => {
  void it('starts from the defaults', () => {
    const { config, sources, locked } = resolveConfig([], { requireTenant: false });
    assert.deepEqual(config, DEFAULT_CONFIG);
    assert.ok(Object.values(sources).every((s) => s === 'default'));
    assert.deepEqual(locked, []);
  });

  void it('lets later layers win and remembers where each value came from', () => {
    const { config, sources } = resolveConfig(
      [
        {
          source: 'user file',
          values: { passwordValidityDays: 60, balloonSeconds: 10, tenantId: TENANT },
        },
        { source: 'machine file', values: { passwordValidityDays: 42 } },
        { source: 'HKLM policy', values: { balloonSeconds: 7, clientId: CLIENT }, enforced: true },
      ],
      { requireTenant: true },
    );
    assert.equal(config.passwordValidityDays, 42);
    assert.equal(config.balloonSeconds, 7);
    assert.equal(config.tenantId, TENANT);
    assert.equal(config.clientId, CLIENT);
    assert.equal(config.notificationWindowDays, DEFAULT_CONFIG.notificationWindowDays);
    assert.equal(sources.passwordValidityDays, 'machine file');
    assert.equal(sources.balloonSeconds, 'HKLM policy');
    assert.equal(sources.tenantId, 'user file');
    assert.equal(sources.notificationWindowDays, 'default');
  });

  void it('locks exactly the keys set by enforced layers', () => {
    const { locked, config } = resolveConfig(
      [
        { source: 'HKCU policy', values: { startAtLogin: false }, enforced: true },
        { source: 'user file', values: { balloonSeconds: 9, startAtLogin: true } },
        { source: 'HKLM policy', values: { readDomainPolicy: true }, enforced: true },
      ],
      { requireTenant: false },
    );
    assert.deepEqual([...locked].sort(), ['readDomainPolicy', 'startAtLogin']);
    assert.ok(!locked.includes('balloonSeconds'));
    assert.equal(config.readDomainPolicy, true);
  });

  void it('collects issues from every layer into one ConfigError naming each source', () => {
    const err = configErrorOf(() =>
      resolveConfig(
        [
          { source: 'user file', values: { balloonSeconds: 0 } },
          { source: 'HKLM policy', values: { changePasswordUrl: 'ftp://x', colour: 'blue' } },
        ],
        { requireTenant: false },
      ),
    );
    assert.deepEqual(err.issues.map((i) => `${i.source}:${i.key}`).sort(), [
      'HKLM policy:changePasswordUrl',
      'HKLM policy:colour',
      'user file:balloonSeconds',
    ]);
    assert.match(err.message, /"balloonSeconds" is 0; allowed: a whole number from 1 to 60/);
    assert.match(err.message, /"changePasswordUrl" is "ftp:\/\/x"; allowed: an https URL/);
    assert.match(err.message, /"colour" is "blue"; allowed: not a setting/);
    assert.equal(err.name, 'ConfigError');
  });

  void it('requires a tenant and a client when asked, saying they are missing', () => {
    const err = configErrorOf(() => resolveConfig([], { requireTenant: true }));
    assert.deepEqual(
      err.issues.map((i) => i.key),
      ['tenantId', 'clientId'],
    );
    assert.match(err.message, /"tenantId" is missing/);
    assert.doesNotThrow(() =>
      resolveConfig([{ source: 'file', values: { tenantId: TENANT, clientId: CLIENT } }], {
        requireTenant: true,
      }),
    );
  });
});

void describe('coercePolicyValue', () => {
  void it('turns registry 0/1 into booleans for boolean keys only', () => {
    assert.equal(coercePolicyValue('readDomainPolicy', 1), true);
    assert.equal(coercePolicyValue('startAtLogin', 0), false);
    assert.equal(coercePolicyValue('balloonSeconds', 1), 1);
    assert.equal(coercePolicyValue('readDomainPolicy', 2), 2);
  });

  void it('lets a coerced policy value pass validation', () => {
    const { config } = resolveConfig(
      [
        {
          source: 'HKLM',
          values: { readDomainPolicy: coercePolicyValue('readDomainPolicy', 1) },
          enforced: true,
        },
      ],
      { requireTenant: false },
    );
    assert.equal(config.readDomainPolicy, true);
  });
});

void describe('sameEffectiveConfig', () => {
  const base = resolveConfig([{ source: 'file', values: { balloonSeconds: 5 } }], {
    requireTenant: false,
  });
  void it('ignores where a value came from, but not the value or a new lock', () => {
    const sameValueByPolicy = resolveConfig(
      [{ source: 'HKLM', values: { balloonSeconds: 5 }, enforced: false }],
      { requireTenant: false },
    );
    assert.equal(sameEffectiveConfig(base, sameValueByPolicy), true);
    const otherValue = resolveConfig([{ source: 'file', values: { balloonSeconds: 6 } }], {
      requireTenant: false,
    });
    assert.equal(sameEffectiveConfig(base, otherValue), false);
    const locked = resolveConfig(
      [{ source: 'HKLM', values: { balloonSeconds: 5 }, enforced: true }],
      {
        requireTenant: false,
      },
    );
    assert.equal(sameEffectiveConfig(base, locked), false);
  });
});
