/**
 * secur32's SSPI calls as koffi declares them, and native memory for their buffer lists. Loaded
 * at the first use, inside the reader's worker thread; Windows only.
 */
import { koffi, type Koffi } from '../nativeFfi';
import { DirectoryReadError } from '../readFailure';
import { classifySspiStatus } from './sspiValues';

type Native = (...args: unknown[]) => number;
export type Pointer = unknown;

export interface Sspi {
  acquire: Native;
  initialize: Native;
  query: Native;
  encrypt: Native;
  decrypt: Native;
  deleteContext: Native;
  freeCredentials: Native;
  freeBuffer: Native;
}

export interface Handle {
  dwLower: number | bigint;
  dwUpper: number | bigint;
}

interface NativeBuffer {
  cbBuffer: number;
  BufferType: number;
  pvBuffer: Pointer;
}

let api: Sspi | null = null;

export function loadSspi(): Sspi {
  if (api) return api;
  let lib: Koffi.LibraryHandle;
  try {
    lib = koffi.load('secur32.dll');
  } catch (error) {
    throw new DirectoryReadError('unavailable', 'secur32.dll cannot be loaded', { cause: error });
  }
  koffi.struct('sia_SecHandle', { dwLower: 'uintptr_t', dwUpper: 'uintptr_t' });
  koffi.struct('sia_SecBuffer', {
    cbBuffer: 'uint32_t',
    BufferType: 'uint32_t',
    pvBuffer: 'void *',
  });
  koffi.struct('sia_SecBufferDesc', {
    ulVersion: 'uint32_t',
    cBuffers: 'uint32_t',
    pBuffers: 'void *',
  });
  koffi.struct('sia_SecPkgContext_Sizes', {
    cbMaxToken: 'uint32_t',
    cbMaxSignature: 'uint32_t',
    cbBlockSize: 'uint32_t',
    cbSecurityTrailer: 'uint32_t',
  });
  const fn = (signature: string): Native => lib.func(signature);
  api = {
    acquire: fn(
      'uint32_t AcquireCredentialsHandleW(const char16_t *principal, const char16_t *package, uint32_t use, void *logonId, void *authData, void *getKey, void *getKeyArg, _Out_ sia_SecHandle *credential, _Out_ int64_t *expiry)',
    ),
    initialize: fn(
      'uint32_t InitializeSecurityContextW(sia_SecHandle *credential, sia_SecHandle *context, const char16_t *target, uint32_t request, uint32_t reserved1, uint32_t representation, sia_SecBufferDesc *input, uint32_t reserved2, _Out_ sia_SecHandle *newContext, sia_SecBufferDesc *output, _Out_ uint32_t *attributes, _Out_ int64_t *expiry)',
    ),
    query: fn(
      'uint32_t QueryContextAttributesW(sia_SecHandle *context, uint32_t attribute, void *buffer)',
    ),
    encrypt: fn(
      'uint32_t EncryptMessage(sia_SecHandle *context, uint32_t qop, sia_SecBufferDesc *message, uint32_t sequence)',
    ),
    decrypt: fn(
      'uint32_t DecryptMessage(sia_SecHandle *context, sia_SecBufferDesc *message, uint32_t sequence, _Out_ uint32_t *qop)',
    ),
    deleteContext: fn('uint32_t DeleteSecurityContext(sia_SecHandle *context)'),
    freeCredentials: fn('uint32_t FreeCredentialsHandle(sia_SecHandle *credential)'),
    freeBuffer: fn('uint32_t FreeContextBuffer(void *buffer)'),
  };
  return api;
}

export function sspiFailure(call: string, status: number): DirectoryReadError {
  const { kind, name } = classifySspiStatus(status);
  return new DirectoryReadError(kind, `${call}: ${name}`);
}

/** Native memory for one call's buffers; freed by release(). */
export class BufferSet {
  private readonly blocks: Pointer[] = [];
  private readonly array: Pointer;

  constructor(private readonly specs: { type: number; bytes: Buffer | number }[]) {
    this.array = this.keep(koffi.alloc('sia_SecBuffer', specs.length));
    specs.forEach((spec, index) => {
      const size = typeof spec.bytes === 'number' ? spec.bytes : spec.bytes.length;
      const memory = this.keep(koffi.alloc('uint8_t', Math.max(1, size)));
      if (typeof spec.bytes !== 'number' && size > 0) {
        koffi.encode(memory, 'uint8_t', [...spec.bytes], size);
      }
      const buffer: NativeBuffer = { cbBuffer: size, BufferType: spec.type, pvBuffer: memory };
      koffi.encode(this.array, index * koffi.sizeof('sia_SecBuffer'), 'sia_SecBuffer', buffer);
    });
  }

  get desc() {
    return { ulVersion: 0, cBuffers: this.specs.length, pBuffers: this.array };
  }

  /** The bytes of buffer `index` as the call left them (its length and where it points). */
  bytes(index: number): Buffer {
    const buffer = koffi.decode(
      this.array,
      index * koffi.sizeof('sia_SecBuffer'),
      'sia_SecBuffer',
    ) as NativeBuffer;
    if (buffer.cbBuffer === 0 || !buffer.pvBuffer) return Buffer.alloc(0);
    return Buffer.from(koffi.decode(buffer.pvBuffer, 'uint8_t', buffer.cbBuffer) as number[]);
  }

  release(): void {
    for (const block of this.blocks.splice(0)) koffi.free(block);
  }

  private keep(block: Pointer): Pointer {
    this.blocks.push(block);
    return block;
  }
}
