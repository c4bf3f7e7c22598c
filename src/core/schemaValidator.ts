import Ajv from 'ajv';
import type { Options, ValidateFunction } from 'ajv';

/** A JSON schema with the `$id` its precompiled validator is found by. */
export interface IdentifiedSchema {
  readonly $id: string;
}

/** One set of options for every schema, here and in the build's precompilation. */
export const AJV_OPTIONS: Readonly<Options> = Object.freeze({ allErrors: true, strict: true });

const registered = new Map<string, IdentifiedSchema>();
let ajv: Ajv | null = null;

/**
 * The validator of a schema, compiled the first time it is used. The headless command's bundle
 * replaces this module with validators compiled at build time from the same schemas
 * (scripts/build-cli.mjs), so the command never loads or runs the schema compiler.
 */
export function schemaValidator<T>(schema: IdentifiedSchema): () => ValidateFunction<T> {
  registered.set(schema.$id, schema);
  let compiled: ValidateFunction<T> | null = null;
  return () => (compiled ??= (ajv ??= new Ajv({ ...AJV_OPTIONS })).compile<T>(schema));
}

/** Every schema a loaded module has asked a validator for (the build precompiles these). */
export function registeredSchemas(): IdentifiedSchema[] {
  return [...registered.values()];
}
