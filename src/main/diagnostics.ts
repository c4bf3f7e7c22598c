/**
 * "Collect diagnostics": one zip IT can ask a user for. It holds the logs (redacted again on the
 * way in), the effective configuration with where each value came from, versions, and the last
 * check result. Never tokens: nothing here reads the token cache.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { arch, release, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ResolvedConfig } from '../core/config';
import type { StatusReport } from '../core/model';
import { redactText, redactValue } from '../core/redaction';
import { describeEffectiveConfig } from './logging/effectiveConfig';

export interface DiagnosticsVersions {
  app: string;
  /** process.versions.electron in the tray app; absent for the headless command. */
  electron?: string | null;
  node?: string;
  os?: string;
}

export interface DiagnosticsInput {
  outFile: string;
  /** The logs folder; every *.log in it is included (a missing folder gives no logs). */
  logsDir: string;
  /** null when the configuration could not be resolved; `configError` then says why. */
  resolved: ResolvedConfig | null;
  configError?: string | null;
  versions: DiagnosticsVersions;
  lastReport: StatusReport | null;
  /** How many saved sign-ins of the account Credential Manager holds; absent or null: not read. */
  savedSignIns?: number | null;
  /** The archive's clock (tests pass a fixed date). */
  now?: Date;
}

export interface DiagnosticsResult {
  outFile: string;
  entries: string[];
}

export const DIAGNOSTICS_ENTRIES = Object.freeze({
  readme: 'README.txt',
  configuration: 'configuration.json',
  versions: 'versions.json',
  lastCheck: 'last-check.json',
  savedSignIns: 'saved-sign-ins.json',
  logsFolder: 'logs/',
});

export async function writeDiagnosticsZip(input: DiagnosticsInput): Promise<DiagnosticsResult> {
  const now = input.now ?? new Date();
  const zip = new ZipFile();
  const entries: string[] = [];
  const add = (name: string, text: string) => {
    zip.addBuffer(Buffer.from(text, 'utf8'), name, { mtime: now, mode: 0o100600 });
    entries.push(name);
  };
  const json = (value: unknown) => `${JSON.stringify(redactValue(value), null, 2)}\n`;

  add(
    DIAGNOSTICS_ENTRIES.readme,
    [
      'Sign-In Assistant diagnostics',
      `Collected ${now.toISOString()}.`,
      '',
      'configuration.json  each effective setting, its value and where it came from',
      'versions.json       app, Electron, Node.js and operating system versions',
      'last-check.json     the result of the last password check',
      'saved-sign-ins.json (Windows) how many saved sign-ins of the account Credential Manager holds',
      'logs/               the log files, with tokens, codes and passwords removed',
      '',
    ].join('\n'),
  );
  add(
    DIAGNOSTICS_ENTRIES.configuration,
    json(
      input.resolved === null
        ? { error: input.configError ?? 'the configuration could not be read' }
        : { settings: describeEffectiveConfig(input.resolved) },
    ),
  );
  add(
    DIAGNOSTICS_ENTRIES.versions,
    json({
      app: input.versions.app,
      electron: input.versions.electron ?? null,
      node: input.versions.node ?? process.versions.node,
      os: input.versions.os ?? `${osType()} ${release()} (${arch()})`,
    }),
  );
  add(DIAGNOSTICS_ENTRIES.lastCheck, json(input.lastReport));
  if (input.savedSignIns !== undefined && input.savedSignIns !== null) {
    // How many only: their names stay on the computer.
    add(DIAGNOSTICS_ENTRIES.savedSignIns, json({ count: input.savedSignIns }));
  }

  for (const name of await listLogs(input.logsDir)) {
    const text = await readFile(join(input.logsDir, name), 'utf8');
    add(`${DIAGNOSTICS_ENTRIES.logsFolder}${name}`, redactLog(text));
  }
  zip.end();

  // Written beside the target and renamed, so a half-written zip is never left under its name.
  await mkdir(dirname(input.outFile), { recursive: true });
  const partial = `${input.outFile}.partial`;
  try {
    await pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, input.outFile);
  } catch (error) {
    await rm(partial, { force: true });
    throw new Error(`Could not write the diagnostics archive ${input.outFile}`, { cause: error });
  }
  return { outFile: input.outFile, entries };
}

/** Log files were redacted when written; do it again in case an older version wrote them. */
export function redactLog(text: string): string {
  return text.split('\n').map(redactText).join('\n');
}

async function listLogs(dir: string): Promise<string[]> {
  try {
    const found = await readdir(dir, { withFileTypes: true });
    return found
      .filter((entry) => entry.isFile() && entry.name.endsWith('.log'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
