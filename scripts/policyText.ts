/**
 * The Group Policy text of each setting (display name, label, limits) and the app version that
 * first shipped it, for scripts/policyTemplates.ts.
 */
import type { ConfigKey } from '../src/core/config';

export interface PolicyText {
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
  enabled: { displayName: 'Turn Sign-In Assistant on or off', label: '' },
};

/** The release whose templates Intune tenants imported first: every key not listed below. */
export const FIRST_RELEASE = '0.1.0';

/**
 * Keys added after the first release, with the app version that first ships them. Intune cannot
 * update an imported ADMX in place, so each such version also gets an addition template with only
 * its new keys (scripts/policyTemplates.ts). Add a key here when it is added after a release.
 */
export const POLICY_SINCE: Readonly<Partial<Record<ConfigKey, string>>> = {};
