/**
 * Starts the demo tenant: one loopback HTTPS server that plays Microsoft Entra ID (under
 * /{tenantId}/...) and Microsoft Graph (under /graph/...), with a test API under /_demo/.
 */
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_NOTIFICATION_WINDOW_DAYS,
  DEFAULT_VALIDITY_DAYS,
  DEMO_DOMAIN,
  Directory,
  publicInfo,
  seedAccounts,
  stableGuid,
  type DemoAccountInfo,
  type DemoScenario,
} from './accounts';
import { admin, type AccountFacts, type AdminOperations, type OnPremisesNames } from './admin';
import {
  changePasswordUrl,
  expiresAt,
  passwordClaims,
  type DomainPolicy,
  type TenantContext,
} from './context';
import { DeviceCodes } from './deviceCodes';
import {
  approveDeviceCode,
  changePassword,
  changePasswordPageRoute,
  deviceLogin,
  type DeviceCodeApproval,
} from './deviceLogin';
import { Failures, oauthErrorBody } from './errors';
import { FaultSwitches, type Fault, type FaultRoute } from './faults';
import { authenticationMethods, domain, me, sendGraphFault, unknownGraphPath } from './graph';
import { cspNonce, Exchange, HttpError, type RequestLogEntry } from './http';
import {
  authorize,
  AuthorizeFlows,
  deviceCode,
  discovery,
  jwks,
  logout,
  sendOAuthError,
  token,
} from './oauth';
import { homePage, messagePage } from './pages';
import { TokenService } from './tokens';
import { accountsInfo, demoPassword } from './context';

export interface DemoTenantOptions {
  certPem: string;
  keyPem: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on; loopback only by default. */
  host?: string;
  /** The tenant's clock (token lifetimes, expiry, seeded dates). Defaults to real time. */
  now?: () => Date;
  /** Access and ID token lifetime; 3600 by default. */
  tokenLifetimeSeconds?: number;
  /** How long a device code can be approved; 900 by default. */
  deviceCodeLifetimeSeconds?: number;
  /** The domain's password policy as Graph reports it; 90 / 14 days by default. */
  domainPolicy?: Partial<DomainPolicy>;
  /** Whether an administrator consented to Domain.Read.All; true by default. */
  adminConsent?: boolean;
  /** Whether an administrator consented to UserAuthenticationMethod.Read; true by default. */
  methodsConsent?: boolean;
  tenantId?: string;
  clientId?: string;
}

export interface DemoTenant {
  /** e.g. https://localhost:PORT/<tenantId>; give it to MSAL as `auth.authority`. */
  readonly authority: string;
  /** 'localhost:PORT'; give it to MSAL as `auth.knownAuthorities: [knownAuthority]`. */
  readonly knownAuthority: string;
  /** https://localhost:PORT/graph; the app calls `${graphEndpoint}/v1.0/me?...`. */
  readonly graphEndpoint: string;
  /** https://localhost:PORT */
  readonly origin: string;
  /** https://localhost:PORT/_demo */
  readonly adminUrl: string;
  /** Where the demo's change-password page is (also the `pwd_url` claim). */
  readonly changePasswordUrl: string;
  readonly port: number;
  readonly tenantId: string;
  readonly clientId: string;
  readonly domain: string;
  readonly accounts: readonly DemoAccountInfo[];
  /** Requests so far (not counting the /_demo/ API), oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** The seeded account for a scenario. */
  account(scenario: DemoScenario): DemoAccountInfo;
  /** Password facts and cloud expiry as the tenant currently holds them. */
  accountFacts(username: string): AccountFacts;
  resetRequestLog(): void;
  setFault(route: FaultRoute, fault: Fault): void;
  clearFaults(route?: FaultRoute): void;
  /** Signs the user in on the code's behalf (like the /devicelogin page with the right password). */
  approveDeviceCode(userCode: string, username: string): DeviceCodeApproval;
  /** Sets lastPasswordChangeDateTime (default: the tenant's now) and revokes refresh tokens. */
  changePassword(username: string, when?: Date): void;
  /** The synced account's names in on-premises AD, as Graph reports them from now on. */
  setOnPremisesNames(username: string, names: OnPremisesNames): void;
  close(): Promise<void>;
}

