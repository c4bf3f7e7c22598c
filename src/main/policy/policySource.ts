/**
 * Admin policy for every configuration key, read fresh at each check (it is cheap):
 * - Windows: HKCU then HKLM `Software\Policies\SignInAssistant` (HKLM wins: it comes last);
 * - macOS: managed preferences for the user, then for the computer;
 * - Linux: /etc/signin-assistant/config.json.
 * Value names are the configuration key names. Bad values are reported by resolveConfig, which
 * names the registry key or file they came from.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_RULES,
  coercePolicyValue,
  isConfigKey,
  type ConfigKey,
  type ConfigLayer,
} from '../../core/config';
import type { Logger, PolicySource } from '../../core/ports';
import { createPlistFileReader, type PlistReader } from './plistReader';
import {
  createNativeRegistryReader,
  type RegistryHive,
  type RegistryReader,
  type RegistryValue,
} from './registryReader';

export const POLICY_REGISTRY_KEY = 'Software\\Policies\\SignInAssistant';
/** The macOS preference domain: the app ID. */
export const MANAGED_PREFERENCES_DOMAIN = 'com.signinassistant.app';
export const MANAGED_PREFERENCES_DIR = '/Library/Managed Preferences';
export const LINUX_POLICY_FILE = '/etc/signin-assistant/config.json';

export interface PolicySourceOptions {
  platform: NodeJS.Platform;
  /** Windows; defaults to the native registry. */
  registry?: RegistryReader;
  /** macOS; defaults to reading property list files. */
  plist?: PlistReader;
  /** macOS: whose per-user managed preferences to read; defaults to the current user. */
  userName?: string;
  /** macOS: defaults to /Library/Managed Preferences (tests point it elsewhere). */
  managedPreferencesDir?: string;
  /** Linux: defaults to /etc/signin-assistant/config.json (tests point it elsewhere). */
  linuxPolicyFile?: string;
  /** Told about values that are not configuration keys (they are ignored). */
  logger?: Logger;
}

export function createPolicySource(options: PolicySourceOptions): PolicySource {
  switch (options.platform) {
    case 'win32':
      return windowsPolicySource(options.registry ?? createNativeRegistryReader(), options.logger);
    case 'darwin':
      return macPolicySource(
        options.plist ?? createPlistFileReader(),
        options.managedPreferencesDir ?? MANAGED_PREFERENCES_DIR,
        options.userName ?? userInfo().username,
        options.logger,
      );
    case 'linux':
      return linuxPolicySource(options.linuxPolicyFile ?? LINUX_POLICY_FILE);
    default:
      return { read: () => Promise.resolve([]) };
  }
}

function windowsPolicySource(registry: RegistryReader, logger?: Logger): PolicySource {
  const hives: RegistryHive[] = ['HKCU', 'HKLM'];
  return {
    async read() {
      const layers: ConfigLayer[] = [];
      for (const hive of hives) {
        const source = `${hive}\\${POLICY_REGISTRY_KEY}`;
        const values = await registry.readValues(hive, POLICY_REGISTRY_KEY);
        if (values === null) continue;
        const settings: Record<string, unknown> = {};
        for (const [name, value] of values) {
          if (!isConfigKey(name)) {
            if (name !== '')
              logger?.warn('Ignoring a policy value that is not a setting', { source, name });
            continue;
          }
          settings[name] = fromRegistry(name, value);
        }
        if (Object.keys(settings).length > 0)
          layers.push({ source, values: settings, enforced: true });
      }
      return layers;
    },
  };
}

/**
 * Registry values to setting values. DWORD 0/1 become booleans for boolean keys; a string of digits
 * is accepted for a number (admins often create REG_SZ by hand). Anything else passes as it is and
 * is reported by validation.
 */
export function fromRegistry(key: ConfigKey, value: RegistryValue): unknown {
  const kind = CONFIG_RULES[key].kind;
  switch (value.type) {
    case 'dword':
      return coercePolicyValue(key, value.value);
    case 'qword': {
      const n = Number(value.value);
      return coercePolicyValue(key, Number.isSafeInteger(n) ? n : String(value.value));
    }
    case 'string': {
      const text = value.value.trim();
      if (kind === 'integer' && /^-?\d{1,10}$/.test(text)) return Number(text);
      if (kind === 'boolean' && /^(0|1)$/.test(text)) return coercePolicyValue(key, Number(text));
      if (kind === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
      return value.value;
    }
    case 'multi-string':
      return value.value;
    case 'other':
      return value.description;
  }
}

function macPolicySource(
  plist: PlistReader,
  dir: string,
  userName: string,
  logger?: Logger,
): PolicySource {
  const files = [
    join(dir, userName, `${MANAGED_PREFERENCES_DOMAIN}.plist`),
    join(dir, `${MANAGED_PREFERENCES_DOMAIN}.plist`),
  ];
  return {
    async read() {
      const layers: ConfigLayer[] = [];
      for (const file of files) {
        let dictionary: Record<string, unknown> | null;
        try {
          dictionary = await plist.readDictionary(file);
        } catch (error) {
          layers.push(unreadable(file, error));
          continue;
        }
        if (dictionary === null) continue;
        const settings: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(dictionary)) {
          if (!isConfigKey(name)) {
            // Profiles add their own bookkeeping keys next to ours.
            logger?.debug('Ignoring a managed preference that is not a setting', {
              source: file,
              name,
            });
            continue;
          }
          settings[name] = coercePolicyValue(name, value);
        }
        if (Object.keys(settings).length > 0)
          layers.push({ source: file, values: settings, enforced: true });
      }
      return layers;
    },
  };
}

function linuxPolicySource(file: string): PolicySource {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        return [unreadable(file, error)];
      }
      try {
        return [{ source: file, values: JSON.parse(text) as unknown, enforced: true }];
      } catch (error) {
        return [unreadable(file, error)];
      }
    },
  };
}

/** A layer that fails validation with the reason, so resolveConfig reports it with its source. */
function unreadable(source: string, error: unknown): ConfigLayer {
  const reason = error instanceof Error ? error.message : String(error);
  return { source, values: `unreadable: ${reason}`, enforced: true };
}
