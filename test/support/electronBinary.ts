/** The Electron binary the electron package installed, or why there is none. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(root: string): { path: string } | { missing: string } {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      missing: `no Electron binary at ${join(root, 'node_modules', 'electron', 'dist')} (the electron package was installed without its download)`,
    };
  }
  const binary = join(
    root,
    'node_modules',
    'electron',
    'dist',
    readFileSync(pathFile, 'utf8').trim(),
  );
  return existsSync(binary) ? { path: binary } : { missing: `no Electron binary at ${binary}` };
}

/**
 * A settings file for the real app whose sign-in service and Graph are a closed loopback port:
 * checks fail fast as "network", which is all a launch test needs.
 */
export function writeUnreachableTenantConfig(home: string): string {
  const configFile = join(home, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      tenantId: 'contoso.com',
      clientId: '00000000-0000-0000-0000-000000000001',
      authority: 'https://127.0.0.1:9',
      graphEndpoint: 'https://127.0.0.1:9',
    }),
  );
  return configFile;
}