const DEFAULT_TENANT_ID = stableGuid('signin-assistant-demo-tenant');
const DEFAULT_CLIENT_ID = stableGuid('signin-assistant-demo-client');

/** Routes whose answers are HTML pages (faults there answer with a page too). */
const HTML_ROUTES = new Set(['authorize', 'devicelogin']);

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new TypeError(`${name} must be a positive integer.`);
  return value;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('No TCP address.'));
      else resolve(address.port);
    });
  });
}

export async function startDemoTenant(options: DemoTenantOptions): Promise<DemoTenant> {
  if (!options.certPem || !options.keyPem) {
    throw new TypeError('startDemoTenant needs certPem and keyPem (see createDemoCertificate).');
  }
  const now = options.now ?? ((): Date => new Date());
  const tokenLifetime = positiveInteger(options.tokenLifetimeSeconds, 3600, 'tokenLifetimeSeconds');
  const deviceLifetime = positiveInteger(
    options.deviceCodeLifetimeSeconds,
    900,
    'deviceCodeLifetimeSeconds',
  );
  const domainPolicy: DomainPolicy = {
    id: options.domainPolicy?.id ?? DEMO_DOMAIN,
    passwordValidityPeriodInDays:
      options.domainPolicy?.passwordValidityPeriodInDays === undefined
        ? DEFAULT_VALIDITY_DAYS
        : options.domainPolicy.passwordValidityPeriodInDays,
    passwordNotificationWindowInDays:
      options.domainPolicy?.passwordNotificationWindowInDays === undefined
        ? DEFAULT_NOTIFICATION_WINDOW_DAYS
        : options.domainPolicy.passwordNotificationWindowInDays,
  };
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const directory = new Directory(
    seedAccounts(now(), domainPolicy.id, domainPolicy.passwordValidityPeriodInDays),
  );
  const faults = new FaultSwitches();
  const flows = new AuthorizeFlows(now);
  let log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  // Aborts delayed answers when the tenant closes, so no timer outlives it.
  const closing = new AbortController();
  let ctx: TenantContext | null = null;
  let origin = 'https://localhost';

  const server = createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A broken client must never take the tenant down.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.on('clientError', (_error, socket) => socket.destroy());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let ex: Exchange | null = null;
    try {
      ex = new Exchange(req, res, origin, (entry) => log.push(entry), now);
    } catch {
      // An unparsable request target.
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad_request', message: 'Malformed request URL.' }));
      return;
    }
    try {
      if (!ctx) throw new HttpError(503, { error: 'starting', message: 'The tenant is starting.' });
      await route(ctx, ex);
      if (!ex.answered)
        ex.sendJson(500, { error: 'server_error', message: 'No answer was produced.' });
    } catch (error) {
      if (ex.answered) return;
      if (error instanceof HttpError) ex.sendJson(error.status, error.body);
      else if (closing.signal.aborted) res.destroy();
      else {
        ex.sendJson(500, { error: 'server_error', message: 'The demo tenant failed to answer.' });
        process.stderr.write(
          `demo tenant: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      }
    }
  }

  async function route(c: TenantContext, ex: Exchange): Promise<void> {
    const path = ex.url.pathname;
    const segments = path.split('/').filter(Boolean);
    const [first] = segments;

    if (first === '_demo') {
      ex.route = 'admin';
      ex.quiet = true;
      return admin(adminOps, ex);
    }

    let handler: (() => void | Promise<void>) | null = null;
    if (first === 'graph') {
      const rest = segments.slice(1).join('/');
      if (rest === 'v1.0/me') {
        ex.route = 'graph-me';
        handler = () => me(c, ex);
      } else if (rest === 'v1.0/me/authentication/methods') {
        ex.route = 'graph-methods';
        handler = () => authenticationMethods(c, ex);
      } else if (segments.length === 4 && segments[1] === 'v1.0' && segments[2] === 'domains') {
        ex.route = 'graph-domain';
        const id = segments[3] ?? '';
        handler = () => domain(c, ex, id);
      } else {
        ex.route = 'graph-unknown';
        handler = () => unknownGraphPath(c, ex);
      }
    } else if (path === '/devicelogin') {
      ex.route = 'devicelogin';
      handler = () => deviceLogin(c, ex);
    } else if (path === '/changepassword') {
      ex.route = 'change-password';
      handler = () => changePasswordPageRoute(c, ex);
    } else if (path === '/') {
      ex.route = 'home';
      handler = () => {
        const nonce = cspNonce();
        ex.sendHtml(
          200,
          homePage({
            nonce,
            authority: c.identity.authority,
            graphEndpoint: c.graphEndpoint,
            password: demoPassword(),
            accounts: accountsInfo(c),
          }),
          { nonce },
        );
      };
    } else if (segments.length >= 2 && first !== undefined) {
      const rest = segments.slice(1).join('/');
      const endpoints: Record<string, [string, () => void | Promise<void>]> = {
        'v2.0/.well-known/openid-configuration': ['discovery', () => discovery(c, ex)],
        'discovery/v2.0/keys': ['jwks', () => jwks(c, ex)],
        'oauth2/v2.0/authorize': ['authorize', () => authorize(c, flows, ex)],
        'oauth2/v2.0/token': ['token', () => token(c, ex)],
        'oauth2/v2.0/devicecode': ['devicecode', () => deviceCode(c, ex)],
        'oauth2/v2.0/logout': ['logout', () => logout(c, ex)],
      };
      const endpoint = Object.hasOwn(endpoints, rest) ? endpoints[rest] : undefined;
      if (endpoint) {
        ex.route = endpoint[0];
        const tenant = decodeSegment(first).toLowerCase();
        // The authority may name the tenant by id or by domain, as Entra ID allows.
        const known = [c.identity.tenantId, c.domain.id.toLowerCase(), 'organizations', 'common'];
        handler = known.includes(tenant)
          ? endpoint[1]
          : () => sendOAuthError(c, ex, Failures.unknownTenant(tenant));
      }
    }

    if (!handler) {
      ex.route = 'not-found';
      return ex.sendJson(404, { error: 'not_found', message: `Nothing at ${ex.url.pathname}.` });
    }

    const fault = faults.take(ex.route);
    if (fault) {
      if (fault.kind === 'delay') {
        await sleep(fault.ms, undefined, { signal: closing.signal });
      } else if (fault.kind === 'malformed-json') {
        return ex.send(200, '{"token_type":"Bearer","access_token":"', {
          'Content-Type': 'application/json; charset=utf-8',
        });
      } else if (fault.kind === 'empty-object') {
        return ex.sendJson(200, {});
      } else {
        return answerFault(c, ex, fault.status, fault.retryAfterSeconds);
      }
    }
    await handler();
  }

  function answerFault(c: TenantContext, ex: Exchange, status: number, retryAfter?: number): void {
    const headers: Record<string, string> =
      retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) };
    if (ex.route.startsWith('graph-')) return sendGraphFault(c, ex, status, headers);
    if (HTML_ROUTES.has(ex.route)) {
      const nonce = cspNonce();
      return ex.sendHtml(
        status,
        messagePage({
          nonce,
          title: 'Service unavailable',
          message: 'The sign-in service is busy. Try again in a moment.',
          tone: 'error',
        }),
        { nonce, headers },
      );
    }
    ex.sendJson(status, oauthErrorBody(Failures.throttled(status), c.now()), headers);
  }

  function decodeSegment(segment: string): string {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new HttpError(400, { error: 'invalid_request', error_description: 'Malformed path.' });
    }
  }

  function requireCtx(): TenantContext {
    if (!ctx) throw new Error('The demo tenant is not running.');
    return ctx;
  }

  function factsOf(username: string): AccountFacts {
    const c = requireCtx();
    const account = c.directory.find(username);
    if (!account) throw new Error(`No demo account '${username}'.`);
    const expiry = expiresAt(c, account);
    return {
      ...publicInfo(account),
      lastPasswordChangeDateTime: account.lastPasswordChangeDateTime.toISOString(),
      passwordPolicies: account.passwordPolicies,
      onPremisesSyncEnabled: account.onPremisesSyncEnabled,
      onPremisesUserPrincipalName: account.onPremisesUserPrincipalName,
      onPremisesSamAccountName: account.onPremisesSamAccountName,
      onPremisesDomainName: account.onPremisesDomainName,
      passwordExpiresAt: expiry ? expiry.toISOString() : null,
    };
  }

  function setOnPremisesNames(username: string, names: OnPremisesNames): void {
    const account = requireCtx().directory.find(username);
    if (!account) throw new Error(`No demo account '${username}'.`);
    if (account.onPremisesSyncEnabled !== true) {
      throw new Error(`'${username}' is not synced from on-premises AD.`);
    }
    account.onPremisesUserPrincipalName = names.userPrincipalName;
    account.onPremisesSamAccountName = names.samAccountName;
    account.onPremisesDomainName = names.domainName ?? null;
  }

  const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  origin = `https://localhost:${port}`;
  const authority = `${origin}/${tenantId}`;
  const graphEndpoint = `${origin}/graph`;
  const identity = { tenantId, clientId, authority, origin };
  const context: TenantContext = {
    identity,
    graphEndpoint,
    domain: domainPolicy,
    directory,
    tokens: new TokenService(identity, now, tokenLifetime, (account) =>
      passwordClaims(context, account),
    ),
    deviceCodes: new DeviceCodes(now, deviceLifetime),
    now,
    adminConsent: options.adminConsent ?? true,
    methodsConsent: options.methodsConsent ?? true,
  };
  ctx = context;

  const adminOps: AdminOperations = {
    describe: () => ({
      authority,
      knownAuthority: `localhost:${port}`,
      graphEndpoint,
      tenantId,
      clientId,
      domain: domainPolicy,
      adminUrl: `${origin}/_demo`,
    }),
    accountFacts: () => directory.all().map((a) => factsOf(a.username)),
    changePassword: (username, when) => changePassword(context, username, when ?? now()),
    setOnPremisesNames,
    requests: () => log,
    resetRequestLog: () => {
      log = [];
    },
    faults: () => faults.list(),
    setFault: (r, f) => faults.set(r, f),
    clearFaults: (r) => faults.clear(r),
    pendingDeviceCodes: () =>
      context.deviceCodes
        .pending()
        .map((r) => ({ userCode: r.userCode, expiresAt: r.expiresAt.toISOString() })),
    approveDeviceCode: (userCode, username) => approveDeviceCode(context, userCode, username),
  };

  let closed: Promise<void> | null = null;
  return {
    authority,
    knownAuthority: `localhost:${port}`,
    graphEndpoint,
    origin,
    adminUrl: `${origin}/_demo`,
    changePasswordUrl: changePasswordUrl(context),
    port,
    tenantId,
    clientId,
    domain: domainPolicy.id,
    get accounts() {
      return directory.all().map(publicInfo);
    },
    get requests() {
      return [...log];
    },
    account(scenario) {
      const found = directory.all().find((a) => a.scenario === scenario);
      if (!found) throw new Error(`No demo account for scenario '${scenario}'.`);
      return publicInfo(found);
    },
    accountFacts: factsOf,
    resetRequestLog: adminOps.resetRequestLog,
    setFault: adminOps.setFault,
    clearFaults: adminOps.clearFaults,
    approveDeviceCode: adminOps.approveDeviceCode,
    changePassword(username, when) {
      changePassword(context, username, when ?? now());
    },
    setOnPremisesNames,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        // Keep-alive and half-open sockets would otherwise hold close() open.
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
