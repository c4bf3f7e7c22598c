/** The Electron binary the electron package installed, or why there is none. */
import { existsSync, readFileSync } from 'node:fs';
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
