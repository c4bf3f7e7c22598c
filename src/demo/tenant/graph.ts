/**
 * The two Microsoft Graph resources the app reads: the signed-in user (`/me`) with the password
 * properties, which Graph returns only when `$select`ed, and a domain's password policy, which
 * needs Domain.Read.All.
 */
import type { AccountRecord } from './accounts';
import type { TenantContext } from './context';
import { graphErrorBody } from './errors';
import type { Exchange } from './http';
import { permissionOf, type AccessTokenRecord } from './tokens';

/** Graph writes instants without fractional seconds. */
function graphDate(date: Date | null): string | null {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

function sendGraphError(
  ctx: TenantContext,
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  ex.sendJson(
    status,
    graphErrorBody(code, message, ctx.now(), ex.header('client-request-id')),
    headers,
  );
}

export function sendGraphFault(
  ctx: TenantContext,
  ex: Exchange,
  status: number,
  headers: Record<string, string>,
): void {
  const [code, message] =
    status === 403
      ? ['Authorization_RequestDenied', 'Insufficient privileges to complete the operation.']
      : status === 429
        ? ['TooManyRequests', 'Too many requests. Retry after the time in the Retry-After header.']
        : status === 503
          ? ['serviceNotAvailable', 'The service is temporarily unavailable. Try again later.']
          : ['generalException', 'An unexpected error occurred.'];
  sendGraphError(ctx, ex, status, code, message, headers);
}

/** The caller's access token, or null after answering 401. */
function authenticate(
  ctx: TenantContext,
  ex: Exchange,
): { token: AccessTokenRecord; account: AccountRecord } | null {
  const header = ex.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="${ctx.identity.authority}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  };
  if (!match?.[1]) {
    sendGraphError(ctx, ex, 401, 'InvalidAuthenticationToken', 'Access token is empty.', challenge);
    return null;
  }
  const token = ctx.tokens.findAccessToken(match[1]);
  const account = token ? ctx.directory.find(token.username) : undefined;
  if (!token || !account) {
    sendGraphError(
      ctx,
      ex,
      401,
      'InvalidAuthenticationToken',
      'Access token validation failure.',
      challenge,
    );
    return null;
  }
  if (token.expiresAt.getTime() <= ctx.now().getTime()) {
    sendGraphError(
      ctx,
      ex,
      401,
      'InvalidAuthenticationToken',
      'Lifetime validation failed, the token is expired.',
      challenge,
    );
    return null;
  }
  return { token, account };
}

function hasPermission(token: AccessTokenRecord, anyOf: readonly string[]): boolean {
  return token.scopes.some((s) => anyOf.includes(permissionOf(s)));
}

/**
 * Picks the `$select`ed properties (case-insensitive, like Graph), or the default set. Returns a
 * string naming the first unknown property instead.
 */
function select(
  ex: Exchange,
  all: Record<string, unknown>,
  defaults: readonly string[],
): { body: Record<string, unknown>; selected: string[] | null } | { unknown: string } {
  const raw = ex.url.searchParams.get('$select') ?? ex.url.searchParams.get('select');
  if (raw === null || raw.trim() === '') {
    return { body: Object.fromEntries(defaults.map((k) => [k, all[k] ?? null])), selected: null };
  }
  const names = new Map(Object.keys(all).map((k) => [k.toLowerCase(), k]));
  const selected: string[] = [];
  for (const part of raw.split(',')) {
    const wanted = part.trim();
    if (wanted === '') continue;
    const name = names.get(wanted.toLowerCase());
    if (!name) return { unknown: wanted };
    if (!selected.includes(name)) selected.push(name);
  }
  return { body: Object.fromEntries(selected.map((k) => [k, all[k] ?? null])), selected };
}

const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

function userProperties(account: AccountRecord): Record<string, unknown> {
  const [givenName, ...rest] = account.displayName.split(' ');
  return {
    businessPhones: [],
    displayName: account.displayName,
    givenName: givenName ?? null,
    jobTitle: null,
    mail: account.username,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: rest.join(' ') || null,
    userPrincipalName: account.username,
    id: account.objectId,
    lastPasswordChangeDateTime: graphDate(account.lastPasswordChangeDateTime),
    passwordPolicies: account.passwordPolicies,
    onPremisesSyncEnabled: account.onPremisesSyncEnabled,
    onPremisesLastSyncDateTime: graphDate(account.onPremisesLastSyncDateTime),
    // Synced accounts carry their on-premises names.
    onPremisesUserPrincipalName: account.onPremisesSyncEnabled
      ? account.onPremisesUserPrincipalName
      : null,
    onPremisesSamAccountName: account.onPremisesSyncEnabled
      ? account.onPremisesSamAccountName
      : null,
    onPremisesDomainName: account.onPremisesSyncEnabled ? account.onPremisesDomainName : null,
  };
}

export function me(ctx: TenantContext, ex: Exchange): void {
  if (ex.method !== 'GET') {
    return sendGraphError(ctx, ex, 405, 'Request_BadRequest', 'Only GET is supported here.', {
      Allow: 'GET',
    });
  }
  const auth = authenticate(ctx, ex);
  if (!auth) return;
  if (
    !hasPermission(auth.token, [
      'user.read',
      'user.readbasic.all',
      'user.read.all',
      'directory.read.all',
    ])
  ) {
    return sendGraphError(
      ctx,
      ex,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  sendEntity(ctx, ex, userProperties(auth.account), USER_DEFAULT_PROPERTIES, 'user', 'users');
}

/**
 * GET /me/authentication/methods: the registered methods, with UserAuthenticationMethod.Read
 * (or its wider forms); 403 otherwise.
 */
export function authenticationMethods(ctx: TenantContext, ex: Exchange): void {
  if (ex.method !== 'GET') {
    return sendGraphError(ctx, ex, 405, 'Request_BadRequest', 'Only GET is supported here.', {
      Allow: 'GET',
    });
  }
  const auth = authenticate(ctx, ex);
  if (!auth) return;
  const allowed = [
    'userauthenticationmethod.read',
    'userauthenticationmethod.readwrite',
    'userauthenticationmethod.read.all',
  ];
  if (!hasPermission(auth.token, allowed)) {
    return sendGraphError(ctx, ex, 403, 'accessDenied', 'Request Authorization failed');
  }
  ex.sendJson(200, {
    '@odata.context': `${ctx.graphEndpoint}/v1.0/$metadata#users('${auth.account.objectId}')/authentication/methods`,
    value: auth.account.authenticationMethods.map((type, index) => ({
      '@odata.type': type,
      id: methodId(auth.account.objectId, type, index),
    })),
  });
}

/** A password method's id is a fixed GUID in Graph; the others are per registration. */
function methodId(objectId: string, type: string, index: number): string {
  return type.endsWith('.passwordAuthenticationMethod')
    ? '28c10230-6103-485e-b985-444c60001490'
    : `${objectId.slice(0, -2)}${String(index).padStart(2, '0')}`;
}

const DOMAIN_DEFAULT_PROPERTIES = [
  'authenticationType',
  'availabilityStatus',
  'id',
  'isAdminManaged',
  'isDefault',
  'isInitial',
  'isRoot',
  'isVerified',
  'supportedServices',
  'passwordValidityPeriodInDays',
  'passwordNotificationWindowInDays',
  'state',
] as const;

export function domain(ctx: TenantContext, ex: Exchange, rawId: string): void {
  if (ex.method !== 'GET') {
    return sendGraphError(ctx, ex, 405, 'Request_BadRequest', 'Only GET is supported here.', {
      Allow: 'GET',
    });
  }
  const auth = authenticate(ctx, ex);
  if (!auth) return;
  // Reading domains needs Domain.Read.All (admin consent); User.Read is not enough.
  if (!hasPermission(auth.token, ['domain.read.all', 'directory.read.all'])) {
    return sendGraphError(
      ctx,
      ex,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
    );
  }
  let id: string;
  try {
    id = decodeURIComponent(rawId);
  } catch {
    return sendGraphError(ctx, ex, 400, 'BadRequest', 'The domain id is not correctly encoded.');
  }
  if (id.toLowerCase() !== ctx.domain.id.toLowerCase()) {
    return sendGraphError(
      ctx,
      ex,
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  const all: Record<string, unknown> = {
    authenticationType: 'Managed',
    availabilityStatus: null,
    id: ctx.domain.id,
    isAdminManaged: true,
    isDefault: true,
    isInitial: false,
    isRoot: true,
    isVerified: true,
    supportedServices: ['Email', 'OfficeCommunicationsOnline'],
    passwordValidityPeriodInDays: ctx.domain.passwordValidityPeriodInDays,
    passwordNotificationWindowInDays: ctx.domain.passwordNotificationWindowInDays,
    state: null,
  };
  sendEntity(ctx, ex, all, DOMAIN_DEFAULT_PROPERTIES, 'domain', 'domains');
}

/** One entity as Graph answers it: only the $select-ed properties (or the defaults). */
function sendEntity(
  ctx: TenantContext,
  ex: Exchange,
  properties: Parameters<typeof select>[1],
  defaults: Parameters<typeof select>[2],
  type: string,
  entitySet: string,
): void {
  const picked = select(ex, properties, defaults);
  if ('unknown' in picked) {
    return sendGraphError(
      ctx,
      ex,
      400,
      'BadRequest',
      `Could not find a property named '${picked.unknown}' on type 'microsoft.graph.${type}'.`,
    );
  }
  const shape = picked.selected ? `${entitySet}(${picked.selected.join(',')})` : entitySet;
  ex.sendJson(200, {
    '@odata.context': `${ctx.graphEndpoint}/v1.0/$metadata#${shape}/$entity`,
    ...picked.body,
  });
}

export function unknownGraphPath(ctx: TenantContext, ex: Exchange): void {
  const segment = ex.url.pathname.split('/').filter(Boolean).pop() ?? '';
  sendGraphError(ctx, ex, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}
