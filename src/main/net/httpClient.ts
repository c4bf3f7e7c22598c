/**
 * HTTPS with a timeout on every request and Retry-After honoured for 429/503, shared by the
 * Graph client and MSAL's network module. Nothing here waits forever, and no answer is read past
 * MAX_RESPONSE_BYTES, whichever transport carries it.
 */
import { MAX_RESPONSE_BYTES, parseBoundedJson } from '../../core/inputLimits';
import { BodyTooLargeError } from './bodyLimit';
import { nodeHttpsTransport } from './nodeTransport';

export type HttpFailureCode = 'timeout' | 'network' | 'http_error' | 'malformed_response';

export class HttpFailure extends Error {
  constructor(
    message: string,
    readonly code: HttpFailureCode,
    readonly status: number | null,
    readonly body: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpFailure';
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON. */
  body: unknown;
}

/** What one request is handed to (a subset of fetch's options). */
export interface TransportInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  redirect: 'error';
}

/** What the client reads of an answer. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: { forEach(callback: (value: string, key: string) => void): void };
  /** The body as text; rejects with BodyTooLargeError as soon as it passes `maxBytes`. */
  text(maxBytes: number): Promise<string>;
}

/** The part of a fetch Response (global, undici's or Electron's) the client needs. */
interface FetchLikeResponse {
  readonly status: number;
  readonly headers: {
    get(name: string): string | null;
    forEach(callback: (value: string, key: string) => void): void;
  };
  readonly body: ReadableStream<Uint8Array> | null;
}

/**
 * A fetch answer whose body is read as a stream and abandoned as soon as it passes the limit: an
 * answer that large is not one this app can use, and reading it all could exhaust memory.
 */
export function boundedFetchResponse(response: FetchLikeResponse): TransportResponse {
  return {
    status: response.status,
    headers: response.headers,
    async text(maxBytes) {
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes);
      }
      if (!response.body) return '';
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new BodyTooLargeError(maxBytes);
        }
        chunks.push(value);
      }
      return new TextDecoder('utf-8').decode(Buffer.concat(chunks, total));
    },
  };
}

/**
 * Sends one request: Node's https client, Electron's net.fetch (the system proxy, PAC and the
 * OS trust store) or a fetch through the proxy the environment names. `via` names the route for
 * messages.
 */
export interface Transport {
  (url: string, init: TransportInit): Promise<TransportResponse>;
  readonly via?: string;
}

/** Direct connections with Node's https client and Node's certificate authorities. */
export const directTransport: Transport = nodeHttpsTransport;

export interface HttpClientOptions {
  timeoutMs: number;
  /** Attempts in all for 429/503 answers that carry (or default) a Retry-After. */
  maxAttempts: number;
  /** The longest single Retry-After wait honoured; a longer one ends the check. */
  maxRetryWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  transport: Transport;
}

export const defaultHttpOptions: HttpClientOptions = {
  timeoutMs: 15_000,
  maxAttempts: 3,
  maxRetryWaitMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  transport: directTransport,
};

/** One request, no retries: the timeout covers connecting, the headers and the body. */
export async function requestJson(
  url: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  transport: Transport = directTransport,
): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: TransportResponse;
  let text: string;
  try {
    response = await transport(url, { ...init, signal, redirect: 'error' });
    text = await response.text(MAX_RESPONSE_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new HttpFailure(
        `${new URL(url).host} sent an answer larger than ${Math.round(error.maxBytes / 1024)} KB; it was not read`,
        'malformed_response',
        null,
        null,
        { cause: error },
      );
    }
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new HttpFailure(
        `No answer from ${new URL(url).host} within ${timeoutMs / 1000} s`,
        'timeout',
        null,
        null,
        {
          cause: error,
        },
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new HttpFailure(
      `Cannot reach ${new URL(url).host}${transport.via ? ` ${transport.via}` : ''}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      'network',
      null,
      null,
      { cause: error },
    );
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  let body: unknown = null;
  if (text.length > 0) {
    const parsed = parseBoundedJson(text);
    if (!parsed.ok) {
      throw new HttpFailure(
        `${new URL(url).host} answered HTTP ${response.status} with something that is not usable JSON (${parsed.problem})`,
        'malformed_response',
        response.status,
        null,
      );
    }
    body = parsed.value;
  }
  return { status: response.status, headers, body };
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date); null when absent or bad. */
export function retryAfterMs(header: string | undefined, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

/**
 * GET with retries for 429 and 503 as the service asks (Retry-After), within the limits given.
 * Other non-2xx answers are returned to the caller, who knows what they mean.
 */
export async function getJsonWithRetry(
  url: string,
  headers: Record<string, string>,
  options: HttpClientOptions,
  now: () => Date,
): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt++) {
    const response = await requestJson(
      url,
      { method: 'GET', headers },
      options.timeoutMs,
      options.transport,
    );
    if (response.status !== 429 && response.status !== 503) return response;
    const wait = retryAfterMs(response.headers['retry-after'], now()) ?? 1000 * attempt;
    if (attempt >= options.maxAttempts || wait > options.maxRetryWaitMs) {
      throw new HttpFailure(
        `${new URL(url).host} is busy (HTTP ${response.status}); it asked to retry after ${Math.ceil(wait / 1000)} s`,
        'http_error',
        response.status,
        response.body,
      );
    }
    await options.sleep(wait);
  }
}
