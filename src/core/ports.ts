/**
 * Small interfaces between the engine and the outside world. Adapters implement them; tests
 * inject fakes of these ports (never of MSAL or Electron).
 */
import type { ConfigLayer } from './config';
import type { DirectoryReadRequest, DirectoryReadResult } from './directory';
import type { ReminderRecord, StatusReport } from './model';
import type { SignInPromptDecision } from './signInPrompt';

export interface Clock {
  now(): Date;
}

/** Persists the reminder record atomically (write temp file, rename). */
export interface ReminderStore {
  /** A missing or corrupt record reads as null: it must never block the next reminder. */
  read(): Promise<ReminderRecord | null>;
  write(record: ReminderRecord): Promise<void>;
}

/** What the tray app and the headless command ask of the engine. */
export interface AssistantEngine {
  /** Silent check: never opens a browser, never prompts. */
  check(): Promise<StatusReport>;
  /**
   * Interactive sign-in through the system browser (loopback redirect + PKCE), or the device-code
   * flow when `onDeviceCode` is given. Then checks and returns the status.
   */
  signIn(options?: { onDeviceCode?: (message: string) => void }): Promise<StatusReport>;
  /** Removes the account and its tokens from the cache. */
  signOut(): Promise<StatusReport>;
  /**
   * Takes the local day of `at` for this report's reminder, across processes, BEFORE it is
   * shown; null when a reminder was already shown (or is being shown) that day.
   */
  claimReminder(report: StatusReport, at: Date): Promise<ReminderClaim | null>;
  /** Whether the one first-run sign-in prompt is due for this report (see core/signInPrompt). */
  signInPrompt(report: StatusReport): Promise<SignInPromptDecision>;
  /** The prompt is on screen: it is not shown again (until a sign-out or new settings). */
  signInPromptShown(): Promise<void>;
}

/** One day's reminder, claimed and not yet settled. */
export interface ReminderClaim {
  /**
   * Called right before it is handed to the desktop: from here the day stays taken even if the
   * process dies (before this, a crash leaves the day to be taken over by the next run).
   */
  showing(): Promise<void>;
  /** It is on screen: record it; the day stays taken, even if the process dies now. */
  confirm(at: Date): Promise<void>;
  /** It could not be shown or was suppressed: give the day back, to be offered again later. */
  release(): Promise<void>;
}

/** One logger per module; implementations redact secrets before anything is written. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/**
 * Admin policy (Windows registry, macOS managed preferences, /etc on Linux). Returns layers
 * weakest first (e.g. HKCU before HKLM), each `enforced`, values keyed by config key names.
 */
export interface PolicySource {
  read(): Promise<ConfigLayer[]>;
}

/**
 * The on-premises directory, read with the user's existing logon (Kerberos ticket or Windows
 * session). Never prompts and never handles a password. Resolves within its own time budget
 * (an unreachable domain controller costs at most a few seconds) and never rejects: every
 * failure is a result.
 */
export interface DirectorySource {
  read(request: DirectoryReadRequest): Promise<DirectoryReadResult>;
}
