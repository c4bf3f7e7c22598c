/**
 * The Entra ID endpoints MSAL talks to: OpenID discovery, signing keys, the authorization
 * endpoint with its sign-in page, the token endpoint (authorization code with PKCE, refresh token,
 * device code), the device authorization endpoint and sign-out.
 */
import { createHash, randomUUID } from 'node:crypto';
import { oauthErrorBody, Failures, type OAuthFailure } from './errors';
import { cspNonce, type Exchange } from './http';
import { formPostPage, messagePage, signInPage } from './pages';
import { accountsInfo, demoPassword, signInFailure, type TenantContext } from './context';
import { parseScopes, randomToken } from './tokens';

export function sendOAuthError(ctx: TenantContext, ex: Exchange, f: OAuthFailure): void {
  ex.sendJson(f.status, oauthErrorBody(f, ctx.now()));
}

function methodNotAllowed(ex: Exchange, allow: string): void {
  ex.sendJson(
    405,
    { error: 'invalid_request', error_description: `Use ${allow}.` },
    { Allow: allow },
  );
}

// ---------------------------------------------------------------------------------------------
// Discovery

export function discovery(ctx: TenantContext, ex: Exchange): void {
  if (ex.method !== 'GET') return methodNotAllowed(ex, 'GET');
  const { authority, origin, tenantId } = ctx.identity;
  ex.sendJson(200, {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${origin}/${tenantId}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
    issuer: `${authority}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'nonce',
      'name',
      'preferred_username',
      'oid',
      'tid',
      'ver',
      'pwd_exp',
      'pwd_url',
    ],
    tenant_region_scope: null,
    cloud_instance_name: 'localhost',
  });
}

export function jwks(ctx: TenantContext, ex: Exchange): void {
  if (ex.method !== 'GET') return methodNotAllowed(ex, 'GET');
  ex.sendJson(200, ctx.tokens.jwks());
}

// ---------------------------------------------------------------------------------------------
// Authorization endpoint

type ResponseMode = 'query' | 'fragment' | 'form_post';

interface AuthorizeFlow {
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state: string | null;
  nonce: string | null;
  scopes: string[];
  codeChallenge: string;
  clientInfo: boolean;
  loginHint: string;
  expiresAt: Date;
}

const FLOW_LIFETIME_MS = 15 * 60 * 1000;

/** Sign-in pages in progress, keyed by an id carried in the page's form. */
export class AuthorizeFlows {
  readonly #flows = new Map<string, AuthorizeFlow>();

  constructor(private readonly now: () => Date) {}

  add(flow: Omit<AuthorizeFlow, 'expiresAt'>): string {
    const nowMs = this.now().getTime();
    for (const [id, f] of this.#flows) if (f.expiresAt.getTime() < nowMs) this.#flows.delete(id);
    const id = randomToken(24);
    this.#flows.set(id, { ...flow, expiresAt: new Date(nowMs + FLOW_LIFETIME_MS) });
    return id;
  }

  get(id: string): AuthorizeFlow | undefined {
    const flow = this.#flows.get(id);
    if (!flow || flow.expiresAt.getTime() < this.now().getTime()) return undefined;
    return flow;
  }

  delete(id: string): void {
    this.#flows.delete(id);
  }
}

/** Loopback redirect URIs only, as a public desktop client registers them. */
function isLoopbackRedirect(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) &&
    url.hash === '' &&
    url.username === '' &&
    url.password === ''
  );
}

function errorPage(ex: Exchange, status: number, title: string, message: string): void {
  const nonce = cspNonce();
  ex.sendHtml(status, messagePage({ nonce, title, message, tone: 'error' }), { nonce });
}

/** Hands the authorization response back to the app in the way it asked for. */
function deliver(
  ctx: TenantContext,
  ex: Exchange,
  flow: Pick<AuthorizeFlow, 'redirectUri' | 'responseMode' | 'state'>,
  fields: Record<string, string>,
  success: boolean,
): void {
  const all = { ...fields, ...(flow.state !== null ? { state: flow.state } : {}) };
  if (flow.responseMode === 'form_post') {
    const nonce = cspNonce();
    ex.sendHtml(200, formPostPage({ nonce, redirectUri: flow.redirectUri, fields: all, success }), {
      nonce,
      formAction: new URL(flow.redirectUri).origin,
    });
    return;
  }
  const params = new URLSearchParams(all).toString();
  const url = new URL(flow.redirectUri);
  if (flow.responseMode === 'fragment') url.hash = params;
  else url.search = url.search ? `${url.search.slice(1)}&${params}` : params;
  ex.redirect(url.toString());
}

function errorFields(ctx: TenantContext, f: OAuthFailure): Record<string, string> {
  const body = oauthErrorBody(f, ctx.now());
  return {
    error: body.error,
    error_description: body.error_description,
    ...(body.suberror ? { suberror: body.suberror } : {}),
  };
}

export async function authorize(
  ctx: TenantContext,
  flows: AuthorizeFlows,
  ex: Exchange,
): Promise<void> {
  if (ex.method === 'GET') return startAuthorize(ctx, flows, ex);
  if (ex.method === 'POST') return completeAuthorize(ctx, flows, ex);
  return methodNotAllowed(ex, 'GET, POST');
}

function startAuthorize(ctx: TenantContext, flows: AuthorizeFlows, ex: Exchange): void {
  const q = ex.url.searchParams;
  const clientId = q.get('client_id') ?? '';
  // Until client and redirect URI are trusted, errors are shown here, never sent anywhere.
  if (clientId !== ctx.identity.clientId) {
    const f = Failures.unknownClient(clientId, ctx.identity.tenantId);
    return errorPage(ex, 400, 'Sign-in problem', `AADSTS${f.code}: ${f.message}`);
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!isLoopbackRedirect(redirectUri)) {
    return errorPage(
      ex,
      400,
      'Sign-in problem',
      `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application (loopback addresses only).`,
    );
  }
  const mode = q.get('response_mode') ?? 'query';
  if (mode !== 'query' && mode !== 'fragment' && mode !== 'form_post') {
    return errorPage(
      ex,
      400,
      'Sign-in problem',
      `AADSTS900144: Unsupported response_mode '${mode}'.`,
    );
  }
  const base = { redirectUri, responseMode: mode, state: q.get('state') } as const;
  if (q.get('response_type') !== 'code') {
    return deliver(ctx, ex, base, errorFields(ctx, Failures.unsupportedResponseType()), false);
  }
  const scopes = parseScopes(q.get('scope'));
  if (scopes.length === 0) {
    return deliver(ctx, ex, base, errorFields(ctx, Failures.missingParameter('scope')), false);
  }
  const codeChallenge = q.get('code_challenge') ?? '';
  if (!/^[A-Za-z0-9_-]{43,128}$/.test(codeChallenge) || q.get('code_challenge_method') !== 'S256') {
    return deliver(ctx, ex, base, errorFields(ctx, Failures.pkceRequired()), false);
  }
  // The demo keeps no browser session, so a silent (prompt=none) request can never succeed.
  if (q.get('prompt') === 'none') {
    return deliver(ctx, ex, base, errorFields(ctx, Failures.loginRequired()), false);
  }
  const loginHint = q.get('login_hint') ?? '';
  const flowId = flows.add({
    clientId,
    redirectUri,
    responseMode: mode,
    state: q.get('state'),
    nonce: q.get('nonce') || null,
    scopes,
    codeChallenge,
    clientInfo: q.get('client_info') === '1',
    loginHint,
  });
  renderSignIn(ctx, ex, flowId, loginHint, null, 200);
}

function renderSignIn(
  ctx: TenantContext,
  ex: Exchange,
  flowId: string,
  username: string,
  error: string | null,
  status: number,
): void {
  const nonce = cspNonce();
  ex.sendHtml(
    status,
    signInPage({
      nonce,
      action: `/${ctx.identity.tenantId}/oauth2/v2.0/authorize`,
      flowId,
      username,
      error,
      password: demoPassword(),
      accounts: accountsInfo(ctx),
    }),
    { nonce },
  );
}

async function completeAuthorize(
  ctx: TenantContext,
  flows: AuthorizeFlows,
  ex: Exchange,
): Promise<void> {
  const form = await ex.form();
  const flowId = form.get('flow') ?? '';
  const flow = flows.get(flowId);
  if (!flow) {
    return errorPage(
      ex,
      400,
      'Sign-in expired',
      'This sign-in page has expired or was already used. Go back to Sign-In Assistant and sign in again.',
    );
  }
  if (form.get('action') === 'cancel') {
    flows.delete(flowId);
    return deliver(ctx, ex, flow, errorFields(ctx, Failures.userCancelled()), false);
  }
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  if (username === '') {
    return renderSignIn(ctx, ex, flowId, '', 'Enter your email or user name.', 200);
  }
  const account = ctx.directory.find(username);
  if (!account) {
    return renderSignIn(
      ctx,
      ex,
      flowId,
      username,
      "We couldn't find an account with that user name. (AADSTS50034)",
      200,
    );
  }
  if (password !== account.password) {
    return renderSignIn(
      ctx,
      ex,
      flowId,
      username,
      'Your account or password is incorrect. (AADSTS50126)',
      200,
    );
  }
  flows.delete(flowId);
  const failure = signInFailure(ctx, account, flow.scopes);
  if (failure) return deliver(ctx, ex, flow, errorFields(ctx, failure), false);
  const code = ctx.tokens.createCode({
    clientId: flow.clientId,
    redirectUri: flow.redirectUri,
    codeChallenge: flow.codeChallenge,
    scopes: flow.scopes,
    username: account.username,
    nonce: flow.nonce,
    clientInfo: flow.clientInfo,
  });
  deliver(
    ctx,
    ex,
    flow,
    {
      code,
      ...(flow.clientInfo ? { client_info: ctx.tokens.clientInfo(account) } : {}),
      session_state: randomUUID(),
    },
    true,
  );
}

// ---------------------------------------------------------------------------------------------
// Token endpoint

/** The RFC 8628 name; msal-node 7 sends the short form `device_code`, which Entra ID also takes. */
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new OAuthProblem(Failures.missingParameter(name));
  return value;
}

/** Thrown inside token handling; answered as an OAuth error. */
class OAuthProblem extends Error {
  constructor(readonly failure: OAuthFailure) {
    super(failure.message);
    this.name = 'OAuthProblem';
  }
}

export async function token(ctx: TenantContext, ex: Exchange): Promise<void> {
  if (ex.method !== 'POST') return methodNotAllowed(ex, 'POST');
  try {
    const form = await ex.form();
    const grantType = required(form, 'grant_type');
    const clientId = required(form, 'client_id');
    if (clientId !== ctx.identity.clientId) {
      throw new OAuthProblem(Failures.unknownClient(clientId, ctx.identity.tenantId));
    }
    const clientInfo = form.get('client_info') === '1';
    switch (grantType) {
      case 'authorization_code':
        return redeemCode(ctx, ex, form, clientId, clientInfo);
      case 'refresh_token':
        return redeemRefreshToken(ctx, ex, form, clientId, clientInfo);
      case DEVICE_CODE_GRANT:
      case 'device_code':
        return redeemDeviceCode(ctx, ex, form, clientId, clientInfo);
      default:
        throw new OAuthProblem(Failures.unsupportedGrant(grantType));
    }
  } catch (error) {
    if (error instanceof OAuthProblem) return sendOAuthError(ctx, ex, error.failure);
    throw error;
  }
}

function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function redeemCode(
  ctx: TenantContext,
  ex: Exchange,
  form: URLSearchParams,
  clientId: string,
  clientInfo: boolean,
): void {
  const value = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const record = ctx.tokens.findCode(value);
  if (!record || record.clientId !== clientId)
    throw new OAuthProblem(Failures.invalidGrant('code'));
  if (record.redeemed) throw new OAuthProblem(Failures.codeRedeemed());
  if (record.expiresAt.getTime() <= ctx.now().getTime()) {
    throw new OAuthProblem(Failures.codeExpired());
  }
  // Single use: any redemption attempt burns the code, as in Entra ID.
  record.redeemed = true;
  if (redirectUri !== record.redirectUri) throw new OAuthProblem(Failures.redirectMismatch());
  const verifier = required(form, 'code_verifier');
  if (
    !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
    pkceChallenge(verifier) !== record.codeChallenge
  ) {
    throw new OAuthProblem(Failures.pkceMismatch());
  }
  const account = ctx.directory.find(record.username);
  if (!account) throw new OAuthProblem(Failures.invalidGrant('code'));
  const requested = parseScopes(form.get('scope'));
  const scopes = requested.length > 0 ? requested : record.scopes;
  const failure = signInFailure(ctx, account, scopes);
  if (failure) throw new OAuthProblem(failure);
  ex.sendJson(
    200,
    ctx.tokens.issue(account, scopes, {
      nonce: record.nonce,
      clientInfo: clientInfo || record.clientInfo,
    }),
  );
}

function redeemRefreshToken(
  ctx: TenantContext,
  ex: Exchange,
  form: URLSearchParams,
  clientId: string,
  clientInfo: boolean,
): void {
  const value = required(form, 'refresh_token');
  const found = ctx.tokens.findRefreshToken(value, clientId, (u) => ctx.directory.find(u));
  if (found === 'unknown') throw new OAuthProblem(Failures.invalidGrant('refresh_token'));
  if (found === 'expired') throw new OAuthProblem(Failures.refreshTokenExpired());
  const scopes = parseScopes(required(form, 'scope'));
  // An expired password is the more useful answer, so it wins over a revoked session.
  const failure = signInFailure(ctx, found.account, scopes);
  if (failure) throw new OAuthProblem(failure);
  if (found.revoked) throw new OAuthProblem(Failures.sessionRevoked());
  ex.sendJson(200, ctx.tokens.issue(found.account, scopes, { nonce: null, clientInfo }));
}

function redeemDeviceCode(
  ctx: TenantContext,
  ex: Exchange,
  form: URLSearchParams,
  clientId: string,
  clientInfo: boolean,
): void {
  const value = required(form, 'device_code');
  const record = ctx.deviceCodes.findByDeviceCode(value);
  if (!record || record.clientId !== clientId) throw new OAuthProblem(Failures.badDeviceCode());
  if (record.state === 'redeemed') throw new OAuthProblem(Failures.codeRedeemed());
  if (ctx.deviceCodes.isExpired(record)) throw new OAuthProblem(Failures.deviceCodeExpired());
  if (record.state === 'pending') throw new OAuthProblem(Failures.authorizationPending());
  if (record.state === 'denied') {
    throw new OAuthProblem(record.denial ?? Failures.invalidGrant('device_code'));
  }
  const account = record.username ? ctx.directory.find(record.username) : undefined;
  if (!account) throw new OAuthProblem(Failures.badDeviceCode());
  record.state = 'redeemed';
  ex.sendJson(200, ctx.tokens.issue(account, record.scopes, { nonce: null, clientInfo }));
}

// ---------------------------------------------------------------------------------------------
// Device authorization endpoint

export async function deviceCode(ctx: TenantContext, ex: Exchange): Promise<void> {
  if (ex.method !== 'POST') return methodNotAllowed(ex, 'POST');
  const form = await ex.form();
  const clientId = form.get('client_id') ?? '';
  if (clientId === '') return sendOAuthError(ctx, ex, Failures.missingParameter('client_id'));
  if (clientId !== ctx.identity.clientId) {
    return sendOAuthError(ctx, ex, Failures.unknownClient(clientId, ctx.identity.tenantId));
  }
  const scopes = parseScopes(form.get('scope'));
  if (scopes.length === 0) return sendOAuthError(ctx, ex, Failures.missingParameter('scope'));
  const record = ctx.deviceCodes.create(clientId, scopes);
  const verificationUri = `${ctx.identity.origin}/devicelogin`;
  ex.sendJson(200, {
    user_code: record.userCode,
    device_code: record.deviceCode,
    verification_uri: verificationUri,
    expires_in: ctx.deviceCodes.lifetime,
    interval: 1,
    message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${record.userCode} to authenticate.`,
  });
}

// ---------------------------------------------------------------------------------------------
// Sign-out

export function logout(ctx: TenantContext, ex: Exchange): void {
  if (ex.method !== 'GET') return methodNotAllowed(ex, 'GET');
  const next = ex.url.searchParams.get('post_logout_redirect_uri');
  if (next && isLoopbackRedirect(next)) return ex.redirect(next);
  const nonce = cspNonce();
  ex.sendHtml(
    200,
    messagePage({
      nonce,
      title: 'Signed out',
      message: 'You have signed out of the demo tenant. You can close this window.',
      tone: 'ok',
    }),
    { nonce },
  );
}
