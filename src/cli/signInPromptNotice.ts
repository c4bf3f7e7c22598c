/**
 * `status --notify` when nobody is signed in and nothing else gave a figure: the one first-run
 * prompt to sign in, under the tray's own once-rule (shown once across restarts and processes;
 * again after a sign-out or new sign-in settings). Its outcome is the `notified` value.
 */
import type { StatusReport } from '../core/model';
import type { AssistantEngine } from '../core/ports';
import { signInPromptContent } from '../core/signInPrompt';
import type { DesktopNotifier } from '../main/desktopNotifier';
import type { NotifyStep } from './statusNotify';

export type SignInPromptOutcome = 'sign-in-prompt' | 'already-shown' | 'could-not-show';

export interface SignInPromptNotice {
  engine: Pick<AssistantEngine, 'signInPrompt' | 'signInPromptShown'>;
  report: StatusReport;
  /** Made only when the prompt is due (the notification backends load then). */
  notifier: () => Promise<DesktopNotifier>;
  seconds: number;
  platform: NodeJS.Platform;
  /** A click: open the tray app (the packaged app), or sign in from here. */
  onClick: () => Promise<void>;
}

/** What was done about the prompt; null when it does not apply (a figure, or policy says no). */
export async function offerSignInPrompt(
  notice: SignInPromptNotice,
): Promise<{ outcome: SignInPromptOutcome; error?: string } | null> {
  const decision = await notice.engine.signInPrompt(notice.report);
  if (decision === 'already-shown') return { outcome: 'already-shown' };
  if (decision !== 'due') return null;
  const { title, body } = signInPromptContent(notice.platform);
  let result: { shown: boolean; error?: string };
  try {
    const notifier = await notice.notifier();
    result = await notifier.show({ title, body, seconds: notice.seconds, onClick: notice.onClick });
  } catch (error) {
    result = { shown: false, error: (error as Error).message };
  }
  if (!result.shown) {
    return { outcome: 'could-not-show', error: result.error ?? 'no notification service' };
  }
  await notice.engine.signInPromptShown();
  return { outcome: 'sign-in-prompt' };
}

/** The prompt as a `status --notify` step, ahead of the reminder (see statusNotify.ts). */
export function signInPromptStep(
  notice: Omit<SignInPromptNotice, 'report'>,
  err: (text: string) => void,
): NotifyStep {
  return async (report) => {
    const prompt = await offerSignInPrompt({ ...notice, report });
    if (prompt?.error) err(`Could not show a desktop notification (${prompt.error}).`);
    return prompt?.outcome ?? null;
  };
}
