import { schemaValidator } from './schemaValidator';
import { MAX_SHOWN_CHARS, shortened } from './inputLimits';

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
  /** The last this many days before expiry get a reminder every few hours (0 = off: daily). */
  finalDays: number;
  /** In those last days, hours between reminders (while the user is active). */
  finalDaysEveryHours: number;
  /** null = the user decides (tray menu checkbox); true/false = decided by the admin. */
  startAtLogin: boolean | null;
  /**
   * Read the user's password expiry from on-premises Active Directory: `auto` when the logon has
   * a domain (Kerberos realm), `on` at every check, `off` never.
   */
  onPremisesDirectory: OnPremisesDirectoryMode;
  /** The AD DNS domain; null = from the logon (realm, USERDNSDOMAIN). */
  onPremisesDomain: string | null;
  /** Domain controllers to ask, in order (DNS names); empty = DNS SRV discovery. */
  onPremisesServers: readonly string[];
  /** Where users whose password lives on-premises change it; null = the cloud pages. */
  onPremisesChangePasswordUrl: string | null;
  /** Sign in through the Windows broker (WAM) where present; false = the system browser. */
  useWindowsBroker: boolean;
  /**
   * How users get signed in: `auto` silently with the computer's own account where the platform
   * allows it, else one gentle prompt; `silent` never prompts; `manual` waits for "Sign in".
   */
  signIn: SignInMode;
  /** The page where users add a way to reset their password (phone, Authenticator app). */
  securityInfoUrl: string;
  /** After a change, offer to remove the Windows Credential Manager entries of the account. */
  offerCredentialCleanup: boolean;
  /** false: the assistant is off (no tray, no reminders; `status` says so with exit 6). */
  enabled: boolean;
}

export type SignInMode = 'auto' | 'silent' | 'manual';
export const SIGN_IN_MODES: readonly SignInMode[] = Object.freeze(['auto', 'silent', 'manual']);

export type OnPremisesDirectoryMode = 'auto' | 'off' | 'on';
export const ON_PREMISES_DIRECTORY_MODES: readonly OnPremisesDirectoryMode[] = Object.freeze([
  'auto',
  'off',
  'on',
]);

export type ConfigKey = keyof AssistantConfig;
/** `choice`: one of `choices`; `list`: several strings (REG_MULTI_SZ, or one separated string). */
export type ConfigValueKind = 'string' | 'integer' | 'boolean' | 'choice' | 'list';

interface KeyRule {
  kind: ConfigValueKind;
  /** For `choice`: the accepted values. */
  choices?: readonly string[];
  /** What is allowed, in words, for error messages and the ADMX explain text. */
  allowed: string;
  description: string;
}

const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const DOMAIN = '^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$';
const HTTPS_URL = '^https://[^\\s/?#]+(/[^\\s]*)?$';
const MAX_URL_LENGTH = 2048;

/**
 * Why a URL setting cannot be used, checked with a real URL parser (the pattern alone lets a port
 * of 0 or 99999 or a user name and password through); null when it is fine.
 */
export function httpsUrlProblem(value: string): string | null {
  const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(value)?.[1];
  // Port 0 is no port to connect to: it would fail only at the first request, as "not signed in".
  if (port !== undefined && (port.length > 5 || Number(port) < 1 || Number(port) > 65535)) {
    return 'the port is not between 1 and 65535';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'it is not a valid URL';
  }
  if (url.protocol !== 'https:') return 'it is not https';
  if (url.username !== '' || url.password !== '') return 'it carries a user name or password';
  if (url.hostname === '') return 'it has no host';
  return null;
}

/** A DNS host name with at least one dot (a domain controller's FQDN). */
const HOST =
  '^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$';
