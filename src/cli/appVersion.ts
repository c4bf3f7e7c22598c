import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The app version from package.json (next to dist/ in a checkout and inside the package). */
export function appVersion(): string {
  try {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
    ) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
