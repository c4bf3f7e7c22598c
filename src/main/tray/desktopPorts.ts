/**
 * The small interfaces the tray app needs from the desktop. The Electron adapters in
 * src/main/electron implement them; tests inject fakes, so everything here runs in plain Node.
 */
import type { TrayIconState } from '../../core/statusPresentation';
import type { EventChannel, IpcEvents, RequestChannel } from '../../core/ipcContract';
import type { DiagnosticsInput, DiagnosticsResult } from '../diagnostics';

/** Stops listening; calling it twice is harmless. */
export type Unsubscribe = () => void;

export interface MenuItemSpec {
  /** Stable identifier, so tests and the adapter can tell items apart. */
  id: string;
  type: 'normal' | 'separator' | 'checkbox';
  label: string;
  enabled: boolean;
  checked?: boolean;
  click?: () => void;
}

/** `balloon-show`: Windows put the balloon on screen (not sent when quiet time suppressed it). */
export type TrayEvent = 'click' | 'balloon-show' | 'balloon-click' | 'balloon-closed';

export interface TrayPort {
  setIcon(state: TrayIconState): void;
  setToolTip(text: string): void;
  setMenu(items: readonly MenuItemSpec[]): void;
  /** Windows only: `iconType: 'warning'` and `respectQuietTime: true` are applied by the adapter. */
  displayBalloon(options: { title: string; content: string }): void;
  removeBalloon(): void;
  on(event: TrayEvent, listener: () => void): Unsubscribe;
  destroy(): void;
}

export interface NotificationHandle {
  close(): void;
}

export interface NotificationPort {
  isSupported(): boolean;
  show(options: {
    title: string;
    body: string;
    /** The desktop put it on screen. */
    onShow?: () => void;
    /** The desktop refused it. */
    onFailed?: () => void;
    /** Also after it left the screen (from the notification centre). */
    onClick: () => void;
    onClose: () => void;
  }): NotificationHandle;
}

/**
 * Whether the desktop would show a notification now (Windows: SHQueryUserNotificationState).
 * `accepts`: yes. `not-present` (locked, screen saver, switching users), `busy` (a full-screen
 * app), `full-screen` (a Direct3D game), `presentation` (presentation mode), `quiet-time` (the
 * first hour after a new user's first sign-in), `app` (a full-screen Store app): not now.
 * `unknown`: the shell could not be asked.
 */
export type NotificationState =
  | 'accepts'
  | 'not-present'
  | 'busy'
  | 'full-screen'
  | 'presentation'
  | 'quiet-time'
  | 'app'
  | 'unknown';

export interface NotificationStatePort {
  current(): NotificationState;
}

export interface ShellPort {
  openExternal(url: string): Promise<void>;
  /** Opens the file's folder in the file manager with the file selected. */
  showItemInFolder(path: string): void;
}

export type PowerEvent = 'resume' | 'unlock-screen';

export interface PowerMonitorPort {
  on(event: PowerEvent, listener: () => void): Unsubscribe;
  /** False while the screen is locked or the user has been away: a reminder would go unseen. */
  isUserActive(): boolean;
}

export interface NetworkPort {
  isOnline(): boolean;
}

export type TimerHandle = { readonly timerId: unknown };

export interface TimerPort {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface LoginItemsPort {
  /** False where the platform offers no start-at-login setting to the app. */
  readonly supported: boolean;
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
  /**
   * True when the user turned the start off in the system's own settings (Windows: Task Manager
   * or Settings › Apps › Startup): the app then does not start at sign-in, whatever it chose.
   */
  disabledBySystem(): boolean;
}

/**
 * Who sent an IPC message: the web contents (by its id, unique while the app runs), whether the
 * contents' own main frame sent it (not an embedded frame), and that frame's URL (null when gone).
 */
export interface IpcSender {
  contentsId: number;
  mainFrame: boolean;
  frameUrl: string | null;
}

export interface IpcPort {
  handle(
    channel: RequestChannel,
    handler: (sender: IpcSender, payload: unknown) => Promise<unknown>,
  ): Unsubscribe;
}

export interface StatusWindowPort {
  /** The id of the window's web contents: IPC is answered only when it comes from them. */
  readonly contentsId: number;
  showAndFocus(): void;
  isDestroyed(): boolean;
  send<K extends EventChannel>(channel: K, payload: IpcEvents[K]): void;
  onClosed(listener: () => void): Unsubscribe;
  close(): void;
}

export interface WindowFactoryPort {
  /** The address the status window loads; IPC from a frame showing anything else is refused. */
  readonly appPageUrl: string;
  createStatusWindow(): StatusWindowPort;
}

export interface AppPort {
  onSecondInstance(listener: () => void): Unsubscribe;
  /** The system or the user ends the app (logout, shutdown, Cmd+Q). */
  onBeforeQuit(listener: () => void): Unsubscribe;
  quit(): void;
  /** Quits and starts again with the same arguments (to apply changed settings). */
  relaunch(): void;
}

export interface DiagnosticsPort {
  /** Where "Collect diagnostics" puts the archive: the Desktop, or Downloads without one. */
  targetFolder(): string;
  /** The running app's logs folder. */
  logsDir(): string;
  write(input: DiagnosticsInput): Promise<DiagnosticsResult>;
}

export interface InfoBox {
  title: string;
  message: string;
  detail: string;
}

export interface DialogPort {
  /** A small information box with an OK button; resolves when it is closed. */
  showInfo(box: InfoBox): Promise<void>;
}

/**
 * Windows: the Windows Security screen (the one Ctrl+Alt+Del shows), whose "Change a password"
 * changes a domain password and the cached logon with it. Resolves false when it could not open.
 */
export interface PasswordChangeScreenPort {
  open(): Promise<boolean>;
}
