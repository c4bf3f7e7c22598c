// Builds the status window and its preload: typechecks the renderer (DOM, no Node types),
// bundles renderer.ts into one browser script (a file:// page cannot load ES modules) and the
// preload into one file that requires nothing but 'electron' (all a sandboxed preload may),
// then copies the page and its styles next to the script.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// A path, not a URL's: on Windows a URL's pathname is /C:/… and a space in it is %20.
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const rendererOut = join(root, 'dist', 'renderer');
const preloadOut = join(root, 'dist', 'preload');

const typecheck = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.renderer.json')],
  { stdio: 'inherit' },
);
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

mkdirSync(rendererOut, { recursive: true });
mkdirSync(preloadOut, { recursive: true });

await build({
  entryPoints: [join(root, 'src', 'renderer', 'renderer.ts')],
  outfile: join(rendererOut, 'renderer.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'chrome130',
  legalComments: 'none',
  logLevel: 'warning',
});

await build({
  entryPoints: [join(root, 'src', 'preload', 'preload.ts')],
  outfile: join(preloadOut, 'preload.js'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['electron'],
  legalComments: 'none',
  logLevel: 'warning',
});

// A relative require would break the sandboxed preload at run time, silently: fail the build.
const preload = readFileSync(join(preloadOut, 'preload.js'), 'utf8');
const required = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const foreign = required.filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`The preload may require only 'electron', not: ${foreign.join(', ')}`);
  process.exit(1);
}

for (const file of ['index.html', 'styles.css']) {
  copyFileSync(join(root, 'src', 'renderer', file), join(rendererOut, file));
}
console.log(`Status window built into ${rendererOut} and ${preloadOut}`);
