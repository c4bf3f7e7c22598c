/**
 * A throw-away TLS certificate for the loopback demo tenant. It is made when the tenant starts
 * (never committed) and trusted by the client process through NODE_EXTRA_CA_CERTS.
 */
import { generate } from 'selfsigned';

export interface DemoCertificate {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Self-signed for CN=localhost with SAN DNS:localhost and IP:127.0.0.1, valid for 30 days. */
export async function createDemoCertificate(): Promise<DemoCertificate> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    // A little slack backwards so a client whose clock runs slightly behind still accepts it.
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 30 * DAY_MS),
    extensions: [
      // A plain server leaf: clients trust this exact certificate (NODE_EXTRA_CA_CERTS), not a CA.
      { name: 'basicConstraints', cA: false, critical: true },
      {
        name: 'keyUsage',
        digitalSignature: true,
        keyEncipherment: true,

        critical: true,
      },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}
