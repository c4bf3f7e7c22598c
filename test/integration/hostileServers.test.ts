/**
 * The engine against servers that lie: a tampered metadata file, an authority whose metadata
 * points elsewhere, a Graph that sends endless bodies, impossible dates or refusals. Nobody else
 * gets a token, nothing crashes, and each failure gets its own words.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { messages } from '../../src/core/messages';
import type { StatusReport } from '../../src/core/model';
import { cliEnv, cliSignIn, engineFor, runCli, setUp } from '../support/engineHarness';
import { signedInEngine, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { sendJson, startHostileServer, streamHugeUserRecord } from '../support/hostileServer';
import type { HostileServer } from '../support/hostileServer';

describe('authority metadata that points at another host', () => {
  let setup: Setup;
  let stranger: HostileServer;
  before(async () => {
    // Short-lived access tokens: every check spends the refresh token.
    setup = await setUp({ tokenLifetimeSeconds: 60 });
    stranger = await startHostileServer();
  });
  after(async () => {
    await stranger.close();
    await setup.close();
  });

  test('a tampered cached file is refused: the refresh token goes only to the authority', async () => {
    const { home } = await signedInEngine(setup, 'expires-in-10-days');
    const file = join(home, 'authority-metadata.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as {
      metadata: Record<string, unknown>;
    };
    stored.metadata.token_endpoint = `${stranger.origin}/${setup.tenant.tenantId}/oauth2/v2.0/token`;
    await writeFile(file, JSON.stringify(stored));

    setup.tenant.resetRequestLog();
    const report = await (await engineFor(setup, home)).check();
    assert.deepEqual(stranger.requests, [], 'the other host was never asked');
    assert.equal(report.error, null);
    assert.equal(report.password.state, 'expiring');
    assert.ok(
      setup.tenant.requests.some((r) => r.route === 'token'),
      'the refresh went to the authority',
    );
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as {
      metadata: Record<string, unknown>;
    };
    assert.doesNotMatch(JSON.stringify(rewritten), new RegExp(stranger.origin));
  });

  test('a device-code answer without a code is an unusable answer, never printed', async () => {
    const odd = await startHostileServer();
    try {
      const own = `${odd.origin}/${setup.tenant.tenantId}`;
      odd.handler = (_req, res, url) => {
        if (url.pathname.endsWith('/.well-known/openid-configuration')) {
          return sendJson(res, 200, {
            issuer: `${own}/v2.0`,
            authorization_endpoint: `${own}/oauth2/v2.0/authorize`,
            token_endpoint: `${own}/oauth2/v2.0/token`,
            jwks_uri: `${own}/discovery/v2.0/keys`,
          });
        }
        sendJson(res, 200, { interval: 1, expires_in: 60 });
      };
      const setupOdd = await setUp({}, { authority: odd.origin });
      try {
        const shown: unknown[] = [];
        const engine = await engineFor(setupOdd, await tempHome());
        const report = await engine.signIn({ onDeviceCode: (message) => shown.push(message) });
        assert.deepEqual(shown, [], 'nothing printed');
        assert.equal(report.error?.kind, 'service');
        assert.equal(report.error?.message, messages.errors.service);
        assert.ok(
          odd.requests.every((r) => !r.includes('/token')),
          'no polling with an undefined code',
        );
      } finally {
        await setupOdd.close();
      }
    } finally {
      await odd.close();
    }
  });

  test('an authority whose own metadata points elsewhere gets no request sent elsewhere', async () => {
    stranger.requests.length = 0;
    const liar = await startHostileServer();
    try {
      const tenantId = setup.tenant.tenantId;
      liar.handler = (_req, res, url) => {
        if (url.pathname.endsWith('/.well-known/openid-configuration')) {
          const own = `${liar.origin}/${tenantId}`;
          return sendJson(res, 200, {
            issuer: `${own}/v2.0`,
            authorization_endpoint: `${own}/oauth2/v2.0/authorize`,
            token_endpoint: `${stranger.origin}/${tenantId}/oauth2/v2.0/token`,
            jwks_uri: `${own}/discovery/v2.0/keys`,
          });
        }
        sendJson(res, 404, { error: 'not_found' });
      };
      const lied = await setUp({}, { authority: liar.origin });
      try {
        const engine = await engineFor(lied, await tempHome());
        const report = await engine.signIn({ onDeviceCode: () => undefined });
        assert.deepEqual(stranger.requests, [], 'the other host was never asked');
        assert.equal(report.account, null);
        assert.equal(report.error?.kind, 'service');
      } finally {
        await lied.close();
      }
    } finally {
      await liar.close();
    }
  });
});

describe('a Microsoft Graph that misbehaves', () => {
  let setup: Setup;
  let graph: HostileServer;
  let answer: (res: ServerResponse) => void;
  before(async () => {
    graph = await startHostileServer((_req, res) => answer(res));
    setup = await setUp({}, { graphEndpoint: `${graph.origin}/graph` });
  });
  after(async () => {
    await graph.close();
    await setup.close();
  });

  function userRecord(lastPasswordChangeDateTime: unknown): (res: ServerResponse) => void {
    return (res) =>
      sendJson(res, 200, {
        userPrincipalName: 'alex.wilber@contoso.com',
        lastPasswordChangeDateTime,
        passwordPolicies: null,
        onPremisesSyncEnabled: null,
        onPremisesLastSyncDateTime: null,
      });
  }

  test('an endless body is cut off early: an unusable answer from Graph, not a memory blow-up', async () => {
    const sent = { bytes: 0 };
    answer = (res) => streamHugeUserRecord(res, 64 * 1024 * 1024, sent);
    const { report } = await signedInEngine(setup, 'expires-in-10-days');
    assert.equal(report.error?.kind, 'service');
    assert.equal(report.error?.message, messages.errors.graphService);
    assert.ok(
      sent.bytes < 16 * 1024 * 1024,
      `the client stopped reading (${sent.bytes} bytes sent)`,
    );
  });

  test('a declared 2 GB body is refused before it is read', async () => {
    answer = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 2 ** 31 });
      res.write('{"userPrincipalName":"');
    };
    const { report } = await signedInEngine(setup, 'expires-in-10-days');
    assert.equal(report.error?.kind, 'service');
    assert.equal(report.error?.message, messages.errors.graphService);
  });

  test('impossible dates of the last change are unusable answers, never expired/ok/never', async () => {
    answer = userRecord(new Date().toISOString());
    const { engine, report: signedIn } = await signedInEngine(setup, 'expires-in-10-days');
    assert.equal(signedIn.error, null, 'a plausible date is used');
    for (const value of [
      '1601-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '+275760-09-13T00:00:00.000Z',
      '0',
      new Date(Date.now() + 3 * 86_400_000).toISOString(),
      '2026-02-30T00:00:00Z',
      '2025-04-31T08:00:00Z',
    ]) {
      answer = userRecord(value);
      const report = await engine.check();
      assert.equal(report.error?.kind, 'service', value);
      assert.equal(report.password.state, 'unknown', value);
      assert.equal(report.password.daysLeft, null, value);
    }
  });

  test('the command: a date that does not exist (30 February) is an unusable answer, exit 5', async () => {
    answer = userRecord(new Date().toISOString());
    const env = await cliEnv(setup);
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
    answer = userRecord('2026-02-30T00:00:00Z');
    const status = await runCli(['status', '--json'], env);
    assert.equal(status.code, 5, status.stdout + status.stderr);
    const report = JSON.parse(status.stdout) as StatusReport;
    assert.equal(report.error?.kind, 'service');
    assert.equal(report.password.lastChanged, null, 'not read as 2 March');
    assert.equal(report.password.state, 'unknown');
  });

  test('a refusal (403) says the directory refused; a bad answer and no answer name Graph', async () => {
    answer = userRecord(new Date().toISOString());
    const { engine } = await signedInEngine(setup, 'expires-in-10-days');
    answer = (res) =>
      sendJson(res, 403, {
        error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' },
      });
    const refused = await engine.check();
    assert.equal(refused.error?.kind, 'directory-refused');
    assert.match(refused.error?.message ?? '', /directory/);
    assert.doesNotMatch(refused.error?.message ?? '', /Sign-in failed|sign-in service/);

    answer = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"userPrincipalName": ');
    };
    const bad = await engine.check();
    assert.equal(bad.error?.kind, 'service');
    assert.match(bad.error?.message ?? '', /Microsoft Graph/);
    assert.doesNotMatch(bad.error?.message ?? '', /sign-in service/);

    answer = (res) => res.socket?.destroy();
    const gone = await engine.check();
    assert.equal(gone.error?.kind, 'network');
    assert.match(gone.error?.message ?? '', /Microsoft Graph/);
    assert.doesNotMatch(gone.error?.message ?? '', /sign-in service/);
  });
});

describe('pwd_exp out of range', () => {
  test('is not taken at its word: Graph is asked instead', async () => {
    // A 5000-day domain policy makes the tenant send a pwd_exp no real policy allows.
    const setup = await setUp({ domainPolicy: { passwordValidityPeriodInDays: 5000 } });
    try {
      const account = setup.tenant.account('token-claims');
      setup.tenant.changePassword(account.username, setup.clock.now());
      const { report } = await signedInEngine(setup, 'token-claims');
      assert.equal(report.error, null);
      assert.equal(report.password.source, 'policy');
      assert.equal(report.password.state, 'ok');
      assert.equal(report.password.daysLeft, 90);
    } finally {
      await setup.close();
    }
  });
});

describe('a token endpoint that answers with nothing usable', () => {
  let setup: Setup;
  before(async () => {
    // Short-lived access tokens: every check asks the token endpoint.
    setup = await setUp({ tokenLifetimeSeconds: 60 });
  });
  after(() => setup.close());

  test('`{}` instead of tokens is an unusable answer (service, exit 5), not "Not signed in"', async () => {
    const env = await cliEnv(setup);
    const signIn = await cliSignIn(setup, env, setup.tenant.account('expires-in-10-days').username);
    assert.equal(signIn.code, 0, signIn.stderr);
    setup.tenant.setFault('token', { kind: 'empty-object' });
    try {
      const status = await runCli(['status', '--json'], env);
      assert.equal(status.code, 5, status.stdout + status.stderr);
      const report = JSON.parse(status.stdout) as StatusReport;
      assert.equal(report.error?.kind, 'service');
      assert.equal(report.error?.message, messages.errors.service);
      assert.notEqual(report.account, null, 'the account is still there');
    } finally {
      setup.tenant.clearFaults();
    }
    const healed = await runCli(['status', '--json'], env);
    assert.equal(healed.code, 1, 'the tokens were fine all along');
  });

  test('a certificate that is not trusted is said as that, with its reason, and logged so', async () => {
    const env = await cliEnv(setup);
    const result = await runCli(['sign-in', '--device-code'], { ...env, NODE_EXTRA_CA_CERTS: '' });
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stdout, /certificate/i);
    assert.match(result.stdout, /not trusted/);
    assert.match(
      result.stdout,
      /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
    assert.doesNotMatch(result.stdout, /Check your network connection/);
    const log = await readFile(join(env.SIGNIN_ASSISTANT_HOME ?? '', 'logs', 'cli.log'), 'utf8');
    assert.doesNotMatch(log, /ECONNREFUSED/);
    assert.match(
      log,
      /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
  });
});
