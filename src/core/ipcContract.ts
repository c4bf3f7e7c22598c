/**
 * The one contract between the status window and the main process: every channel, its payload
 * and answer, and a validator for every payload the main process receives. The preload exposes
 * these as named functions on `window.api`; nothing else crosses the boundary.
 */
import type { StatusReport } from './model';

export type BusyState = 'checking' | 'signing-in' | 'signing-out' | null;

/** What the status window shows. */
export interface StatusView {
  /** null until the first check has finished. */
  report: StatusReport | null;
  /** IANA zone in which dates are shown. */
  timeZone: string;
  busy: BusyState;
  /** ISO instant of the last finished check. */
  checkedAt: string | null;
  /** After a change on Windows: the account's saved sign-ins; absent or null: nothing to offer. */
  savedSignIns?: SavedSignInsView | null;
}

/** A Credential Manager entry as the window shows it (names only). */
export interface SavedSignInName {
  target: string;
  userName: string | null;
}

export interface SavedSignInsView {
  /** The account's entries that still hold the old password. */
  entries: SavedSignInName[];
  /** What the last click removed, and what could not be removed. */
  removed: SavedSignInName[];
  failed: SavedSignInName[];
}

/** Settings shown in the window; `locked` ones are decided by policy and cannot be changed. */
export type DisplayedSettingKey =
  | 'notificationWindowDays'
  | 'passwordValidityDays'
  | 'balloonSeconds'
  | 'changePasswordUrl'
  | 'resetPasswordUrl';

export interface SettingView {
  key: DisplayedSettingKey;
  value: string | number | boolean | null;
  locked: boolean;
}

/** Whether the app starts when the user signs in, and who can change that. */
export interface StartAtLoginView {
  /** It will start at the next sign-in. */
  enabled: boolean;
  /** Decided by policy: the user cannot change it in the app. */
  locked: boolean;
  /** False where the system offers the app no start-at-login setting. */
  supported: boolean;
  /**
   * The user turned it off in the system's own start-up settings (Windows: Startup apps in Task
   * Manager or Settings): it does not start, whatever the app or policy chose, and only there can
   * it be turned on again.
   */
  offInSystem: boolean;
}

export interface SettingsView {
  startAtLogin: StartAtLoginView;
  settings: SettingView[];
}

export interface ChangePasswordResult {
  opened: boolean;
}

/** Request channels (renderer → main, answered). `request` is the payload main receives. */
export interface IpcRequests {
  'status:get': { request: undefined; response: StatusView };
  'status:check-now': { request: undefined; response: StatusView };
  'account:sign-in': { request: undefined; response: StatusView };
  'account:sign-out': { request: undefined; response: StatusView };
  'password:change': { request: undefined; response: ChangePasswordResult };
  'settings:get': { request: undefined; response: SettingsView };
  'settings:set-start-at-login': { request: { enabled: boolean }; response: SettingsView };
  'saved-sign-ins:remove': { request: { targets: string[] }; response: StatusView };
  'security-info:open': { request: undefined; response: ChangePasswordResult };
}

/** Event channels (main → renderer). */
export interface IpcEvents {
  'status:changed': StatusView;
}

export type RequestChannel = keyof IpcRequests;
export type EventChannel = keyof IpcEvents;
export type RequestOf<K extends RequestChannel> = IpcRequests[K]['request'];
export type ResponseOf<K extends RequestChannel> = IpcRequests[K]['response'];

/** What `window.api` offers the status window. */
export interface SignInAssistantApi {
  getStatus(): Promise<StatusView>;
  /** Returns the function that stops listening. */
  onStatus(listener: (view: StatusView) => void): () => void;
  checkNow(): Promise<StatusView>;
  signIn(): Promise<StatusView>;
  signOut(): Promise<StatusView>;
  changePassword(): Promise<ChangePasswordResult>;
  getSettings(): Promise<SettingsView>;
  setStartAtLogin(enabled: boolean): Promise<SettingsView>;
  removeSavedSignIns(targets: string[]): Promise<StatusView>;
  openSecurityInfo(): Promise<ChangePasswordResult>;
}

/** Which channel each api function uses; the preload declares its own copy typed by this. */
export interface ApiChannels {
  getStatus: 'status:get';
  onStatus: 'status:changed';
  checkNow: 'status:check-now';
  signIn: 'account:sign-in';
  signOut: 'account:sign-out';
  changePassword: 'password:change';
  getSettings: 'settings:get';
  setStartAtLogin: 'settings:set-start-at-login';
  removeSavedSignIns: 'saved-sign-ins:remove';
  openSecurityInfo: 'security-info:open';
}

export const API_CHANNELS: Readonly<ApiChannels> = Object.freeze({
  getStatus: 'status:get',
  onStatus: 'status:changed',
  checkNow: 'status:check-now',
  signIn: 'account:sign-in',
  signOut: 'account:sign-out',
  changePassword: 'password:change',
  getSettings: 'settings:get',
  setStartAtLogin: 'settings:set-start-at-login',
  removeSavedSignIns: 'saved-sign-ins:remove',
  openSecurityInfo: 'security-info:open',
});

// Every api function maps to a channel of the contract and every channel is used.
type AssertSame<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const everyChannelUsed: AssertSame<ApiChannels[keyof ApiChannels], RequestChannel | EventChannel> =
  true;
void everyChannelUsed;

function isNothing(payload: unknown): payload is undefined {
  return payload === undefined;
}

function isStartAtLoginRequest(payload: unknown): payload is { enabled: boolean } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const keys = Object.keys(payload);
  return (
    keys.length === 1 &&
    keys[0] === 'enabled' &&
    typeof (payload as { enabled?: unknown }).enabled === 'boolean'
  );
}

/** At most this many entries in one removal request, each name at most this long. */
export const MAX_REMOVAL_TARGETS = 100;
export const MAX_TARGET_LENGTH = 512;

function isRemovalRequest(payload: unknown): payload is { targets: string[] } {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return false;
  const keys = Object.keys(payload);
  const targets = (payload as { targets?: unknown }).targets;
  return (
    keys.length === 1 &&
    keys[0] === 'targets' &&
    Array.isArray(targets) &&
    targets.length >= 1 &&
    targets.length <= MAX_REMOVAL_TARGETS &&
    targets.every((t) => typeof t === 'string' && t.length > 0 && t.length <= MAX_TARGET_LENGTH)
  );
}

/** Type guards for every payload the main process receives, one per request channel. */
export const REQUEST_VALIDATORS: {
  readonly [K in RequestChannel]: (payload: unknown) => payload is RequestOf<K>;
} = Object.freeze({
  'status:get': isNothing,
  'status:check-now': isNothing,
  'account:sign-in': isNothing,
  'account:sign-out': isNothing,
  'password:change': isNothing,
  'settings:get': isNothing,
  'settings:set-start-at-login': isStartAtLoginRequest,
  'saved-sign-ins:remove': isRemovalRequest,
  'security-info:open': isNothing,
});

export const REQUEST_CHANNELS = Object.freeze(Object.keys(REQUEST_VALIDATORS) as RequestChannel[]);
