/**
 * A minimal LDAPv3 connection over TCP: one request at a time is enough for the reader. Every
 * operation has its own deadline; once a SASL security layer is installed, every message travels
 * in SASL buffers (RFC 4422 §3.7: a 4-byte big-endian length, then the wrapped token).
 */
import net from 'node:net';
import { DirectoryReadError } from '../readFailure';
import {
  completeElementLength,
  decodeResponse,
  encodeSaslBind,
  encodeSearch,
  encodeUnbind,
  encodeWhoAmI,
  type LdapResult,
  type SearchEntry,
  type SearchRequest,
} from './ldapMessages';

/** Signs (and checks) or seals each SASL buffer once the bind negotiated a layer. */
export interface SecurityLayer {
  wrap(plain: Buffer): Buffer;
  unwrap(token: Buffer): Buffer;
}

interface Pending {
  resolve(result: { result: LdapResult; entries: SearchEntry[] }): void;
  reject(error: Error): void;
  entries: SearchEntry[];
  timer: NodeJS.Timeout;
}

/** Largest SASL buffer accepted from a server (the reader's replies are a few kilobytes). */
const MAX_SASL_BUFFER = 16 * 1024 * 1024;

export class LdapConnection {
  private nextMessageId = 1;
  private readonly pending = new Map<number, Pending>();
  private received: Buffer = Buffer.alloc(0);
  private plain: Buffer = Buffer.alloc(0);
  private layer: SecurityLayer | null = null;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly operationTimeoutMs: number,
    readonly server: string,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.failAll(error));
    socket.on('close', () => this.failAll(new Error('the server closed the connection')));
  }

  /** Opens the TCP connection, or fails as `unreachable` within `timeoutMs`. */
  static connect(options: {
    server: string;
    address: string;
    port: number;
    connectTimeoutMs: number;
    operationTimeoutMs: number;
  }): Promise<LdapConnection> {
    const { server, address, port, connectTimeoutMs, operationTimeoutMs } = options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new DirectoryReadError(
            'unreachable',
            `no connection to ${server} (${address}:${port}) within ${connectTimeoutMs} ms`,
          ),
        );
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new LdapConnection(socket, operationTimeoutMs, server));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new DirectoryReadError(
            'unreachable',
            `cannot connect to ${server} (${address}:${port}): ${error.code ?? error.message}`,
            { cause: error },
          ),
        );
      });
    });
  }

  /** From now on every message is wrapped by `layer` (after a bind that negotiated one). */
  installSecurityLayer(layer: SecurityLayer): void {
    this.layer = layer;
  }

  saslBind(mechanism: string, credentials: Buffer | null): Promise<LdapResult> {
    return this.request((id) => encodeSaslBind(id, mechanism, credentials)).then((r) => r.result);
  }

  async search(request: SearchRequest): Promise<{ result: LdapResult; entries: SearchEntry[] }> {
    return this.request((id) => encodeSearch(id, request));
  }

  whoAmI(): Promise<LdapResult> {
    return this.request((id) => encodeWhoAmI(id)).then((r) => r.result);
  }

  /** Says goodbye politely when possible and closes the socket; never throws. */
  close(): void {
    if (!this.socket.destroyed && this.failure === null) {
      try {
        this.socket.write(this.frame(encodeUnbind(this.nextMessageId++)));
      } catch {
        // closing anyway
      }
    }
    this.socket.destroy();
  }

  private frame(message: Buffer): Buffer {
    if (!this.layer) return message;
    const token = this.layer.wrap(message);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(token.length);
    return Buffer.concat([header, token]);
  }

  private request(
    encode: (messageId: number) => Buffer,
  ): Promise<{ result: LdapResult; entries: SearchEntry[] }> {
    if (this.failure) return Promise.reject(this.failure);
    const messageId = this.nextMessageId++;
    const bytes = this.frame(encode(messageId));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A server that stopped answering: no later operation on this connection can succeed.
        this.failAll(
          new DirectoryReadError(
            'unreachable',
            `${this.server} did not answer within ${this.operationTimeoutMs} ms`,
          ),
        );
      }, this.operationTimeoutMs);
      this.pending.set(messageId, { resolve, reject, entries: [], timer });
      this.socket.write(bytes);
    });
  }

  private failAll(error: Error): void {
    if (this.failure === null) this.failure = error;
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.received = Buffer.concat([this.received, chunk]);
      if (this.layer) this.unwrapBuffers();
      else this.received = this.dispatchMessages(this.received);
    } catch (error) {
      this.failAll(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private unwrapBuffers(): void {
    const layer = this.layer as SecurityLayer;
    while (this.received.length >= 4) {
      const length = this.received.readUInt32BE(0);
      if (length > MAX_SASL_BUFFER) throw new Error(`SASL buffer of ${length} bytes refused`);
      if (this.received.length < 4 + length) return;
      const token = this.received.subarray(4, 4 + length);
      this.received = this.received.subarray(4 + length);
      // A buffer may hold several messages and a message may span buffers.
      this.plain = this.dispatchMessages(Buffer.concat([this.plain, layer.unwrap(token)]));
    }
  }

  /** Hands every complete message to its request; returns the incomplete rest. */
  private dispatchMessages(bytes: Buffer): Buffer {
    let rest = bytes;
    for (let length = completeElementLength(rest); length !== null;) {
      const response = decodeResponse(rest.subarray(0, length));
      rest = rest.subarray(length);
      const pending = this.pending.get(response.messageId);
      if (pending) {
        if (response.kind === 'entry') pending.entries.push(response.entry);
        else if (response.kind === 'result') {
          clearTimeout(pending.timer);
          this.pending.delete(response.messageId);
          pending.resolve({ result: response.result, entries: pending.entries });
        }
      }
      length = completeElementLength(rest);
    }
    return rest;
  }
}
