/**
 * Small request/response helpers. Every answer goes through {@link Exchange} so it is logged
 * exactly once, after routing, with the route name tests count by.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

/** Bodies the tenant accepts are small forms and JSON; anything bigger is refused. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/** A failure to answer with a JSON error instead of crashing the handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, { error: 'bad_request', message });
}

export interface RequestLogEntry {
  method: string;
  /** The path without the query string (queries can carry codes and hints). */
  path: string;
  /** The route the request was matched to, e.g. "token", "graph-me", "not-found". */
  route: string;
  status: number;
  at: Date;
}

export type LogSink = (entry: RequestLogEntry) => void;

export class Exchange {
  readonly url: URL;
  route = 'not-found';
  /** Quiet exchanges (the test API) stay out of the request log. */
  quiet = false;
  #answered = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    origin: string,
    private readonly log: LogSink | null,
    private readonly now: () => Date,
  ) {
    this.url = new URL(req.url ?? '/', origin);
  }

  get method(): string {
    return (this.req.method ?? 'GET').toUpperCase();
  }

  get answered(): boolean {
    return this.#answered;
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /** Reads the body as text, refusing oversized ones. */
  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      // Past the limit the rest is read and dropped, so the client gets the 413 rather than a
      // reset connection; a flood beyond the drain limit is cut off.
      if (size > MAX_DRAIN_BYTES) {
        this.req.destroy();
        break;
      }
      if (size <= MAX_BODY_BYTES) chunks.push(buffer);
    }
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, { error: 'bad_request', message: 'Request body too large.' });
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** An application/x-www-form-urlencoded body, as OAuth endpoints take. */
  async form(): Promise<URLSearchParams> {
    const type = this.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new HttpError(400, {
        error: 'invalid_request',
        error_description: 'Content-Type must be application/x-www-form-urlencoded.',
      });
    }
    return new URLSearchParams(await this.text());
  }

  async json(): Promise<unknown> {
    const type = this.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    // Requiring JSON also keeps plain HTML forms on other sites from driving the admin API.
    if (type !== 'application/json') throw badRequest('Content-Type must be application/json.');
    const text = await this.text();
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badRequest('The body is not valid JSON.');
    }
  }

  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(body), {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...headers,
    });
  }

  /** HTML with a strict CSP; `scriptNonce` allows the one inline script a page may carry. */
  sendHtml(
    status: number,
    html: string,
    options: { nonce: string; formAction?: string; headers?: Record<string, string> },
  ): void {
    const formAction = options.formAction ?? "'self'";
    this.send(status, html, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': [
        "default-src 'none'",
        `script-src 'nonce-${options.nonce}'`,
        `style-src 'nonce-${options.nonce}'`,
        "img-src 'self' data:",
        `form-action ${formAction}`,
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...options.headers,
    });
  }

  redirect(location: string): void {
    this.send(302, '', { Location: location, 'Cache-Control': 'no-store' });
  }

  /** Writes a raw answer (used for deliberately malformed bodies too). */
  send(status: number, body: string, headers: Record<string, string>): void {
    if (this.#answered) return;
    this.#answered = true;
    // Logged before writing, so a test that has just read the answer sees its entry.
    if (!this.quiet)
      this.log?.({
        method: this.method,
        path: this.url.pathname,
        route: this.route,
        status,
        at: this.now(),
      });
    if (this.res.destroyed) return;
    this.res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    this.res.end(body);
  }
}

/** A nonce for one page's CSP. */
export function cspNonce(): string {
  return randomBytes(16).toString('base64');
}
