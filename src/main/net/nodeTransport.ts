import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_RESPONSE_BYTES } from '../../core/inputLimits';
import { BodyTooLargeError } from './bodyLimit';
import type { Transport, TransportResponse } from './httpClient';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Fails as fetch does (a TypeError with the reason as its cause), so callers handle one shape. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function headerList(headers: IncomingHttpHeaders): TransportResponse['headers'] {
  return {
    forEach(callback) {
      for (const [key, value] of Object.entries(headers)) {
        if (value !== undefined) callback(Array.isArray(value) ? value.join(', ') : value, key);
      }
    },
  };
}

/**
 * One https request with Node's own client (kept-alive connections, Node's certificate
 * authorities and NODE_EXTRA_CA_CERTS). It starts in a fraction of the time fetch needs, which
 * is most of what the one-request command costs. Redirects are refused, as `redirect: 'error'`
 * asks; the signal ends the request and its body (an AbortError, as with fetch).
 */
export const nodeHttpsTransport: Transport = (url, init) =>
  new Promise<TransportResponse>((resolve, reject) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const req = request(url, { method: init.method, headers }, (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        res.resume();
        reject(fetchFailed(new Error(`redirect (HTTP ${status}) refused`)));
        return;
      }
      // Read at once (so an answer nobody reads never holds the connection), never past the cap.
      const declared = Number(res.headers['content-length'] ?? NaN);
      const chunks: Buffer[] = [];
      let total = 0;
      const body = new Promise<string>((done, fail) => {
        if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
          res.destroy();
          fail(new BodyTooLargeError(MAX_RESPONSE_BYTES));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > MAX_RESPONSE_BYTES) {
            res.destroy();
            fail(new BodyTooLargeError(MAX_RESPONSE_BYTES));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
        // Ended by the signal: say so as fetch does (the signal's reason, e.g. a TimeoutError).
        res.on('error', (error) =>
          fail(init.signal.aborted ? (init.signal.reason as Error) : error),
        );
      });
      body.catch(() => undefined);
      const text = async (maxBytes: number): Promise<string> => {
        const whole = await body;
        if (Buffer.byteLength(whole) > maxBytes) throw new BodyTooLargeError(maxBytes);
        return whole;
      };
      resolve({ status, headers: headerList(res.headers), text });
    });
    req.on('error', (error: Error) =>
      reject(error.name === 'AbortError' ? error : fetchFailed(error)),
    );
    // The signal ends the request and its body, as the `signal` option would, without the
    // stream watcher that option sets up for every request.
    const abort = () =>
      req.destroy(
        Object.assign(new Error('The operation was aborted', { cause: init.signal.reason }), {
          name: 'AbortError',
          code: 'ABORT_ERR',
        }),
      );
    if (init.signal.aborted) abort();
    else {
      init.signal.addEventListener('abort', abort, { once: true });
      req.once('close', () => init.signal.removeEventListener('abort', abort));
    }
    req.end(init.body);
  });
