/**
 * macOS managed preferences behind a small port: profiles (MDM) write them as XML or binary
 * property lists.
 */
import { readFile } from 'node:fs/promises';
import { loadPlist } from '../esModules';

export interface PlistReader {
  /**
   * The top-level dictionary of the file, or null when the file does not exist. Throws when the
   * file exists but is not a property list dictionary.
   */
  readDictionary(path: string): Promise<Record<string, unknown> | null>;
}

/** Reads XML and binary property lists with the plist package (loaded on first use). */
export function createPlistFileReader(): PlistReader {
  return {
    async readDictionary(path) {
      let data: Buffer;
      try {
        data = await readFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const plist = await loadPlist();
      const isBinary = data.subarray(0, 8).toString('latin1') === 'bplist00';
      const parsed = isBinary ? plist.parseBinary(data) : plist.parse(data.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('not a property list dictionary');
      }
      if (parsed instanceof Date || parsed instanceof Uint8Array) {
        throw new Error('not a property list dictionary');
      }
      return parsed;
    },
  };
}
