/**
 * The direct transport (Node's https client) over real HTTPS on loopback: answers, refused
 * redirects, timeouts and unreachable hosts come out as the HTTP client's usual failures.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpFailure, requestJson } from '../../src/main/net/httpClient';
import { nodeHttpsTransport } from '../../src/main/net/nodeTransport';
import { testCertificate } from '../support/demoTenant';
import { closedPortUrl } from '../support/connectProxy';

describe('the direct https transport', () => {
  let server: Server;
  let origin: string;
  const received: { method: string; body: string; length: string | undefined }[] = [];
  before(async () => {
    const { certPem, keyPem } = testCertificate();
    server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          body,
          length: req.headers['content-length'],
        });
        if (req.url === '/redirect') {
          res.writeHead(302, { Location: 'https://example.com/' });
          res.end();
        } else if (req.url === '/slow') {
          setTimeout(() => res.end('{}'), 2000).unref();
        } else if (req.url === '/slow-body') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"ok":');
          setTimeout(() => res.end('true}'), 2000).unref();
        } else {
          res.writeHead(200, { 'Content-Type': 'application/json', 'X-Answer': 'yes' });
          res.end(JSON.stringify({ ok: true, method: req.method }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
    origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('GET and POST: status, lower-case headers, JSON body; a POST carries its length', async () => {
    const got = await requestJson(`${origin}/ok`, { method: 'GET' }, 2000, nodeHttpsTransport);
    assert.equal(got.status, 200);
    assert.equal(got.headers['x-answer'], 'yes');
    assert.deepEqual(got.body, { ok: true, method: 'GET' });
    received.length = 0;
    const form = 'grant_type=refresh_token&scope=User.Read%20é';
    const posted = await requestJson(
      `${origin}/ok`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      },
      2000,
      nodeHttpsTransport,
    );
    assert.deepEqual(posted.body, { ok: true, method: 'POST' });
    assert.deepEqual(received, [
      { method: 'POST', body: form, length: String(Buffer.byteLength(form)) },
    ]);
  });

  test('a redirect is refused, not followed', async () => {
    await assert.rejects(
      requestJson(`${origin}/redirect`, { method: 'GET' }, 2000, nodeHttpsTransport),
      (error: unknown) =>
        error instanceof HttpFailure &&
        error.code === 'network' &&
        /redirect \(HTTP 302\) refused/.test(error.message),
    );
  });

  test('no answer in time is a timeout, and the wait ends then', async () => {
    const started = Date.now();
    await assert.rejects(
      requestJson(`${origin}/slow`, { method: 'GET' }, 300, nodeHttpsTransport),
      (error: unknown) => error instanceof HttpFailure && error.code === 'timeout',
    );
    assert.ok(Date.now() - started < 1500, 'ended by the timeout');
  });

  test('an answer whose body stops coming is a timeout too, ended then', async () => {
    const started = Date.now();
    await assert.rejects(
      requestJson(`${origin}/slow-body`, { method: 'GET' }, 300, nodeHttpsTransport),
      (error: unknown) => error instanceof HttpFailure && error.code === 'timeout',
    );
    assert.ok(Date.now() - started < 1500, 'ended by the timeout');
    const quick = await requestJson(`${origin}/`, { method: 'GET' }, 300, nodeHttpsTransport);
    assert.equal(quick.status, 200, 'the next request is not touched by the old signal');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const later = await requestJson(`${origin}/`, { method: 'GET' }, 5000, nodeHttpsTransport);
    assert.equal(later.status, 200);
  });

  test('a host that does not listen is a network failure naming the reason', async () => {
    const down = (await closedPortUrl()).replace('http:', 'https:');
    await assert.rejects(
      requestJson(`${down}/ok`, { method: 'GET' }, 2000, nodeHttpsTransport),
      (error: unknown) =>
        error instanceof HttpFailure &&
        error.code === 'network' &&
        /Cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/.test(error.message),
    );
  });
});
