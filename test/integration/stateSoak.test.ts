/**
 * A bounded soak of the headless command's state handling: up to 200 `status --notify` runs
 * killed with SIGKILL at random moments (a few at a time), then 10 complete runs at once. Every
 * record left behind must parse, no lock may block the next run, and the desktop must have been
 * asked exactly once to show the day's reminder. Notifications are counted by a stand-in
 * `notify-send` on PATH (the command is unchanged; nothing in the product can hide one).
 * Bounded in count and in time: the kill loop stops after SOAK_BUDGET_MS whatever it reached.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, cliEnv, cliSignIn, runCli, setUp } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { fakeNotifySend } from '../support/stateFixtures';

const KILLS = 200;
const PARALLEL = 4;
const CONCURRENT = 10;
const SOAK_BUDGET_MS = 100_000;

let setup: Setup;
before(async () => {
  setup = await setUp();
});
after(() => setup.close());

/** Starts `status --notify` and kills it with SIGKILL after `afterMs` (if still running). */
function runAndKill(env: NodeJS.ProcessEnv, afterMs: number): Promise<'killed' | number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'status', '--notify'], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : (code ?? -1));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

test('kill -9 at random moments and concurrent runs: no corrupt record, no blocking lock, one notification', async (t) => {
  const notify = await fakeNotifySend();
  const env: NodeJS.ProcessEnv = {
    ...(await cliEnv(setup)),
    PATH: `${notify.binDir}:${process.env.PATH ?? ''}`,
  };
  const home = env.SIGNIN_ASSISTANT_HOME ?? '';
  const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
  assert.equal(signIn.code, 0, signIn.stderr);

  // How long a run takes here, so the kills land anywhere in it (start-up, lock, keyring,
  // network, claim, notification, record).
  // Measured as the soak runs them, PARALLEL at a time; the span reaches a little past a whole run.
  const durations = await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      const started = Date.now();
      const warm = await runCli(['status', '--json'], env);
      assert.equal(warm.code, 1, warm.stderr);
      return Date.now() - started;
    }),
  );
  const span = Math.max(200, median(durations) * 1.3);

  const soakStarted = Date.now();
  let started = 0;
  let killed = 0;
  let finished = 0;
  const exitCodes = new Map<number, number>();
  const worker = async () => {
    while (started < KILLS && Date.now() - soakStarted < SOAK_BUDGET_MS) {
      started += 1;
      const outcome = await runAndKill(env, Math.random() * span);
      if (outcome === 'killed') killed += 1;
      else {
        finished += 1;
        exitCodes.set(outcome, (exitCodes.get(outcome) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const soakMs = Date.now() - soakStarted;

  // Every record left behind parses; temporary files of killed writers are only orphans.
  const names = await readdir(home);
  const records = names.filter((name) => /\.(json|claim)$/.test(name) && name !== 'config.json');
  let corrupt = 0;
  for (const name of records) {
    if (name === 'token-cache.json') continue; // a timestamp marker; the tokens are in the keyring
    try {
      JSON.parse(await readFile(join(home, name), 'utf8'));
    } catch {
      corrupt += 1;
    }
  }
  const leftLock = names.includes('token-cache.json.lockfile');
  const orphans = names.filter((name) => name.endsWith('.tmp') || name.endsWith('.stale')).length;

  // Then ten complete runs at once: none blocked by what the killed ones left.
  const runs = await Promise.all(
    Array.from({ length: CONCURRENT }, () => runCli(['status', '--json', '--notify'], env)),
  );
  const blocked = runs.filter((run) => run.code !== 1).length;
  const shown = await notify.count();

  t.diagnostic(
    `runs started ${started} (killed ${killed}, finished ${finished}: ${JSON.stringify(Object.fromEntries(exitCodes))}) in ${soakMs} ms, kill span ${Math.round(span)} ms; ` +
      `records ${records.length}, corrupt ${corrupt}, lock left by a killed run ${leftLock}, orphan temp files ${orphans}; ` +
      `concurrent runs not exit 1: ${blocked}; notifications ${shown}`,
  );
  assert.ok(started >= 50, `the soak ran (${started} runs)`);
  // The kills spread over a little more than a run, so some runs finish first; a third at least
  // must have been cut off somewhere inside.
  assert.ok(killed >= started / 3, `many runs were killed mid-way (${killed} of ${started})`);
  assert.equal(corrupt, 0, 'no corrupt record');
  for (const run of runs) {
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout.trim().split('\n')[0] ?? '') as {
      error: unknown;
      reminder: { due: boolean };
    };
    assert.equal(report.error, null, 'not blocked by a stale lock');
  }
  assert.equal(shown, 1, 'exactly one notification this local day');
  const after = await runCli(['status', '--json'], env);
  assert.equal((JSON.parse(after.stdout) as { reminder: { due: boolean } }).reminder.due, false);
});
