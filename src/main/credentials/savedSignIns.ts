/**
 * The clean-up after a password change: the saved sign-ins of the account in Windows Credential
 * Manager (they hold the old password and make Outlook and other apps ask again and again), listed
 * and removed only on the user's click. Names are logged, never secrets (none are read).
 */
import type { Logger } from '../../core/ports';
export type { SavedSignInName };
import {
  accountCredentials,
  type SavedCredential,
  type SavedCredentialStore,
} from '../../core/savedCredentials';
import { createWindowsCredentialStore } from './windowsCredentialStore';

import type { SavedSignInName } from '../../core/ipcContract';

export interface RemovalResult {
  removed: SavedSignInName[];
  /** Entries that could not be removed (already gone ones count as removed). */
  failed: SavedSignInName[];
}

const nameOf = (entry: SavedCredential): SavedSignInName => ({
  target: entry.target,
  userName: entry.userName,
});

/** The store where one exists (Windows); null elsewhere: no such store of old passwords is read. */
export function savedCredentialStoreFor(platform: NodeJS.Platform): SavedCredentialStore | null {
  return platform === 'win32' ? createWindowsCredentialStore() : null;
}

export function createSavedSignIns(store: SavedCredentialStore, logger: Logger) {
  async function find(identities: readonly string[]): Promise<SavedCredential[]> {
    return accountCredentials(await store.list(), identities);
  }

  return {
    /** The account's entries now; an unreadable store is logged and lists none. */
    async list(identities: readonly string[]): Promise<SavedSignInName[]> {
      try {
        return (await find(identities)).map(nameOf);
      } catch (error) {
        logger.warn('Saved sign-ins could not be listed', { error: (error as Error).message });
        return [];
      }
    },

    /**
     * Removes the requested entries that are (still) the account's: a target that is not one of
     * them is never touched, whatever was asked.
     */
    async remove(
      identities: readonly string[],
      targets: readonly string[],
    ): Promise<RemovalResult> {
      const wanted = new Set(targets);
      const result: RemovalResult = { removed: [], failed: [] };
      for (const entry of await find(identities)) {
        if (!wanted.has(entry.target)) continue;
        try {
          await store.remove(entry);
          result.removed.push(nameOf(entry));
        } catch (error) {
          result.failed.push(nameOf(entry));
          logger.warn('A saved sign-in could not be removed', {
            target: entry.target,
            error: (error as Error).message,
          });
        }
      }
      logger.info('Saved sign-ins removed', {
        removed: result.removed.map((entry) => entry.target),
        failed: result.failed.length,
      });
      return result;
    },
  };
}

export type SavedSignIns = ReturnType<typeof createSavedSignIns>;
