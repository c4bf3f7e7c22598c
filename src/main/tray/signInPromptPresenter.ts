/**
 * The one gentle first-run prompt to sign in (see core/signInPrompt): a balloon on Windows (quiet
 * time is honoured by the adapter), a notification elsewhere. It counts as shown only once the
 * desktop reports it on screen (or it is clicked); a prompt that never made it to the screen is
 * offered again at the next check. A click signs in.
 */
import type { AssistantEngine, Logger } from '../../core/ports';
import type { StatusReport } from '../../core/model';
import type {
  NotificationHandle,
  NotificationPort,
  PowerMonitorPort,
  TimerHandle,
  TimerPort,
  TrayPort,
  Unsubscribe,
} from './desktopPorts';
import { SHOW_CONFIRM_MS } from './reminderPresenter';

export interface SignInPromptPresenterDeps {
  useBalloon: boolean;
  tray: TrayPort;
  notifications: NotificationPort;
  power: Pick<PowerMonitorPort, 'isUserActive'>;
  timers: TimerPort;
  engine: Pick<AssistantEngine, 'signInPrompt' | 'signInPromptShown'>;
  content: { title: string; body: string };
  balloonSeconds: number;
  logger: Logger;
  /** The user clicked it: open the status window and sign in. */
  onClick: () => void;
}

interface Prompt {
  onScreen: boolean;
  timer: TimerHandle;
  notification: NotificationHandle | null;
}

export class SignInPromptPresenter {
  private prompt: Prompt | null = null;
  private readonly unsubscribers: Unsubscribe[] = [];
  private disposed = false;

  constructor(private readonly deps: SignInPromptPresenterDeps) {
    if (deps.useBalloon) {
      this.unsubscribers.push(
        deps.tray.on('balloon-show', () => this.onScreen()),
        deps.tray.on('balloon-click', () => this.clicked()),
      );
    }
  }

  /** Shows the prompt when this report calls for it and it was not shown before. */
  async offer(report: StatusReport): Promise<'shown' | 'not-due' | 'user-away'> {
    if (this.disposed || this.prompt !== null) return 'not-due';
    let decision: Awaited<ReturnType<AssistantEngine['signInPrompt']>>;
    try {
      decision = await this.deps.engine.signInPrompt(report);
    } catch (error) {
      this.deps.logger.warn('could not read the sign-in prompt record', { error: String(error) });
      return 'not-due';
    }
    if (decision !== 'due' || this.disposed) return 'not-due';
    if (!this.deps.power.isUserActive()) return 'user-away';
    if (!this.deps.useBalloon && !this.deps.notifications.isSupported()) return 'not-due';
    const { title, body } = this.deps.content;
    const prompt: Prompt = {
      onScreen: false,
      timer: this.deps.timers.setTimeout(() => this.takeOffScreen(prompt), SHOW_CONFIRM_MS),
      notification: null,
    };
    this.prompt = prompt;
    if (this.deps.useBalloon) {
      this.deps.tray.displayBalloon({ title, content: body });
    } else {
      prompt.notification = this.deps.notifications.show({
        title,
        body,
        onShow: () => this.onScreen(prompt),
        onFailed: () => this.takeOffScreen(prompt),
        onClick: () => this.clicked(prompt),
        onClose: () => this.takeOffScreen(prompt),
      });
    }
    this.deps.logger.info('sign-in prompt handed to the desktop');
    return 'shown';
  }

  /** The prompt is on screen (or waiting to be): a balloon click now is the prompt's. */
  get isShowing(): boolean {
    return this.prompt !== null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.prompt) this.takeOffScreen(this.prompt);
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** On screen: recorded, so it is not shown again; removed after `balloonSeconds`. */
  private onScreen(prompt: Prompt | null = this.prompt): void {
    if (prompt === null || prompt !== this.prompt || prompt.onScreen) return;
    prompt.onScreen = true;
    this.deps.timers.clearTimeout(prompt.timer);
    prompt.timer = this.deps.timers.setTimeout(
      () => this.takeOffScreen(prompt),
      this.deps.balloonSeconds * 1000,
    );
    this.deps.logger.info('sign-in prompt shown');
    this.deps.engine.signInPromptShown().catch((error: unknown) => {
      this.deps.logger.warn('could not record the sign-in prompt', { error: String(error) });
    });
  }

  private clicked(prompt: Prompt | null = this.prompt): void {
    if (prompt === null || prompt !== this.prompt) return;
    this.onScreen(prompt);
    this.takeOffScreen(prompt);
    this.deps.onClick();
  }

  private takeOffScreen(prompt: Prompt): void {
    if (prompt !== this.prompt) return;
    this.prompt = null;
    this.deps.timers.clearTimeout(prompt.timer);
    if (this.deps.useBalloon) this.deps.tray.removeBalloon();
    else prompt.notification?.close();
    if (!prompt.onScreen) this.deps.logger.info('sign-in prompt not shown; offered again later');
  }
}
