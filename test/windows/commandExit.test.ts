/**
 * Windows only (the real node.exe): the built command ends by itself with the broker loaded.
 * msal-node-extensions' NativeBrokerPlugin keeps Node.js alive after its last use, so a command
 * that only returned would print its answer and never exit: an Intune script or a scheduled task
 * would hang. Run against the demo tenant with `useWindowsBroker` left on (its default).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestTenant } from '../support/demoTenant';

const CLI = resolve(__dirname, '..', '..', 'dist', 'cli', 'signinAssistant.js');
/** Far beyond a check under Wine (a few seconds): a run still going then never ends. */
const LIMIT_MS = 90_000;

interface Run {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** The built command under this node.exe, its output in files (as an IT script redirects it). */
async function runCommand(args: string[], env: NodeJS.ProcessEnv, dir: string): Promise<Run> {
  const outFile = join(dir, `out-${args.join('_').replace(/\W/g, '')}.txt`);
  const errFile = `${outFile}.err`;
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  let killed = false;
  const limit = setTimeout(() => {
    killed = true;
    child.kill();
  }, LIMIT_MS);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(limit);
  return {
    code,
    killed,
    stdout: await readFile(outFile, 'utf8'),
    stderr: await readFile(errFile, 'utf8'),
  };
}

test('runs under the real Windows node.exe', () => {
  assert.equal(process.platform, 'win32');
});

test(
  'status --json, status and sign-out end by themselves with the broker loaded, with their exit codes',
  {
    skip:
      process.env.SIGNIN_ASSISTANT_TEST_CERT_DIR === undefined &&
      'needs the demo certificate (SIGNIN_ASSISTANT_TEST_CERT_DIR, set by the test runner)',
  },
  async () => {
    const tenant = await startTestTenant();
    try {
      const home = await mkdtemp(join(tmpdir(), 'sia-exit-'));
      const config = join(home, 'config.json');
      // useWindowsBroker is not set: the broker is on, as on a managed desktop.
      await writeFile(
        config,
        JSON.stringify({
          tenantId: tenant.tenantId,
          clientId: tenant.clientId,
          authority: tenant.origin,
          graphEndpoint: tenant.graphEndpoint,
        }),
      );
      const env = { SIGNIN_ASSISTANT_HOME: home, SIGNIN_ASSISTANT_CONFIG: config };

      const json = await runCommand(['status', '--json'], env, home);
      assert.equal(json.killed, false, 'status --json ended by itself');
      assert.equal(json.code, 3, json.stdout + json.stderr);
      const report = JSON.parse(json.stdout) as { error: { kind: string } | null };
      assert.equal(report.error?.kind, 'sign-in-required');

      const log = await readFile(join(home, 'logs', 'cli.log'), 'utf8').catch(() => '');
      assert.doesNotMatch(log, /Windows broker not available/, 'the broker was loaded');

      const text = await runCommand(['status'], env, home);
      assert.equal(text.killed, false, 'status ended by itself');
      assert.equal(text.code, 3, text.stdout + text.stderr);

      const signOut = await runCommand(['sign-out'], env, home);
      assert.equal(signOut.killed, false, 'sign-out ended by itself');
      assert.equal(signOut.code, 0, signOut.stdout + signOut.stderr);
    } finally {
      await tenant.close();
    }
  },
);
