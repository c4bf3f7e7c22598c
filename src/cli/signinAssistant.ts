#!/usr/bin/env node
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config';
import { ExitCode } from '../core/model';
import type { ExitCodeValue } from '../core/model';
import type { DirectorySource, Logger } from '../core/ports';
import { describeStatus, exitCodeForReport } from '../core/statusReport';
import { useWallClock } from '../core/localCalendar';
import { loadConfig } from '../main/configLoader';
import type { LoadedConfig } from '../main/configLoader';
import type { Engine } from '../main/engine';
import type { Transport } from '../main/net/httpClient';
import { transportFromEnvironment } from '../main/net/proxyTransport';
import { userDataHome } from '../main/paths';
import { systemTimeZone } from '../main/systemTimeZone';
import { processWallClock } from '../main/processWallClock';
import { openInSystemBrowser } from '../main/systemBrowser';
import type { DesktopNotifier } from '../main/desktopNotifier';
import { moveRoamingState } from '../main/store/roamingState';
import { StateFileError, describeFileFailure } from '../main/store/stateFileAccess';
import { lstat } from 'node:fs/promises';
import { appVersion } from './appVersion';
import { configurationErrorReport } from './configErrorReport';
import { processOutput } from './processOutput';
import { describeParseFailure, describeUnknownCommand } from './usageText';
import { signInPromptStep } from './signInPromptNotice';
import { reminderStep, runNotifySteps } from './statusNotify';
import { turnedOffJson, turnedOffMessage } from './turnedOff';

const USAGE = `Usage: signin-assistant <command> [options]

Commands:
  sign-in [--device-code]      Sign in (system browser, or a code to enter on another device)
  status [--json] [--notify]   Check the password now; --notify also shows a due reminder
  sign-out                     Forget the account and its tokens
  diagnostics --out FILE       Write a zip for IT: logs, effective settings, versions, last check

Options:
  --config FILE                Settings file (also SIGNIN_ASSISTANT_CONFIG)
  --help, --version

Exit codes of status: 0 ok / never expires / unknown, 1 expiring, 2 expired,
3 sign-in needed or other sign-in error, 4 configuration or usage error,
5 service unreachable or an unusable answer, 6 turned off by policy (enabled = false).`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean' },
        notify: { type: 'boolean' },
        'device-code': { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(describeParseFailure(error as Error));
  }
}

export interface CliPorts {
  /** Shows `status --notify`'s reminder (Electron's Notification inside the packaged app). */
  notifier?: DesktopNotifier;
  /**
   * Carries every request (the packaged app's network stack); when absent, the proxy the
   * environment names, otherwise direct connections.
   */
  transport?: Transport | null;
  /**
   * The command has the process to itself (run as a program, not hosted by the tray app or a
   * test): its local time may be set to the user's zone, so dates are read without Intl.
   */
  ownsProcess?: boolean;
  /** Opens the tray app (the packaged app); without it, a click on the sign-in prompt signs in. */
  openTrayApp?: () => Promise<void>;
}

/** Runs one command and returns its exit code; never throws for expected failures. */
export async function runCli(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
  ports: CliPorts = {},
): Promise<ExitCodeValue> {
  try {
    return await runCommand(argv, io, env, ports);
  } catch (error) {
    // A file the command needs could not be used: one sentence naming it, no stack.
    if (!(error instanceof StateFileError)) throw error;
    io.err(error.message);
    return ExitCode.authError;
  }
}

