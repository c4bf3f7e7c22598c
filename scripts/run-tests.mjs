// Finds every test file and runs them with Node's test runner (TypeScript through tsx).
// A certificate for the loopback demo tenant is made first, because Node reads
// NODE_EXTRA_CA_CERTS only when a process starts.
// The files under test/directory/ run first, sharing one test domain controller (a Samba AD DC
// on loopback, 20 to 30 s to set up) when one can run here; the rest run after it has stopped.
// The Windows tier (scripts/windows-tier.sh) runs test/windows/ and the unit and main tests under
// the real Windows node.exe in Wine, when run as root on Linux: test/windows/directory/ while the
// shared DC is up, the rest after the Linux tests. Linux node never runs test/windows/.
//   node scripts/run-tests.mjs [part of a path ...]            a subset (test/windows/ files
//                                                                matched go to the Windows tier)
//   node scripts/run-tests.mjs --windows [part of a path ...]  the matched files under node.exe only
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

// A path, not a URL's: on Windows a URL's pathname is /C:/… and a space in it is %20.
const root = fileURLToPath(new URL('..', import.meta.url));
const windowsOnly = process.argv.includes('--windows');
const only = process.argv.slice(2).filter((arg) => arg !== '--windows');

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out.sort();
}

let files = collect(join(root, 'test'));
// A part of a path may be written with / on Windows too.
if (only.length > 0)
  files = files.filter((f) => only.some((o) => f.includes(o.replaceAll('/', sep))));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

const certDir = mkdtempSync(join(tmpdir(), 'signin-assistant-cert-'));
const made = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'scripts/makeDemoCertificate.ts', certDir],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (made.status !== 0) process.exit(made.status ?? 1);

const env = {
  ...process.env,
  NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem'),
  SIGNIN_ASSISTANT_TEST_CERT_DIR: certDir,
  TZ: process.env.TZ ?? 'UTC',
};

function runFiles(list, extraEnv = {}) {
  if (list.length === 0) return 0;
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...list],
    { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } },
  );
  return run.status ?? 1;
}

/** Whether a test DC can start here (the files themselves say why not, when they skip). */
function directoryDcPossible() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => dir && existsSync(join(dir, 'samba')));
}

/** Starts the shared DC; its folder, or null (each file then starts its own or skips). */
function startSharedDc() {
  const stateDir = mkdtempSync(join(tmpdir(), 'signin-assistant-dc-'));
  const started = Date.now();
  const up = spawnSync('bash', ['scripts/directory-dc.sh', 'up', stateDir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, WATCH_PID: String(process.pid) },
  });
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (up.status !== 0) {
    console.error(`# the shared test DC did not start (${took}):\n${up.stderr ?? ''}`);
    spawnSync('bash', ['scripts/directory-dc.sh', 'stop', stateDir], { cwd: root });
    rmSync(stateDir, { recursive: true, force: true });
    return null;
  }
  const log = `${up.stdout.trim().replace(/\n/g, '; ')}; up in ${took}`;
  writeFileSync(join(stateDir, 'up.log'), log);
  console.log(`# shared test DC for the directory tests: ${log}`);
  return stateDir;
}

const under = (f, ...dirs) => f.startsWith(join('test', ...dirs) + sep);
/**
 * The unit and main files the Windows tier runs under node.exe as well: those with Windows code
 * paths (registry, login items, Local AppData, state files and their locks, file paths, time
 * zones, the command's output, packaging). Each file costs node.exe and tsx about 10 s to start
 * under Wine; the others (pure logic, Chromium, the security scan) would double the tier's time.
 */
