/**
 * Fakes of the tray app's own desktop ports, a controllable clock with timers, and an engine
 * built on the real core decision functions, for driving the tray app across simulated days.
 */
import { resolveConfig } from '../../src/core/config';
import type { ResolvedConfig } from '../../src/core/config';
import { evaluateExpiry } from '../../src/core/expiry';
import type { EventChannel, IpcEvents, RequestChannel } from '../../src/core/ipcContract';
import type { ClassifiedError, ReminderRecord, StatusReport } from '../../src/core/model';
import type { AssistantEngine, Clock, Logger, ReminderClaim } from '../../src/core/ports';
import { decideReminder, reminderSlot } from '../../src/core/reminderSchedule';
import type { ReminderCadence, ReminderSlot } from '../../src/core/reminderSchedule';
import { buildStatusReport } from '../../src/core/statusReport';
import { NO_SIGN_IN_STATE, decideSignInPrompt, signInPromptKey } from '../../src/core/signInPrompt';
import type { SignInPromptDecision, SignInState } from '../../src/core/signInPrompt';
import type { TrayIconState } from '../../src/core/statusPresentation';
import type { DiagnosticsInput, DiagnosticsResult } from '../../src/main/diagnostics';
import type { PreferencesPort, UserPreferences } from '../../src/main/store/preferencesStore';
import type {
  AppPort,
  DiagnosticsPort,
  DialogPort,
  InfoBox,
  IpcPort,
  IpcSender,
  LoginItemsPort,
  MenuItemSpec,
  NetworkPort,
  NotificationHandle,
  NotificationPort,
  NotificationState,
  NotificationStatePort,
  PowerEvent,
  PowerMonitorPort,
  ShellPort,
  StatusWindowPort,
  TimerHandle,
  TimerPort,
  TrayEvent,
  TrayPort,
  WindowFactoryPort,
} from '../../src/main/tray/desktopPorts';
import type { TrayAppDeps } from '../../src/main/trayApp';

/** Listeners keyed by event, counting what is still attached. */
class Listeners<E extends string> {
  private readonly map = new Map<E, Set<() => void>>();
  add(event: E, listener: () => void): () => void {
    const set = this.map.get(event) ?? new Set();
    this.map.set(event, set);
    const wrapped = () => listener();
    set.add(wrapped);
    return () => set.delete(wrapped);
  }
  emit(event: E): void {
    for (const listener of [...(this.map.get(event) ?? [])]) listener();
  }
  count(): number {
    let n = 0;
    for (const set of this.map.values()) n += set.size;
    return n;
  }
}

interface FakeTimer {
  id: number;
  at: number;
  callback: () => void;
}

/** A clock that moves only when told, with timers that fire as it passes them. */
export class FakeTime implements Clock {
  private nowMs: number;
  private nextId = 1;
  readonly timers = new Map<number, FakeTimer>();
  maxArmed = 0;
  /** Every delay ever requested, to check none exceeds what setTimeout can hold. */
  readonly requestedDelays: number[] = [];

  constructor(start: string | Date) {
    this.nowMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  readonly port: TimerPort = {
    setTimeout: (callback, delayMs) => {
      if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > 2_147_483_647) {
        throw new RangeError(`setTimeout cannot hold a delay of ${delayMs} ms`);
      }
      this.requestedDelays.push(delayMs);
      const id = this.nextId++;
      this.timers.set(id, { id, at: this.nowMs + delayMs, callback });
      this.maxArmed = Math.max(this.maxArmed, this.timers.size);
      return { timerId: id };
    },
    clearTimeout: (handle: TimerHandle) => {
      this.timers.delete(handle.timerId as number);
    },
  };

  get armed(): number {
    return this.timers.size;
  }

  /** The instants of the armed timers, ISO, earliest first. */
  armedAt(): string[] {
    return [...this.timers.values()]
      .sort((a, b) => a.at - b.at)
      .map((t) => new Date(t.at).toISOString());
  }

