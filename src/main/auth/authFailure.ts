import type { AuthFailure } from '../../core/model';
import { isCertificateCode } from '../../core/errorClassification';
import { HttpFailure } from '../net/httpClient';
import { GraphFailure } from '../graph/graphClient';

/** Raised when the OS keyring cannot hold the token cache (no plaintext fallback, by design). */
export class KeyringUnavailableError extends Error {
  readonly errorCode = 'keyring_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyringUnavailableError';
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The TLS code of a refused certificate anywhere in the error's cause chain. */
function certificateCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && isCertificateCode(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Turns whatever was thrown (MSAL errors, our HTTP failures, Node errors) into plain data. */
export function toAuthFailure(error: unknown): AuthFailure {
  const failure = plainFailure(error);
  // A certificate refused is told (and logged) as that, never as a refused connection.
  const tls = certificateCode(error);
  if (tls !== undefined) failure.code = tls;
  return failure;
}

function plainFailure(error: unknown): AuthFailure {
  if (error instanceof KeyringUnavailableError) {
    return { name: error.name, errorCode: error.errorCode, errorMessage: error.message };
  }
  if (error instanceof HttpFailure) {
    const failure: AuthFailure = { name: error.name, errorMessage: error.message };
    if (error.status !== null) failure.status = error.status;
    if (error.code === 'malformed_response') failure.errorCode = 'malformed_response';
    if (error.code === 'timeout') failure.code = 'ETIMEDOUT';
    if (error.code === 'network') failure.code = 'ECONNREFUSED';
    if (error.code === 'http_error' && error.status === 401) failure.errorCode = 'invalid_token';
    if (error instanceof GraphFailure) failure.service = error.service;
    return failure;
  }
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    const failure: AuthFailure = {};
    const name = text(e.name);
    const errorCode = text(e.errorCode);
    const subError = text(e.subError);
    const errorMessage = text(e.errorMessage) ?? text(e.message);
    const errorNo = text(e.errorNo) ?? (typeof e.errorNo === 'number' ? e.errorNo : undefined);
    const code = text(e.code) ?? text((e.cause as Record<string, unknown> | undefined)?.code);
    if (name) failure.name = name;
    if (errorCode) failure.errorCode = errorCode;
    if (subError) failure.subError = subError;
    if (errorMessage) failure.errorMessage = errorMessage;
    if (errorNo !== undefined) failure.errorNo = errorNo;
    if (code) failure.code = code;
    if (typeof e.status === 'number') failure.status = e.status;
    return failure;
  }
  return { errorMessage: String(error) };
}
