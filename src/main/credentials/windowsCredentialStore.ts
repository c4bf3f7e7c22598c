/**
 * Windows Credential Manager (advapi32: CredEnumerateW, CredDeleteW, CredFree) through koffi,
 * for the user's own store. Only names and types are read: the secret of an entry is never
 * decoded, copied or logged.
 */
import { koffi, type Koffi } from '../onprem/nativeFfi';
import type { SavedCredential, SavedCredentialStore } from '../../core/savedCredentials';

type Native = (...args: unknown[]) => unknown;

interface Advapi32 {
  enumerate: Native;
  remove: Native;
  free: Native;
  lastError: Native;
  credential: Koffi.TypeObject;
}

/** ERROR_NOT_FOUND: no entry (CredEnumerateW with none, CredDeleteW of a gone one). */
const ERROR_NOT_FOUND = 1168;
/** CRED_ENUMERATE_ALL_CREDENTIALS: every entry of the user, with a null filter. */
const CRED_ENUMERATE_ALL_CREDENTIALS = 0x1;
/** A user's store holds a few dozen; more than this is not read. */
const MAX_ENTRIES = 2000;

let api: Advapi32 | null = null;
let credentialStruct: Koffi.TypeObject | null = null;

/**
 * CREDENTIALW (wincred.h), declared once per process under the name `sia_credentialw`; a test
 * that writes entries (CredWriteW) uses the same declaration.
 */
export function credentialType(): Koffi.TypeObject {
  if (credentialStruct) return credentialStruct;
  const filetime = koffi.struct('sia_cred_filetime', { lo: 'uint32_t', hi: 'uint32_t' });
  credentialStruct = koffi.struct('sia_credentialw', {
    Flags: 'uint32_t',
    Type: 'uint32_t',
    TargetName: 'const char16_t *',
    Comment: 'const char16_t *',
    LastWritten: filetime,
    CredentialBlobSize: 'uint32_t',
    CredentialBlob: 'void *',
    Persist: 'uint32_t',
    AttributeCount: 'uint32_t',
    Attributes: 'void *',
    TargetAlias: 'const char16_t *',
    UserName: 'const char16_t *',
  });
  return credentialStruct;
}

function load(): Advapi32 {
  if (api) return api;
  const advapi = koffi.load('advapi32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  const credential = credentialType();
  const fn = (lib: Koffi.LibraryHandle, signature: string): Native => lib.func(signature);
  api = {
    enumerate: fn(
      advapi,
      'bool __stdcall CredEnumerateW(const char16_t *filter, uint32_t flags, _Out_ uint32_t *count, _Out_ void **credentials)',
    ),
    remove: fn(
      advapi,
      'bool __stdcall CredDeleteW(const char16_t *target, uint32_t type, uint32_t flags)',
    ),
    free: fn(advapi, 'void __stdcall CredFree(void *buffer)'),
    lastError: fn(kernel32, 'uint32_t __stdcall GetLastError()'),
    credential,
  };
  return api;
}

export class CredentialStoreError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'CredentialStoreError';
  }
}

interface DecodedCredential {
  Type: number;
  TargetName: string | null;
  UserName: string | null;
}

/** The user's Credential Manager entries (names and types only). */
export function listWindowsCredentials(): SavedCredential[] {
  const native = load();
  const count: [number] = [0];
  const list: [unknown] = [null];
  // Without ALL_CREDENTIALS a null filter lists the same; the flag says what is meant.
  if (!native.enumerate(null, CRED_ENUMERATE_ALL_CREDENTIALS, count, list)) {
    const code = native.lastError() as number;
    if (code === ERROR_NOT_FOUND) return [];
    // Older systems refuse the flag: ask again without it.
    if (!native.enumerate(null, 0, count, list)) {
      const again = native.lastError() as number;
      if (again === ERROR_NOT_FOUND) return [];
      throw new CredentialStoreError(`CredEnumerateW failed (error ${again})`, again);
    }
  }
  try {
    const pointers = koffi.decode(list[0], 'void *', Math.min(count[0], MAX_ENTRIES)) as unknown[];
    return pointers.map((pointer) => {
      const entry = koffi.decode(pointer, native.credential) as DecodedCredential;
      return { target: entry.TargetName ?? '', userName: entry.UserName ?? null, type: entry.Type };
    });
  } finally {
    native.free(list[0]);
  }
}

/** Removes one entry; false when it was already gone. */
export function removeWindowsCredential(entry: Pick<SavedCredential, 'target' | 'type'>): boolean {
  const native = load();
  if (native.remove(entry.target, entry.type, 0)) return true;
  const code = native.lastError() as number;
  if (code === ERROR_NOT_FOUND) return false;
  throw new CredentialStoreError(`CredDeleteW failed (error ${code})`, code);
}

/** The port over Credential Manager (Windows only). */
export function createWindowsCredentialStore(): SavedCredentialStore {
  return {
    list: () => Promise.resolve().then(listWindowsCredentials),
    remove: (entry) => Promise.resolve().then(() => removeWindowsCredential(entry)),
  };
}
