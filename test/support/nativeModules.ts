/**
 * The app's native modules: found in its production dependency tree (a package with a
 * binding.gyp or a .node file of its own), and what each is on Windows. electron-builder does not
 * rebuild them (npmRebuild: false), so each one the app loads on Windows must ship a prebuilt
 * win32-x64 Node-API binary that its own loader finds.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface WindowsNativeModule {
  /** The win32-x64 binary, relative to node_modules. */
  binary: string;
  /** Where it comes from: its own npm tarball, or an optional package npm picks for Windows. */
  shippedIn: string;
}

/** The native modules the app loads on Windows, and the Node-API binary of each. */
export const WINDOWS_NATIVE_MODULES: Readonly<Record<string, WindowsNativeModule>> = {
  'native-reg': {
    binary: 'native-reg/prebuilds/win32-x64/node.napi.node',
    shippedIn: 'its npm tarball',
  },
  '@azure/msal-node-extensions': {
    binary: '@azure/msal-node-extensions/bin/x64/dpapi.node',
    shippedIn: 'its npm tarball',
  },
  '@azure/msal-node-runtime': {
    binary: '@azure/msal-node-runtime/dist/windows/x64/msal-node-runtime.node',
    shippedIn: 'its npm tarball',
  },
  koffi: {
    binary: '@koromix/koffi-win32-x64/win32_x64/koffi.node',
    shippedIn: 'the optional package @koromix/koffi-win32-x64 (npm installs it on Windows)',
  },
};

/** Native modules the app has but never calls on Windows, with the reason. */
export const NOT_USED_ON_WINDOWS: Readonly<Record<string, string>> = {
  keytar:
    'the Keychain and Secret Service store of msal-node-extensions; on Windows the token cache is DPAPI',
};

/** koffi's binaries come in one optional package per platform: they count as koffi. */
function owner(name: string): string {
  return name.startsWith('@koromix/koffi-') ? 'koffi' : name;
}

function hasNativeFile(dir: string, depth = 0): boolean {
  if (depth > 5) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    if (entry.isFile() && entry.name.endsWith('.node')) return true;
    if (entry.isDirectory() && hasNativeFile(join(dir, entry.name), depth + 1)) return true;
  }
  return false;
}

/** The packages with native code in the production dependencies of the app at `root`. */
export function nativePackages(root: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    // Node's own lookup: the nearest node_modules up from the requiring package.
    let dir = from;
    let packageDir: string | null = null;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        packageDir = candidate;
        break;
      }
      // Not installed: an optional dependency for another platform.
      if (dir === root || dirname(dir) === dir) return;
      dir = dirname(dir);
    }
    if (seen.has(packageDir)) return;
    seen.add(packageDir);
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    if (existsSync(join(packageDir, 'binding.gyp')) || hasNativeFile(packageDir)) {
      found.add(owner(name));
    }
    for (const dependency of Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
    })) {
      visit(dependency, packageDir);
    }
  };
  const app = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const name of Object.keys(app.dependencies)) visit(name, root);
  return [...found].sort();
}
