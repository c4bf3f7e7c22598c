import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ExitCode } from '../../src/core/model';
import { defaultLogsDir } from '../../src/main/logging';
import { DEPLOY_DOC, renderPolicyTable, tableInDoc } from '../../scripts/policyTable';

const root = join(__dirname, '..', '..');
const doc = readFileSync(join(root, DEPLOY_DOC), 'utf8');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

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

describe('deploy scripts', () => {
  it('the registration script makes a public client with the loopback and broker redirects and User.Read', () => {
    const script = read('deploy/Register-SignInAssistant.ps1');
    assert.match(script, /New-MgApplication/);
    assert.match(script, /-PublicClient @\{ RedirectUris = @\('http:\/\/localhost'\) \}/);
    // The Windows broker answers on ms-appx-web://Microsoft.AAD.BrokerPlugin/<client ID>.
    assert.match(
      script,
      /\$brokerRedirect = "ms-appx-web:\/\/Microsoft\.AAD\.BrokerPlugin\/\$\(\$app\.AppId\)"/,
    );
    assert.match(
      script,
      /Update-MgApplication -ApplicationId \$app\.Id `\s+-PublicClient @\{ RedirectUris = @\('http:\/\/localhost', \$brokerRedirect\) \}/,
    );
    assert.match(doc, /ms-appx-web:\/\/Microsoft\.AAD\.BrokerPlugin\/<client ID>/);
    assert.match(script, /-IsFallbackPublicClient/);
    assert.match(script, /\$permissions = @\('User\.Read'\)/);
    assert.match(script, /if \(\$ReadDomainPolicy\) \{ \$permissions \+= 'Domain\.Read\.All' \}/);
    assert.match(script, /Type = 'Scope'/, 'delegated permissions');
    assert.match(script, /Tenant ID .*\$\(\$context\.TenantId\)/);
    assert.match(script, /Client ID .*\$\(\$app\.AppId\)/);
  });
});