const WINDOWS_TIER_ALSO = [
  'main/configLoader',
  'main/desktopNotifier',
  'main/processWallClock',
  'main/roamingState',
  'main/stateStores',
  'unit/builderConfig',
  'unit/commandLine',
  'unit/commandOutput',
  'unit/diagnostics',
  'unit/installHooks',
  'unit/localCalendar',
  'unit/logRedaction',
  'unit/onpremReader',
  'unit/policy.test',
  'unit/startAtLogin',
  'unit/windowsLoginItems',
  'unit/windowsRunKeys',
].map((name) => join('test', ...name.split('/')));
// Under node.exe itself (the tier runs this script there too) every file is a local one.
const tiered = process.platform !== 'win32';
const windowsFiles = tiered
  ? files.filter(
      (f) =>
        under(f, 'windows') ||
        (windowsOnly && (under(f, 'unit') || under(f, 'main'))) ||
        (only.length === 0 && WINDOWS_TIER_ALSO.some((name) => f.startsWith(name))),
    )
  : [];
let localFiles = files;
if (tiered) localFiles = windowsOnly ? [] : files.filter((f) => !under(f, 'windows'));
const directoryFiles = localFiles.filter((f) => under(f, 'directory'));
const otherFiles = localFiles.filter((f) => !directoryFiles.includes(f));
const windowsDirectoryFiles = windowsFiles.filter((f) => under(f, 'windows', 'directory'));
const windowsOtherFiles = windowsFiles.filter((f) => !windowsDirectoryFiles.includes(f));

/** Why the Windows tier cannot run here, or null when it is set up (scripts/windows-tier.sh). */
function windowsTierUnavailable() {
  if (process.platform !== 'linux') return `it runs Wine on Linux, not on ${process.platform}`;
  if (process.getuid?.() !== 0) {
    return 'it needs root to install Wine (run npm test as root, or scripts/windows-tier.sh setup)';
  }
  const started = Date.now();
  const setup = spawnSync('bash', ['scripts/windows-tier.sh', 'setup'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 600_000,
  });
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (setup.status !== 0) return `its setup failed (${took}):\n${setup.stderr ?? ''}`;
  console.log(`# Windows tier set up in ${took}:\n${setup.stderr.trim()}`);
  return null;
}

let windowsTierReason;
/** Runs files under node.exe in Wine, or says why they are skipped. */
function runWindowsFiles(list, extraEnv = {}) {
  if (list.length === 0) return 0;
  windowsTierReason ??= windowsTierUnavailable() ?? '';
  if (windowsTierReason) {
    console.log(`# skipped: ${list.length} files under the Windows node.exe: ${windowsTierReason}`);
    return 0;
  }
  const started = Date.now();
  const run = spawnSync('bash', ['scripts/windows-tier.sh', 'run', ...list], {
    cwd: root,
    stdio: 'inherit',
    env: { ...env, ...extraEnv, SIGNIN_ASSISTANT_WINDOWS_SET_UP: '1' },
  });
  const took = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`# ${list.length} files under the Windows node.exe in ${took} s`);
  return run.status ?? 1;
}

let status = 0;
if (directoryFiles.length > 0 || windowsDirectoryFiles.length > 0) {
  const stateDir = directoryDcPossible() ? startSharedDc() : null;
  const dcEnv = stateDir ? { SIGNIN_ASSISTANT_TEST_DC_DIR: stateDir } : {};
  try {
    status = runFiles(directoryFiles, dcEnv);
    // Wine's Kerberos reads these from the Unix environment when node.exe starts (a child's own
    // environment is not used), so the Windows directory files get them from here.
    const windowsDcEnv = stateDir
      ? {
          ...dcEnv,
          KRB5_CONFIG: join(stateDir, 'krb5.conf'),
          KRB5CCNAME: `FILE:${join(stateDir, 'ccache.windows')}`,
        }
      : dcEnv;
    status = runWindowsFiles(windowsDirectoryFiles, windowsDcEnv) || status;
  } finally {
    if (stateDir) {
      const stop = spawnSync('bash', ['scripts/directory-dc.sh', 'stop', stateDir], {
        cwd: root,
        encoding: 'utf8',
      });
      console.log(`# ${(stop.stdout || stop.stderr).trim()}`);
      rmSync(stateDir, { recursive: true, force: true });
    }
  }
}
status = runFiles(otherFiles) || status;
status = runWindowsFiles(windowsOtherFiles) || status;
process.exit(status);
