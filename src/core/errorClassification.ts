/**
 * Turns an auth or service failure into one of a small set of user-facing states. The OAuth error,
 * suberror and error class decide first; the AADSTS number (whose texts Microsoft may change) only
 * refines the wording. Messages never carry the service's own text, error_uri, tokens or stacks.
 */
import { messages } from './messages';
import type { AuthFailure, ClassifiedError, ErrorKind, ExitCodeValue } from './model';
import { ExitCode } from './model';

export interface PasswordUrls {
  changePasswordUrl: string;
  resetPasswordUrl: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ECONNABORTED',
  'ESOCKETTIMEDOUT',
]);

/**
 * TLS codes of a certificate the connection refused (Node's and OpenSSL's names, Chromium's
 * ERR_CERT_*): the server was reached, but not trusted.
 */
export function isCertificateCode(code: string | undefined): code is string {
  return (
    typeof code === 'string' &&
    /^(?:ERR_TLS_CERT_\w+|ERR_CERT_\w+|\w*CERT\w*|UNABLE_TO_\w+|HOSTNAME_MISMATCH|INVALID_CA)$/.test(
      code.trim().toUpperCase(),
    )
  );
}

/** MSAL error codes that mean the request never got a usable answer from the network. */
const MSAL_NETWORK_CODES = new Set([
  'network_error',
  'no_network_connectivity',
  'endpoints_resolution_error',
  'post_request_failed',
  'get_request_failed',
]);

const CANCELLED_CODES = new Set([
  'user_cancelled',
  'user_canceled',
  'authentication_canceled',
  'authentication_cancelled',
  'user_timeout_reached',
]);

const SIGN_IN_REQUIRED_CODES = new Set([
  'interaction_required',
  'login_required',
  'no_tokens_found',
  'no_account_found',
  'no_account_in_silent_request',
  'invalid_grant',
  'bad_token',
  'refresh_token_expired',
]);

const CONFIGURATION_CODES = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_request',
  'invalid_scope',
  'invalid_resource',
]);

/** AADSTS numbers that pick a specific kind. */
const AADSTS_KINDS: ReadonlyMap<number, ErrorKind> = new Map<number, ErrorKind>([
  [50055, 'password-expired'],
  [50144, 'password-expired'],
  [50132, 'password-changed'],
  [50133, 'password-changed'],
  [50173, 'sign-in-required'],
  [70008, 'sign-in-required'],
  [700082, 'sign-in-required'],
  [70043, 'sign-in-required'],
  [50135, 'password-change-required'],
  [50126, 'wrong-credentials'],
  [50053, 'account-locked'],
  [50057, 'account-disabled'],
  [50076, 'mfa-required'],
  [50074, 'mfa-required'],
  [50079, 'mfa-required'],
  [50072, 'mfa-required'],
  [50078, 'mfa-required'],
  [53003, 'blocked-by-policy'],
  [53000, 'blocked-by-policy'],
  [53001, 'blocked-by-policy'],
  [530032, 'blocked-by-policy'],
  [65001, 'consent-required'],
  [65004, 'consent-required'],
  [90094, 'consent-required'],
  [90095, 'consent-required'],
  [700016, 'configuration'],
  [7000218, 'configuration'],
  [90002, 'configuration'],
]);

const ON_PREMISES_PASSWORD_EXPIRED = 50144;

/** The AADSTS number from errorNo or from "AADSTS50055:" in the description. */
export function aadstsNumber(failure: AuthFailure): number | null {
  const { errorNo, errorMessage } = failure;
  if (typeof errorNo === 'number' && Number.isInteger(errorNo) && errorNo > 0) return errorNo;
  if (typeof errorNo === 'string' && /^\d+$/.test(errorNo.trim())) return Number(errorNo.trim());
  const match = typeof errorMessage === 'string' ? /AADSTS(\d+)/.exec(errorMessage) : null;
  return match?.[1] ? Number(match[1]) : null;
}

function lower(value: string | undefined): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

function isServiceStatus(status: number | undefined): boolean {
  return typeof status === 'number' && (status === 429 || (status >= 500 && status <= 599));
}

