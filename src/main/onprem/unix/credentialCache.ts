/**
 * The principal of the user's default Kerberos credential cache, read through libkrb5 (no `klist`
 * process). It names the user's realm even when the tickets in it have expired.
 */
import { koffi } from '../nativeFfi';

type Native = (...args: unknown[]) => number;

export function krb5LibraryPath(platform: NodeJS.Platform): string {
  return platform === 'darwin'
    ? '/System/Library/Frameworks/Kerberos.framework/Kerberos'
    : 'libkrb5.so.3';
}

interface Krb5 {
  initContext: Native;
  freeContext: Native;
  ccDefault: Native;
  ccClose: Native;
  ccGetPrincipal: Native;
  unparseName: (ctx: unknown, principal: unknown, out: unknown[]) => number;
  freePrincipal: Native;
}

let krb5: Krb5 | null = null;

function load(): Krb5 {
  if (krb5) return krb5;
  const lib = koffi.load(krb5LibraryPath(process.platform));
  const fn = (signature: string): Native => lib.func(signature);
  // krb5_unparse_name's string is freed with krb5_free_unparsed_name, not free(): decode, then free.
  const freeUnparsed = fn('void krb5_free_unparsed_name(void *ctx, void *name)');
  const unparse = lib.func(
    'int krb5_unparse_name(void *ctx, void *principal, _Out_ void **name)',
  ) as unknown as Native;
  krb5 = {
    initContext: fn('int krb5_init_context(_Out_ void **ctx)'),
    freeContext: fn('void krb5_free_context(void *ctx)'),
    ccDefault: fn('int krb5_cc_default(void *ctx, _Out_ void **cache)'),
    ccClose: fn('int krb5_cc_close(void *ctx, void *cache)'),
    ccGetPrincipal: fn('int krb5_cc_get_principal(void *ctx, void *cache, _Out_ void **principal)'),
    unparseName: (ctx, principal, out) => {
      const raw = [null];
      const code = unparse(ctx, principal, raw);
      if (code === 0) {
        out[0] = koffi.decode(raw[0], 'char', -1);
        freeUnparsed(ctx, raw[0]);
      }
      return code;
    },
    freePrincipal: fn('void krb5_free_principal(void *ctx, void *principal)'),
  };
  return krb5;
}

/** "alice@CORP.EXAMPLE.COM", or null when there is no cache or it names no one. */
export function defaultCachePrincipal(): string | null {
  const lib = load();
  const context = [null];
  if (lib.initContext(context) !== 0) return null;
  try {
    const cache = [null];
    if (lib.ccDefault(context[0], cache) !== 0) return null;
    try {
      const principal = [null];
      if (lib.ccGetPrincipal(context[0], cache[0], principal) !== 0) return null;
      try {
        const name: unknown[] = [null];
        if (lib.unparseName(context[0], principal[0], name) !== 0) return null;
        return typeof name[0] === 'string' ? name[0] : null;
      } finally {
        lib.freePrincipal(context[0], principal[0]);
      }
    } finally {
      lib.ccClose(context[0], cache[0]);
    }
  } finally {
    lib.freeContext(context[0]);
  }
}

/** The realm part of a principal name ("alice@CORP.EXAMPLE.COM" → "CORP.EXAMPLE.COM"). */
export function realmOf(principal: string): string | null {
  const at = principal.lastIndexOf('@');
  const realm = at >= 0 ? principal.slice(at + 1).trim() : '';
  return realm.length > 0 ? realm : null;
}
