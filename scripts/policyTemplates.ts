/**
 * Generates the Group Policy templates (deploy/policy/SignInAssistant.admx and
 * en-US/SignInAssistant.adml) from the configuration rules, so every setting has a policy.
 * Run: node --import tsx scripts/policyTemplates.ts   (test/unit/policyTemplates.test.ts checks
 * that the committed files are current and consistent.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_KEYS,
  CONFIG_RULES,
  DEFAULT_CONFIG,
  MAX_ON_PREMISES_SERVERS,
  type ConfigKey,
} from '../src/core/config';

export const POLICY_KEY = 'Software\\Policies\\SignInAssistant';
const NAMESPACE = 'SignInAssistant.Policies.SignInAssistant';
const CATEGORY = 'SignInAssistant';
const SUPPORTED = 'SUPPORTED_SignInAssistant_0_1';

interface PolicyText {
  displayName: string;
  /** The label beside the input box. */
  label: string;
  /** Text boxes: the longest accepted value. */
  maxLength?: number;
  /** Numbers: the accepted range (the same as the configuration schema; a test checks it). */
  range?: { min: number; max: number };
  /** Choices: the drop-down text of each accepted value. */
  choiceNames?: Readonly<Record<string, string>>;
}

export const POLICY_TEXT: Readonly<Record<ConfigKey, PolicyText>> = {
  tenantId: { displayName: 'Tenant', label: 'Tenant ID or domain:', maxLength: 253 },
  clientId: { displayName: 'Application (client) ID', label: 'Client ID:', maxLength: 36 },
  authority: { displayName: 'Sign-in service', label: 'Authority URL:', maxLength: 2048 },
  graphEndpoint: { displayName: 'Microsoft Graph endpoint', label: 'Graph URL:', maxLength: 2048 },
  passwordValidityDays: {
    displayName: 'Password validity (days)',
    label: 'Days (0 = never expires):',
    range: { min: 0, max: 730 },
  },
  notificationWindowDays: {
    displayName: 'Reminder window (days before expiry)',
    label: 'Days:',
    range: { min: 1, max: 30 },
  },
  readDomainPolicy: { displayName: "Read the domain's password policy", label: '' },
  changePasswordUrl: { displayName: 'Change password page', label: 'URL:', maxLength: 2048 },
  resetPasswordUrl: { displayName: 'Reset password page', label: 'URL:', maxLength: 2048 },
  balloonSeconds: {
    displayName: 'Reminder display time (seconds)',
    label: 'Seconds:',
    range: { min: 1, max: 60 },
  },
  finalDays: {
    displayName: 'Reminders every few hours in the last days (days before expiry)',
    label: 'Days (0 = off):',
    range: { min: 0, max: 14 },
  },
  finalDaysEveryHours: {
    displayName: 'Hours between reminders in the last days',
    label: 'Hours:',
    range: { min: 1, max: 12 },
  },
  startAtLogin: { displayName: 'Start at sign-in', label: '' },
  onPremisesDirectory: {
    displayName: 'Read the password expiry from on-premises Active Directory',
    label: 'Mode:',
    choiceNames: {
      auto: 'Automatic: when the user has a domain logon',
      on: 'On: at every check, report failures',
      off: 'Off: never',
    },
  },
  onPremisesDomain: {
    displayName: 'On-premises Active Directory domain',
    label: 'DNS domain:',
    maxLength: 253,
  },
  onPremisesServers: {
    displayName: 'On-premises domain controllers',
    label: 'Domain controller DNS names, one per line:',
    maxLength: 253,
  },
  onPremisesChangePasswordUrl: {
    displayName: 'Change password page for on-premises passwords',
    label: 'URL:',
    maxLength: 2048,
  },
  useWindowsBroker: { displayName: 'Sign in through the Windows broker', label: '' },
  signIn: {
    displayName: 'How users are signed in',
    label: 'Mode:',
    choiceNames: {
      auto: 'Automatic: silently with the Windows account, else ask once',
      silent: 'Silent only: never ask',
      manual: 'Manual: only when the user chooses Sign in',
    },
  },
  securityInfoUrl: { displayName: 'Security info page', label: 'URL:', maxLength: 2048 },
  offerCredentialCleanup: { displayName: 'Offer to remove old saved sign-ins', label: '' },
};

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

export function renderAdmx(): string {
  const policies = CONFIG_KEYS.map((key) => {
    const kind = CONFIG_RULES[key].kind;
    const head = `    <policy name="${key}" class="Both" displayName="$(string.${key})" explainText="$(string.${key}_Explain)"`;
    const common = [
      `      <parentCategory ref="${CATEGORY}" />`,
      `      <supportedOn ref="${SUPPORTED}" />`,
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
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by scripts/policyTemplates.ts from src/core/config.ts: do not edit by hand. -->',
    '<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    '  <policyNamespaces>',
    `    <target prefix="signinassistant" namespace="${NAMESPACE}" />`,
    '  </policyNamespaces>',
    '  <resources minRequiredRevision="1.0" />',
    '  <supportedOn>',
    '    <definitions>',
    `      <definition name="${SUPPORTED}" displayName="$(string.${SUPPORTED})" />`,
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    `    <category name="${CATEGORY}" displayName="$(string.${CATEGORY})" explainText="$(string.${CATEGORY}_Explain)" />`,
    '  </categories>',
    '  <policies>',
    ...policies,
    '  </policies>',
    '</policyDefinitions>',
    '',
  ].join('\n');
}

export function renderAdml(): string {
  const strings: [string, string][] = [
    [CATEGORY, 'Sign-In Assistant'],
    [
      `${CATEGORY}_Explain`,
      'Settings of Sign-In Assistant, which warns Microsoft 365 users before their password expires.',
    ],
    [SUPPORTED, 'Sign-In Assistant 0.1 and later'],
  ];
  for (const key of CONFIG_KEYS) {
    strings.push([key, POLICY_TEXT[key].displayName], [`${key}_Explain`, explain(key)]);
    for (const choice of CONFIG_RULES[key].choices ?? []) {
      strings.push([`${key}_${choice}`, POLICY_TEXT[key].choiceNames?.[choice] ?? choice]);
    }
  }
  const presentations = CONFIG_KEYS.filter((key) => CONFIG_RULES[key].kind !== 'boolean').map(
    (key) => {
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
    },
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by scripts/policyTemplates.ts from src/core/config.ts: do not edit by hand. -->',
    '<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">',
    '  <displayName>Sign-In Assistant</displayName>',
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

export const ADMX_PATH = join('deploy', 'policy', 'SignInAssistant.admx');
export const ADML_PATH = join('deploy', 'policy', 'en-US', 'SignInAssistant.adml');

if (require.main === module) {
  const root = join(__dirname, '..');
  writeFileSync(join(root, ADMX_PATH), renderAdmx());
  writeFileSync(join(root, ADML_PATH), renderAdml());
  console.log(`Wrote ${ADMX_PATH} and ${ADML_PATH}`);
}
