/**
 * The system GSS-API (MIT libgssapi_krb5 on Linux, GSS.framework on macOS) through koffi, a
 * prebuilt FFI. Only the calls a SASL GSSAPI client needs. The calls may block (a service ticket
 * request to the KDC), so this module only ever runs inside the reader's worker thread.
 */
import type { SecurityContext, SecurityProvider } from '../ldap/securityProvider';
import { koffi, type Koffi } from '../nativeFfi';
import { DirectoryReadError } from '../readFailure';

type Native = (...args: unknown[]) => number;

interface GssLibrary {
  importName: Native;
  initSecContext: Native;
  wrap: Native;
  unwrap: Native;
  releaseBuffer: Native;
  releaseName: Native;
  deleteSecContext: Native;
  inquireContext: Native;
  displayName: Native;
  displayStatus: Native;
}

interface BufferDesc {
  length: number | bigint;
  value: unknown;
}

export function gssLibraryPath(platform: NodeJS.Platform): string {
  return platform === 'darwin'
    ? '/System/Library/Frameworks/GSS.framework/GSS'
    : 'libgssapi_krb5.so.2';
}

let library: GssLibrary | null = null;

function load(): GssLibrary {
  if (library) return library;
  let lib: Koffi.LibraryHandle;
  try {
    lib = koffi.load(gssLibraryPath(process.platform));
  } catch (error) {
    throw new DirectoryReadError(
      'unavailable',
      `the system GSS-API library cannot be loaded (${gssLibraryPath(process.platform)})`,
      { cause: error },
    );
  }
  // Apple's gssapi.h packs its structs to 2 bytes on x86_64 (#pragma pack(push,2)).
  const define =
    process.platform === 'darwin' && process.arch === 'x64' ? koffi.pack : koffi.struct;
  define('sia_gss_buffer_desc', { length: 'size_t', value: 'void *' });
  define('sia_gss_OID_desc', { length: 'uint32_t', elements: 'void *' });
  koffi.opaque('sia_gss_name');
  koffi.opaque('sia_gss_ctx');
  const fn = (signature: string): Native => lib.func(signature);
  library = {
    importName: fn(
      'uint32_t gss_import_name(_Out_ uint32_t *minor, sia_gss_buffer_desc *name, sia_gss_OID_desc *type, _Out_ sia_gss_name **out)',
    ),
    initSecContext: fn(
      'uint32_t gss_init_sec_context(_Out_ uint32_t *minor, void *cred, _Inout_ sia_gss_ctx **ctx, sia_gss_name *target, sia_gss_OID_desc *mech, uint32_t flags, uint32_t time_req, void *bindings, sia_gss_buffer_desc *input, void *actual_mech, _Out_ sia_gss_buffer_desc *output, _Out_ uint32_t *ret_flags, void *time_rec)',
    ),
    wrap: fn(
      'uint32_t gss_wrap(_Out_ uint32_t *minor, sia_gss_ctx *ctx, int conf, uint32_t qop, sia_gss_buffer_desc *input, _Out_ int *conf_state, _Out_ sia_gss_buffer_desc *output)',
    ),
    unwrap: fn(
      'uint32_t gss_unwrap(_Out_ uint32_t *minor, sia_gss_ctx *ctx, sia_gss_buffer_desc *input, _Out_ sia_gss_buffer_desc *output, _Out_ int *conf_state, _Out_ uint32_t *qop)',
    ),
    releaseBuffer: fn(
      'uint32_t gss_release_buffer(_Out_ uint32_t *minor, sia_gss_buffer_desc *buffer)',
    ),
    releaseName: fn(
      'uint32_t gss_release_name(_Out_ uint32_t *minor, _Inout_ sia_gss_name **name)',
    ),
    deleteSecContext: fn(
      'uint32_t gss_delete_sec_context(_Out_ uint32_t *minor, _Inout_ sia_gss_ctx **ctx, void *output)',
    ),
    inquireContext: fn(
      'uint32_t gss_inquire_context(_Out_ uint32_t *minor, sia_gss_ctx *ctx, _Out_ sia_gss_name **source, void *target, void *lifetime, void *mech, void *flags, void *local, void *open)',
    ),
    displayName: fn(
      'uint32_t gss_display_name(_Out_ uint32_t *minor, sia_gss_name *name, _Out_ sia_gss_buffer_desc *output, void *type)',
    ),
    displayStatus: fn(
      'uint32_t gss_display_status(_Out_ uint32_t *minor, uint32_t status, int type, void *mech, _Inout_ uint32_t *context, _Out_ sia_gss_buffer_desc *output)',
    ),
  };
  return library;
}