/** Up to this many domain controllers in onPremisesServers. */
export const MAX_ON_PREMISES_SERVERS = 20;

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
  finalDays: 0,
  finalDaysEveryHours: 4,
  startAtLogin: null,
  onPremisesDirectory: 'auto',
  onPremisesDomain: null,
  onPremisesServers: Object.freeze([]),
  onPremisesChangePasswordUrl: null,
  useWindowsBroker: true,
  signIn: 'auto',
  securityInfoUrl: 'https://aka.ms/mysecurityinfo',
  offerCredentialCleanup: true,
  enabled: true,
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
    description:
      "How long a reminder stays on screen, in seconds, on macOS and Linux (on Windows the system's notification time applies, 5 seconds by default, and the reminder stays in the Action Center).",
  },
  finalDays: {
    kind: 'integer',
    allowed: 'a whole number from 0 (off) to 14',
    description:
      'In the last this many days before expiry, the reminder comes back every few hours (finalDaysEveryHours) while the user is at the computer, instead of once a day.',
  },
  finalDaysEveryHours: {
    kind: 'integer',
    allowed: 'a whole number from 1 to 12',
    description: 'Hours between reminders in the last days before expiry (see finalDays).',
  },
  startAtLogin: {
    kind: 'boolean',
    allowed: 'true or false (leave unset to let each user decide)',
    description: 'Start Sign-In Assistant when the user signs in to the computer.',
  },
  onPremisesDirectory: {
    kind: 'choice',
    choices: ON_PREMISES_DIRECTORY_MODES,
    allowed: 'auto, on or off',
    description:
      "Read the password expiry of users synced from on-premises Active Directory from AD, with the user's own Windows or Kerberos logon (never a password): auto = when the computer or user has a domain logon, on = at every check (a failure is reported), off = never.",
  },
  onPremisesDomain: {
    kind: 'string',
    allowed: 'a DNS domain name such as corp.contoso.com (leave unset to take it from the logon)',
    description: 'The Active Directory DNS domain whose domain controllers are asked.',
  },
  onPremisesServers: {
    kind: 'list',
    allowed: `up to ${MAX_ON_PREMISES_SERVERS} domain controller DNS names (a list, or one text separated by ; or ,), empty = found through DNS`,
    description:
      'Domain controllers to ask, in order, instead of those found through DNS (_ldap._tcp.dc._msdcs.<domain>).',
  },
  onPremisesChangePasswordUrl: {
    kind: 'string',
    allowed: 'an https URL (leave unset to use the change and reset pages)',
    description:
      "The page where users whose password lives on-premises change it (self-service reset with writeback, or the organisation's own page); reminders and buttons open it for them.",
  },
  useWindowsBroker: {
    kind: 'boolean',
    allowed: 'true or false',
    description:
      'On Windows, sign in through the Web Account Manager; false uses the system browser.',
  },
  signIn: {
    kind: 'choice',
    choices: SIGN_IN_MODES,
    allowed: 'auto, silent or manual',
    description:
      'How users are signed in: auto = silently with the Windows account (broker), else one notification asks them once; silent = never ask (reminders only with single sign-on or a domain logon); manual = only when the user chooses Sign in.',
  },
  securityInfoUrl: {
    kind: 'string',
    allowed: 'an https URL',
    description:
      'The security-info page where users add a phone or the Authenticator app, so they can reset a forgotten password themselves.',
  },
  offerCredentialCleanup: {
    kind: 'boolean',
    allowed: 'true or false',
    description:
      "On Windows, after a password change, offer to remove the account's saved sign-ins in Credential Manager that still hold the old password.",
  },
  enabled: {
    kind: 'boolean',
    allowed: 'true or false',
    description:
      'Sign-In Assistant is on; false turns it off: no tray icon, no reminders, and status exits 6 without signing in or checking.',
  },
});

export const CONFIG_KEYS = Object.freeze(Object.keys(DEFAULT_CONFIG) as ConfigKey[]);

export function isConfigKey(name: string): name is ConfigKey {
  return Object.prototype.hasOwnProperty.call(DEFAULT_CONFIG, name);
}

const httpsUrlSchema = {
  type: 'string',
  maxLength: MAX_URL_LENGTH,
  pattern: HTTPS_URL,
} as const;

/** The settings that hold an https URL (checked with a real parser, see httpsUrlProblem). */
const URL_KEYS: ReadonlySet<ConfigKey> = new Set<ConfigKey>([
  'authority',
  'graphEndpoint',
  'changePasswordUrl',
  'resetPasswordUrl',
  'onPremisesChangePasswordUrl',
  'securityInfoUrl',
]);

/**
 * The settings schema: the one source of validation (precompiled into the command at build).
 * URL settings are also parsed as URLs after it (httpsUrlProblem).
 */
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
    authority: httpsUrlSchema,
    graphEndpoint: httpsUrlSchema,
    passwordValidityDays: { type: 'integer', minimum: 0, maximum: 730 },
    notificationWindowDays: { type: 'integer', minimum: 1, maximum: 30 },
    readDomainPolicy: { type: 'boolean' },
    changePasswordUrl: httpsUrlSchema,
    resetPasswordUrl: httpsUrlSchema,
    balloonSeconds: { type: 'integer', minimum: 1, maximum: 60 },
    finalDays: { type: 'integer', minimum: 0, maximum: 14 },
    finalDaysEveryHours: { type: 'integer', minimum: 1, maximum: 12 },
    startAtLogin: { type: ['boolean', 'null'] },
    onPremisesDirectory: { type: 'string', enum: ['auto', 'off', 'on'] },
    onPremisesDomain: { anyOf: [{ type: 'null' }, { type: 'string', pattern: DOMAIN }] },
    onPremisesServers: {
      anyOf: [
        {
          type: 'array',
          maxItems: MAX_ON_PREMISES_SERVERS,
          items: { type: 'string', pattern: HOST },
        },
        // One text with the names separated by ; or , as a REG_SZ carries them (each name is
        // checked after splitting).
        { type: 'string', maxLength: 5000 },
      ],
    },
    onPremisesChangePasswordUrl: { anyOf: [{ type: 'null' }, httpsUrlSchema] },
    useWindowsBroker: { type: 'boolean' },
    signIn: { type: 'string', enum: ['auto', 'silent', 'manual'] },
    securityInfoUrl: httpsUrlSchema,
    offerCredentialCleanup: { type: 'boolean' },
    enabled: { type: 'boolean' },
  },
} as const;

