/**
 * Generates the Group Policy templates (deploy/policy/SignInAssistant.admx and
 * en-US/SignInAssistant.adml) from the configuration rules, so every setting has a policy, with
 * the revision taken from package.json's version; and, for each version that added keys after the
 * first release, an Intune addition template with only those keys (deploy/policy/intune/).
 * Run: node --import tsx scripts/policyTemplates.ts   (test/unit/policyTemplates.test.ts checks
 * that the committed files are current and consistent.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CONFIG_KEYS,
  CONFIG_RULES,
  DEFAULT_CONFIG,
  MAX_ON_PREMISES_SERVERS,
  type ConfigKey,
} from '../src/core/config';
import { FIRST_RELEASE, POLICY_SINCE, POLICY_TEXT } from './policyText';

export const POLICY_KEY = 'Software\\Policies\\SignInAssistant';
export const NAMESPACE = 'SignInAssistant.Policies.SignInAssistant';
const PREFIX = 'signinassistant';
const CATEGORY = 'SignInAssistant';
const SUPPORTED = 'SUPPORTED_SignInAssistant_0_1';
export const ADMX_PATH = join('deploy', 'policy', 'SignInAssistant.admx');
export const ADML_PATH = join('deploy', 'policy', 'en-US', 'SignInAssistant.adml');

/**
 * The templates' revision for an app version: "MAJOR*100+MINOR.PATCH" (0.1.0 is "1.0", 0.2.3 is
 * "2.3", 1.4.0 is "104.0"), so it grows with every release while the minor number stays below 100.
 */
export function admxRevision(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  if (minor >= 100) throw new Error(`minor version ${minor} does not fit the ADMX revision`);
  return `${major * 100 + minor}.${patch}`;
}

/** What one pair of template files holds. */
export interface TemplateSet {
  /** The app version the files are made for (their revision). */
  version: string;
  keys: readonly ConfigKey[];
  /**
   * null: the full template (its own namespace, category and support statement); a version: the
   * Intune addition for the keys that version added, in a namespace of its own that uses the full
   * template's category.
   */
  addition: string | null;
}

export function appVersion(root = join(__dirname, '..')): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export function fullTemplate(version: string): TemplateSet {
  return { version, keys: CONFIG_KEYS, addition: null };
}

/** The addition templates: one per version (up to `version`) that added keys after the first. */
export function additionTemplates(
  version: string,
  since: Readonly<Partial<Record<ConfigKey, string>>> = POLICY_SINCE,
): TemplateSet[] {
  const versions = [...new Set(Object.values(since))].filter(
    (added) => added !== FIRST_RELEASE && compareVersions(added, version) <= 0,
  );
  return versions.sort(compareVersions).map((added) => ({
    version,
    keys: CONFIG_KEYS.filter((key) => since[key] === added),
    addition: added,
  }));
}

function compareVersions(a: string, b: string): number {
  const [ra, rb] = [admxRevision(a), admxRevision(b)].map((r) => r.split('.').map(Number));
  return (ra?.[0] ?? 0) - (rb?.[0] ?? 0) || (ra?.[1] ?? 0) - (rb?.[1] ?? 0);
}

function namespaceOf(set: TemplateSet): string {
  return set.addition === null
    ? NAMESPACE
    : `${NAMESPACE}.Added_${set.addition.replace(/\W/g, '_')}`;
}