const OID = {
  /** 1.2.840.113554.1.2.1.4 GSS_C_NT_HOSTBASED_SERVICE */
  hostBasedService: Buffer.from('2a864886f71201020104', 'hex'),
  /** 1.2.840.113554.1.2.2 Kerberos V5 */
  kerberos: Buffer.from('2a864886f712010202', 'hex'),
};

export const GSS_FLAG = { mutual: 2, sequence: 8, confidentiality: 16, integrity: 32 } as const;

const GSS_S_CONTINUE_NEEDED = 1;

const oidDesc = (bytes: Buffer) => ({ length: bytes.length, elements: bytes });
const inputBuffer = (bytes: Buffer | null): BufferDesc => ({
  length: bytes?.length ?? 0,
  value: bytes && bytes.length > 0 ? bytes : null,
});

/** Copies a buffer the library allocated into JS memory, then releases it. */
function take(lib: GssLibrary, output: BufferDesc): Buffer {
  const length = Number(output.length);
  // koffi.decode copies; a zero-copy view would be an external ArrayBuffer, which Electron refuses.
  const data =
    length > 0
      ? Buffer.from(koffi.decode(output.value, 'uint8_t', length) as number[])
      : Buffer.alloc(0);
  lib.releaseBuffer([0], output);
  return data;
}

function statusText(lib: GssLibrary, code: number, type: 1 | 2): string[] {
  const messages: string[] = [];
  const context = [0];
  for (let i = 0; i < 8; i += 1) {
    const output: BufferDesc = { length: 0, value: null };
    if (lib.displayStatus([0], code, type, null, context, output) !== 0) break;
    messages.push(take(lib, output).toString('utf8'));
    if (context[0] === 0) break;
  }
  return messages.filter((m) => m.length > 0);
}

/** Routine error field of a GSS major status (RFC 2744 §3.9.1). */
export function routineError(major: number): number {
  return (major >>> 16) & 0xff;
}

// MIT krb5 error codes as unsigned 32-bit minor statuses.
const KRB5 = {
  kdcUnreachable: 2529639068, // KRB5_KDC_UNREACH
  principalUnknown: 2529638919, // KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN
  passwordExpired: 2529638935, // KRB5KDC_ERR_KEY_EXP: "Password has expired"
  ticketExpired: 2529638944, // KRB5KRB_AP_ERR_TKT_EXPIRED
  noCacheFile: 2529639107, // KRB5_FCC_NOFILE
  cacheNotFound: 2529639053, // KRB5_CC_NOTFOUND
  kdcNotFound: 2529639066, // KRB5_REALM_UNKNOWN: "Cannot find KDC for requested realm"
} as const;

/** Which DirectoryFailureKind a failed GSS call means. Pure: unit-tested. */
export function classifyGssStatus(major: number, minor: number): DirectoryReadError['kind'] {
  const routine = routineError(major);
  // GSS_S_NO_CRED, GSS_S_DEFECTIVE_CREDENTIAL, GSS_S_CREDENTIALS_EXPIRED
  if (routine === 7 || routine === 10 || routine === 11) return 'no-credentials';
  if (minor === KRB5.noCacheFile || minor === KRB5.cacheNotFound || minor === KRB5.ticketExpired) {
    return 'no-credentials';
  }
  if (minor === KRB5.kdcUnreachable || minor === KRB5.kdcNotFound) return 'unreachable';
  if (minor === KRB5.principalUnknown) return 'refused';
  if (minor === KRB5.passwordExpired) return 'password-expired';
  // GSS_S_BAD_SIG, GSS_S_DEFECTIVE_TOKEN and the rest: the exchange itself failed.
  return routine === 9 || routine === 6 ? 'protocol' : 'refused';
}

