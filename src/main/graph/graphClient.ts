import type { ErrorObject } from 'ajv';
import type { PasswordFacts } from '../../core/model';
import { HttpFailure, getJsonWithRetry } from '../net/httpClient';
import type { HttpClientOptions, HttpResponse } from '../net/httpClient';
import { shortened } from '../../core/inputLimits';
import { checkServerInstant } from '../../core/serverDates';
import { schemaValidator } from '../../core/schemaValidator';

export const ME_SELECT = [
  'userPrincipalName',
  'lastPasswordChangeDateTime',
  'passwordPolicies',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesUserPrincipalName',
  'onPremisesSamAccountName',
  'onPremisesDomainName',
] as const;

interface MeResponse {
  userPrincipalName: string;
  lastPasswordChangeDateTime?: string | null;
  passwordPolicies?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesUserPrincipalName?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesDomainName?: string | null;
}

interface DomainResponse {
  id: string;
  passwordValidityPeriodInDays?: number | null;
  passwordNotificationWindowInDays?: number | null;
}

const isoOrNull = { type: ['string', 'null'], maxLength: 64 } as const;
export const meSchema = {
  $id: 'signin-assistant/graph-me',
  type: 'object',
  required: ['userPrincipalName'],
  properties: {
    userPrincipalName: { type: 'string', minLength: 1, maxLength: 1024 },
    lastPasswordChangeDateTime: isoOrNull,
    passwordPolicies: { type: ['string', 'null'], maxLength: 1024 },
    onPremisesSyncEnabled: { type: ['boolean', 'null'] },
    onPremisesLastSyncDateTime: isoOrNull,
    onPremisesUserPrincipalName: { type: ['string', 'null'], maxLength: 1024 },
    onPremisesSamAccountName: { type: ['string', 'null'], maxLength: 1024 },
    onPremisesDomainName: { type: ['string', 'null'], maxLength: 1024 },
  },
} as const;
export const domainSchema = {
  $id: 'signin-assistant/graph-domain',
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string' },
    passwordValidityPeriodInDays: { type: ['integer', 'null'] },
    passwordNotificationWindowInDays: { type: ['integer', 'null'] },
  },
} as const;
export const methodsSchema = {
  $id: 'signin-assistant/graph-authentication-methods',
  type: 'object',
  required: ['value'],
  properties: {
    value: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        required: ['@odata.type'],
        properties: { '@odata.type': { type: 'string', minLength: 1, maxLength: 200 } },
      },
    },
  },
} as const;
const meValidator = schemaValidator<MeResponse>(meSchema);
const methodsValidator = schemaValidator<{ value: Array<{ '@odata.type': string }> }>(
  methodsSchema,
);
const domainValidator = schemaValidator<DomainResponse>(domainSchema);

/** What was wrong, as "data/field must be string" (Ajv's own wording). */
function errorsText(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `data${e.instancePath} ${e.message ?? 'is not valid'}`)
    .join(', ');
}

export type DomainPolicyResult =
  | { kind: 'policy'; validityDays: number | null; windowDays: number | null }
  | { kind: 'forbidden' }
  | { kind: 'not-found' };

/** The user's registered authentication methods (`@odata.type` values), or a refusal. */
export type AuthenticationMethodsResult =
  { kind: 'methods'; types: string[] } | { kind: 'forbidden' };

/** A failure of a Microsoft Graph request: Graph is the directory, not the sign-in service. */
export class GraphFailure extends HttpFailure {
  readonly service = 'graph';
  constructor(failure: HttpFailure) {
    super(failure.message, failure.code, failure.status, failure.body, { cause: failure });
    this.name = 'GraphFailure';
  }
}

function unusable(what: string, detail: string): GraphFailure {
  return new GraphFailure(
    new HttpFailure(
      `Microsoft Graph sent an unusable ${what}: ${detail}`,
      'malformed_response',
      200,
      null,
    ),
  );
}

/** An instant from Graph: ISO 8601, not before 1990 and not more than a day ahead. */
function parseInstant(value: string | null | undefined, field: string, now: Date): Date | null {
  if (value === null || value === undefined) return null;
  const checked = checkServerInstant(value, now);
  if (!checked.ok) throw unusable('user record', `${field} ${checked.problem}`);
  return checked.date;
}