/** The file names of a set, relative to the repository. */
export function templatePaths(set: TemplateSet): { admx: string; adml: string } {
  if (set.addition === null) return { admx: ADMX_PATH, adml: ADML_PATH };
  const name = `SignInAssistant-added-${set.addition}`;
  return {
    admx: join('deploy', 'policy', 'intune', `${name}.admx`),
    adml: join('deploy', 'policy', 'intune', 'en-US', `${name}.adml`),
  };
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function explain(key: ConfigKey): string {
  const rule = CONFIG_RULES[key];
  const fallback = DEFAULT_CONFIG[key];
  const defaultText =
    fallback === null
      ? key === 'startAtLogin'
        ? 'not set: each user decides in the tray menu'
        : 'not set'
      : Array.isArray(fallback)
        ? fallback.length === 0
          ? 'empty'
          : fallback.join('; ')
        : String(fallback);
  const valueType = {
    string: 'REG_SZ',
    choice: 'REG_SZ',
    integer: 'REG_DWORD',
    boolean: 'REG_DWORD 1 or 0',
    list: 'REG_MULTI_SZ, or REG_SZ with the names separated by ;',
  }[rule.kind];
  const states =
    rule.kind === 'boolean'
      ? 'Enabled = true, Disabled = false, Not Configured = the default applies.'
      : 'Not Configured or Disabled = the value from the configuration file or the default applies.';
  return [
    rule.description,
    `Allowed: ${rule.allowed}.`,
    `Default: ${defaultText}.`,
    states,
    `Registry: value "${key}" (${valueType}) under ${POLICY_KEY}. A computer policy (HKLM) wins over a user policy (HKCU). Settings set by policy are shown as locked.`,
  ].join('\n\n');
}

export function renderAdmx(set: TemplateSet = fullTemplate(appVersion())): string {
  // An addition refers to the full template's category and support statement by its prefix.
  const ref = set.addition === null ? '' : `${PREFIX}:`;
  const policies = set.keys.map((key) => {
    const kind = CONFIG_RULES[key].kind;
    const head = `    <policy name="${key}" class="Both" displayName="$(string.${key})" explainText="$(string.${key}_Explain)"`;
    const common = [
      `      <parentCategory ref="${ref}${CATEGORY}" />`,
      `      <supportedOn ref="${ref}${SUPPORTED}" />`,
    ];
    if (kind === 'boolean') {
      return [
        `${head} key="${POLICY_KEY}" valueName="${key}">`,
        ...common,
        '      <enabledValue>',
        '        <decimal value="1" />',
        '      </enabledValue>',
        '      <disabledValue>',
        '        <decimal value="0" />',
        '      </disabledValue>',
        '    </policy>',
      ].join('\n');
    }
    const text = POLICY_TEXT[key];
    let element: string;
    switch (kind) {
      case 'integer':
        element = `<decimal id="${key}" valueName="${key}" minValue="${text.range?.min ?? 0}" maxValue="${text.range?.max ?? 0}" required="true" />`;
        break;
      case 'list':
        element = `<multiText id="${key}" valueName="${key}" maxLength="${text.maxLength ?? 1024}" maxStrings="${MAX_ON_PREMISES_SERVERS}" required="true" />`;
        break;
      case 'choice':
        element = [
          `<enum id="${key}" valueName="${key}" required="true">`,
          ...(CONFIG_RULES[key].choices ?? []).flatMap((choice) => [
            `          <item displayName="$(string.${key}_${choice})">`,
            `            <value><string>${xml(choice)}</string></value>`,
            '          </item>',
          ]),
          '        </enum>',
        ].join('\n');
        break;
      default:
        element = `<text id="${key}" valueName="${key}" maxLength="${text.maxLength ?? 1024}" required="true" />`;
    }
    return [
      `${head} presentation="$(presentation.${key})" key="${POLICY_KEY}">`,
      ...common,
      '      <elements>',
      `        ${element}`,
      '      </elements>',
      '    </policy>',
    ].join('\n');
  });
  const revision = admxRevision(set.version);
  const own =
    set.addition === null
      ? [
          '  <supportedOn>',
          '    <definitions>',
          `      <definition name="${SUPPORTED}" displayName="$(string.${SUPPORTED})" />`,
          '    </definitions>',
          '  </supportedOn>',
          '  <categories>',
          `    <category name="${CATEGORY}" displayName="$(string.${CATEGORY})" explainText="$(string.${CATEGORY}_Explain)" />`,
          '  </categories>',
        ]
      : [];
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by scripts/policyTemplates.ts from src/core/config.ts: do not edit by hand. -->',
    `<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="${revision}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">`,
    '  <policyNamespaces>',
    set.addition === null
      ? `    <target prefix="${PREFIX}" namespace="${NAMESPACE}" />`
      : `    <target prefix="${PREFIX}added" namespace="${namespaceOf(set)}" />\n    <using prefix="${PREFIX}" namespace="${NAMESPACE}" />`,
    '  </policyNamespaces>',
    `  <resources minRequiredRevision="${revision}" />`,
    ...own,
    '  <policies>',
    ...policies,
    '  </policies>',
    '</policyDefinitions>',
    '',
  ].join('\n');
}

