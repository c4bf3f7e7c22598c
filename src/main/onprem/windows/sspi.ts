/**
 * Windows: the Kerberos security package through SSPI (secur32) and koffi, with the credentials
 * of the user's logon session: AcquireCredentialsHandleW with no identity,
 * InitializeSecurityContextW for ldap/<dc>, and EncryptMessage / DecryptMessage for the SASL
 * GSSAPI wrap tokens (signed only: SECQOP_WRAP_NO_ENCRYPT). The calls may block (a service ticket from the KDC), so this module only
 * runs inside the reader's worker thread.
 */
import { koffi } from '../nativeFfi';
import type { SecurityContext, SecurityProvider } from '../ldap/securityProvider';
import {
  ISC_REQ,
  plaintextLengthOf,
  SEC_E_INVALID_TOKEN,
  SEC_E_OK,
  SEC_I_CONTINUE_NEEDED,
  SECBUFFER,
  SECPKG_ATTR,
  SECPKG_CRED_OUTBOUND,
  SECQOP_WRAP_NO_ENCRYPT,
  SECURITY_NATIVE_DREP,
  wireTokenOf,
} from './sspiValues';
import {
  BufferSet,
  loadSspi,
  sspiFailure,
  type Handle,
  type Pointer,
  type Sspi,
} from './sspiLibrary';
import { fileCachePrincipal } from './ticketCache';

/** The largest Kerberos token Windows makes (MaxTokenSize may be raised to 65535). */
const MAX_TOKEN = 65535;

/** A Kerberos context towards `spn` ("ldap/dc1.corp.example.com") for the logon session. */
export class SspiInitiator implements SecurityContext {
  private readonly lib: Sspi;
  private readonly credential: Handle = { dwLower: 0, dwUpper: 0 };
  private context: Handle | null = null;
  private sizes: { blockSize: number; trailer: number } | null = null;
  private done = false;
  private disposed = false;

  constructor(
    readonly spn: string,
    private readonly request: number = ISC_REQ.mutualAuth |
      ISC_REQ.sequenceDetect |
      ISC_REQ.integrity,
  ) {
    this.lib = loadSspi();
    const status = this.lib.acquire(
      null,
      'Kerberos',
      SECPKG_CRED_OUTBOUND,
      null,
      null,
      null,
      null,
      this.credential,
      [0],
    );
    if (status !== SEC_E_OK) throw sspiFailure('AcquireCredentialsHandleW', status);
  }

  get complete(): boolean {
    return this.done;
  }

  step(input: Buffer | null): Buffer | null {
    const inputs = input ? new BufferSet([{ type: SECBUFFER.token, bytes: input }]) : null;
    const outputs = new BufferSet([{ type: SECBUFFER.token, bytes: MAX_TOKEN }]);
    try {
      const next: Handle = { dwLower: 0, dwUpper: 0 };
      const status = this.lib.initialize(
        this.credential,
        this.context,
        this.spn,
        this.request,
        0,
        SECURITY_NATIVE_DREP,
        inputs ? inputs.desc : null,
        0,
        next,
        outputs.desc,
        [0],
        [0],
      );
      if (status !== SEC_E_OK && status !== SEC_I_CONTINUE_NEEDED) {
        throw sspiFailure('InitializeSecurityContextW', status);
      }
      this.context = next;
      this.done = status === SEC_E_OK;
      const token = outputs.bytes(0);
      return token.length > 0 ? token : null;
    } finally {
      inputs?.release();
      outputs.release();
    }
  }

  wrap(data: Buffer, confidential: boolean): Buffer {
    const { blockSize, trailer } = this.contextSizes();
    const buffers = new BufferSet([
      { type: SECBUFFER.token, bytes: trailer },
      { type: SECBUFFER.data, bytes: data },
      { type: SECBUFFER.padding, bytes: blockSize },
    ]);
    try {
      const qop = confidential ? 0 : SECQOP_WRAP_NO_ENCRYPT;
      const status = this.lib.encrypt(this.context, qop, buffers.desc, 0);
      if (status !== SEC_E_OK) throw sspiFailure('EncryptMessage', status);
      return wireTokenOf(buffers.bytes(0), buffers.bytes(1), buffers.bytes(2));
    } finally {
      buffers.release();
    }
  }

  unwrap(token: Buffer): Buffer {
    // Windows takes the whole token as a stream; a package without stream support (Wine's)
    // wants it cut into the part that becomes the plaintext and the rest.
    const stream = new BufferSet([
      { type: SECBUFFER.stream, bytes: token },
      { type: SECBUFFER.data, bytes: 0 },
    ]);
    try {
      const status = this.lib.decrypt(this.context, stream.desc, 0, [0]);
      if (status === SEC_E_OK) return stream.bytes(1);
      const cut = plaintextLengthOf(token);
      if (status !== SEC_E_INVALID_TOKEN || cut === null) {
        throw sspiFailure('DecryptMessage', status);
      }
    } finally {
      stream.release();
    }
    const cut = plaintextLengthOf(token) as number;
    const parts = new BufferSet([
      { type: SECBUFFER.data, bytes: token.subarray(0, cut) },
      { type: SECBUFFER.token, bytes: token.subarray(cut) },
    ]);
    try {
      const status = this.lib.decrypt(this.context, parts.desc, 0, [0]);
      if (status !== SEC_E_OK) throw sspiFailure('DecryptMessage', status);
      return parts.bytes(0).subarray(0, cut);
    } finally {
      parts.release();
    }
  }

  /**
   * The user the context authenticated, as the package names it ("CORP\alice"); where the
   * package cannot tell (Wine's), the client principal of the MIT cache it used.
   */
  initiatorName(): string | null {
    const out: unknown = koffi.alloc('void *', 1);
    try {
      if (this.lib.query(this.context, SECPKG_ATTR.names, out) === SEC_E_OK) {
        const text = koffi.decode(out, 'void *') as Pointer;
        if (text) {
          const name = koffi.decode(text, 'char16_t', -1) as string;
          this.lib.freeBuffer(text);
          if (name.trim()) return name.trim();
        }
      }
    } finally {
      koffi.free(out);
    }
    return fileCachePrincipal(process.env.KRB5CCNAME);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.context) this.lib.deleteContext(this.context);
    this.lib.freeCredentials(this.credential);
  }

  private contextSizes(): { blockSize: number; trailer: number } {
    if (this.sizes) return this.sizes;
    const out: unknown = koffi.alloc('sia_SecPkgContext_Sizes', 1);
    try {
      const status = this.lib.query(this.context, SECPKG_ATTR.sizes, out);
      if (status !== SEC_E_OK) throw sspiFailure('QueryContextAttributesW(SIZES)', status);
      const sizes = koffi.decode(out, 'sia_SecPkgContext_Sizes') as {
        cbBlockSize: number;
        cbSecurityTrailer: number;
      };
      this.sizes = { blockSize: sizes.cbBlockSize, trailer: sizes.cbSecurityTrailer };
      return this.sizes;
    } finally {
      koffi.free(out);
    }
  }
}

/** SSPI on Windows: the service is ldap/<dc>, the credentials the logon session's. */
export const sspiProvider: SecurityProvider = {
  contextFor: (host) => new SspiInitiator(`ldap/${host}`),
};