function gssFailure(lib: GssLibrary, call: string, major: number, minor: number) {
  const text = [...statusText(lib, major, 1), ...statusText(lib, minor, 2)].join('; ');
  return new DirectoryReadError(classifyGssStatus(major, minor), `${call}: ${text}`);
}

/**
 * One Kerberos security context towards `service` ("ldap@dc1.corp.example.com"), with the
 * default credentials of the process (the user's ticket cache).
 */
export class GssInitiator implements SecurityContext {
  private readonly lib: GssLibrary;
  private readonly target: unknown;
  private readonly context: unknown[] = [null];
  private done = false;
  private disposed = false;

  constructor(
    readonly service: string,
    private readonly flags: number = GSS_FLAG.mutual | GSS_FLAG.sequence | GSS_FLAG.integrity,
  ) {
    this.lib = load();
    const minor = [0];
    const name = [null];
    const major = this.lib.importName(
      minor,
      inputBuffer(Buffer.from(service, 'utf8')),
      oidDesc(OID.hostBasedService),
      name,
    );
    if (major !== 0) throw gssFailure(this.lib, 'gss_import_name', major, minor[0] ?? 0);
    this.target = name[0];
  }

  get complete(): boolean {
    return this.done;
  }

  /** One round of context establishment; returns the token to send (null: nothing to send). */
  step(input: Buffer | null): Buffer | null {
    const minor = [0];
    const output: BufferDesc = { length: 0, value: null };
    const major = this.lib.initSecContext(
      minor,
      null,
      this.context,
      this.target,
      oidDesc(OID.kerberos),
      this.flags,
      0,
      null,
      inputBuffer(input),
      null,
      output,
      [0],
      null,
    );
    if (major !== 0 && major !== GSS_S_CONTINUE_NEEDED) {
      throw gssFailure(this.lib, 'gss_init_sec_context', major, minor[0] ?? 0);
    }
    this.done = major === 0;
    const token = take(this.lib, output);
    return token.length > 0 ? token : null;
  }

  wrap(data: Buffer, confidential: boolean): Buffer {
    const minor = [0];
    const output: BufferDesc = { length: 0, value: null };
    const major = this.lib.wrap(
      minor,
      this.context[0],
      confidential ? 1 : 0,
      0,
      inputBuffer(data),
      [0],
      output,
    );
    if (major !== 0) throw gssFailure(this.lib, 'gss_wrap', major, minor[0] ?? 0);
    return take(this.lib, output);
  }

  unwrap(token: Buffer): Buffer {
    const minor = [0];
    const output: BufferDesc = { length: 0, value: null };
    const major = this.lib.unwrap(minor, this.context[0], inputBuffer(token), output, [0], [0]);
    if (major !== 0) throw gssFailure(this.lib, 'gss_unwrap', major, minor[0] ?? 0);
    return take(this.lib, output);
  }

  /** The authenticated user as the ticket names it, e.g. "alice@CORP.EXAMPLE.COM". */
  initiatorName(): string {
    const minor = [0];
    const source = [null];
    let major = this.lib.inquireContext(
      minor,
      this.context[0],
      source,
      null,
      null,
      null,
      null,
      null,
      null,
    );
    if (major !== 0) throw gssFailure(this.lib, 'gss_inquire_context', major, minor[0] ?? 0);
    const output: BufferDesc = { length: 0, value: null };
    major = this.lib.displayName(minor, source[0], output, null);
    this.lib.releaseName([0], source);
    if (major !== 0) throw gssFailure(this.lib, 'gss_display_name', major, minor[0] ?? 0);
    return take(this.lib, output).toString('utf8');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.context[0]) this.lib.deleteSecContext([0], this.context, null);
    this.lib.releaseName([0], [this.target]);
  }
}

/** GSS-API on macOS and Linux: the service is ldap@<dc>, the credentials the ticket cache's. */
export const gssProvider: SecurityProvider = {
  contextFor: (host) => new GssInitiator(`ldap@${host}`),
};
