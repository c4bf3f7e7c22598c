/**
 * The one gentle first-run prompt to sign in, for users whom neither a silent sign-in with the
 * computer's account nor the domain logon gave a figure. Shown once (across restarts, by the tray
 * or `status --notify`); again only after a sign-out or when the sign-in settings change. Pure.
 */
import type { AssistantConfig } from './config';
import { messages } from './messages';
import type { StatusReport } from './model';

/** What the per-user state says about signing in (see the engine's sign-in state file). */
export interface SignInState {
  /** The settings the prompt was shown for (signInPromptKey); null: not since the last sign-out. */
  promptShownFor: string | null;
  /**
   * The user signed out: the computer's account is not signed in silently again until the user
   * signs in (a sign-out would otherwise be undone by the next check).
   */
  signedOut: boolean;
}

export const NO_SIGN_IN_STATE: Readonly<SignInState> = Object.freeze({
  promptShownFor: null,
  signedOut: false,
});

/** `due`: show it now; `already-shown`: shown before for these settings; `off`: not wanted. */
export type SignInPromptDecision = 'due' | 'already-shown' | 'off' | 'not-needed';

/** The settings that decide who signs in where: a change here asks once more. */
export function signInPromptKey(config: AssistantConfig): string {
  const { tenantId, clientId, authority, signIn, useWindowsBroker } = config;
  return JSON.stringify([tenantId, clientId, authority, signIn, useWindowsBroker]);
}

/** Nobody is signed in and nothing else gave a figure (the report says "not signed in"). */
export function needsSignIn(report: StatusReport): boolean {
  return report.account === null && report.error?.kind === 'sign-in-required';
}

export function decideSignInPrompt(input: {
  config: AssistantConfig;
  report: StatusReport;
  state: SignInState;
}): SignInPromptDecision {
  const { config, report, state } = input;
  if (config.signIn !== 'auto') return 'off';
  if (!needsSignIn(report)) return 'not-needed';
  return state.promptShownFor === signInPromptKey(config) ? 'already-shown' : 'due';
}

/** The prompt's words, with where the icon is on this platform. */
export function signInPromptContent(platform: string): { title: string; body: string } {
  const { signInPrompt } = messages;
  return { title: signInPrompt.title, body: signInPrompt.body(signInPrompt.iconAt(platform)) };
}
