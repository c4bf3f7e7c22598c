/**
 * Bounds on what the app accepts from files and servers, and on how much of a bad value it echoes
 * back. A hostile or broken source must get a clear refusal, never exhaust memory or the stack.
 */

/** The largest answer read from a service (Graph, the sign-in service). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The largest settings file or state file read. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The deepest JSON nesting accepted anywhere; real documents here are a few levels deep. */
export const MAX_JSON_DEPTH = 64;

/** How much of a value a message shows. */
export const MAX_SHOWN_CHARS = 80;

/** `text`, cut to `max` characters with an ellipsis when longer. */
export function shortened(text: string, max = MAX_SHOWN_CHARS): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * The deepest nesting of arrays and objects in a JSON text, found without parsing it (so without
 * recursion). Brackets inside strings do not count.
 */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

export type BoundedJson = { ok: true; value: unknown } | { ok: false; problem: string };

/** Parses JSON that is no deeper than `maxDepth`; says why otherwise. */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): BoundedJson {
  const depth = jsonNestingDepth(text);
  if (depth > maxDepth) {
    return { ok: false, problem: `nested ${depth} levels deep (at most ${maxDepth} allowed)` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${shortened((error as Error).message)})` };
  }
}
