/**
 * Hostile and broken per-user folders for the command: a lock left by a dead process, links,
 * pipes and folders where files belong, a read-only or full disk (a small tmpfs, when root), and
 * a stand-in for the desktop's notify-send that only counts what it is asked to show.
 */
import { spawn, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The ID of a process that has already ended. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid ?? 0;
  await new Promise((resolve) => child.on('close', resolve));
  return pid;
}

/**
 * A folder with an executable `notify-send` that appends one line per notification to `log`
 * (the file the test counts) and exits 0, as the real one does once the desktop took it.
 */
export async function fakeNotifySend(): Promise<{
  binDir: string;
  log: string;
  count(): Promise<number>;
}> {
  const binDir = await mkdtemp(join(tmpdir(), 'sia-notify-'));
  const log = join(binDir, 'shown.log');
  const script = join(binDir, 'notify-send');
  await writeFile(script, `#!/bin/sh\necho "$$ $*" >> '${log}'\n`);
  await chmod(script, 0o755);
  return {
    binDir,
    log,
    async count() {
      const text = await readFile(log, 'utf8').catch(() => '');
      return text.split('\n').filter((line) => line.trim() !== '').length;
    },
  };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A tmpfs of `sizeKb` at a fresh folder (root only); unmount() removes it. */
export async function smallTmpfs(
  sizeKb: number,
): Promise<{ dir: string; unmount(): void; remountReadOnly(): void }> {
  const dir = await mkdtemp(join(tmpdir(), 'sia-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  await mkdir(dir, { recursive: true });
  return {
    dir,
    unmount: () => execFileSync('umount', ['-l', dir]),
    remountReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
  };
}

/** Fills the file system holding `dir` until a write fails. */
export async function fillDisk(dir: string): Promise<void> {
  const chunk = Buffer.alloc(4096, 1);
  const { open } = await import('node:fs/promises');
  const handle = await open(join(dir, 'filler.bin'), 'w');
  try {
    for (;;) await handle.write(chunk);
  } catch {
    // ENOSPC: full.
  } finally {
    await handle.close();
  }
}