  /** Lets pending promise chains (engine calls, presenting, re-arming) run to the end. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Moves the clock forward, firing each timer at its own instant, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.nowMs + ms);
  }

  async advanceTo(target: string | Date | number): Promise<void> {
    const end = typeof target === 'number' ? target : new Date(target).getTime();
    await this.settle();
    for (;;) {
      let next: FakeTimer | null = null;
      for (const timer of this.timers.values()) {
        if (timer.at <= end && (next === null || timer.at < next.at)) next = timer;
      }
      if (next === null) break;
      this.timers.delete(next.id);
      this.nowMs = Math.max(this.nowMs, next.at);
      next.callback();
      await this.settle();
    }
    this.nowMs = Math.max(this.nowMs, end);
    await this.settle();
  }
}

export class FakeTray implements TrayPort {
  readonly listeners = new Listeners<TrayEvent>();
  icon: TrayIconState | null = null;
  tooltip = '';
  menu: readonly MenuItemSpec[] = [];
  readonly balloons: { title: string; content: string; at: string }[] = [];
  balloonVisible = false;
  removals = 0;
  destroyed = false;
  /** Windows' quiet time or Do Not Disturb: balloons are accepted but never shown. */
  quietTime = false;

  constructor(private readonly clock: Clock) {}

  setIcon(state: TrayIconState): void {
    this.icon = state;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setMenu(items: readonly MenuItemSpec[]): void {
    this.menu = items;
  }
  displayBalloon(options: { title: string; content: string }): void {
    this.balloons.push({ ...options, at: this.clock.now().toISOString() });
    if (this.quietTime) return;
    this.balloonVisible = true;
    this.listeners.emit('balloon-show');
  }
  removeBalloon(): void {
    this.removals += 1;
    this.balloonVisible = false;
  }
  on(event: TrayEvent, listener: () => void): () => void {
    return this.listeners.add(event, listener);
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** What Windows does when the user clicks or closes the balloon. */
  userClicksBalloon(): void {
    this.balloonVisible = false;
    this.listeners.emit('balloon-click');
  }
  userClosesBalloon(): void {
    this.balloonVisible = false;
    this.listeners.emit('balloon-closed');
  }
  menuItem(id: string): MenuItemSpec | undefined {
    return this.menu.find((item) => item.id === id);
  }
}

export class FakeNotifications implements NotificationPort {
  readonly shown: {
    title: string;
    body: string;
    at: string;
    open: boolean;
    onClick: () => void;
    onClose: () => void;
  }[] = [];
  /** Do Not Disturb: accepted, but the desktop never reports them shown. */
  suppressed = false;
  constructor(private readonly clock: Clock) {}
  isSupported(): boolean {
    return true;
  }
  show(options: {
    title: string;
    body: string;
    onShow?: () => void;
    onClick: () => void;
    onClose: () => void;
  }): NotificationHandle {
    const entry = { ...options, at: this.clock.now().toISOString(), open: true };
    this.shown.push(entry);
    if (!this.suppressed) options.onShow?.();
    return {
      close: () => {
        if (!entry.open) return;
        entry.open = false;
        entry.onClose();
      },
    };
  }
}

/** What the Windows shell says about showing a notification now (SHQueryUserNotificationState). */
export class FakeNotificationState implements NotificationStatePort {
  state: NotificationState = 'accepts';
  asked = 0;
  current(): NotificationState {
    this.asked += 1;
    return this.state;
  }
}

export class FakeShell implements ShellPort {
  readonly opened: string[] = [];
  readonly shownInFolder: string[] = [];
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
  showItemInFolder(path: string): void {
    this.shownInFolder.push(path);
  }
}

/** Keeps the preferences in memory and records every write. */
export class FakePreferences implements PreferencesPort {
  readonly writes: boolean[] = [];
  failWrites = false;
  constructor(public stored: UserPreferences = { startAtLogin: null }) {}
  read(): Promise<UserPreferences> {
    return Promise.resolve({ ...this.stored });
  }
  setStartAtLogin(enabled: boolean): Promise<void> {
    if (this.failWrites) return Promise.reject(new Error('disk full'));
    this.writes.push(enabled);
    this.stored = { startAtLogin: enabled };
    return Promise.resolve();
  }
}

/** Records what the tray asks to write; `writer` can be swapped for the real one or a failure. */
export class FakeDiagnostics implements DiagnosticsPort {
  readonly inputs: DiagnosticsInput[] = [];
  folder = '/home/adele/Desktop';
  logs = '/home/adele/.local/state/signin-assistant/logs';
  writer: (input: DiagnosticsInput) => Promise<DiagnosticsResult> = (input) =>
    Promise.resolve({ outFile: input.outFile, entries: ['README.txt'] });
  targetFolder(): string {
    return this.folder;
  }
  logsDir(): string {
    return this.logs;
  }
  write(input: DiagnosticsInput): Promise<DiagnosticsResult> {
    this.inputs.push(input);
    return this.writer(input);
  }
}

export class FakeDialogs implements DialogPort {
  readonly shown: InfoBox[] = [];
  showInfo(box: InfoBox): Promise<void> {
    this.shown.push(box);
    return Promise.resolve();
  }
}

export class FakePower implements PowerMonitorPort {
  readonly listeners = new Listeners<PowerEvent>();
  userActive = true;
  on(event: PowerEvent, listener: () => void): () => void {
    return this.listeners.add(event, listener);
  }
  isUserActive(): boolean {
    return this.userActive;
  }
}

export class FakeNetwork implements NetworkPort {
  online = true;
  isOnline(): boolean {
    return this.online;
  }
}

export class FakeLoginItems implements LoginItemsPort {
  readonly supported = true;
  enabled = false;
  /** Turned off in the system's own start-up settings (Task Manager). */
  systemDisabled = false;
  readonly writes: boolean[] = [];
  isEnabled(): boolean {
    return this.enabled;
  }
  disabledBySystem(): boolean {
    return this.systemDisabled;
  }
  setEnabled(enabled: boolean): void {
    this.writes.push(enabled);
    this.enabled = enabled;
  }
}

export const APP_PAGE_URL = 'file:///opt/signin-assistant/resources/app/dist/renderer/index.html';

let nextContentsId = 1;

/** Web contents ids, unique like Electron's; a foreign window takes one too. */
export function newContentsId(): number {
  return nextContentsId++;
}

export class FakeWindow implements StatusWindowPort {
  readonly contentsId = newContentsId();
  readonly sent: { channel: EventChannel; payload: unknown }[] = [];
  readonly closedListeners = new Listeners<'closed'>();
  destroyed = false;
  focusCount = 0;
  showAndFocus(): void {
    this.focusCount += 1;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send<K extends EventChannel>(channel: K, payload: IpcEvents[K]): void {
    this.sent.push({ channel, payload });
  }
  onClosed(listener: () => void): () => void {
    return this.closedListeners.add('closed', listener);
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closedListeners.emit('closed');
  }
}

export class FakeWindows implements WindowFactoryPort {
  readonly appPageUrl = APP_PAGE_URL;
  readonly created: FakeWindow[] = [];
  createStatusWindow(): FakeWindow {
    const window = new FakeWindow();
    this.created.push(window);
    return window;
  }
}

export class FakeIpc implements IpcPort {
  readonly handlers = new Map<
    RequestChannel,
    (sender: IpcSender, payload: unknown) => Promise<unknown>
  >();
  constructor(private readonly windows: FakeWindows) {}
  handle(
    channel: RequestChannel,
    handler: (sender: IpcSender, payload: unknown) => Promise<unknown>,
  ): () => void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
    return () => this.handlers.delete(channel);
  }
  /** The main frame of the latest status window showing our page (id 0 when none is open). */
  statusWindowSender(): IpcSender {
    const open = this.windows.created.filter((window) => !window.destroyed).at(-1);
    return { contentsId: open?.contentsId ?? 0, mainFrame: true, frameUrl: APP_PAGE_URL };
  }
  /** Sends a request as the status window would, or as `sender` (parts of it) says. */
  invoke(channel: RequestChannel, payload?: unknown, sender: Partial<IpcSender> = {}) {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`no handler for ${channel}`));
    return handler({ ...this.statusWindowSender(), ...sender }, payload);
  }
}

