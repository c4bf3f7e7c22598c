/**
 * The demo tenant against the real MSAL (no mocks): device code, browser sign-in through Chromium,
 * refresh, the password scenarios, Graph, the test switches and the request log.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import {
  AuthError,
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  ServerError,
  type AuthenticationResult,
} from '@azure/msal-node';
import { launchChromium } from '../support/chromium';
import AxeBuilder from '@axe-core/playwright';
import type { DemoTenant } from '../../src/demo/tenant';
import { startTestTenant, testCertificate } from '../support/demoTenant';

const GRAPH_SCOPES = ['User.Read'];

function msalApp(tenant: DemoTenant): PublicClientApplication {
  return new PublicClientApplication({
    auth: {
      clientId: tenant.clientId,
      authority: tenant.authority,
      knownAuthorities: [tenant.knownAuthority],
    },
    system: { loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined } },
  });
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decodeEntities(m[1] ?? '')] = decodeEntities(m[2] ?? '');
  }
  return fields;
}

function formAction(html: string): string {
  const m = /<form method="post" action="([^"]*)"/.exec(html);
  assert.ok(m?.[1], 'the page has a form');
  return decodeEntities(m[1]);
}

/**
 * Signs in on the authorize page with plain HTTP requests, then hands the form_post answer to the
 * app's loopback listener, like a browser without script would.
 */
async function signInWithForms(url: string, username: string, password: string): Promise<string> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const { flow } = hiddenFields(html);
  assert.ok(flow);
  const signedIn = await fetch(new URL(formAction(html), url), {
    method: 'POST',
    body: new URLSearchParams({ flow, username, password, action: 'sign-in' }),
  });
  const answer = await signedIn.text();
  const back = await fetch(formAction(answer), {
    method: 'POST',
    body: new URLSearchParams(hiddenFields(answer)),
  });
  return back.text();
}

async function deviceSignIn(
  tenant: DemoTenant,
  username: string,
  scopes: string[] = GRAPH_SCOPES,
  app: PublicClientApplication = msalApp(tenant),
): Promise<{ app: PublicClientApplication; result: AuthenticationResult }> {
  const result = await app.acquireTokenByDeviceCode({
    scopes,
    deviceCodeCallback: (response) => {
      tenant.approveDeviceCode(response.userCode, username);
    },
  });
  assert.ok(result);
  return { app, result };
}

async function graphGet(
  tenant: DemoTenant,
  path: string,
  accessToken: string | null,
): Promise<Response> {
  return fetch(`${tenant.graphEndpoint}${path}`, {
    headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
  });
}

function routeCounts(tenant: DemoTenant): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of tenant.requests) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
  return counts;
}

