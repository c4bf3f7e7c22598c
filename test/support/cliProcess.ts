/**
 * The built command with the stdout an IT script may give it: a full device, a pipe whose reader
 * has gone, and a process that something else keeps alive (a handle the command does not own,
 * as the Windows broker's plugin does). A run that does not end is stopped after `limitMs` and
 * reported with the signal, so a test can say "it never ended" instead of hanging.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './engineHarness';

export interface StdioRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export type StdoutTarget = 'pipe' | 'closed-pipe' | { file: string };

export function runCliStdio(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { stdout?: StdoutTarget; stderr?: StdoutTarget; limitMs?: number } = {},
): Promise<StdioRun> {
  const fds: number[] = [];
  const target = (t: StdoutTarget | undefined): 'pipe' | number => {
    if (t === undefined || t === 'pipe' || t === 'closed-pipe') return 'pipe';
    const fd = openSync(t.file, 'w');
    fds.push(fd);
    return fd;
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', target(options.stdout), target(options.stderr)],
    });
    for (const fd of fds) closeSync(fd);
    let stdout = '';
    let stderr = '';
    // The reader of the pipe goes away before the command writes: `status | true`.
    if (options.stdout === 'closed-pipe') child.stdout?.destroy();
    else child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    if (options.stderr === 'closed-pipe') child.stderr?.destroy();
    else child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * A file for NODE_OPTIONS=--require that leaves a handle keeping the event loop alive for good,
 * as msal-node-extensions' broker plugin does on Windows.
 */
export async function lingeringHandlePreload(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sia-linger-'));
  const file = join(dir, 'linger.cjs');
  writeFileSync(file, 'setInterval(() => undefined, 60_000);\n');
  return file;
}