export class FakeApp implements AppPort {
  readonly listeners = new Listeners<'second-instance' | 'before-quit'>();
  quitCalls = 0;
  relaunchCalls = 0;
  onSecondInstance(listener: () => void): () => void {
    return this.listeners.add('second-instance', listener);
  }
  onBeforeQuit(listener: () => void): () => void {
    return this.listeners.add('before-quit', listener);
  }
  quit(): void {
    this.quitCalls += 1;
    this.listeners.emit('before-quit');
  }
  relaunch(): void {
    this.relaunchCalls += 1;
  }
}

export class RecordingLogger implements Logger {
  readonly entries: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  debug(message: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'debug', message, meta });
  }
  info(message: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, meta });
  }
  warn(message: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, meta });
  }
  error(message: string, meta?: Record<string, unknown>): void {
    this.entries.push({ level: 'error', message, meta });
  }
  messages(level: string): string[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.message);
  }
}

/**
 * An engine that decides with the real core functions (expiry, reminder rule, report) from a
 * last-change date the test controls, and keeps the reminder record in memory.
 */
export class CoreBackedEngine implements AssistantEngine {
  lastChanged: Date;
  signedIn = true;
  record: ReminderRecord | null = null;
  checks = 0;
  signIns = 0;
  disposed = false;
  /** The error the next calls report (a network failure, a sign-in failure...). */
  failWith: ClassifiedError | null = null;
  /** Rewrites reports before they leave (to simulate a tampered address). */
  tamper: ((report: StatusReport) => StatusReport) | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly config: ResolvedConfig['config'],
    private readonly timeZone: string,
    lastChanged: string,
  ) {
    this.lastChanged = new Date(lastChanged);
  }

  check(): Promise<StatusReport> {
    this.checks += 1;
    return Promise.resolve(this.report());
  }
  signIn(): Promise<StatusReport> {
    this.signIns += 1;
    if (this.failWith === null) this.signedIn = true;
    return Promise.resolve(this.report());
  }
  signOut(): Promise<StatusReport> {
    this.signedIn = false;
    this.signInState = { promptShownFor: null, signedOut: true };
    return Promise.resolve(this.report());
  }
  /** The first-run prompt's record, kept across tray apps given the same engine (restarts). */
  signInState: SignInState = { ...NO_SIGN_IN_STATE };
  signInPrompt(report: StatusReport): Promise<SignInPromptDecision> {
    return Promise.resolve(
      decideSignInPrompt({ config: this.config, report, state: this.signInState }),
    );
  }
  signInPromptShown(): Promise<void> {
    this.signInState = { ...this.signInState, promptShownFor: signInPromptKey(this.config) };
    return Promise.resolve();
  }
  /**
   * Local days (or final-stretch slots) claimed, shared by every engine given the same set (a
   * second process): a day as JSON of its LocalDate, a slot with its `fromHour` added.
   */
  claimedDays: Set<string> = new Set();
  /** Every slot claimed, in order (released ones too). */
  readonly claimLog: string[] = [];
  private get cadence(): ReminderCadence {
    return { finalDays: this.config.finalDays, everyHours: this.config.finalDaysEveryHours };
  }
  private slotAt(timing: Parameters<typeof reminderSlot>[0]['timing'], at: Date): ReminderSlot {
    return reminderSlot({ timing, now: at, timeZone: this.timeZone, cadence: this.cadence });
  }
  claimReminder(report: StatusReport, at: Date): Promise<ReminderClaim | null> {
    const expiresAt =
      report.password.expiresAt === null ? null : new Date(report.password.expiresAt);
    const day = slotKey(this.slotAt({ state: report.password.state, expiresAt }, at));
    this.claimLog.push(day);
    if (this.claimedDays.has(day)) return Promise.resolve(null);
    this.claimedDays.add(day);
    return Promise.resolve({
      showing: () => Promise.resolve(),
      confirm: (shownAt: Date) => {
        this.record = { shownAt, passwordLastChanged: report.password.lastChanged };
        return Promise.resolve();
      },
      release: () => {
        this.claimedDays.delete(day);
        return Promise.resolve();
      },
    });
  }
  dispose(): Promise<void> {
    this.disposed = true;
    return Promise.resolve();
  }

  private report(): StatusReport {
    const now = this.clock.now();
    const urls = {
      changePasswordUrl: this.config.changePasswordUrl,
      resetPasswordUrl: this.config.resetPasswordUrl,
    };
    if (!this.signedIn || this.failWith !== null) {
      return buildStatusReport({
        account: null,
        evaluation: null,
        reminder: null,
        error: this.failWith,
        urls,
      });
    }
    const evaluation = evaluateExpiry({
      facts: {
        userPrincipalName: 'adele@contoso.com',
        lastPasswordChangeDateTime: this.lastChanged,
        passwordPolicies: null,
        onPremisesSyncEnabled: null,
        onPremisesLastSyncDateTime: null,
      },
      claims: null,
      policy: {
        validityDays: this.config.passwordValidityDays,
        windowDays: this.config.notificationWindowDays,
        from: 'config',
      },
      now,
      timeZone: this.timeZone,
    });
    let reminder = decideReminder({
      evaluation,
      last: this.record,
      now,
      timeZone: this.timeZone,
      cadence: this.cadence,
    });
    // As the real engine: a day or slot claimed by any process is not due again.
    const slot = this.slotAt(evaluation, now);
    if (reminder.due && this.claimedDays.has(slotKey(slot))) {
      reminder = { due: false, nextAt: slot.endsAt };
    }
    const report = buildStatusReport({
      account: { username: 'adele@contoso.com', tenantId: '11111111-2222-3333-4444-555555555555' },
      evaluation,
      reminder,
      error: null,
      urls,
    });
    return this.tamper ? this.tamper(report) : report;
  }
}

