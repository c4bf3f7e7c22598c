import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(__dirname, '..', '..');

/**
 * A command run in its own process, as `"Sign-In Assistant.exe" status --json` is: a dependency
 * warns (deprecation), a library logs to the console, then the command prints its JSON. Returns
 * stdout and stderr together, as `2>&1` gives them to a script, and what went to the log.
 */
function runCommandProcess(guarded: boolean): { combined: string; logged: string[] } {
  const script = `
    const { keepOutputForTheCommand } = require(${JSON.stringify(join(root, 'src', 'main', 'commandOutput.ts'))});
    const logged = [];
    const note = (level) => (message, meta) => logged.push(level + ' ' + message + ' ' + JSON.stringify(meta ?? {}));
    const logger = { debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error') };
    if (${guarded}) keepOutputForTheCommand(process, console, logger);
    process.emitWarning('The punycode module is deprecated.', 'DeprecationWarning', 'DEP0040');
    process.emitWarning('an experimental feature');
    console.log('library chatter');
    console.error('library complaint');
    setImmediate(() => {
      process.stdout.write(JSON.stringify({ password: { state: 'ok' } }) + '\\n');
      process.stdout.write('LOGGED ' + JSON.stringify(logged) + '\\n', () => process.exit(0));
    });
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    // One pipe for both streams, in the order written: what `2>&1` hands to a script.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.split('\n');
  const loggedLine = lines.find((line) => line.startsWith('LOGGED ')) ?? 'LOGGED []';
  const output = lines.filter((line) => !line.startsWith('LOGGED ')).join('\n');
  return {
    combined: `${output}${run.stderr}`,
    logged: JSON.parse(loggedLine.slice('LOGGED '.length)) as string[],
  };
}

void describe('the headless command keeps its output parseable', () => {
  void it('Node warnings and console output of libraries go to the log, not to stdout or stderr', () => {
    const { combined, logged } = runCommandProcess(true);
    assert.deepEqual(JSON.parse(combined), { password: { state: 'ok' } }, combined);
    assert.ok(
      logged.some((line) => line.includes('DeprecationWarning')),
      'the warning is in the log',
    );
    assert.ok(
      logged.some((line) => line.includes('library complaint')),
      'so is the console output',
    );
  });

  void it('is really needed: unguarded, the same run is not parseable', () => {
    const { combined } = runCommandProcess(false);
    assert.throws(() => JSON.parse(combined) as unknown, SyntaxError);
    assert.match(combined, /DeprecationWarning/);
  });
});
