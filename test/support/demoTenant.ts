/**
 * Starts a demo tenant for an integration test, with the certificate the test runner made
 * (scripts/run-tests.mjs sets SIGNIN_ASSISTANT_TEST_CERT_DIR and NODE_EXTRA_CA_CERTS, so MSAL and
 * fetch in this process already trust it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../src/demo/tenant';

export type TestTenantOptions = Omit<DemoTenantOptions, 'certPem' | 'keyPem'>;

export function testCertificate(): { certPem: string; keyPem: string; certFile: string } {
  const dir = process.env['SIGNIN_ASSISTANT_TEST_CERT_DIR'];
  if (!dir) {
    throw new Error(
      'SIGNIN_ASSISTANT_TEST_CERT_DIR is not set. Run integration tests through ' +
        '`node scripts/run-tests.mjs` (it makes the demo certificate and trusts it).',
    );
  }
  const certFile = join(dir, 'cert.pem');
  return {
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
    certFile,
  };
}

export async function startTestTenant(options: TestTenantOptions = {}): Promise<DemoTenant> {
  const { certPem, keyPem } = testCertificate();
  return startDemoTenant({ ...options, certPem, keyPem });
}
