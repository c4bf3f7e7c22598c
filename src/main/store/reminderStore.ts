import type { ReminderRecord } from '../../core/model';
import type { Logger, ReminderStore } from '../../core/ports';
import { JsonFileStore, isRecord, parseIsoDate } from './jsonFileStore';

interface StoredReminder {
  shownAt: string;
  passwordLastChanged: string | null;
}

function parseReminder(raw: unknown): StoredReminder | null {
  if (!isRecord(raw) || !parseIsoDate(raw.shownAt)) return null;
  const changed = raw.passwordLastChanged;
  if (changed !== null && typeof changed !== 'string') return null;
  return { shownAt: raw.shownAt as string, passwordLastChanged: changed };
}

/** The last reminder shown, shared by the tray app and `status --notify`. */
export function createReminderStore(path: string, logger?: Logger): ReminderStore {
  // Strict: a link, folder or pipe in its place is reported (naming it), never followed.
  const file = new JsonFileStore(path, parseReminder, logger, { strict: true });
  return {
    async read(): Promise<ReminderRecord | null> {
      const stored = await file.read();
      const shownAt = parseIsoDate(stored?.shownAt);
      if (!stored || !shownAt) return null;
      return { shownAt, passwordLastChanged: stored.passwordLastChanged };
    },
    async write(record: ReminderRecord): Promise<void> {
      await file.write({
        shownAt: record.shownAt.toISOString(),
        passwordLastChanged: record.passwordLastChanged,
      });
    },
  };
}
