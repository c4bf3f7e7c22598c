import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, resolveConfig } from '../core/config';
import type { ConfigLayer, ResolvedConfig } from '../core/config';
import type { PolicySource } from '../core/ports';
import { MAX_FILE_BYTES, parseBoundedJson } from '../core/inputLimits';

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

function fileIssue(file: string, allowed: string): ConfigError {
  return new ConfigError([{ key: '(file)', value: file, allowed, source: file }]);
}

/** Up to `limit` + 1 bytes of a regular file, so a huge file or a device is never read whole. */
async function readAtMost(file: string, limit: number): Promise<Buffer> {
  // Non-blocking open: a FIFO without a writer must not hang the check.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) {
      throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
    }
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

async function readConfigFile(file: string): Promise<ConfigLayer> {
  let bytes: Buffer;
  try {
    bytes = await readAtMost(file, MAX_FILE_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw fileIssue(
      file,
      `a readable JSON file (${code === 'ENOENT' ? 'it does not exist' : code})`,
    );
  }
  if (bytes.length > MAX_FILE_BYTES) {
    throw fileIssue(file, `a JSON file of at most ${MAX_FILE_BYTES / 1024} KB (it is larger)`);
  }
  // Windows tools (Notepad, PowerShell's Out-File) start UTF-8 files with a byte order mark.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const parsed = parseBoundedJson(text);
  if (!parsed.ok)
    throw fileIssue(file, `a JSON object of settings (this file is ${parsed.problem})`);
  return { source: file, values: parsed.value };
}
