/**
 * A loopback HTTPS server that answers however a test tells it to: huge or endless bodies,
 * impossible dates, endpoints pointing elsewhere. It counts what it was asked.
 */
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testCertificate } from './demoTenant';

export type HostileHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface HostileServer {
  /** https://localhost:PORT (the test certificate is for localhost). */
  readonly origin: string;
  /** Every request so far: "METHOD /path?query". */
  readonly requests: string[];
  handler: HostileHandler;
  close(): Promise<void>;
}

export async function startHostileServer(
  handler: HostileHandler = (_req, res) => {
    res.writeHead(404).end();
  },
): Promise<HostileServer> {
  const { certPem, keyPem } = testCertificate();
  const requests: string[] = [];
  const state = { handler };
  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    requests.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    const url = new URL(req.url ?? '/', 'https://localhost');
    // Read (and drop) any request body before answering.
    req.resume();
    req.on('end', () => state.handler(req, res, url));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://localhost:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(next: HostileHandler) {
      state.handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * 200 with a JSON body of `totalBytes` (a user record whose name never ends), streamed without
 * a Content-Length, written only as fast as the client reads. Returns a counter of bytes sent.
 */
export function streamHugeUserRecord(
  res: ServerResponse,
  totalBytes: number,
  sent: { bytes: number },
): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const head = '{"userPrincipalName":"';
  const tail = '@contoso.com"}';
  res.write(head);
  sent.bytes += head.length;
  const pump = (): void => {
    while (!res.destroyed && sent.bytes + chunk.length + tail.length < totalBytes) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!res.destroyed) res.end(tail);
  };
  pump();
}
