/**
 * koffi (prebuilt FFI) for the CommonJS build: its type declarations are ESM-only, so the types
 * come in as a type-only import and the module itself through require.
 */
import type * as Koffi from 'koffi' with { 'resolution-mode': 'import' };

export type { Koffi };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const koffi = require('koffi') as typeof Koffi;
