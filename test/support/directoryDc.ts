/**
 * A real Samba AD domain controller on loopback for the directory tests and benchmark, driven by
 * scripts/directory-dc.sh: provisioned into a temporary folder, with a private krb5.conf and one
 * credential cache per test user. One DC per run (its ports are fixed); stopped by its PID.
 *
 * scripts/run-tests.mjs starts one DC for all the files under test/directory/ and names its folder
 * in SIGNIN_ASSISTANT_TEST_DC_DIR; each file then uses that one, and stops none. A file run on
 * its own starts (and stops) its own.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'directory-dc.sh');

export const DC = {
  realm: 'CORP.EXAMPLE.TEST',
  domain: 'corp.example.test',
  host: 'dc1.corp.example.test',
  dnsServer: '127.0.0.1:10053',
  /** A domain whose SRV record points at BLACK_HOLE_PORT on loopback. */
  unreachableDomain: 'hole.corp.example.test',
  blackHolePort: 3899,
  /** A domain with no SRV record. */
  noSrvDomain: 'nosrv.corp.example.test',
} as const;

/** The test users, as scripts/directory-dc.sh sets them up. */
export type DcUser =
  'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'erin-tgt' | 'frank' | 'grace' | 'desk01';

/** The folder of the DC the test runner started for every directory test file. */
export const SHARED_DC_ENV = 'SIGNIN_ASSISTANT_TEST_DC_DIR';

const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n;

/** A Date as a FILETIME decimal string (100 ns ticks since 1601-01-01 UTC). */
export function fileTimeOf(at: Date): string {
  return ((BigInt(at.getTime()) + FILETIME_UNIX_EPOCH_MS) * 10_000n).toString();
}

const NEEDED = ['samba', 'samba-tool', 'ldbsearch', 'ldbmodify', 'kinit', 'kvno', 'python3'];

function onPath(command: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return dirs.some((dir) => dir && existsSync(join(dir, command)));
}

/** Why a real DC cannot run here, or null when it can. */
export function directoryDcUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the test domain controller runs on Linux only';
  if (process.getuid?.() !== 0) {
    return 'the test domain controller needs root (ports 88, 389); run the tests as root';
  }
  const missing = NEEDED.filter((command) => !onPath(command));
  if (missing.length > 0) {
    return (
      `Samba AD DC packages missing (${missing.join(', ')}): apt-get install samba ` +
      'samba-ad-dc samba-ad-provision ldb-tools krb5-user winbind (npm test, or scripts/system-deps.sh --with-directory-dc, as root)'
    );
  }
  return null;
}

export interface DirectoryDc {
  stateDir: string;
  krb5Config: string;
  /** KRB5CCNAME value for a test user's ticket cache. */
  ccache(user: DcUser): string;
  /** What `up` printed (timings). */
  log: string;
  /** True when the test runner started it for every directory test file: stop() leaves it up. */
  shared: boolean;
  /** Sets the user's pwdLastSet as if the password had been changed at `at`. */
  setLastChange(user: DcUser, at: Date): Promise<void>;
  /** A new password for the user now (as the user would change it), and a new ticket with it. */
  changePassword(user: DcUser): Promise<void>;
  /** Stops the DC by its PID and removes its folder; safe to call twice. */
  stop(): Promise<string>;
}

function handle(stateDir: string, log: string, shared: boolean, stop: () => Promise<string>) {
  const script = (...args: string[]) =>
    run('bash', [SCRIPT, args[0] ?? '', stateDir, ...args.slice(1)], { timeout: 60_000 });
  const dc: DirectoryDc = {
    stateDir,
    krb5Config: join(stateDir, 'krb5.conf'),
    ccache: (user) => `FILE:${join(stateDir, `ccache.${user}`)}`,
    log,
    shared,
    setLastChange: async (user, at) => {
      await script('last-set', user, fileTimeOf(at));
    },
    changePassword: async (user) => {
      await script('passwd', user);
    },
    stop,
  };
  return dc;
}

/** The DC the test runner started, when it did and it is still running. */
function sharedDc(): DirectoryDc | null {
  const stateDir = process.env[SHARED_DC_ENV];
  if (!stateDir) return null;
  let pid: number;
  try {
    pid = Number(readFileSync(join(stateDir, 'samba.pid'), 'utf8').trim());
    process.kill(pid, 0);
  } catch {
    return null;
  }
  let log = '';
  try {
    log = readFileSync(join(stateDir, 'up.log'), 'utf8').trim();
  } catch {
    // only the timings are missing
  }
  return handle(stateDir, `shared by the directory test files (pid ${pid}): ${log}`, true, () =>
    Promise.resolve('shared DC left running for the next file'),
  );
}

export async function startDirectoryDc(): Promise<DirectoryDc> {
  const shared = sharedDc();
  if (shared) return shared;
  const stateDir = mkdtempSync(join(tmpdir(), 'signin-assistant-dc-'));
  let stopped = false;
  const stop = async (): Promise<string> => {
    if (stopped) return 'already stopped';
    stopped = true;
    const { stdout } = await run('bash', [SCRIPT, 'stop', stateDir]);
    rmSync(stateDir, { recursive: true, force: true });
    return stdout.trim();
  };
  try {
    const { stdout } = await run('bash', [SCRIPT, 'up', stateDir], {
      env: { ...process.env, WATCH_PID: String(process.pid) },
      maxBuffer: 4 * 1024 * 1024,
      timeout: 240_000,
    });
    return handle(stateDir, stdout.trim(), false, stop);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/**
 * A TCP port that accepts no connection and refuses none: a listener with a full accept queue, so
 * a new connection's SYN goes unanswered, as with a DC behind a firewall or off the VPN.
 */
export async function startBlackHole(port: number): Promise<{ close(): void }> {
  const child: ChildProcess = spawn(
    'python3',
    [
      '-c',
      [
        'import socket, sys, time',
        's = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
        `s.bind(('127.0.0.1', ${port})); s.listen(0)`,
        'held = []',
        'for i in range(4):',
        '    c = socket.socket(); c.setblocking(False)',
        '    try: c.connect(("127.0.0.1", ' + String(port) + '))',
        '    except BlockingIOError: pass',
        '    held.append(c)',
        'print("ready", flush=True)',
        'sys.stdin.read()',
      ].join('\n'),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', () => resolve());
  });
  return {
    close: () => {
      child.stdin?.end();
      child.kill();
    },
  };
}
