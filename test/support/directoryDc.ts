/**
 * A real Samba AD domain controller on loopback for the directory tests and benchmark, driven by
 * scripts/directory-dc.sh: provisioned into a temporary folder, with a private krb5.conf and one
 * credential cache per test user. One DC per run (its ports are fixed); stopped by its PID.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
export type DcUser = 'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'erin-tgt' | 'frank';

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
  /** Stops the DC by its PID and removes its folder; safe to call twice. */
  stop(): Promise<string>;
}

export async function startDirectoryDc(): Promise<DirectoryDc> {
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
    return {
      stateDir,
      krb5Config: join(stateDir, 'krb5.conf'),
      ccache: (user) => `FILE:${join(stateDir, `ccache.${user}`)}`,
      log: stdout.trim(),
      stop,
    };
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
