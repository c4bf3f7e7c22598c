import { CONFIG_KEYS, type ResolvedConfig } from '../../core/config';
import type { Logger } from '../../core/ports';

/** At start: every effective setting, where it came from, and whether policy locks it. */
export function logEffectiveConfig(logger: Logger, resolved: ResolvedConfig): void {
  const locked = new Set(resolved.locked);
  for (const key of CONFIG_KEYS) {
    logger.info(`Setting ${key}`, {
      value: resolved.config[key],
      source: resolved.sources[key],
      locked: locked.has(key),
    });
  }
}

/** The same facts as data, for the diagnostics archive. */
export function describeEffectiveConfig(
  resolved: ResolvedConfig,
): Record<string, { value: unknown; source: string; locked: boolean }> {
  const locked = new Set(resolved.locked);
  return Object.fromEntries(
    CONFIG_KEYS.map((key) => [
      key,
      { value: resolved.config[key], source: resolved.sources[key], locked: locked.has(key) },
    ]),
  );
}
