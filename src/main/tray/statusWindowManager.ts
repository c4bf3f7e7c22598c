/**
 * Owns the one status window: created on demand (never at start), brought to the front when it
 * exists, forgotten when closed. Status changes are pushed to it while it is open.
 */
import type { EventChannel, IpcEvents } from '../../core/ipcContract';
import type { Logger } from '../../core/ports';
import type { StatusWindowPort, Unsubscribe, WindowFactoryPort } from './desktopPorts';

export class StatusWindowManager {
  private window: StatusWindowPort | null = null;
  private unsubscribeClosed: Unsubscribe | null = null;

  constructor(
    private readonly factory: WindowFactoryPort,
    private readonly logger: Logger,
  ) {}

  open(): void {
    if (this.window === null || this.window.isDestroyed()) {
      this.forget();
      const created = this.factory.createStatusWindow();
      this.window = created;
      this.unsubscribeClosed = created.onClosed(() => {
        if (this.window === created) this.forget();
      });
      this.logger.debug('status window created');
    }
    this.window.showAndFocus();
  }

  get isOpen(): boolean {
    return this.window !== null && !this.window.isDestroyed();
  }

  send<K extends EventChannel>(channel: K, payload: IpcEvents[K]): void {
    if (this.window !== null && !this.window.isDestroyed()) this.window.send(channel, payload);
  }

  /** IPC is accepted only from our own page, loaded in our own window. */
  isAppPage(frameUrl: string | null): boolean {
    return frameUrl !== null && frameUrl === this.factory.appPageUrl;
  }

  dispose(): void {
    const window = this.window;
    this.forget();
    if (window !== null && !window.isDestroyed()) window.close();
  }

  private forget(): void {
    this.unsubscribeClosed?.();
    this.unsubscribeClosed = null;
    this.window = null;
  }
}