async function expectRejection(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthError, `expected an MSAL error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('demo tenant with the real MSAL', () => {
  let tenant: DemoTenant;
  let clockOffsetMs = 0;

  before(async () => {
    tenant = await startTestTenant({ now: () => new Date(Date.now() + clockOffsetMs) });
  });
  after(async () => {
    await tenant.close();
  });

  it('publishes OpenID discovery that points at its own endpoints', async () => {
    const response = await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`);
    const doc = (await response.json()) as Record<string, unknown>;
    assert.equal(doc['issuer'], `${tenant.authority}/v2.0`);
    assert.equal(doc['token_endpoint'], `${tenant.authority}/oauth2/v2.0/token`);
    assert.equal(
      doc['device_authorization_endpoint'],
      `${tenant.authority}/oauth2/v2.0/devicecode`,
    );
    const keys = (await (await fetch(String(doc['jwks_uri']))).json()) as { keys: unknown[] };
    assert.equal(keys.keys.length, 1);
  });

  it('signs in with a device code approved through the test API', async () => {
    tenant.resetRequestLog();
    const user = tenant.account('expires-in-20-days');
    const { result } = await deviceSignIn(tenant, user.username);
    assert.equal(result.account?.username, user.username);
    assert.equal(result.account?.tenantId, tenant.tenantId);
    const claims = result.idTokenClaims as Record<string, unknown>;
    assert.equal(claims['iss'], `${tenant.authority}/v2.0`);
    assert.equal(claims['aud'], tenant.clientId);
    assert.ok(result.accessToken.length > 20);
    const counts = routeCounts(tenant);
    assert.equal(counts['discovery'], 1);
    assert.equal(counts['devicecode'], 1);
    assert.ok((counts['token'] ?? 0) >= 1);
  });

  it('signs in with a device code entered on the /devicelogin page', async () => {
    const user = tenant.account('expires-in-10-days');
    const page: { answer?: Promise<string> } = {};
    const app = msalApp(tenant);
    const result = await app.acquireTokenByDeviceCode({
      scopes: GRAPH_SCOPES,
      deviceCodeCallback: (response) => {
        assert.equal(response.verificationUri, `${tenant.origin}/devicelogin`);
        assert.equal(response.interval, 1);
        page.answer = (async () => {
          const form = await fetch(response.verificationUri);
          const html = await form.text();
          assert.match(html, /<label for="code">/);
          assert.match(html, new RegExp(user.password));
          const posted = await fetch(`${tenant.origin}/devicelogin`, {
            method: 'POST',
            body: new URLSearchParams({
              code: response.userCode.toLowerCase(),
              username: user.username,
              password: user.password,
            }),
          });
          return posted.text();
        })();
      },
    });
    assert.equal(result?.account?.username, user.username);
    assert.ok(page.answer);
    assert.match(await page.answer, /You are signed in/);
  });

  it('refreshes with the refresh-token grant when forced', async () => {
    const user = tenant.account('expires-in-1-day');
    const { app, result } = await deviceSignIn(tenant, user.username);
    assert.ok(result.account);
    tenant.resetRequestLog();
    const refreshed = await app.acquireTokenSilent({
      account: result.account,
      scopes: GRAPH_SCOPES,
      forceRefresh: true,
    });
    assert.notEqual(refreshed.accessToken, result.accessToken);
    assert.deepEqual(routeCounts(tenant), { token: 1 });
    const me = await graphGet(tenant, '/v1.0/me?$select=userPrincipalName', refreshed.accessToken);
    assert.equal(me.status, 200);
  });

  it('refuses the expired account at browser sign-in with AADSTS50055', async () => {
    const user = tenant.account('expired');
    const app = msalApp(tenant);
    let loopbackPage = '';
    const error = await expectRejection(
      app.acquireTokenInteractive({
        scopes: GRAPH_SCOPES,
        openBrowser: async (url) => {
          loopbackPage = await signInWithForms(url, user.username, user.password);
        },
      }),
    );
    assert.ok(error instanceof ServerError);
    assert.equal(error.errorCode, 'invalid_grant');
    assert.equal(error.subError, 'user_password_expired');
    assert.match(error.errorMessage, /AADSTS50055/);
    assert.match(loopbackPage, /invalid_grant/);
  });

  it('refuses the expired account on a device code too', async () => {
    const user = tenant.account('expired');
    let approval: ReturnType<DemoTenant['approveDeviceCode']> | null = null;
    const error = await expectRejection(
      msalApp(tenant).acquireTokenByDeviceCode({
        scopes: GRAPH_SCOPES,
        deviceCodeCallback: (response) => {
          approval = tenant.approveDeviceCode(response.userCode, user.username);
        },
      }),
    );
    assert.deepEqual(approval, {
      outcome: 'denied',
      username: user.username,
      error: 'invalid_grant',
      errorCode: 50055,
    });
    // msal-node reports a failed device-code poll without the description.
    assert.equal(error.errorCode, 'post_request_failed');
  });

  it('fails the refresh once the password has expired (50055, interaction required)', async () => {
    const user = tenant.account('expires-in-1-day');
    const { app, result } = await deviceSignIn(tenant, user.username);
    assert.ok(result.account);
    clockOffsetMs = 2 * 24 * 60 * 60 * 1000;
    try {
      const error = await expectRejection(
        app.acquireTokenSilent({
          account: result.account,
          scopes: GRAPH_SCOPES,
          forceRefresh: true,
        }),
      );
      assert.ok(error instanceof InteractionRequiredAuthError);
      assert.equal(error.subError, 'user_password_expired');
      assert.equal(String(error.errorNo), '50055');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('fails every refresh of the changed-elsewhere account with AADSTS50133', async () => {
    const user = tenant.account('changed-elsewhere');
    const { app, result } = await deviceSignIn(tenant, user.username);
    assert.ok(result.account);
    const error = await expectRejection(
      app.acquireTokenSilent({ account: result.account, scopes: GRAPH_SCOPES, forceRefresh: true }),
    );
    assert.ok(error instanceof ServerError);
    assert.equal(error.errorCode, 'invalid_grant');
    assert.equal(String(error.errorNo), '50133');
    assert.match(error.errorMessage, /AADSTS50133/);
  });

  it('revokes refresh tokens and moves lastPasswordChangeDateTime on changePassword', async () => {
    const user = tenant.account('never-expires');
    const { app, result } = await deviceSignIn(tenant, user.username);
    assert.ok(result.account);
    const when = new Date('2030-01-02T03:04:05Z');
    tenant.changePassword(user.username, when);
    const error = await expectRejection(
      app.acquireTokenSilent({ account: result.account, scopes: GRAPH_SCOPES, forceRefresh: true }),
    );
    assert.equal(String(error instanceof ServerError ? error.errorNo : ''), '50133');
    const me = await graphGet(
      tenant,
      '/v1.0/me?$select=lastPasswordChangeDateTime',
      result.accessToken,
    );
    assert.deepEqual(
      ((await me.json()) as Record<string, unknown>)['lastPasswordChangeDateTime'],
      '2030-01-02T03:04:05Z',
    );
  });

  it('puts pwd_exp and pwd_url in the token-claims account ID token', async () => {
    const user = tenant.account('token-claims');
    const { result } = await deviceSignIn(tenant, user.username);
    const claims = result.idTokenClaims as Record<string, unknown>;
    const fiveDays = 5 * 24 * 60 * 60;
    assert.equal(typeof claims['pwd_exp'], 'number');
    assert.ok(Math.abs((claims['pwd_exp'] as number) - fiveDays) < 60, String(claims['pwd_exp']));
    assert.equal(claims['pwd_url'], tenant.changePasswordUrl);
    const other = await deviceSignIn(tenant, tenant.account('expires-in-10-days').username);
    assert.equal((other.result.idTokenClaims as Record<string, unknown>)['pwd_exp'], undefined);
  });

  describe('Graph', () => {
    let userReadToken = '';
    let domainToken = '';

    before(async () => {
      userReadToken = (await deviceSignIn(tenant, tenant.account('synced-on-premises').username))
        .result.accessToken;
      domainToken = (
        await deviceSignIn(tenant, tenant.account('expires-in-20-days').username, [
          'User.Read',
          'https://graph.microsoft.com/Domain.Read.All',
        ])
      ).result.accessToken;
    });

    it('returns exactly the $select-ed properties of /me', async () => {
      const user = tenant.account('synced-on-premises');
      const response = await graphGet(
        tenant,
        '/v1.0/me?$select=userPrincipalName,lastPasswordChangeDateTime,passwordPolicies,onPremisesSyncEnabled',
        userReadToken,
      );
      assert.equal(response.status, 200);
      const body = (await response.json()) as Record<string, unknown>;
      delete body['@odata.context'];
      assert.deepEqual(Object.keys(body).sort(), [
        'lastPasswordChangeDateTime',
        'onPremisesSyncEnabled',
        'passwordPolicies',
        'userPrincipalName',
      ]);
      assert.equal(body['userPrincipalName'], user.username);
      assert.equal(body['onPremisesSyncEnabled'], true);
      assert.equal(body['passwordPolicies'], 'DisablePasswordExpiration');
      const facts = tenant.accountFacts(user.username);
      assert.equal(
        new Date(String(body['lastPasswordChangeDateTime'])).getTime(),
        Math.floor(new Date(facts.lastPasswordChangeDateTime).getTime() / 1000) * 1000,
      );
    });

    it('leaves the password properties out unless selected', async () => {
      const body = (await (await graphGet(tenant, '/v1.0/me', userReadToken)).json()) as Record<
        string,
        unknown
      >;
      assert.ok('userPrincipalName' in body);
      assert.ok(!('lastPasswordChangeDateTime' in body));
      assert.ok(!('passwordPolicies' in body));
    });

    it('answers 401 InvalidAuthenticationToken without a valid token', async () => {
      for (const token of [null, 'not-a-token']) {
        const response = await graphGet(tenant, '/v1.0/me', token);
        assert.equal(response.status, 401);
        const body = (await response.json()) as { error: { code: string } };
        assert.equal(body.error.code, 'InvalidAuthenticationToken');
      }
    });

    it('answers 403 for /domains without Domain.Read.All, and the policy with it', async () => {
      const denied = await graphGet(tenant, `/v1.0/domains/${tenant.domain}`, userReadToken);
      assert.equal(denied.status, 403);
      assert.equal(
        ((await denied.json()) as { error: { code: string } }).error.code,
        'Authorization_RequestDenied',
      );
      const allowed = await graphGet(tenant, `/v1.0/domains/${tenant.domain}`, domainToken);
      assert.equal(allowed.status, 200);
      const body = (await allowed.json()) as Record<string, unknown>;
      assert.equal(body['id'], tenant.domain);
      assert.equal(body['passwordValidityPeriodInDays'], 90);
      assert.equal(body['passwordNotificationWindowInDays'], 14);
    });

    it('counts exactly the requests made, per route', async () => {
      tenant.resetRequestLog();
      await graphGet(tenant, '/v1.0/me?$select=id', userReadToken);
      await graphGet(tenant, '/v1.0/me?$select=id', userReadToken);
      await graphGet(tenant, `/v1.0/domains/${tenant.domain}`, domainToken);
      assert.deepEqual(routeCounts(tenant), { 'graph-me': 2, 'graph-domain': 1 });
      assert.deepEqual(
        tenant.requests.map((r) => [r.method, r.path, r.status]),
        [
          ['GET', '/graph/v1.0/me', 200],
          ['GET', '/graph/v1.0/me', 200],
          ['GET', `/graph/v1.0/domains/${tenant.domain}`, 200],
        ],
      );
    });

    it('throttles with 429 and Retry-After for the given number of requests', async () => {
      tenant.setFault('graph-me', { kind: 'status', status: 429, retryAfterSeconds: 7, times: 1 });
      const throttled = await graphGet(tenant, '/v1.0/me', userReadToken);
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get('retry-after'), '7');
      assert.equal(
        ((await throttled.json()) as { error: { code: string } }).error.code,
        'TooManyRequests',
      );
      assert.equal((await graphGet(tenant, '/v1.0/me', userReadToken)).status, 200);
    });

    it('answers with a body that is not JSON when asked to', async () => {
      tenant.setFault('graph-me', { kind: 'malformed-json' });
      try {
        for (let i = 0; i < 2; i += 1) {
          const response = await graphGet(tenant, '/v1.0/me', userReadToken);
          assert.equal(response.status, 200);
          assert.match(response.headers.get('content-type') ?? '', /application\/json/);
          const text = await response.text();
          assert.throws(() => JSON.parse(text) as unknown, SyntaxError);
        }
      } finally {
        tenant.clearFaults();
      }
      assert.equal((await graphGet(tenant, '/v1.0/me', userReadToken)).status, 200);
    });

    it('slows an answer down with a delay fault', async () => {
      tenant.setFault('graph-domain', { kind: 'delay', ms: 300, times: 1 });
      const started = Date.now();
      const response = await graphGet(tenant, `/v1.0/domains/${tenant.domain}`, domainToken);
      assert.equal(response.status, 200);
      assert.ok(Date.now() - started >= 290);
    });
  });

  it('makes MSAL fail cleanly on a 503 from the token endpoint', async () => {
    const user = tenant.account('expires-in-20-days');
    const { app, result } = await deviceSignIn(tenant, user.username);
    assert.ok(result.account);
    tenant.setFault('token', { kind: 'status', status: 503, retryAfterSeconds: 1, times: 1 });
    const error = await expectRejection(
      app.acquireTokenSilent({ account: result.account, scopes: GRAPH_SCOPES, forceRefresh: true }),
    );
    assert.match(error.errorMessage, /AADSTS90033/);
  });
});

