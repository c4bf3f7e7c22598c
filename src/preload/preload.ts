/**
 * The status window's only door to the main process: named, typed functions on `window.api`.
 * A sandboxed preload can require nothing but 'electron', so the contract is imported for its
 * types only; the channel map below is checked against it when compiling.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type {
  ApiChannels,
  RequestChannel,
  RequestOf,
  ResponseOf,
  SignInAssistantApi,
  StatusView,
} from '../core/ipcContract';

// Typed as the contract's map: a missing, extra or misspelt channel fails to compile.
const channels: ApiChannels = {
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
};

function invoke<K extends RequestChannel>(channel: K): Promise<ResponseOf<K>>;
function invoke<K extends RequestChannel>(
  channel: K,
  payload: RequestOf<K>,
): Promise<ResponseOf<K>>;
function invoke<K extends RequestChannel>(
  channel: K,
  ...payload: [RequestOf<K>] | []
): Promise<ResponseOf<K>> {
  return ipcRenderer.invoke(channel, ...payload) as Promise<ResponseOf<K>>;
}

const api: SignInAssistantApi = {
  getStatus: () => invoke(channels.getStatus),
  onStatus(listener) {
    // The page gets the view only, never the IPC event (it carries the sender object).
    const forward = (_event: IpcRendererEvent, view: StatusView) => listener(view);
    ipcRenderer.on(channels.onStatus, forward);
    return () => {
      ipcRenderer.removeListener(channels.onStatus, forward);
    };
  },
  checkNow: () => invoke(channels.checkNow),
  signIn: () => invoke(channels.signIn),
  signOut: () => invoke(channels.signOut),
  changePassword: () => invoke(channels.changePassword),
  getSettings: () => invoke(channels.getSettings),
  setStartAtLogin: (enabled) => invoke(channels.setStartAtLogin, { enabled }),
  removeSavedSignIns: (targets) => invoke(channels.removeSavedSignIns, { targets: [...targets] }),
  openSecurityInfo: () => invoke(channels.openSecurityInfo),
};

contextBridge.exposeInMainWorld('api', api);
