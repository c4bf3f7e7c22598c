/**
 * Owns the one status window: created on demand (never at start), brought to the front when it
 * exists, forgotten when closed. Status changes are pushed to it while it is open.
 */
import type { EventChannel, IpcEvents } from '../../core/ipcContract';
import type { Logger } from '../../core/ports';
import type { IpcSender, StatusWindowPort, Unsubscribe, WindowFactoryPort } from './desktopPorts';

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

  /**
   * IPC is accepted only from the open status window's own web contents, from their main frame,
   * showing our page. Another window or frame showing the same address is someone else.
   */
  isOwnSender(sender: IpcSender): boolean {
    const window = this.window;
    return (
      window !== null &&
      !window.isDestroyed() &&
      sender.contentsId === window.contentsId &&
      sender.mainFrame &&
      sender.frameUrl === this.factory.appPageUrl
    );
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