describe('demo tenant protocol details', () => {
  let tenant: DemoTenant;
  let clockOffsetMs = 0;

  before(async () => {
    tenant = await startTestTenant({ now: () => new Date(Date.now() + clockOffsetMs) });
  });
  after(async () => {
    await tenant.close();
  });

  function tokenRequest(body: Record<string, string>): Promise<Response> {
    return fetch(`${tenant.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: tenant.clientId, ...body }),
    });
  }

  async function authorizationCode(challenge: string, redirectUri: string): Promise<string> {
    const query = new URLSearchParams({
      client_id: tenant.clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      response_mode: 'form_post',
      scope: 'openid profile offline_access User.Read',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'state-1',
      nonce: 'nonce-1',
    });
    const page = await (
      await fetch(`${tenant.authority}/oauth2/v2.0/authorize?${query.toString()}`)
    ).text();
    const user = tenant.account('expires-in-20-days');
    const answer = await fetch(new URL(formAction(page), tenant.origin), {
      method: 'POST',
      body: new URLSearchParams({
        flow: hiddenFields(page)['flow'] ?? '',
        username: user.username,
        password: user.password,
      }),
    });
    const html = await answer.text();
    assert.match(
      answer.headers.get('content-security-policy') ?? '',
      /form-action http:\/\/localhost:1234/,
    );
    assert.equal(formAction(html), redirectUri);
    const fields = hiddenFields(html);
    assert.equal(fields['state'], 'state-1');
    assert.ok(fields['client_info'] === undefined);
    assert.ok(fields['code']);
    return fields['code'];
  }

  it('checks PKCE and redeems a code only once', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = 'http://localhost:1234';
    const code = await authorizationCode(challenge, redirectUri);
    const wrong = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: randomBytes(32).toString('base64url'),
    });
    assert.equal(wrong.status, 400);
    const wrongBody = (await wrong.json()) as {
      error: string;
      error_codes: number[];
      error_description: string;
    };
    assert.equal(wrongBody.error, 'invalid_grant');
    assert.deepEqual(wrongBody.error_codes, [501481]);
    assert.match(wrongBody.error_description, /^AADSTS501481: .*\r\nTrace ID: /s);
    const reused = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    assert.deepEqual(((await reused.json()) as { error_codes: number[] }).error_codes, [54005]);

    const fresh = await authorizationCode(challenge, redirectUri);
    const ok = await tokenRequest({
      grant_type: 'authorization_code',
      code: fresh,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_info: '1',
    });
    assert.equal(ok.status, 200);
    const tokens = (await ok.json()) as Record<string, string | number>;
    assert.equal(tokens['token_type'], 'Bearer');
    assert.equal(tokens['expires_in'], 3600);
    const payload = JSON.parse(
      Buffer.from(String(tokens['id_token']).split('.')[1] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    assert.equal(payload['nonce'], 'nonce-1');
    const clientInfo = JSON.parse(
      Buffer.from(String(tokens['client_info']), 'base64url').toString(),
    ) as Record<string, string>;
    assert.equal(clientInfo['utid'], tenant.tenantId);
    assert.equal(clientInfo['uid'], payload['oid']);
  });

  it('answers authorization_pending, then expired_token once the device code expires', async () => {
    const response = await fetch(`${tenant.authority}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: tenant.clientId, scope: 'User.Read offline_access' }),
    });
    const device = (await response.json()) as { device_code: string; expires_in: number };
    const poll = (): Promise<Response> =>
      tokenRequest({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: device.device_code,
      });
    assert.equal(
      ((await (await poll()).json()) as { error: string }).error,
      'authorization_pending',
    );
    clockOffsetMs = (device.expires_in + 1) * 1000;
    try {
      const expired = await poll();
      assert.equal(expired.status, 400);
      assert.equal(((await expired.json()) as { error: string }).error, 'expired_token');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('answers bad input with a 400 JSON error and keeps serving', async () => {
    const asJson = await fetch(`${tenant.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"grant_type":',
    });
    assert.equal(asJson.status, 400);
    assert.equal(((await asJson.json()) as { error: string }).error, 'invalid_request');

    const noGrant = await tokenRequest({});
    assert.deepEqual(((await noGrant.json()) as { error_codes: number[] }).error_codes, [900144]);

    const unknownGrant = await tokenRequest({ grant_type: 'password' });
    assert.equal(
      ((await unknownGrant.json()) as { error: string }).error,
      'unsupported_grant_type',
    );

    const huge = await fetch(`${tenant.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${'x'.repeat(200_000)}`,
    });
    assert.equal(huge.status, 413);

    const badAdmin = await fetch(`${tenant.adminUrl}/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ route: 'graph-me', fault: { kind: 'status', status: 418 } }),
    });
    assert.equal(badAdmin.status, 400);

    const badTenant = await fetch(`${tenant.origin}/nobody/v2.0/.well-known/openid-configuration`);
    assert.equal(((await badTenant.json()) as { error: string }).error, 'invalid_tenant');

    const badEncoding = await fetch(`${tenant.graphEndpoint}/v1.0/domains/%E0%A4%A`, {
      headers: { Authorization: 'Bearer x' },
    });
    assert.equal(badEncoding.status, 401);

    assert.equal((await fetch(`${tenant.origin}/no/such/thing`)).status, 404);
    assert.equal(
      (await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`)).status,
      200,
    );
  });

  it('can be driven over the /_demo/ HTTP API', async () => {
    const json = { 'Content-Type': 'application/json' };
    await fetch(`${tenant.adminUrl}/requests`, { method: 'DELETE' });
    const armed = await fetch(`${tenant.adminUrl}/faults`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        route: 'discovery',
        fault: { kind: 'status', status: 429, retryAfterSeconds: 3, times: 2 },
      }),
    });
    assert.equal(armed.status, 200);
    for (let i = 0; i < 3; i += 1)
      await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`);
    const log = (await (await fetch(`${tenant.adminUrl}/requests`)).json()) as {
      requests: Array<{ route: string; status: number }>;
    };
    assert.deepEqual(
      log.requests.map((r) => [r.route, r.status]),
      [
        ['discovery', 429],
        ['discovery', 429],
        ['discovery', 200],
      ],
    );

    const device = (await (
      await fetch(`${tenant.authority}/oauth2/v2.0/devicecode`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: tenant.clientId, scope: 'User.Read' }),
      })
    ).json()) as { user_code: string };
    const approved = await fetch(`${tenant.adminUrl}/device-codes/approve`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        userCode: device.user_code,
        username: tenant.account('expired').username,
      }),
    });
    assert.deepEqual(await approved.json(), {
      outcome: 'denied',
      username: tenant.account('expired').username,
      error: 'invalid_grant',
      errorCode: 50055,
    });

    const changed = await fetch(`${tenant.adminUrl}/accounts/password`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        username: tenant.account('expired').username,
        when: '2031-05-06T07:08:09.000Z',
      }),
    });
    const account = ((await changed.json()) as { account: { lastPasswordChangeDateTime: string } })
      .account;
    assert.equal(account.lastPasswordChangeDateTime, '2031-05-06T07:08:09.000Z');
    const unknown = await fetch(`${tenant.adminUrl}/accounts/password`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'nobody@contoso.com' }),
    });
    assert.equal(unknown.status, 400);

    const setNames = (username: string, upn: string | null, sam: string | null) =>
      fetch(`${tenant.adminUrl}/accounts/on-premises`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username, userPrincipalName: upn, samAccountName: sam }),
      });
    const synced = tenant.account('synced-on-premises').username;
    const renamed = await setNames(synced, 'grace@corp.example.test', 'grace');
    assert.equal(renamed.status, 200);
    const facts = tenant.accountFacts(synced);
    assert.equal(facts.onPremisesUserPrincipalName, 'grace@corp.example.test');
    assert.equal(facts.onPremisesSamAccountName, 'grace');
    const cloudOnly = await setNames(tenant.account('expires-in-10-days').username, 'x@y', 'x');
    assert.equal(cloudOnly.status, 400);
    assert.match(((await cloudOnly.json()) as { message: string }).message, /not synced/);
    assert.equal((await setNames(synced, '', 'x')).status, 400);
    assert.equal((await setNames(synced, synced, 'lynne.robbins')).status, 200);
  });
});