/** How CoreBackedEngine names a claimed day or slot. */
export function slotKey(slot: Pick<ReminderSlot, 'day' | 'fromHour'>): string {
  return JSON.stringify(
    slot.fromHour === null ? slot.day : { ...slot.day, fromHour: slot.fromHour },
  );
}

export interface Harness {
  time: FakeTime;
  engine: CoreBackedEngine;
  tray: FakeTray;
  notifications: FakeNotifications;
  notificationState: FakeNotificationState;
  shell: FakeShell;
  power: FakePower;
  network: FakeNetwork;
  loginItems: FakeLoginItems;
  windows: FakeWindows;
  ipc: FakeIpc;
  app: FakeApp;
  preferences: FakePreferences;
  diagnostics: FakeDiagnostics;
  dialogs: FakeDialogs;
  logger: RecordingLogger;
  deps: TrayAppDeps;
}

export function makeHarness(options: {
  start: string;
  lastChanged: string;
  platform?: NodeJS.Platform;
  timeZone?: string;
  policyLayer?: Record<string, unknown>;
  /** The user's stored start-at-login choice (null: never chose). */
  startAtLoginChoice?: boolean | null;
}): Harness {
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const resolved = resolveConfig(
    [
      {
        source: 'test config',
        values: {
          tenantId: 'contoso.com',
          clientId: '00000000-0000-0000-0000-000000000001',
          passwordValidityDays: 90,
          notificationWindowDays: 14,
        },
      },
      ...(options.policyLayer
        ? [{ source: 'HKLM policy', values: options.policyLayer, enforced: true }]
        : []),
    ],
    { requireTenant: true },
  );
  const time = new FakeTime(options.start);
  const engine = new CoreBackedEngine(time, resolved.config, timeZone, options.lastChanged);
  const tray = new FakeTray(time);
  const notifications = new FakeNotifications(time);
  const notificationState = new FakeNotificationState();
  const shell = new FakeShell();
  const power = new FakePower();
  const network = new FakeNetwork();
  const loginItems = new FakeLoginItems();
  const windows = new FakeWindows();
  const ipc = new FakeIpc(windows);
  const app = new FakeApp();
  const logger = new RecordingLogger();
  const preferences = new FakePreferences({ startAtLogin: options.startAtLoginChoice ?? null });
  const diagnostics = new FakeDiagnostics();
  const dialogs = new FakeDialogs();
  const deps: TrayAppDeps = {
    platform: options.platform ?? 'win32',
    resolved,
    engine,
    clock: time,
    timeZone,
    loggerFor: () => logger,
    tray,
    notifications,
    notificationState,
    shell,
    power,
    network,
    timers: time.port,
    loginItems,
    windows,
    ipc,
    app,
    reloadConfig: () => Promise.resolve(resolved),
    preferences,
    initialPreferences: { ...preferences.stored },
    diagnostics,
    dialogs,
    versions: { app: '1.2.3', electron: '39.8.10', node: '22.20.0' },
    dayChangeJitterMs: 0,
  };
  return {
    time,
    engine,
    tray,
    notifications,
    notificationState,
    shell,
    power,
    network,
    loginItems,
    windows,
    ipc,
    app,
    preferences,
    diagnostics,
    dialogs,
    logger,
    deps,
  };
}