const configValidator = schemaValidator<Partial<AssistantConfig>>(configSchema);

export interface ConfigIssue {
  key: string;
  value: unknown;
  allowed: string;
  /** Where the value came from, e.g. a file path or a registry key. */
  source: string;
  /** What exactly is wrong with the value, when "allowed" alone does not make it plain. */
  problem?: string;
}

/** At most this many problems are listed; the rest are counted. */
export const MAX_CONFIG_ISSUES_SHOWN = 10;

export class ConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(formatConfigIssues(issues));
    this.name = 'ConfigError';
  }
}

/** One line per problem, the first MAX_CONFIG_ISSUES_SHOWN of them, then how many more. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.slice(0, MAX_CONFIG_ISSUES_SHOWN).map(describeConfigIssue);
  const more = issues.length - MAX_CONFIG_ISSUES_SHOWN;
  if (more > 0) lines.push(`…and ${more} more configuration ${more === 1 ? 'error' : 'errors'}.`);
  return lines.join('\n');
}

/** A credential in a URL's user-info part is never echoed. */
function withoutCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/** A value as a message shows it: JSON, credentials hidden, cut to MAX_SHOWN_CHARS. */
export function showConfigValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(shortened(withoutCredentials(value)));
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    text = Array.isArray(value) ? '[…]' : '{…}';
  }
  return shortened(text, MAX_SHOWN_CHARS);
}

export function describeConfigIssue(issue: ConfigIssue): string {
  const problem = issue.problem ? ` (${issue.problem})` : '';
  return `Configuration error (${shortened(issue.source, 300)}): "${shortened(issue.key)}" is ${showConfigValue(issue.value)}; allowed: ${issue.allowed}${problem}.`;
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
  const record = raw as Record<string, unknown>;
  const urlProblems = urlIssues(record, source);
  if (validatePartial(raw) && urlProblems.length === 0) {
    const values = normalizeLayer(raw);
    const servers = values.onPremisesServers;
    const hostName = new RegExp(HOST);
    if (
      servers !== undefined &&
      (servers.length > MAX_ON_PREMISES_SERVERS || !servers.every((name) => hostName.test(name)))
    ) {
      const issue: ConfigIssue = {
        key: 'onPremisesServers',
        value: raw.onPremisesServers,
        allowed: CONFIG_RULES.onPremisesServers.allowed,
        source,
      };
      return { ok: false, issues: [issue] };
    }
    return { ok: true, values };
  }
  const seen = new Set<string>(urlProblems.map((issue) => issue.key));
  const issues: ConfigIssue[] = [...urlProblems];
  for (const err of validatePartial.errors ?? []) {
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
    const value = record[key];
    const problem =
      typeof value === 'string' && URL_KEYS.has(key)
        ? (httpsUrlProblem(value) ?? (value.length > MAX_URL_LENGTH ? 'it is too long' : null))
        : null;
    issues.push({
      key,
      value,
      allowed: CONFIG_RULES[key].allowed,
      source,
      ...(problem ? { problem } : {}),
    });
  }
  return { ok: false, issues };
}

/** URL settings that pass the pattern but not a real URL parser (a port of 99999, credentials). */
function urlIssues(record: Record<string, unknown>, source: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const key of URL_KEYS) {
    const value = record[key];
    if (typeof value !== 'string') continue;
    const problem = httpsUrlProblem(value);
    if (problem !== null) {
      issues.push({ key, value, allowed: CONFIG_RULES[key].allowed, source, problem });
    }
  }
  return issues;
}

/** Splits a separated list of names; trims and drops empty entries. */
export function splitServerList(text: string): string[] {
  return text
    .split(/[;,]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Valid values in their one shape: a server list given as one text becomes an array. */
function normalizeLayer(values: Partial<AssistantConfig>): Partial<AssistantConfig> {
  const servers: unknown = values.onPremisesServers;
  if (typeof servers === 'string')
    return { ...values, onPremisesServers: splitServerList(servers) };
  if (Array.isArray(servers)) return { ...values, onPremisesServers: servers.map(String) };
  return values;
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
  // Lists compare by their items; everything else is a primitive.
  const same = (key: ConfigKey) => JSON.stringify(a.config[key]) === JSON.stringify(b.config[key]);
  return CONFIG_KEYS.every(same) && locked(a) === locked(b);
}

/**
 * Policy stores (registry DWORDs, plist integers) have no booleans: 0/1 become false/true for
 * boolean keys. Everything else passes unchanged and is validated by resolveConfig.
 */
export function coercePolicyValue(key: ConfigKey, value: unknown): unknown {
  if (CONFIG_RULES[key].kind === 'boolean' && (value === 0 || value === 1)) return value === 1;
  return value;
}