describe('demo tenant lifecycle', () => {
  it('closes every connection, including idle keep-alive ones', async () => {
    const tenant = await startTestTenant();
    const agentResponse = await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`, {
      keepalive: true,
    });
    assert.equal(agentResponse.status, 200);
    await agentResponse.text();
    const started = Date.now();
    await tenant.close();
    assert.ok(Date.now() - started < 2000, 'close() did not wait for idle sockets');
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(tenant.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    assert.ok(refused, 'the port is closed');
  });

  it('runs standalone and prints one JSON line', async () => {
    const { certFile } = testCertificate();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/demo/tenantServer.ts', '--cert-dir', dirname(certFile)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited early with ${String(code)}`)));
      });
      const info = JSON.parse(first) as Record<string, unknown>;
      for (const key of [
        'authority',
        'knownAuthority',
        'graphEndpoint',
        'tenantId',
        'clientId',
        'adminUrl',
        'accounts',
      ]) {
        assert.ok(key in info, key);
      }
      const discovery = await fetch(
        `${String(info['authority'])}/v2.0/.well-known/openid-configuration`,
      );
      assert.equal(discovery.status, 200);
      const accounts = (await (await fetch(`${String(info['adminUrl'])}/accounts`)).json()) as {
        accounts: unknown[];
      };
      assert.equal(accounts.accounts.length, 9);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});

describe('browser sign-in through Chromium', () => {
  it('completes acquireTokenInteractive on the real sign-in page', async () => {
    const tenant = await startTestTenant();
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const user = tenant.account('expires-in-10-days');
      let violations: string[] = [];
      const result = await msalApp(tenant).acquireTokenInteractive({
        scopes: GRAPH_SCOPES,
        successTemplate: 'Signed in. You can close this window.',
        openBrowser: async (url) => {
          await page.goto(url);
          const axe = await new AxeBuilder({ page }).analyze();
          violations = axe.violations.map((v) => v.id);
          await page.getByLabel('Email or user name').fill(user.username);
          await page.getByLabel('Password').fill(user.password);
          await Promise.all([
            page.waitForURL(/^http:\/\/localhost:\d+\/?$/),
            page.getByRole('button', { name: 'Sign in' }).click(),
          ]);
        },
      });
      assert.equal(result.account?.username, user.username);
      assert.equal(result.account?.name, user.displayName);
      assert.deepEqual(violations, []);
      assert.match(await page.content(), /Signed in\. You can close this window\./);
    } finally {
      await browser.close();
      await tenant.close();
    }
  });
});
