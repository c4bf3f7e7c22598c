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
  const logging = await initLogging({
    runtime: 'node',
    level: env.SIGNIN_ASSISTANT_LOG_LEVEL === 'debug' ? 'debug' : 'info',
  });
  const version = appVersion();
  const logger = createLogger('cli');
  return {
    version,
    policy: createPolicySource({ platform: process.platform, logger }),
    logger: createLogger,
    logEffectiveConfig,
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
      });
      return result.entries;
    },
  };
}
