import type { SignInAssistantApi } from '../core/ipcContract';

declare global {
  interface Window {
    /** Exposed by the preload; the page's only way to reach the main process. */
    readonly api: SignInAssistantApi;
  }
}

export {};
