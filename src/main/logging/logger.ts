/**
 * Logging through electron-log: one file per program (tray.log, cli.log) in the user's logs folder,
 * rotated at about 1 MB with several old files kept. Every line is redacted before it is written.
 * In Node (the headless command) electron-log is loaded and the folder made at the first line
 * written, so a run with nothing to log pays for neither.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, parse } from 'node:path';
import type { LogFile, LogMessage, MainLogger, NodeLogger } from 'electron-log';
import { redactText, redactValue } from '../../core/redaction';
import type { Logger } from '../../core/ports';
import { defaultLogsDir } from './logPaths';

export type LogRuntime = 'electron' | 'node';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LoggingOptions {
  /** `electron` in the tray app's main process, `node` for the headless command and tests. */
  runtime: LogRuntime;
  /** Defaults to the user's logs folder (see logPaths.ts). */
  logsDir?: string;
  /** Defaults to tray.log (electron) or cli.log (node). */
  fileName?: string;
  /** Lowest level written to the file; default `info`. */
  level?: LogLevel;
  /** Also write to the console (stderr for warnings and errors); default false. */
  console?: boolean;
  /** Rotate when the file is larger than this; default 1 MiB. */
  maxSizeBytes?: number;
  /** How many rotated files to keep besides the current one; default 5. */
  keepFiles?: number;
}

export interface LoggingHandle {
  logsDir: string;
  logFile: string;
}

type Backend = NodeLogger | MainLogger;

let backend: Backend | null = null;
let current: LoggingHandle | null = null;
/** The options of a Node log not set up yet (done at its first line). */
let pending: LoggingOptions | null = null;
let instanceCounter = 0;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function nodeLog(): NodeLogger {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('electron-log/node') as NodeLogger;
}

/**
 * Sets up the file log. Called once by each composition root (the tray app with `electron`, the
 * headless command with `node`); calling it again reconfigures (tests use their own folder).
 */
export async function initLogging(options: LoggingOptions): Promise<LoggingHandle> {
  if (options.runtime === 'electron') {
    pending = null;
    return configure((await import('electron-log/main')).default, options);
  }
  backend = null;
  pending = options;
  current = handleFor(options);
  return current;
}

function handleFor(options: LoggingOptions): LoggingHandle {
  const logsDir = options.logsDir ?? defaultLogsDir();
  const fileName = options.fileName ?? (options.runtime === 'electron' ? 'tray.log' : 'cli.log');
  return { logsDir, logFile: join(logsDir, fileName) };
}

function configure(base: Backend, options: LoggingOptions): LoggingHandle {
  const { logsDir } = handleFor(options);
  const fileName = options.fileName ?? (options.runtime === 'electron' ? 'tray.log' : 'cli.log');
  const keep = options.keepFiles ?? 5;
  try {
    mkdirSync(logsDir, { recursive: true, mode: 0o700 });
  } catch {
    // A read-only or full disk: the command still works, and says so once (see below).
  }

  instanceCounter += 1;
  const log = base.create({ logId: `signin-assistant-${instanceCounter}` });
  const file = log.transports.file;
  file.level = options.level ?? 'info';
  file.fileName = fileName;
  // Our own path; naming the app also keeps electron-log from looking for a package.json (it
  // refuses to write when it finds none, e.g. the command run from an unusual folder).
  file.setAppName('SignInAssistant');
  file.resolvePathFn = () => join(logsDir, fileName);
  file.maxSize = options.maxSizeBytes ?? 1024 * 1024;
  file.archiveLogFn = (oldFile: LogFile) => rotate(oldFile.path, keep);
  // Other users on the machine have no business reading someone's sign-in log.
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  file.format = '[{y}-{m}-{d} {h}:{i}:{s}.{ms}] [{level}]{scope} {text}';
  log.scope.labelPadding = false;
  log.transports.console.level = options.console ? (options.level ?? 'info') : false;
  if (!options.console) {
    // electron-log reports a log file it cannot write (read-only or full disk) straight to the
    // console, with a stack trace: say it once, in one line.
    // (It reports through the first logger's console, which may be the base one.)
    let told = false;
    const tellOnce = ({ message }: { message: LogMessage }) => {
      if (told || message.level !== 'error') return;
      told = true;
      const file = join(logsDir, fileName);
      process.stderr.write(`The log file ${file} cannot be written; continuing without it.\n`);
    };
    log.transports.console.writeFn = tellOnce;
    base.transports.console.writeFn = tellOnce;
  }
  // A second line of defence for anything that reaches electron-log without going through
  // createLogger (e.g. its own error handler).
  log.hooks.push((message: LogMessage) => ({
    ...message,
    data: message.data.map((item: unknown) =>
      typeof item === 'string' ? redactText(item) : redactValue(item),
    ),
  }));
  backend = log;
  current = { logsDir, logFile: join(logsDir, fileName) };
  return current;
}

/** The folder and file in use (null before initLogging). */
export function currentLogging(): LoggingHandle | null {
  return current;
}

/**
 * Keeps `keep` old files: name.1.log is the newest, name.<keep>.log the oldest. Must be
 * synchronous (electron-log writes the next line right after).
 */
export function rotate(path: string, keep: number): void {
  const { dir, name, ext } = parse(path);
  const numbered = (n: number) => join(dir, `${name}.${n}${ext}`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n -= 1) {
    try {
      renameSync(numbered(n), numbered(n + 1));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  if (keep > 0) renameSync(path, numbered(1));
  else rmSync(path, { force: true });
}

/** One line: the message, then the metadata as JSON; both redacted. */
export function formatLine(message: string, meta?: Record<string, unknown>): string {
  const text = redactText(message);
  if (meta === undefined || Object.keys(meta).length === 0) return text;
  let json: string;
  try {
    json = JSON.stringify(redactValue(meta));
  } catch {
    json = '"[metadata could not be serialised]"';
  }
  return `${text} ${redactText(json)}`;
}

function backendOrDefault(): Backend {
  if (backend === null) configure(nodeLog(), pending ?? { runtime: 'node' });
  return backend as Backend;
}

/** A line below the level of a Node log not set up yet: dropped without loading electron-log. */
function belowPendingLevel(level: LogLevel): boolean {
  if (backend !== null || pending === null) return false;
  return LEVELS.indexOf(level) < LEVELS.indexOf(pending.level ?? 'info');
}

/** A logger for one module, e.g. createLogger('engine'). */
export function createLogger(scope: string): Logger {
  const write = (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    if (belowPendingLevel(level)) return;
    backendOrDefault().scope(scope)[level](formatLine(message, meta));
  };
  return {
    debug: (message, meta) => write('debug', message, meta),
    info: (message, meta) => write('info', message, meta),
    warn: (message, meta) => write('warn', message, meta),
    error: (message, meta) => write('error', message, meta),
  };
}
