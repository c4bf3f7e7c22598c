import { join } from 'node:path';
import type { ResolvedConfig } from '../core/config';
import type { StatusReport } from '../core/model';
import type { Logger, PolicySource } from '../core/ports';
import { createLogger, initLogging, logEffectiveConfig } from '../main/logging';
import { stateFiles } from '../main/paths';
import { createPolicySource } from '../main/policy';
import { JsonFileStore } from '../main/store/jsonFileStore';
import { appVersion } from './appVersion';

export { appVersion };

export interface CliRuntime {
  version: string;
  policy: PolicySource;
  logger(scope: string): Logger;
  logEffectiveConfig(logger: Logger, resolved: ResolvedConfig): void;
  writeDiagnostics(
    out: string,
    resolved: ResolvedConfig | null,
    configError: string | null,
    home: string,
  ): Promise<string[]>;
}

/** The headless command's adapters: admin policy, the log file, diagnostics. */
export async function createCliRuntime(env: NodeJS.ProcessEnv): Promise<CliRuntime> {
  const level = env.SIGNIN_ASSISTANT_LOG_LEVEL === 'debug' ? 'debug' : 'info';
  const logging = await initLogging({ runtime: 'node', level });
  const version = appVersion();
  // The effective settings go into the log ahead of the first line a run writes, so every run
  // that logs anything says what it ran with, and a run with nothing to say writes nothing.
  let settings: (() => void) | null = null;
  const lowest = level === 'debug' ? 0 : 1;
  const loggerFor = (scope: string): Logger => {
    const inner = createLogger(scope);
    const at =
      (name: keyof Logger, rank: number): Logger[keyof Logger] =>
      (message, meta) => {
        if (rank >= lowest && settings) {
          const write = settings;
          settings = null;
          write();
        }
        inner[name](message, meta);
      };
    return {
      debug: at('debug', 0),
      info: at('info', 1),
      warn: at('warn', 2),
      error: at('error', 3),
    };
  };
  const logger = loggerFor('cli');
  return {
    version,
    policy: createPolicySource({ platform: process.platform, logger }),
    logger: loggerFor,
    logEffectiveConfig(settingsLogger, resolved) {
      settings = () => logEffectiveConfig(settingsLogger, resolved);
    },
    async writeDiagnostics(out, resolved, configError, home) {
      const lastReport = await new JsonFileStore<StatusReport>(
        join(home, stateFiles.lastStatus),
        (raw) => raw as StatusReport,
        logger,
      ).read();
      const { writeDiagnosticsZip } = await import('../main/diagnostics.js');
      const result = await writeDiagnosticsZip({
        outFile: out,
        logsDir: logging.logsDir,
        resolved,
        configError,
        versions: { app: version, node: process.versions.node },
        lastReport,
        savedSignIns: await countSavedSignIns(lastReport?.account?.username ?? null, logger),
      });
      return result.entries;
    },
  };
}

/**
 * How many of the account's saved sign-ins Windows Credential Manager holds (names only, never a
 * secret); null elsewhere, without an account, or when the store cannot be read.
 */
async function countSavedSignIns(username: string | null, logger: Logger): Promise<number | null> {
  if (process.platform !== 'win32' || username === null) return null;
  const { createSavedSignIns, savedCredentialStoreFor } =
    await import('../main/credentials/savedSignIns.js');
  const store = savedCredentialStoreFor(process.platform);
  if (!store) return null;
  return (await createSavedSignIns(store, logger).list([username])).length;
}
