/**
 * The user's own choices from the tray menu, kept in `preferences.json` in the per-user folder.
 * Today that is only "Start at login", which must outlive the app: the installers' Run entry for
 * every user starts the app, and this file tells it whether this user wants it.
 */
import { join } from 'node:path';
import type { Logger } from '../../core/ports';
import { stateFiles } from '../paths';
import { JsonFileStore, isRecord } from './jsonFileStore';

export interface UserPreferences {
  /** null when the user never chose. */
  startAtLogin: boolean | null;
}

export interface PreferencesPort {
  read(): Promise<UserPreferences>;
  setStartAtLogin(enabled: boolean): Promise<void>;
}

interface StoredPreferences {
  startAtLogin?: boolean;
}

function parsePreferences(raw: unknown): StoredPreferences | null {
  if (!isRecord(raw)) return null;
  const { startAtLogin } = raw;
  if (startAtLogin !== undefined && typeof startAtLogin !== 'boolean') return null;
  return startAtLogin === undefined ? {} : { startAtLogin };
}

export function createPreferencesStore(home: string, logger?: Logger): PreferencesPort {
  const store = new JsonFileStore<StoredPreferences>(
    join(home, stateFiles.preferences),
    parsePreferences,
    logger,
  );
  return {
    async read() {
      const stored = await store.read();
      return { startAtLogin: stored?.startAtLogin ?? null };
    },
    async setStartAtLogin(enabled) {
      const stored = (await store.read()) ?? {};
      await store.write({ ...stored, startAtLogin: enabled });
    },
  };
}
