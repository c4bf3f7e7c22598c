/**
 * Which of the user's saved sign-ins in Windows Credential Manager belong to the signed-in work
 * account, so that after a password change the copies of the old one can be removed (the
 * clean-up users are otherwise told to do by hand). Pure rules; the store is a port.
 */

/** Credential Manager's CRED_TYPE_* values. */
export const CredentialType = Object.freeze({
  generic: 1,
  domainPassword: 2,
  domainCertificate: 3,
  domainVisiblePassword: 4,
  genericCertificate: 5,
  domainExtended: 6,
} as const);

/** One entry as the store lists it: names only, never the secret. */
export interface SavedCredential {
  target: string;
  /** The entry's user name; null when it has none. */
  userName: string | null;
  type: number;
}

/** The store of saved sign-ins (Windows Credential Manager), behind a port. */
export interface SavedCredentialStore {
  /** Every entry of the user's own store (names and types only). */
  list(): Promise<SavedCredential[]>;
  /** Removes one entry; false when it was not there any more. */
  remove(entry: Pick<SavedCredential, 'target' | 'type'>): Promise<boolean>;
}

/** Only password entries: certificates and the others hold no copy of a password. */
const PASSWORD_TYPES: ReadonlySet<number> = new Set([
  CredentialType.generic,
  CredentialType.domainPassword,
]);

/**
 * Windows' own sign-in state (Windows Hello, the Microsoft account, the device's own identity):
 * never a copy of the work password, and removing it breaks Windows' sign-in.
 */
const WINDOWS_OWN_TARGETS = [/^WindowsLive:/i, /^MicrosoftAccount:/i, /^Microsoft_WinInet_/i];

/** Characters that may sit next to an address inside a longer name and still end it. */
const BEFORE = /[A-Za-z0-9._%+-]$/;
const AFTER = /^[A-Za-z0-9._-]/;

/** Whether `text` names `identity` (case-insensitive), not a longer address that contains it. */
export function namesIdentity(text: string, identity: string): boolean {
  const haystack = text.toLowerCase();
  const needle = identity.trim().toLowerCase();
  if (needle === '' || !needle.includes('@')) return false;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack.slice(0, at);
    const after = haystack.slice(at + needle.length);
    if (!BEFORE.test(before) && !AFTER.test(after)) return true;
  }
  return false;
}

/**
 * True when the entry is a password entry of the account: its user name, or its target, names
 * one of the account's addresses (user principal name, e-mail). Never another account's, a
 * certificate or Windows' own sign-in.
 */
export function belongsToAccount(entry: SavedCredential, identities: readonly string[]): boolean {
  if (!PASSWORD_TYPES.has(entry.type)) return false;
  if (WINDOWS_OWN_TARGETS.some((pattern) => pattern.test(entry.target))) return false;
  return identities.some(
    (identity) =>
      (entry.userName !== null && namesIdentity(entry.userName, identity)) ||
      namesIdentity(entry.target, identity),
  );
}

/** The account's entries, in a stable order (by target). */
export function accountCredentials(
  entries: readonly SavedCredential[],
  identities: readonly string[],
): SavedCredential[] {
  return entries
    .filter((entry) => belongsToAccount(entry, identities))
    .sort((a, b) => a.target.localeCompare(b.target) || a.type - b.type);
}
