import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../../src/core/model';
import { defaultLogsDir } from '../../src/main/logging';
import { DEPLOY_DOC, renderPolicyTable, tableInDoc } from '../../scripts/policyTable';
import { DOC_END, DOC_START, renderDetectionMarkdown } from '../../scripts/intuneScripts';

const root = join(__dirname, '..', '..');
const doc = readFileSync(join(root, DEPLOY_DOC), 'utf8');

/** Markdown table rows as trimmed cells (formatting and column widths do not matter). */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.trim().startsWith('|') && !/^\|\s*-/.test(line.trim()))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe('docs/deploy.md', () => {
  it('has the policy table generated from the configuration rules', () => {
    const inDoc = tableInDoc(doc);
    assert.ok(inDoc, 'the policy table markers are there');
    assert.deepEqual(
      rows(inDoc),
      rows(renderPolicyTable()),
      'run: node --import tsx scripts/policyTable.ts',
    );
  });

  it('lists the exit codes of status as the command defines them', () => {
    const table = /\| Exit code\s*\| Meaning\s*\|[\s\S]*?\n\n/.exec(doc)?.[0] ?? '';
    const codes = rows(table)
      .slice(1)
      .map((r) => Number(r[0]));
    assert.deepEqual(codes, Object.values(ExitCode).sort());
  });

  it('links only to files that exist', () => {
    const links = [...doc.matchAll(/\]\(\.\.\/([^)#]+)\)/g)].map((m) => m[1] ?? '');
    assert.ok(links.length >= 6);
    for (const link of links) assert.ok(existsSync(join(root, link)), `${link} exists`);
  });

  it('names the log folders the logger uses', () => {
    assert.ok(
      doc.includes(
        `\`${defaultLogsDir('win32', { LOCALAPPDATA: '%LOCALAPPDATA%' }, 'C:\\Users\\u')}\``,
      ),
    );
    assert.ok(doc.includes(`\`${defaultLogsDir('darwin', {}, '~')}\``));
    assert.ok(doc.includes(defaultLogsDir('linux', {}, '~')));
  });

  it('says there is no self-update', () => {
    assert.match(doc, /No self-update in the machine-wide MSI: IT pushes new versions/);
  });

  it('shows the detection rules of the Intune script as the table generates them', () => {
    const start = doc.indexOf(DOC_START);
    const end = doc.indexOf(DOC_END);
    assert.ok(start !== -1 && end > start, 'the detection table markers are there');
    assert.deepEqual(
      rows(doc.slice(start + DOC_START.length, end)),
      rows(renderDetectionMarkdown()),
      'run: node --import tsx scripts/intuneScripts.ts',
    );
  });

  it('answers what an endpoint engineer asks first', () => {
    assert.match(
      doc,
      /needs,\s+besides the admin-consented `Domain\.Read\.All`, a directory role \*\*of the signed-in user\*\*/,
    );
    assert.match(doc, /\*\*no telemetry, no\s+usage data, no crash reports, no update checks\*\*/);
    assert.match(doc, /sign-in name \(user principal name/);
    assert.match(doc, /There is no time-based deletion/);
    assert.match(doc, /There is \*\*no ARM64 build\*\*/);
    assert.match(doc, /\*\*Cloud Application Administrator\*\*/);
    assert.match(doc, /output limit of 2048 characters/);
    assert.match(doc, /\*\*Downgrades are blocked\*\*/);
    assert.match(doc, /Windows Enterprise E3 or E5/);
    for (const heading of [
      '## 9. Pilot checklist',
      '## 10. Shared and virtual desktops',
      '### Turning it off',
    ]) {
      assert.ok(doc.includes(heading), heading);
    }
  });
});