export function renderAdml(set: TemplateSet = fullTemplate(appVersion())): string {
  const strings: [string, string][] =
    set.addition === null
      ? [
          [CATEGORY, 'Sign-In Assistant'],
          [
            `${CATEGORY}_Explain`,
            'Settings of Sign-In Assistant, which warns Microsoft 365 users before their password expires.',
          ],
          [SUPPORTED, 'Sign-In Assistant 0.1 and later'],
        ]
      : [];
  for (const key of set.keys) {
    strings.push([key, POLICY_TEXT[key].displayName], [`${key}_Explain`, explain(key)]);
    for (const choice of CONFIG_RULES[key].choices ?? []) {
      strings.push([`${key}_${choice}`, POLICY_TEXT[key].choiceNames?.[choice] ?? choice]);
    }
  }
  const presentations = set.keys
    .filter((key) => CONFIG_RULES[key].kind !== 'boolean')
    .map((key) => {
      const text = POLICY_TEXT[key];
      const fallback = DEFAULT_CONFIG[key];
      const choices = CONFIG_RULES[key].choices ?? [];
      const box =
        CONFIG_RULES[key].kind === 'integer'
          ? `<decimalTextBox refId="${key}" defaultValue="${String(fallback)}">${xml(text.label)}</decimalTextBox>`
          : CONFIG_RULES[key].kind === 'choice'
            ? `<dropdownList refId="${key}" noSort="true" defaultItem="${Math.max(0, choices.indexOf(String(fallback)))}">${xml(text.label)}</dropdownList>`
            : CONFIG_RULES[key].kind === 'list'
              ? // The label goes in its own text line: multiTextBox itself carries none.
                `<text>${xml(text.label)}</text>\n        <multiTextBox refId="${key}" defaultHeight="4" />`
              : [
                  `<textBox refId="${key}">`,
                  `          <label>${xml(text.label)}</label>`,
                  ...(typeof fallback === 'string'
                    ? [`          <defaultValue>${xml(fallback)}</defaultValue>`]
                    : []),
                  '        </textBox>',
                ].join('\n');
      return [`      <presentation id="${key}">`, `        ${box}`, '      </presentation>'].join(
        '\n',
      );
    });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by scripts/policyTemplates.ts from src/core/config.ts: do not edit by hand. -->',
    `<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="${admxRevision(set.version)}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">`,
    `  <displayName>Sign-In Assistant${set.addition === null ? '' : `: settings added in ${set.addition}`}</displayName>`,
    '  <description>Group Policy settings for Sign-In Assistant.</description>',
    '  <resources>',
    '    <stringTable>',
    ...strings.map(([id, text]) => `      <string id="${id}">${xml(text)}</string>`),
    '    </stringTable>',
    '    <presentationTable>',
    ...presentations,
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}

if (require.main === module) {
  const root = join(__dirname, '..');
  const version = appVersion(root);
  for (const set of [fullTemplate(version), ...additionTemplates(version)]) {
    const paths = templatePaths(set);
    mkdirSync(dirname(join(root, paths.adml)), { recursive: true });
    writeFileSync(join(root, paths.admx), renderAdmx(set));
    writeFileSync(join(root, paths.adml), renderAdml(set));
    console.log(`Wrote ${paths.admx} and ${paths.adml} (revision ${admxRevision(version)})`);
  }
}
