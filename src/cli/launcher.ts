/**
 * The headless command's entry (dist/cli/signinAssistant.js calls launch): runs the bundle
 * (signinAssistant.bundle.js) from V8's code cache when there is one for exactly this bundle and
 * this Node.js, and keeps one after a run when there is not. Compiling the bundle and the code a
 * check runs for the first time is a large part of what the command costs; the cache is rebuilt
 * after an update. Anything wrong with the cache only means a start without it.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** A cache larger than this is not one this build wrote. */
const MAX_CACHE_BYTES = 16 * 1024 * 1024;

/** Where the cache is kept: a per-user cache folder (the data folder's with the override). */
export function commandCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  home: string,
): string {
  const override = env.SIGNIN_ASSISTANT_HOME?.trim();
  if (override) return join(override, 'command-cache');
  if (platform === 'win32') {
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'SignInAssistant', 'Cache');
  }
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'SignInAssistant');
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg?.startsWith('/') ? xdg : join(home, '.cache'), 'signin-assistant');
}

/**
 * The cache's bytes, or undefined: never through a link, never from a pipe, never a huge one,
 * never one another user owns or could have written.
 */
function readCache(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > MAX_CACHE_BYTES) return undefined;
    // Code runs from it: only the user's own file, which nobody else may write.
    const uid = process.getuid?.();
    if (uid !== undefined && (info.uid !== uid || (info.mode & 0o022) !== 0)) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A temporary cache file: `command-<key>.cache.<pid>.tmp`. */
const TEMP_NAME = /^command-[0-9a-f]{32}\.cache\.(\d{1,10})\.tmp$/;

/** Another run's temporary file older than this is a crash's leftover, whoever left it. */
const ORPHAN_AGE_MS = 10 * 60_000;

/**
 * Removes what other runs left: the caches of other builds and the temporary files of runs that
 * ended (or were killed) while writing one, judged by their process or, as a process ID may be
 * reused, by their age in either direction (a clock stepped back).
 */
function tidyCacheDir(dir: string, keep: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === keep) continue;
    if (/^command-[0-9a-f]{32}\.cache$/.test(name)) rmSync(path, { force: true });
    const pid = TEMP_NAME.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    try {
      const age = Math.abs(Date.now() - lstatSync(path).mtimeMs);
      if (age > ORPHAN_AGE_MS || !processRuns(Number(pid))) rmSync(path, { force: true });
    } catch {
      // Gone meanwhile, or not ours to remove.
    }
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces the cache atomically and tidies the folder. A failure (a read-only or full disk) is
 * ignored, and leaves nothing behind: the cache may never cost a check the space it needs.
 */
function writeCache(dir: string, file: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    tidyCacheDir(dir, file);
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch {
    // The next run compiles again.
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing more can be done here.
    }
  }
}

/** Runs the bundle as `entry` (so it knows it is the main module), from the cache when it can. */
export function launch(entry: NodeModule): void {
  const bundle = join(dirname(entry.filename), 'signinAssistant.bundle.js');
  let source = readFileSync(bundle, 'utf8');
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const key = createHash('sha256')
    .update(source)
    .update(`\0${process.version}\0${process.arch}`)
    .digest('hex')
    .slice(0, 32);
  const dir = commandCacheDir(process.env, process.platform, homedir());
  const file = join(dir, `command-${key}.cache`);
  const cachedData = readCache(file);
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    // The bundle holds no import() (see scripts/build-cli.mjs): none could load from the cache.
    { filename: bundle, ...(cachedData ? { cachedData } : {}) },
  );
  // Made at the exit of a status run, so it holds the code a check runs, not only the outline
  // (nor only what --help or a sign-in needs).
  const status = process.argv.slice(2).includes('status');
  if (status && (cachedData === undefined || script.cachedDataRejected === true)) {
    process.once('exit', () => writeCache(dir, file, script.createCachedData()));
  } else if (status) {
    // What a run killed while writing left behind (a folder of a few files: microseconds).
    process.once('exit', () => {
      try {
        tidyCacheDir(dir, file);
      } catch {
        // A folder that cannot be read holds no cache either.
      }
    });
  }
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: NodeModule,
    filename: string,
    dirname: string,
  ) => void;
  run.call(entry.exports, entry.exports, createRequire(bundle), entry, bundle, dirname(bundle));
}
