// Finds every test file and runs them with Node's test runner (TypeScript through tsx).
// A certificate for the loopback demo tenant is made first, because Node reads
// NODE_EXTRA_CA_CERTS only when a process starts.
// The files under test/directory/ run first, sharing one test domain controller (a Samba AD DC
// on loopback, 20 to 30 s to set up) when one can run here; the rest run after it has stopped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative, sep } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out.sort();
}

// test/windows/ runs only under the Windows node.exe (see WINDOWS-TIER), never here.
let files = collect(join(root, 'test')).filter((f) => !f.startsWith(`test${sep}windows${sep}`));
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
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

const directoryFiles = files.filter((f) => f.startsWith(`test${sep}directory${sep}`));
const otherFiles = files.filter((f) => !directoryFiles.includes(f));
let status = 0;
if (directoryFiles.length > 0) {
  const stateDir = directoryDcPossible() ? startSharedDc() : null;
  try {
    status = runFiles(directoryFiles, stateDir ? { SIGNIN_ASSISTANT_TEST_DC_DIR: stateDir } : {});
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
const rest = runFiles(otherFiles);
process.exit(status !== 0 ? status : rest);
