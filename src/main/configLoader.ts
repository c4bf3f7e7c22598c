import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, resolveConfig } from '../core/config';
import type { ConfigLayer, ResolvedConfig } from '../core/config';
import type { PolicySource } from '../core/ports';

export interface LoadConfigOptions {
  /** `--config FILE`; falls back to SIGNIN_ASSISTANT_CONFIG. */
  configPath: string | null;
  env: NodeJS.ProcessEnv;
  /** Admin policy, strongest last. Null where none applies (tests, demo). */
  policy: PolicySource | null;
  /** tenantId and clientId must be set (everywhere but the demo). */
  requireTenant: boolean;
}

export interface LoadedConfig extends ResolvedConfig {
  file: string | null;
}

/**
 * Defaults, then the JSON file, then policy (user policy, then machine policy). Any bad layer
 * raises one ConfigError naming every bad key, its value, what is allowed and where it came from.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const named = options.configPath ?? options.env.SIGNIN_ASSISTANT_CONFIG?.trim() ?? null;
  const file = named ? resolve(named) : null;
  const layers: ConfigLayer[] = [];
  if (file) layers.push(await readConfigFile(file));
  if (options.policy) layers.push(...(await options.policy.read()));
  return { ...resolveConfig(layers, { requireTenant: options.requireTenant }), file };
}

async function readConfigFile(file: string): Promise<ConfigLayer> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([
      {
        key: '(file)',
        value: file,
        allowed: `a readable JSON file (${code === 'ENOENT' ? 'it does not exist' : code})`,
        source: file,
      },
    ]);
  }
  try {
    return { source: file, values: JSON.parse(text) as unknown };
  } catch (error) {
    throw new ConfigError([
      {
        key: '(file)',
        value: file,
        allowed: `valid JSON (${(error as Error).message})`,
        source: file,
      },
    ]);
  }
}
