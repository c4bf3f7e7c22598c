/**
 * Writes and deletes test entries in the Windows Credential Manager (CredWriteW / CredDeleteW),
 * so a test can set up the store it then reads through the app's own adapter.
 */
import { koffi } from '../../../src/main/onprem/nativeFfi';
import { credentialType } from '../../../src/main/credentials/windowsCredentialStore';

type Native = (...args: unknown[]) => unknown;
let native: { write: Native; remove: Native; lastError: Native } | null = null;

function load() {
  if (native) return native;
  const advapi = koffi.load('advapi32.dll');
  const kernel32 = koffi.load('kernel32.dll');
  credentialType();
  native = {
    write: advapi.func('bool __stdcall CredWriteW(sia_credentialw *cred, uint32_t flags)'),
    remove: advapi.func(
      'bool __stdcall CredDeleteW(const char16_t *target, uint32_t type, uint32_t flags)',
    ),
    lastError: kernel32.func('uint32_t __stdcall GetLastError()'),
  };
  return native;
}

/** CRED_PERSIST_LOCAL_MACHINE: kept for this user on this computer. */
const PERSIST_LOCAL_MACHINE = 2;

export function writeTestCredential(entry: {
  target: string;
  userName: string;
  type: number;
  secret: string;
}): void {
  const api = load();
  const blob = Buffer.from(entry.secret, 'utf16le');
  const ok = api.write(
    {
      Flags: 0,
      Type: entry.type,
      TargetName: entry.target,
      Comment: 'Sign-In Assistant test entry',
      LastWritten: { lo: 0, hi: 0 },
      CredentialBlobSize: blob.length,
      CredentialBlob: blob,
      Persist: PERSIST_LOCAL_MACHINE,
      AttributeCount: 0,
      Attributes: null,
      TargetAlias: null,
      UserName: entry.userName,
    },
    0,
  );
  if (!ok) throw new Error(`CredWriteW failed (error ${String(api.lastError())})`);
}

/** Deletes a test entry if it is there (after each test). */
export function deleteTestCredential(target: string, type: number): void {
  load().remove(target, type, 0);
}