async function runCommand(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  ports: CliPorts,
): Promise<ExitCodeValue> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return ExitCode.configError;
  }
  const { values, positionals } = args;
  if (values.config !== undefined && values.config.trim() === '') {
    // "--config=" or "--config ''" is a mistake in a script, not "no settings file".
    io.err(`--config needs a file name\n\n${USAGE}`);
    return ExitCode.configError;
  }
  if (values.version) {
    io.out(appVersion());
    return ExitCode.ok;
  }
  const command = positionals[0];
  if (values.help || !command) {
    io.out(USAGE);
    return values.help ? ExitCode.ok : ExitCode.configError;
  }
  if (
    !['sign-in', 'status', 'sign-out', 'diagnostics'].includes(command) ||
    positionals.length > 1
  ) {
    io.err(`${describeUnknownCommand(positionals)}\n\n${USAGE}`);
    return ExitCode.configError;
  }
  // The log, admin policy and diagnostics: set up only for a command that uses them.
  const { createCliRuntime } = await import('./cliRuntime.js');
  const runtime = await createCliRuntime(env);

  const home = userDataHome(env, process.platform, homedir());
  // An earlier version's state, moved once from Roaming AppData (Windows; then one local look).
  await moveRoamingState({
    platform: process.platform,
    env,
    homeDir: homedir(),
    logger: runtime.logger('cli'),
  });
  if (command === 'diagnostics' && !values.out) {
    io.err('diagnostics needs --out FILE');
    return ExitCode.configError;
  }
  let loaded: LoadedConfig | null = null;
  let configError: ConfigError | null = null;
  try {
    loaded = await loadConfig({
      configPath: values.config ?? null,
      env,
      policy: runtime.policy,
      requireTenant: true,
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = error;
  }
  const logger = runtime.logger('cli');
  if (command === 'diagnostics' && values.out) {
    const out = values.out;
    if (
      await lstat(out).then(
        (info) => info.isDirectory(),
        () => false,
      )
    ) {
      io.err(
        `${out} is a folder. Give a file name for the zip, such as ${out.replace(/[\\/]+$/, '')}/signin-assistant-diagnostics.zip.`,
      );
      return ExitCode.configError;
    }
    // Diagnostics matter most when the configuration is broken: they are written either way.
    let entries: string[];
    try {
      entries = await runtime.writeDiagnostics(out, loaded, configError?.message ?? null, home);
    } catch (error) {
      io.err(describeFileFailure(error, out, 'save').message);
      return ExitCode.configError;
    }
    io.out(`Diagnostics written to ${values.out} (${entries.length} entries, no tokens).`);
    return ExitCode.ok;
  }
  if (!loaded) {
    logger.error('Configuration error', { message: configError?.message });
    const message = configError?.message ?? 'Configuration error';
    io.err(message);
    if (command === 'status' && values.json) {
      io.out(JSON.stringify(configurationErrorReport(message)));
    }
    return ExitCode.configError;
  }
  const off = command === 'sign-out' ? null : turnedOffMessage(loaded);
  if (off !== null) {
    logger.info('turned off by policy; nothing checked', { source: loaded.sources.enabled });
    io.out(values.json && command === 'status' ? turnedOffJson(off, values.notify === true) : off);
    return ExitCode.disabled;
  }
  // The first use of the time zone data costs tens of milliseconds: it is worked out while the
  // keyring answers the engine's first read (the engine asks for the zone only when it reports).
  let zone: string | null = null;
  const timeZone = (): string => {
    if (zone === null) {
      zone = systemTimeZone(env, logger);
      if (ports.ownsProcess) useWallClock(processWallClock(zone));
    }
    return zone;
  };
  runtime.logEffectiveConfig(logger, loaded);

  // The engine (MSAL, the keyring, Graph) is loaded only by the commands that use it.
  const { createEngine } = await import('../main/engine.js');
  const transport = ports.transport === undefined ? transportFromEnvironment(env) : ports.transport;
  const engine: Engine = await createEngine({
    config: loaded.config,
    home,
    get timeZone() {
      return timeZone();
    },
    clock: { now: () => new Date() },
    logger,
    ...(transport ? { http: { transport } } : {}),
    // The user's own on-premises AD entry, for users synced from it (loaded at the first read).
    directory: directoryLoadedAtFirstRead(env, logger),
    openBrowser: async (url) => {
      io.err('Opening your browser to sign in…');
      await openInSystemBrowser(url);
    },
  });
  timeZone();
  try {
    switch (command) {
      case 'sign-in': {
        const report = await engine.signIn(
          values['device-code'] ? { onDeviceCode: (message) => io.err(message) } : undefined,
        );
        io.out(describeStatus(report, timeZone()));
        return report.account && !report.error ? ExitCode.ok : ExitCode.authError;
      }
      case 'sign-out': {
        const report = await engine.signOut();
        // After a sign-out the check says "not signed in"; anything else means nothing was removed.
        if (report.account !== null || (report.error && report.error.kind !== 'sign-in-required')) {
          io.err(`Not signed out: ${report.error?.message ?? 'the account is still there.'}`);
          return report.error ? exitCodeForReport(report) : ExitCode.authError;
        }
        io.out('Signed out. Your tokens were removed from this computer.');
        return ExitCode.ok;
      }
      default: {
        const report = await engine.check();
        if (!values.json) io.out(describeStatus(report, timeZone()));
        const notifier = async () =>
          ports.notifier ?? (await import('../main/desktopNotifier.js')).createNodeNotifier();
        const notified = values.notify
          ? await runNotifySteps(
              [
                // Nobody signed in and no figure: the one first-run sign-in prompt, first.
                signInPromptStep(
                  {
                    engine,
                    notifier,
                    seconds: loaded.config.balloonSeconds,
                    platform: process.platform,
                    onClick: ports.openTrayApp ?? (() => engine.signIn().then(() => undefined)),
                  },
                  io.err,
                ),
                reminderStep({ engine, loaded, timeZone: timeZone(), err: io.err, notifier }),
              ],
              report,
            )
          : null;
        // The JSON answer comes last, so it can say what --notify showed.
        if (values.json) io.out(JSON.stringify({ ...report, notified }));
        return exitCodeForReport(report);
      }
    }
  } finally {
    await engine.dispose();
  }
}

/** The on-premises directory reader, loaded only when a check reads the directory. */
function directoryLoadedAtFirstRead(env: NodeJS.ProcessEnv, logger: Logger): DirectorySource {
  let source: Promise<DirectorySource> | null = null;
  return {
    async read(request) {
      source ??= import('../main/onprem/index.js').then(({ createDirectorySource }) =>
        createDirectorySource({ platform: process.platform, env, logger }),
      );
      return (await source).read(request);
    },
  };
}

if (require.main === module) {
  // Output to a full disk or a closed pipe never crashes the command, and it ends once its output
  // is flushed, even with a handle left open (see processOutput).
  const output = processOutput();
  runCli(process.argv.slice(2), output.io, process.env, { ownsProcess: true }).then(
    (code) => output.finish(code),
    (error: unknown) => {
      output.io.err(`Unexpected error: ${(error as Error).message}`);
      return output.finish(ExitCode.authError);
    },
  );
}
