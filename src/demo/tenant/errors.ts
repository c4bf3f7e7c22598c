/**
 * The error shapes Entra ID and Microsoft Graph answer with, so the app's error handling meets
 * the same fields (error, error_description with the AADSTS number, error_codes, suberror) here.
 */
import { randomUUID } from 'node:crypto';

/** One OAuth failure: `error` is the RFC 6749 code, `code` the AADSTS number. */
export interface OAuthFailure {
  status: number;
  error: string;
  code: number;
  message: string;
  suberror?: string;
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  suberror?: string;
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

function failure(
  error: string,
  code: number,
  message: string,
  extra: { status?: number; suberror?: string } = {},
): OAuthFailure {
  return {
    status: extra.status ?? 400,
    error,
    code,
    message,
    ...(extra.suberror ? { suberror: extra.suberror } : {}),
  };
}

/** The AADSTS errors the demo tenant produces; wording follows the service's. */
export const Failures = {
  passwordExpired: () =>
    failure('invalid_grant', 50055, 'The password is expired.', {
      suberror: 'user_password_expired',
    }),
  sessionRevoked: () =>
    failure(
      'invalid_grant',
      50133,
      'Session is invalid due to expiration or recent password change.',
    ),
  refreshTokenExpired: () =>
    failure('invalid_grant', 700082, 'The refresh token has expired due to inactivity.'),
  invalidGrant: (what: string) =>
    failure('invalid_grant', 70000, `The provided value for the '${what}' parameter is not valid.`),
  codeExpired: () =>
    failure(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired.',
    ),
  codeRedeemed: () =>
    failure('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed.'),
  pkceMismatch: () =>
    failure(
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  redirectMismatch: () =>
    failure(
      'invalid_grant',
      50011,
      'The redirect URI specified in the request does not match the one used to obtain the authorization code.',
    ),
  missingParameter: (name: string) =>
    failure(
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  invalidParameter: (name: string, why: string) =>
    failure('invalid_request', 90014, `The value of the '${name}' parameter is not valid: ${why}`),
  pkceRequired: () =>
    failure(
      'invalid_request',
      9002325,
      'Proof Key for Code Exchange is required (code_challenge with S256).',
    ),
  unknownClient: (clientId: string, tenantId: string) =>
    failure(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantId}'.`,
    ),
  unsupportedGrant: (grant: string) =>
    failure(
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    ),
  unsupportedResponseType: () =>
    failure('unsupported_response_type', 900144, "The only supported response_type is 'code'."),
  consentRequired: (scope: string) =>
    failure(
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application for '${scope}'. An administrator must grant consent.`,
      { suberror: 'consent_required' },
    ),
  userCancelled: () =>
    failure('access_denied', 65004, 'User declined to consent to access the app.'),
  loginRequired: () =>
    failure('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'),
  authorizationPending: () =>
    failure(
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    ),
  deviceCodeExpired: () =>
    failure(
      'expired_token',
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    ),
  badDeviceCode: () =>
    failure(
      'bad_verification_code',
      70000,
      "The provided value for the input parameter 'device_code' is not valid.",
    ),
  unknownTenant: (tenant: string) =>
    failure('invalid_tenant', 90002, `Tenant '${tenant}' not found.`),
  throttled: (status: number) =>
    failure(
      status === 429 ? 'temporarily_unavailable' : 'server_error',
      90033,
      'A transient error has occurred. Please try again.',
      { status },
    ),
} as const;

export function oauthErrorBody(f: OAuthFailure, now: Date): OAuthErrorBody {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    error: f.error,
    error_description: `AADSTS${f.code}: ${f.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [f.code],
    ...(f.suberror ? { suberror: f.suberror } : {}),
    timestamp: timestamp.replace('T', ' '),
    trace_id: traceId,
    correlation_id: correlationId,
  };
}

/** Microsoft Graph's error envelope. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

export function graphErrorBody(
  code: string,
  message: string,
  now: Date,
  clientRequestId: string | undefined,
): GraphErrorBody {
  const requestId = randomUUID();
  return {
    error: {
      code,
      message,
      innerError: {
        date: now.toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}