/** Reads the signed-in user's password facts and, where allowed, the domain's policy. */
export class GraphClient {
  constructor(
    private readonly graphEndpoint: string,
    private readonly http: HttpClientOptions,
    private readonly now: () => Date,
  ) {}

  /** GET /v1.0/me with $select: lastPasswordChangeDateTime and passwordPolicies come only when selected. */
  async getMe(accessToken: string): Promise<PasswordFacts> {
    const url = `${this.base()}/v1.0/me?$select=${ME_SELECT.join(',')}`;
    const response = await this.get(url, accessToken);
    this.throwUnlessOk(response.status, response.body, 'user record');
    const validateMe = meValidator();
    if (!validateMe(response.body)) {
      throw unusable('user record', errorsText(validateMe.errors));
    }
    const me = response.body;
    const now = this.now();
    return {
      userPrincipalName: me.userPrincipalName,
      lastPasswordChangeDateTime: parseInstant(
        me.lastPasswordChangeDateTime,
        'lastPasswordChangeDateTime',
        now,
      ),
      passwordPolicies: me.passwordPolicies ?? null,
      onPremisesSyncEnabled: me.onPremisesSyncEnabled ?? null,
      onPremisesLastSyncDateTime: parseInstant(
        me.onPremisesLastSyncDateTime,
        'onPremisesLastSyncDateTime',
        now,
      ),
      onPremisesUserPrincipalName: me.onPremisesUserPrincipalName ?? null,
      onPremisesSamAccountName: me.onPremisesSamAccountName ?? null,
      onPremisesDomainName: me.onPremisesDomainName ?? null,
    };
  }

  /** GET /v1.0/domains/{domain}: needs admin-consented Domain.Read.All; 403 is an answer, not a failure. */
  async getDomainPolicy(accessToken: string, domain: string): Promise<DomainPolicyResult> {
    const url = `${this.base()}/v1.0/domains/${encodeURIComponent(domain)}`;
    const response = await this.get(url, accessToken);
    if (response.status === 403) return { kind: 'forbidden' };
    if (response.status === 404) return { kind: 'not-found' };
    this.throwUnlessOk(response.status, response.body, 'domain record');
    const validateDomain = domainValidator();
    if (!validateDomain(response.body)) {
      throw unusable('domain record', errorsText(validateDomain.errors));
    }
    return {
      kind: 'policy',
      validityDays: response.body.passwordValidityPeriodInDays ?? null,
      windowDays: response.body.passwordNotificationWindowInDays ?? null,
    };
  }

  /**
   * GET /v1.0/me/authentication/methods (UserAuthenticationMethod.Read): 403 is an answer (no
   * consent, or a policy that hides them), not a failure.
   */
  async getAuthenticationMethods(accessToken: string): Promise<AuthenticationMethodsResult> {
    const url = `${this.base()}/v1.0/me/authentication/methods`;
    const response = await this.get(url, accessToken);
    if (response.status === 403) return { kind: 'forbidden' };
    this.throwUnlessOk(response.status, response.body, 'authentication methods');
    const validate = methodsValidator();
    if (!validate(response.body)) {
      throw unusable('list of authentication methods', errorsText(validate.errors));
    }
    return { kind: 'methods', types: response.body.value.map((m) => m['@odata.type']) };
  }

  private async get(url: string, accessToken: string): Promise<HttpResponse> {
    try {
      return await getJsonWithRetry(url, this.headers(accessToken), this.http, this.now);
    } catch (error) {
      throw error instanceof HttpFailure && !(error instanceof GraphFailure)
        ? new GraphFailure(error)
        : error;
    }
  }

  private base(): string {
    return this.graphEndpoint.replace(/\/+$/, '');
  }

  private headers(accessToken: string): Record<string, string> {
    return { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' };
  }

  private throwUnlessOk(status: number, body: unknown, what: string): void {
    if (status >= 200 && status < 300) return;
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    throw new GraphFailure(
      new HttpFailure(
        `Microsoft Graph refused the ${what} request (HTTP ${status}${typeof code === 'string' ? `, ${shortened(code)}` : ''})`,
        'http_error',
        status,
        body,
      ),
    );
  }
}
