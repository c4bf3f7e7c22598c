import type { AuthenticationResult } from '@azure/msal-node';
import type { AssistantConfig } from '../../core/config';
import type { StatusReport } from '../../core/model';
import type { Logger } from '../../core/ports';
import {
  NO_SIGN_IN_STATE,
  decideSignInPrompt,
  signInPromptKey,
  type SignInPromptDecision,
  type SignInState,
} from '../../core/signInPrompt';
import type { MsalAuth } from '../auth/msalAuth';
import type { JsonFileStore } from '../store/jsonFileStore';

export interface OsAccountSignInOptions {
  config: AssistantConfig;
  state: JsonFileStore<SignInState>;
  logger: Logger;
}

/**
 * Signing in without the user: silently with the account the computer is signed in with (the
 * Windows broker), while no account is cached and the user has not signed out; and the record of
 * the one first-run prompt for when that cannot work.
 */
export function createOsAccountSignIn(options: OsAccountSignInOptions) {
  const { config, state, logger } = options;
  const read = (): Promise<SignInState> =>
    state.read().then(
      (kept) => kept ?? NO_SIGN_IN_STATE,
      () => NO_SIGN_IN_STATE,
    );
  const update = async (change: Partial<SignInState>): Promise<void> => {
    const next = { ...(await read()), ...change };
    await state.write(next).catch((error: unknown) => {
      logger.warn('Could not record the sign-in state', { error: String(error) });
    });
  };

  return {
    /** The silent sign-in's result, or null (not possible here, not wanted, or it needs the user). */
    async signIn(auth: MsalAuth): Promise<AuthenticationResult | null> {
      if (config.signIn === 'manual' || (await read()).signedOut) return null;
      try {
        const result = await auth.signInWithOsAccount();
        if (!result?.account) return null;
        logger.info("Signed in silently with the computer's account");
        return result;
      } catch (error) {
        const meta = {
          errorCode: (error as { errorCode?: unknown }).errorCode,
          error: (error as Error).message,
        };
        // Interaction needed: nothing is shown at logon; the first-run prompt may ask later.
        if ((error as Error).name === 'InteractionRequiredAuthError') {
          logger.info("The computer's account cannot sign in silently", meta);
        } else {
          logger.warn("Silent sign-in with the computer's account failed", meta);
        }
        return null;
      }
    },
    signedIn: () => update({ signedOut: false }),
    /** A sign-out: no silent sign-in until the user signs in, and the prompt may show again. */
    signedOut: () => update({ signedOut: true, promptShownFor: null }),
    async promptDecision(report: StatusReport): Promise<SignInPromptDecision> {
      return decideSignInPrompt({ config, report, state: await read() });
    },
    promptShown: () => update({ promptShownFor: signInPromptKey(config) }),
  };
}
