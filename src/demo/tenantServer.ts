/**
 * Runs the demo tenant on its own: `node dist/demo/tenantServer.js [--port N] [--cert-dir DIR]`.
 * Prints one JSON line (authority, knownAuthority, graphEndpoint, tenantId, clientId, adminUrl,
 * accounts, certFile) and serves until SIGTERM or SIGINT. Without --cert-dir a fresh certificate
 * is written to a temporary folder; point the client's NODE_EXTRA_CA_CERTS at `certFile`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDemoCertificate } from './certificate';
import { startDemoTenant } from './tenant';

interface Arguments {
  port: number;
  certDir: string | null;
}

function parseArguments(argv: readonly string[]): Arguments | string {
  const args: Arguments = { port: 0, certDir: null };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--port' && value !== undefined) {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `Invalid port '${value}'.`;
      args.port = port;
      i += 1;
    } else if (flag === '--cert-dir' && value !== undefined) {
      args.certDir = resolve(value);
      i += 1;
    } else {
      return `Unknown or incomplete argument '${flag ?? ''}'.`;
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\nusage: tenantServer [--port N] [--cert-dir DIR]\n`);
    process.exitCode = 2;
    return;
  }
  let certDir = args.certDir;
  let madeDir: string | null = null;
  if (certDir === null) {
    madeDir = mkdtempSync(join(tmpdir(), 'signin-assistant-demo-'));
    const made = await createDemoCertificate();
    writeFileSync(join(madeDir, 'cert.pem'), made.certPem, { mode: 0o644 });
    writeFileSync(join(madeDir, 'key.pem'), made.keyPem, { mode: 0o600 });
    certDir = madeDir;
  }
  const certFile = join(certDir, 'cert.pem');
  const tenant = await startDemoTenant({
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(join(certDir, 'key.pem'), 'utf8'),
    port: args.port,
  });
  process.stdout.write(
    `${JSON.stringify({
      authority: tenant.authority,
      knownAuthority: tenant.knownAuthority,
      graphEndpoint: tenant.graphEndpoint,
      tenantId: tenant.tenantId,
      clientId: tenant.clientId,
      adminUrl: tenant.adminUrl,
      accounts: tenant.accounts,
      certFile,
    })}\n`,
  );
  const stop = (): void => {
    void tenant.close().finally(() => {
      if (madeDir) rmSync(madeDir, { recursive: true, force: true });
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo tenant failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
