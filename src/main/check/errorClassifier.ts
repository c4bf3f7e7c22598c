import type { ClassifiedError } from '../../core/model';
import type { Logger } from '../../core/ports';
import { classifyAuthFailure } from '../../core/errorClassification';
import { toAuthFailure } from '../auth/authFailure';
import type { MsalAuth } from '../auth/msalAuth';
import { StateFileError } from '../store/stateFileAccess';

export interface PasswordUrls {
  changePasswordUrl: string;
  resetPasswordUrl: string;
}

/** A StateFileError anywhere in the error's cause chain. */
function stateFileError(error: unknown): StateFileError | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as Error).cause, depth += 1) {
    if (e instanceof StateFileError) return e;
  }
  return null;
}

/** Errors from our own adapters carry a sentence that names the file: show that one. */
export function withOwnMessage(classified: ClassifiedError, error: Error): ClassifiedError {
  return error instanceof StateFileError ? { ...classified, message: error.message } : classified;
}

/**
 * Turns any failure of a check or sign-in into one of the user-facing error kinds, logging what
 * the service said. `auth` gives the service's own words where device-code polling lost them.
 */
export function createErrorClassifier(
  urls: PasswordUrls,
  logger: Logger,
  auth: () => MsalAuth | null,
): (error: unknown) => ClassifiedError {
  return (error) => {
    const onDisk = stateFileError(error);
    if (onDisk) {
      logger.warn('A state file could not be used', { path: onDisk.path, error: onDisk.message });
      return withOwnMessage(classifyAuthFailure(toAuthFailure(onDisk), urls), onDisk);
    }
    const failure = toAuthFailure(error);
    // Device-code polling loses the service's description: take it from what the service sent.
    const oauth = auth()?.network.lastOAuthError;
    if (oauth && failure.errorCode === 'post_request_failed') {
      failure.errorCode = oauth.error;
      if (oauth.suberror) failure.subError = oauth.suberror;
      if (oauth.error_description) failure.errorMessage = oauth.error_description;
      if (oauth.error_codes?.[0] !== undefined) failure.errorNo = oauth.error_codes[0];
    }
    // MSAL's discovery drops why it failed: a refused certificate is said as that.
    const tls = auth()?.network.lastCertificateCode;
    if (tls && failure.service !== 'graph' && failure.code === undefined) failure.code = tls;
    logger.warn('Sign-in or check failed', { ...failure });
    return classifyAuthFailure(failure, urls);
  };
}
