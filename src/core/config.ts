import { schemaValidator } from './schemaValidator';

/**
 * Everything an admin can set. The key names are also the policy value names (registry, macOS
 * managed preferences, /etc file) and the ADMX value names: never rename one.
 */
export interface AssistantConfig {
  tenantId: string | null;
  clientId: string | null;
  authority: string;
  graphEndpoint: string;
  /** 0 = passwords never expire. */
  passwordValidityDays: number;
  notificationWindowDays: number;
  readDomainPolicy: boolean;
  changePasswordUrl: string;
  resetPasswordUrl: string;
  balloonSeconds: number;
  /** null = the user decides (tray menu checkbox); true/false = decided by the admin. */
  startAtLogin: boolean | null;
  /** Sign in through the Windows broker (WAM) where present; false = the system browser. */
  useWindowsBroker: boolean;
}

export type ConfigKey = keyof AssistantConfig;
export type ConfigValueKind = 'string' | 'integer' | 'boolean';

interface KeyRule {
  kind: ConfigValueKind;
  /** What is allowed, in words, for error messages and the ADMX explain text. */
  allowed: string;
  description: string;
}

const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const DOMAIN = '^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$';
const HTTPS_URL = '^https://[^\\s/?#]+(/[^\\s]*)?$';

export const DEFAULT_CONFIG: Readonly<AssistantConfig> = Object.freeze({
  tenantId: null,
  clientId: null,
  authority: 'https://login.microsoftonline.com',
  graphEndpoint: 'https://graph.microsoft.com',
  passwordValidityDays: 90,
  notificationWindowDays: 14,
  readDomainPolicy: false,
  changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
  resetPasswordUrl: 'https://aka.ms/sspr',
  balloonSeconds: 5,
  startAtLogin: null,
  useWindowsBroker: true,
});

export const CONFIG_RULES: Readonly<Record<ConfigKey, KeyRule>> = Object.freeze({
  tenantId: {
    kind: 'string',
    allowed: 'a directory (tenant) ID GUID or a verified domain such as contoso.com',
    description: 'The Microsoft Entra tenant users sign in to.',
  },
  clientId: {
    kind: 'string',
    allowed: 'the application (client) ID GUID of the app registration',
    description: 'The app registration Sign-In Assistant signs in as.',
  },
  authority: {
    kind: 'string',
    allowed: 'an https URL, e.g. https://login.microsoftonline.com or a national cloud',
    description: 'The sign-in service (authority host).',
  },
  graphEndpoint: {
    kind: 'string',
    allowed: 'an https URL, e.g. https://graph.microsoft.com or a national cloud',
    description: 'The Microsoft Graph endpoint.',
  },
  passwordValidityDays: {
    kind: 'integer',
    allowed: '0 (never expires) or a whole number from 1 to 730',
    description: 'How many days a password is valid when the domain policy cannot be read.',
  },
  notificationWindowDays: {
    kind: 'integer',
    allowed: 'a whole number from 1 to 30',
    description: 'How many days before expiry the daily reminders start.',
  },
  readDomainPolicy: {
    kind: 'boolean',
    allowed: 'true or false',
    description:
      "Read the domain's validity and notification window from Microsoft Graph (needs admin-consented Domain.Read.All).",
  },
  changePasswordUrl: {
    kind: 'string',
    allowed: 'an https URL',
    description: 'The page that changes a known password; a reminder click opens it.',
  },
  resetPasswordUrl: {
    kind: 'string',
    allowed: 'an https URL',
    description: 'The page that resets a forgotten or expired password.',
  },
  balloonSeconds: {
    kind: 'integer',
    allowed: 'a whole number from 1 to 60',
    description: 'How long a reminder stays on screen, in seconds.',
  },
  startAtLogin: {
    kind: 'boolean',
    allowed: 'true or false (leave unset to let each user decide)',
    description: 'Start Sign-In Assistant when the user signs in to the computer.',
  },
  useWindowsBroker: {
    kind: 'boolean',
    allowed: 'true or false',
    description:
      'On Windows, sign in through the Web Account Manager; false uses the system browser.',
  },
});

export const CONFIG_KEYS = Object.freeze(Object.keys(DEFAULT_CONFIG) as ConfigKey[]);

export function isConfigKey(name: string): name is ConfigKey {
  return Object.prototype.hasOwnProperty.call(DEFAULT_CONFIG, name);
}

/** The settings schema: the one source of validation (precompiled into the command at build). */
export const configSchema = {
  $id: 'signin-assistant/config',
  type: 'object',
  additionalProperties: false,
  properties: {
    tenantId: {
      anyOf: [
        { type: 'null' },
        { type: 'string', pattern: GUID },
        { type: 'string', pattern: DOMAIN },
      ],
    },
    clientId: { anyOf: [{ type: 'null' }, { type: 'string', pattern: GUID }] },
    authority: { type: 'string', pattern: HTTPS_URL },
    graphEndpoint: { type: 'string', pattern: HTTPS_URL },
    passwordValidityDays: { type: 'integer', minimum: 0, maximum: 730 },
    notificationWindowDays: { type: 'integer', minimum: 1, maximum: 30 },
    readDomainPolicy: { type: 'boolean' },
    changePasswordUrl: { type: 'string', pattern: HTTPS_URL },
    resetPasswordUrl: { type: 'string', pattern: HTTPS_URL },
    balloonSeconds: { type: 'integer', minimum: 1, maximum: 60 },
    startAtLogin: { type: ['boolean', 'null'] },
    useWindowsBroker: { type: 'boolean' },
  },
} as const;

