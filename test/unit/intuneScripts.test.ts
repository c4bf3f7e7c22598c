/**
 * The Intune scripts' decisions: one table each (scripts/intuneScripts.ts), which the scripts hold
 * verbatim and follow. PowerShell does not run here: the table, the generated text and the
 * scripts' use of it are what is checked.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exitCodeForErrorKind } from '../../src/core/errorClassification';
import { messages } from '../../src/core/messages';
import { ExitCode } from '../../src/core/model';
import type { ErrorKind } from '../../src/core/model';
import { NOTIFY_OUTCOMES } from '../../src/core/notifyOutcome';
import {
  DETECTION_RULES,
  DETECT_SCRIPT,
  INTUNE_OUTPUT_LIMIT,
  REMEDIATE_SCRIPT,
  REMEDIATION_LINES,
  detectionRuleFor,
  renderDetectionTable,
  renderRemediationTable,
  tableIn,
} from '../../scripts/intuneScripts';

const root = join(__dirname, '..', '..');
const detect = readFileSync(join(root, DETECT_SCRIPT), 'utf8');
const remediate = readFileSync(join(root, REMEDIATE_SCRIPT), 'utf8');
/** The scripts without their help block. */
const code = (script: string) => script.replace(/<#[\s\S]*?#>/, '');

/** Every error kind (the compiler fails here when one is added and not listed). */
const ERROR_KINDS = Object.keys({
  'password-expired': 1,
  'password-changed': 1,
  'password-change-required': 1,
  'sign-in-required': 1,
  'wrong-credentials': 1,
  'account-locked': 1,
  'account-disabled': 1,
  'mfa-required': 1,
  'blocked-by-policy': 1,
  'consent-required': 1,
  configuration: 1,
  'directory-refused': 1,
  'keyring-unavailable': 1,
  'local-storage': 1,
  network: 1,
  service: 1,
  cancelled: 1,
  unknown: 1,
} satisfies Record<ErrorKind, 1>) as ErrorKind[];

const facts = (outcome: string, more: { kind?: string; state?: string; reason?: string } = {}) => ({
  outcome,
  kind: more.kind ?? null,
  state: more.state ?? null,
  reason: more.reason ?? null,
});
const catchAll = DETECTION_RULES[DETECTION_RULES.length - 1];

describe('the detection table', () => {
  it('ends with a rule that matches everything, and answers every exit code of status itself', () => {
    assert.deepEqual(
      [catchAll?.exit, catchAll?.kind, catchAll?.state, catchAll?.reason],
      ['*', '*', '*', '*'],
    );
    for (const exit of Object.values(ExitCode)) {
      const found = detectionRuleFor(facts(String(exit), { state: 'ok' }));
      assert.notEqual(found, catchAll, `exit ${exit} has its own rule`);
      assert.equal(found.exit, String(exit));
    }
    assert.equal(detectionRuleFor(facts('9')), catchAll);
  });

  it('sends expiring, expired and the sign-in a user can do to the remediation, nothing else', () => {
    assert.equal(detectionRuleFor(facts('1', { state: 'expiring' })).remediate, true);
    assert.equal(detectionRuleFor(facts('2', { state: 'expired' })).remediate, true);
    assert.equal(detectionRuleFor(facts('2', { kind: 'password-expired' })).remediate, true);
    for (const outcome of ['0', '4', '5', '6', 'not-installed', 'timeout', 'no-answer']) {
      for (const state of ['ok', 'never', 'unknown']) {
        assert.equal(detectionRuleFor(facts(outcome, { state })).remediate, false, outcome);
      }
    }
    const signIn = ERROR_KINDS.filter(
      (kind) => exitCodeForErrorKind(kind) === ExitCode.authError,
    ).filter((kind) => detectionRuleFor(facts('3', { kind })).remediate);
    assert.deepEqual(signIn.sort(), [
      'cancelled',
      'mfa-required',
      'password-change-required',
      'password-changed',
      'sign-in-required',
      'wrong-credentials',
    ]);
  });

  it('tells the causes of exit 3 apart', () => {
    const exit3 = ERROR_KINDS.filter((kind) => exitCodeForErrorKind(kind) === ExitCode.authError);
    const labels = exit3.map((kind) => detectionRuleFor(facts('3', { kind })).label);
    // Every kind but the catch-all "unknown" has a label of its own.
    assert.equal(new Set(labels).size, exit3.length, labels.join(', '));
    assert.equal(detectionRuleFor(facts('3', { kind: 'consent-required' })).remediate, false);
  });

  it('never reports a hybrid user whose AD was not readable as OK', () => {
    const hybrid = detectionRuleFor(
      facts('0', { state: 'unknown', reason: messages.reasons.managedOnPremises }),
    );
    assert.doesNotMatch(hybrid.label, /^OK/);
    assert.match(hybrid.label, /managed on-premises/);
    assert.equal(detectionRuleFor(facts('0', { state: 'ok' })).label, 'OK');
    assert.notEqual(detectionRuleFor(facts('0', { state: 'unknown' })).label, 'OK');
  });

  it('keeps every report line far inside the Intune output limit', () => {
    const details =
      'state=expiring days=-10000 error=password-change-required exit=3 tray=not-running';
    for (const rule of DETECTION_RULES) {
      assert.match(rule.label, /^[\x20-\x7E]+$/, 'plain ASCII');
      assert.ok(`${rule.label}: ${details}`.length < INTUNE_OUTPUT_LIMIT / 4);
    }
  });
});

describe('the remediation table', () => {
  it('has a line for every notified value of the command, and for no answer', () => {
    const outcomes = REMEDIATION_LINES.map((line) => line.outcome);
    for (const outcome of [...NOTIFY_OUTCOMES, 'no-answer', 'timeout', 'turned-off']) {
      assert.ok(outcomes.includes(outcome as never), outcome);
    }
    assert.equal(new Set(outcomes).size, outcomes.length);
    const failed = REMEDIATION_LINES.filter((line) => line.failed).map((line) => line.outcome);
    assert.deepEqual(failed.sort(), ['could-not-show', 'no-answer', 'not-installed']);
  });
});

describe('the scripts', () => {
  it('hold the current tables', () => {
    assert.equal(
      tableIn(detect),
      renderDetectionTable(),
      'run: node --import tsx scripts/intuneScripts.ts',
    );
    assert.equal(
      tableIn(remediate),
      renderRemediationTable(),
      'run: node --import tsx scripts/intuneScripts.ts',
    );
  });

  it('are plain ASCII', () => {
    for (const script of [detect, remediate]) {
      assert.ok(
        [...script].every((c) => c === '\n' || (c >= ' ' && c <= '~')),
        'ASCII, LF',
      );
    }
  });

  it('find the app in the 64-bit Program Files folder, also from 32-bit PowerShell', () => {
    for (const script of [detect, remediate]) {
      assert.match(code(script), /\$programFiles = \$env:ProgramW6432\n/);
      assert.match(
        code(script),
        /if \(-not \$programFiles\) \{ \$programFiles = \$env:ProgramFiles \}/,
      );
      assert.doesNotMatch(code(script), /Join-Path \$env:ProgramFiles/);
    }
  });

  it('the detection runs status --json with its own timeout and follows the first matching rule', () => {
    const body = code(detect);
    assert.match(body, /-ArgumentList 'status', '--json' -PassThru/);
    assert.doesNotMatch(body, /Start-Process[^\n]*-Wait\b/);
    assert.match(body, /\[int\] \$TimeoutSeconds = \d+/);
    assert.match(body, /\$process\.WaitForExit\(\$TimeoutSeconds \* 1000\)/);
    assert.match(body, /Stop-Process -Id \$process\.Id/);
    // Find-Rule: each column is '*' or equal, in the table's order, first match returned.
    for (const column of ['Exit', 'Kind', 'State', 'Reason']) {
      assert.match(
        body,
        new RegExp(
          `\\(\\$rule\\.${column} -eq '\\*' -or \\$rule\\.${column} -eq \\$${column.toLowerCase()}\\)`,
        ),
      );
    }
    assert.match(body, /foreach \(\$rule in \$Rules\) \{[\s\S]*?\{ return \$rule \}/);
    assert.match(body, /if \(\$rule\.Remediate\) \{ exit 1 \}\n\s*exit 0/);
    for (const outcome of ['not-installed', 'timeout', 'no-answer']) {
      assert.match(body, new RegExp(`Find-Rule '${outcome}'`));
    }
    assert.match(body, /Find-Rule \$code \$kind \$state \$reason/);
  });

  it('write one line, cut to the Intune limit, and nothing else', () => {
    for (const script of [detect, remediate]) {
      const body = code(script);
      assert.equal(body.match(/Write-Output/g)?.length, 1, 'one Write-Output, in Write-Line');
      assert.doesNotMatch(body, /Write-(Host|Warning|Verbose|Error|Information)/);
      assert.ok(
        body.indexOf('trap {') !== -1 && body.indexOf('trap {') < body.indexOf('Start-Process'),
        'an unexpected error still ends in one line',
      );
      assert.match(body, new RegExp(`\\$OutputLimit = ${INTUNE_OUTPUT_LIMIT}\\n`));
      assert.match(
        body,
        /if \(\$line\.Length -gt \$OutputLimit\) \{ \$line = \$line\.Substring\(0, \$OutputLimit\) \}/,
      );
    }
  });

  it('the remediation reports notified, waits only for the command, and starts a missing tray', () => {
    const body = code(remediate);
    assert.match(body, /-ArgumentList 'status', '--json', '--notify' -PassThru/);
    assert.doesNotMatch(body, /Start-Process[^\n]*-Wait\b/);
    assert.match(body, /\$process\.WaitForExit\(\$TimeoutSeconds \* 1000\)/);
    assert.match(body, /\$notified = \[string\] \$answer\.notified/);
    assert.match(body, /\$entry = \$Lines\[\$outcome\]/);
    assert.match(body, /if \(\$entry\.Failed\) \{ exit 1 \}/);
    assert.match(
      body,
      /if \(\$tray -eq 'not-running'\) \{\s*try \{\s*Start-Process -FilePath \$Command -ArgumentList '--at-login'/,
    );
    assert.ok(body.indexOf("'--at-login'") < body.indexOf("'--notify'"), 'the tray first');
  });
});
