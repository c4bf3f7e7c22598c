/**
 * Looks for secrets in plain text in a Wine prefix: the registry files and every file under
 * drive_c but Windows' own system folder (Wine's DLLs, which no process of ours writes to). The
 * drive links in dosdevices are never followed (z: is the whole Unix file system).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

const SKIPPED = new Set(['dosdevices', join('drive_c', 'windows').toLowerCase()]);
const LARGEST = 64 * 1024 * 1024;

async function* filesUnder(root: string, dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIPPED.has(relative(root, path).toLowerCase()) || entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) yield* filesUnder(root, path);
    else if (entry.isFile()) yield path;
  }
}

/** For each secret, the files (relative to `prefix`) that hold it in UTF-8 or UTF-16. */
export async function filesHolding(
  prefix: string,
  secrets: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map(secrets.map((secret) => [secret, [] as string[]]));
  const needles = secrets.map((secret) => ({
    secret,
    forms: [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')],
  }));
  for await (const file of filesUnder(prefix, prefix)) {
    const info = await stat(file).catch(() => null);
    if (info === null || info.size > LARGEST || info.size === 0) continue;
    const bytes = await readFile(file).catch(() => null);
    if (bytes === null) continue;
    for (const { secret, forms } of needles) {
      if (forms.some((form) => bytes.includes(form)))
        found.get(secret)?.push(relative(prefix, file));
    }
  }
  return found;
}