const configValidator = schemaValidator<Partial<AssistantConfig>>(configSchema);

export interface ConfigIssue {
  key: string;
  value: unknown;
  allowed: string;
  /** Where the value came from, e.g. a file path or a registry key. */
  source: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(issues.map(describeConfigIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

export function describeConfigIssue(issue: ConfigIssue): string {
  const shown = issue.value === undefined ? 'missing' : JSON.stringify(issue.value);
  return `Configuration error (${issue.source}): "${issue.key}" is ${shown}; allowed: ${issue.allowed}.`;
}

/**
 * Checks one layer of settings (a file, a policy key). Returns the recognised values or the
 * problems found, each naming the key, the value and what is allowed.
 */
export function validateConfigLayer(
  raw: unknown,
  source: string,
): { ok: true; values: Partial<AssistantConfig> } | { ok: false; issues: ConfigIssue[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      issues: [{ key: '(file)', value: raw, allowed: 'a JSON object of settings', source }],
    };
  }
  const validatePartial = configValidator();
  if (validatePartial(raw)) return { ok: true, values: raw };
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const err of validatePartial.errors ?? []) {
    const record = raw as Record<string, unknown>;
    if (err.keyword === 'additionalProperties') {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      if (seen.has(extra)) continue;
      seen.add(extra);
      issues.push({
        key: extra,
        value: record[extra],
        allowed: `not a setting; known settings are ${CONFIG_KEYS.join(', ')}`,
        source,
      });
      continue;
    }
    const key = err.instancePath.split('/')[1] ?? '';
    if (!key || seen.has(key) || !isConfigKey(key)) continue;
    seen.add(key);
    issues.push({ key, value: record[key], allowed: CONFIG_RULES[key].allowed, source });
  }
  return { ok: false, issues };
}

export interface ConfigLayer {
  /** Shown to IT: "default", a file path, "HKLM\\Software\\Policies\\SignInAssistant", ... */
  source: string;
  values: unknown;
  /** True for a layer an admin enforces (machine or user policy): such settings show as locked. */
  enforced?: boolean;
}

export interface ResolvedConfig {
  config: AssistantConfig;
  /** Where each effective value came from. */
  sources: Record<ConfigKey, string>;
  /** Keys decided by policy (shown locked in the UI). */
  locked: ConfigKey[];
}

/**
 * Merges layers from weakest to strongest (defaults first, machine policy last), validating each.
 * Throws ConfigError naming every bad key with its source.
 */
export function resolveConfig(
  layers: readonly ConfigLayer[],
  options: { requireTenant: boolean },
): ResolvedConfig {
  const config: AssistantConfig = { ...DEFAULT_CONFIG };
  const sources = Object.fromEntries(CONFIG_KEYS.map((k) => [k, 'default'])) as Record<
    ConfigKey,
    string
  >;
  const locked = new Set<ConfigKey>();
  const issues: ConfigIssue[] = [];
  for (const layer of layers) {
    const result = validateConfigLayer(layer.values, layer.source);
    if (!result.ok) {
      issues.push(...result.issues);
      continue;
    }
    for (const key of CONFIG_KEYS) {
      if (!(key in result.values)) continue;
      (config as unknown as Record<string, unknown>)[key] = result.values[key];
      sources[key] = layer.source;
      if (layer.enforced) locked.add(key);
    }
  }
  if (issues.length === 0 && options.requireTenant) {
    for (const key of ['tenantId', 'clientId'] as const) {
      if (config[key] === null) {
        issues.push({
          key,
          value: undefined,
          allowed: CONFIG_RULES[key].allowed,
          source: 'not set in the settings file or by policy',
        });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { config, sources, locked: [...locked] };
}

/**
 * Whether two resolutions would run the app differently: any effective value, or which keys
 * policy locks. (Where a value came from alone does not matter.)
 */
export function sameEffectiveConfig(a: ResolvedConfig, b: ResolvedConfig): boolean {
  const locked = (r: ResolvedConfig) => [...r.locked].sort().join(',');
  return CONFIG_KEYS.every((key) => a.config[key] === b.config[key]) && locked(a) === locked(b);
}

/**
 * Policy stores (registry DWORDs, plist integers) have no booleans: 0/1 become false/true for
 * boolean keys. Everything else passes unchanged and is validated by resolveConfig.
 */
export function coercePolicyValue(key: ConfigKey, value: unknown): unknown {
  if (CONFIG_RULES[key].kind === 'boolean' && (value === 0 || value === 1)) return value === 1;
  return value;
}
