// Bundles the headless command into one file, dist/cli/signinAssistant.bundle.js, so that a run
// reads one script instead of hundreds of modules. The `bin`, dist/cli/signinAssistant.js, runs it
// through src/cli/launcher.ts (from V8's code cache) and, required, exports what it exports. The JSON schemas (the settings schema in
// src/core/config.ts, Graph's answers) are compiled here, at build time, from the compiled
// sources that `tsc` has just written: the bundle carries the validators' code, not the compiler.
// Packages with native parts or files of their own stay outside the bundle, loaded from
// node_modules, and most only when a command needs them.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// A path, not a URL's: on Windows a URL's pathname is /C:/… and a space in it is %20.
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');

// The modules that define schemas: loading them registers each schema by its $id.
const SCHEMA_MODULES = ['core/config.js', 'main/graph/graphClient.js'];

function precompiledValidators() {
  for (const module of SCHEMA_MODULES) require(join(dist, module));
  const { registeredSchemas, AJV_OPTIONS } = require(join(dist, 'core', 'schemaValidator.js'));
  const { default: Ajv } = require('ajv');
  const standaloneCode = require('ajv/dist/standalone').default;
  const schemas = registeredSchemas();
  if (schemas.length === 0) throw new Error('No schema registered: check SCHEMA_MODULES');
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
  const exportNames = {};
  schemas.forEach((schema, index) => {
    ajv.addSchema(schema);
    exportNames[`v${index}`] = schema.$id;
  });
  const byId = Object.fromEntries(schemas.map((schema, index) => [schema.$id, `v${index}`]));
  return [
    // The same exports as src/core/schemaValidator.ts, with nothing left to compile.
    `const compiled = (() => { const module = { exports: {} }; const exports = module.exports;`,
    standaloneCode(ajv, exportNames),
    'return module.exports; })();',
    `const byId = ${JSON.stringify(byId)};`,
    `export const AJV_OPTIONS = Object.freeze(${JSON.stringify(AJV_OPTIONS)});`,
    'export function schemaValidator(schema) {',
    '  const validate = compiled[byId[schema.$id]];',
    '  if (!validate) throw new Error(`No precompiled validator for ${schema.$id}: add its module to scripts/build-cli.mjs`);',
    '  return () => validate;',
    '}',
    'export function registeredSchemas() { return []; }',
  ].join('\n');
}

const validatorsPlugin = {
  name: 'precompiled-validators',
  setup(builder) {
    const contents = precompiledValidators();
    builder.onLoad({ filter: /[\\/]src[\\/]core[\\/]schemaValidator\.ts$/ }, () => ({
      contents,
      loader: 'js',
      resolveDir: join(root, 'src', 'core'),
    }));
  },
};

// The on-premises directory reader starts a worker from its own compiled file, found next to
// it: it stays the compiled module tsc wrote (dist/main/onprem), loaded only when a read happens.
const directoryReaderPlugin = {
  name: 'directory-reader-outside',
  setup(builder) {
    // The ES module packages (open, plist) are imported from a module of their own, outside:
    // the bundle runs from V8's code cache (src/cli/launcher.ts), where an import() of its own
    // cannot load anything; every other import() in it becomes a require().
    builder.onResolve({ filter: /[\\/]esModules(?:\.js)?$/ }, () => ({
      path: '../main/esModules.js',
      external: true,
    }));
    builder.onResolve({ filter: /[\\/]main[\\/]onprem(?:[\\/]index\.js)?$/ }, () => ({
      path: '../main/onprem/index.js',
      external: true,
    }));
  },
};

// MSAL signs client assertions with jsonwebtoken (and semver, jws, lodash...), which only
// confidential clients make: loading them cost every run of the command about 10 ms. The bundle
// keeps the library, evaluated at its first use instead of at start.
const LAZY_JWT = 'lazy-jsonwebtoken';
const lazyJwtPlugin = {
  name: 'jsonwebtoken-at-first-use',
  setup(builder) {
    builder.onResolve({ filter: /^jsonwebtoken$/ }, (args) =>
      args.importer.includes(`${join('@azure', 'msal-node')}`) && args.pluginData !== LAZY_JWT
        ? { path: 'jsonwebtoken', namespace: LAZY_JWT, pluginData: args.resolveDir }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: LAZY_JWT }, (args) => ({
      contents: [
        'export default {',
        '  sign: (...args) => require("jsonwebtoken").sign(...args),',
        '};',
      ].join('\n'),
      loader: 'js',
      resolveDir: args.pluginData,
      pluginData: LAZY_JWT,
    }));
  },
};

await build({
  entryPoints: [join(root, 'src', 'cli', 'signinAssistant.ts')],
  outfile: join(dist, 'cli', 'signinAssistant.bundle.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // MSAL's ES modules, so that what the command does not use (confidential clients, their JWT
  // library) is left out.
  mainFields: ['module', 'main'],
  supported: { 'dynamic-import': false },
  external: [
    'electron',
    'electron-log',
    '@azure/msal-node-extensions',
    'keytar',
    // Prebuilt FFI with a native binary per platform (the Windows credential store uses it).
    'koffi',
    'native-reg',
    'node-notifier',
    'open',
    'plist',
    'undici',
  ],
  plugins: [validatorsPlugin, directoryReaderPlugin, lazyJwtPlugin],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
}).then((result) => {
  const inputs = Object.keys(result.metafile.inputs);
  if (inputs.some((input) => input.includes('node_modules/ajv/dist/compile/'))) {
    throw new Error('The schema compiler ended up in the command bundle');
  }
  if (/\bimport\(/.test(readFileSync(join(dist, 'cli', 'signinAssistant.bundle.js'), 'utf8'))) {
    throw new Error(
      'The command bundle holds an import(): it would fail when run from the code cache',
    );
  }
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  writeFileSync(
    join(dist, 'cli', 'signinAssistant.js'),
    [
      '#!/usr/bin/env node',
      "'use strict';",
      '// The headless command: see src/cli/launcher.ts and scripts/build-cli.mjs.',
      "if (require.main === module) require('./launcher.js').launch(module);",
      "else module.exports = require('./signinAssistant.bundle.js');",
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  chmodSync(join(dist, 'cli', 'signinAssistant.js'), 0o755);
  console.log(
    `Command bundled into dist/cli/signinAssistant.bundle.js (${Math.round(bytes / 1024)} KiB)`,
  );
});
