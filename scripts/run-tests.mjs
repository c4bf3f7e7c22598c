// Finds every test file and runs them with Node's test runner (TypeScript through tsx).
// A certificate for the loopback demo tenant is made first, because Node reads
// NODE_EXTRA_CA_CERTS only when a process starts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, mkdtempSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...collect(path));
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out.sort();
}

let files = collect(join(root, 'test'));
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

const certDir = mkdtempSync(join(tmpdir(), 'signin-assistant-cert-'));
const made = spawnSync(
  process.execPath,
  ['--import', 'tsx', 'scripts/makeDemoCertificate.ts', certDir],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (made.status !== 0) process.exit(made.status ?? 1);

const env = {
  ...process.env,
  NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem'),
  SIGNIN_ASSISTANT_TEST_CERT_DIR: certDir,
  TZ: process.env.TZ ?? 'UTC',
};
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(run.status ?? 1);
