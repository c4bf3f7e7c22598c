import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readZip } from '../support/zipReader';
import { writeDiagnosticsZip } from '../../src/main/diagnostics';

async function archive(savedSignIns: number | null | undefined): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-diag-'));
  const outFile = join(dir, 'diagnostics.zip');
  await writeDiagnosticsZip({
    outFile,
    logsDir: join(dir, 'no-logs'),
    resolved: null,
    versions: { app: '0.1.0' },
    lastReport: null,
    ...(savedSignIns === undefined ? {} : { savedSignIns }),
    now: new Date('2026-11-22T12:00:00Z'),
  });
  return readZip(outFile);
}

void describe('diagnostics: the saved sign-ins of the account', () => {
  void it('reports how many on Windows, never their names', async () => {
    const entries = await archive(3);
    assert.deepEqual(JSON.parse(entries.get('saved-sign-ins.json') ?? 'null'), { count: 3 });
    assert.match(entries.get('README.txt') ?? '', /saved-sign-ins\.json/);
  });
  void it('says nothing where none are read', async () => {
    for (const value of [null, undefined]) {
      assert.equal((await archive(value)).has('saved-sign-ins.json'), false);
    }
  });
});
