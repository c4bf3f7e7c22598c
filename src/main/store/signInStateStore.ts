import type { Logger } from '../../core/ports';
import type { SignInState } from '../../core/signInPrompt';
import { JsonFileStore, isRecord } from './jsonFileStore';

function parseState(raw: unknown): SignInState | null {
  if (!isRecord(raw) || typeof raw.signedOut !== 'boolean') return null;
  const shownFor = raw.promptShownFor;
  if (shownFor !== null && typeof shownFor !== 'string') return null;
  return { promptShownFor: shownFor, signedOut: raw.signedOut };
}

/**
 * Whether the first-run sign-in prompt was shown (for which settings) and whether the user signed
 * out; a missing or corrupt file reads as "neither", so at worst the prompt is shown once more.
 */
export function createSignInStateStore(path: string, logger: Logger): JsonFileStore<SignInState> {
  return new JsonFileStore(path, parseState, logger);
}