/** Microsoft Graph (the directory) failed: it refused the read, was out of reach, or answered badly. */
function graphKind(failure: AuthFailure): ErrorKind {
  const code = typeof failure.code === 'string' ? failure.code.trim().toUpperCase() : '';
  if (failure.status === 401 || failure.status === 403) return 'directory-refused';
  if (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_')) return 'network';
  if (isCertificateCode(code)) return 'network';
  return 'service';
}

/** Kinds decided by signals other than the AADSTS number; null when those say nothing specific. */
function kindFromSignals(failure: AuthFailure, aadsts: number | null): ErrorKind | null {
  const errorCode = lower(failure.errorCode);
  const subError = lower(failure.subError);
  const code = typeof failure.code === 'string' ? failure.code.trim().toUpperCase() : '';

  if (errorCode === 'keyring_unavailable') return 'keyring-unavailable';
  if (errorCode === 'local_storage') return 'local-storage';
  if (CANCELLED_CODES.has(errorCode)) return 'cancelled';
  if (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_')) return 'network';
  if (isCertificateCode(code)) return 'network';
  if (errorCode === 'malformed_response') return 'service';
  if (subError === 'user_password_expired') return 'password-expired';
  if (subError === 'consent_required') return 'consent-required';
  if (errorCode === 'consent_required') return 'consent-required';
  if (errorCode === 'invalid_client' || errorCode === 'unauthorized_client') return 'configuration';
  if (failure.name === 'ClientConfigurationError') return 'configuration';
  // An AADSTS number means the service did answer: not a network failure.
  if (aadsts === null && (MSAL_NETWORK_CODES.has(errorCode) || failure.name === 'NetworkError')) {
    return isServiceStatus(failure.status) ? 'service' : 'network';
  }
  return null;
}

/** Kinds for a failure whose specific signals and AADSTS number said nothing. */
function fallbackKind(failure: AuthFailure): ErrorKind {
  const errorCode = lower(failure.errorCode);
  if (isServiceStatus(failure.status)) return 'service';
  if (errorCode === 'temporarily_unavailable' || errorCode === 'server_error') return 'service';
  if (SIGN_IN_REQUIRED_CODES.has(errorCode)) return 'sign-in-required';
  if (failure.name === 'InteractionRequiredAuthError') return 'sign-in-required';
  if (CONFIGURATION_CODES.has(errorCode)) return 'configuration';
  return 'unknown';
}

function describe(
  kind: ErrorKind,
  aadsts: number | null,
  urls: PasswordUrls,
  graph: boolean,
): ClassifiedError {
  const { errors, actions } = messages;
  const reset = { label: actions.resetPassword, url: urls.resetPasswordUrl };
  const change = { label: actions.changePassword, url: urls.changePasswordUrl };
  const signIn = { label: actions.signIn, url: null };
  const signInAgain = { label: actions.signInAgain, url: null };
  const retry = { label: actions.tryAgain, url: null };
  const result = (message: string, action: ClassifiedError['action']): ClassifiedError => ({
    kind,
    aadsts,
    message,
    action,
  });
  switch (kind) {
    case 'password-expired':
      return result(
        aadsts === ON_PREMISES_PASSWORD_EXPIRED
          ? errors.onPremisesPasswordExpired
          : errors.passwordExpired,
        reset,
      );
    case 'password-changed':
      return result(errors.passwordChanged, signInAgain);
    case 'password-change-required':
      return result(errors.passwordChangeRequired, change);
    case 'sign-in-required':
      return result(errors.signInRequired, signInAgain);
    case 'wrong-credentials':
      return result(errors.wrongCredentials, signIn);
    case 'account-locked':
      return result(errors.accountLocked, reset);
    case 'account-disabled':
      return result(errors.accountDisabled, null);
    case 'mfa-required':
      return result(errors.mfaRequired, signIn);
    case 'blocked-by-policy':
      return result(errors.blockedByPolicy(aadsts), null);
    case 'consent-required':
      return result(errors.consentRequired(aadsts), null);
    case 'configuration':
      return result(errors.configuration(aadsts), null);
    case 'keyring-unavailable':
      return result(errors.keyringUnavailable, null);
    case 'directory-refused':
      return result(errors.directoryRefused, null);
    case 'local-storage':
      return result(errors.localStorage, retry);
    case 'network':
      return result(graph ? errors.graphNetwork : errors.network, retry);
    case 'service':
      return result(graph ? errors.graphService : errors.service, retry);
    case 'cancelled':
      return result(errors.cancelled, signIn);
    case 'unknown':
      return result(errors.unknown(aadsts), retry);
  }
}

export function classifyAuthFailure(failure: AuthFailure, urls: PasswordUrls): ClassifiedError {
  const aadsts = aadstsNumber(failure);
  const graph = failure.service === 'graph';
  const kind = graph
    ? graphKind(failure)
    : (kindFromSignals(failure, aadsts) ??
      (aadsts === null ? undefined : AADSTS_KINDS.get(aadsts)) ??
      fallbackKind(failure));
  const classified = describe(kind, graph ? null : aadsts, urls, graph);
  // Reached but not trusted: "check your network" would send the user the wrong way.
  if (kind === 'network' && isCertificateCode(failure.code)) {
    return {
      ...classified,
      message: messages.errors.certificateUntrusted(failure.code.trim().toUpperCase(), graph),
    };
  }
  return classified;
}

/** The exit code of the headless command for a failure of this kind. */
export function exitCodeForErrorKind(kind: ErrorKind): ExitCodeValue {
  switch (kind) {
    case 'password-expired':
      return ExitCode.expired;
    case 'configuration':
      return ExitCode.configError;
    case 'network':
    case 'service':
      return ExitCode.serviceError;
    default:
      return ExitCode.authError;
  }
}
