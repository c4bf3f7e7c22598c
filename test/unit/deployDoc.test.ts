import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../../src/core/model';
import { defaultLogsDir } from '../../src/main/logging';
import { DEPLOY_DOC, renderPolicyTable, tableInDoc } from '../../scripts/policyTable';

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
});
