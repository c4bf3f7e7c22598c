/**
 * Writes a fresh demo-tenant certificate: `makeDemoCertificate.ts <dir>` creates <dir>/cert.pem
 * and <dir>/key.pem (key readable by the owner only). The test runner calls it before the tests
 * so it can point NODE_EXTRA_CA_CERTS at the certificate when the test processes start.
 */
import { mkdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDemoCertificate } from '../src/demo/certificate';

async function main(argv: string[]): Promise<number> {
  const dir = argv[0];
  if (!dir || argv.length > 1) {
    process.stderr.write('usage: makeDemoCertificate <dir>\n');
    return 2;
  }
  const target = resolve(dir);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const { certPem, keyPem } = await createDemoCertificate();
  const keyPath = join(target, 'key.pem');
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  // The mode option applies only when the file is created; make sure an older file is tightened too.
  chmodSync(keyPath, 0o600);
  writeFileSync(join(target, 'cert.pem'), certPem, { mode: 0o644 });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Could not make the demo certificate: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
