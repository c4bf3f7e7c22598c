import { AuthError } from '@azure/msal-node';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { HttpFailure, directTransport, requestJson } from '../net/httpClient';
import type { Transport } from '../net/httpClient';
import { shortened } from '../../core/inputLimits';
import { isCertificateCode } from '../../core/errorClassification';
import { toAuthFailure } from './authFailure';

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** The OAuth 2.0 token endpoint (…/oauth2/v2.0/token, …/oauth2/token). */
function isTokenEndpoint(url: string): boolean {
  try {
    return /\/oauth2\/(?:v2\.0\/)?token$/i.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** A 2xx token answer without an access token (`{}`, `null`, a list). */
function tokenlessSuccess(response: { status: number; body: unknown }): boolean {
  if (response.status < 200 || response.status > 299) return false;
  const body = response.body as Record<string, unknown> | null;
  return (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    typeof body.access_token !== 'string' ||
    body.access_token === ''
  );
}

/** The OAuth error body the sign-in service sent last (MSAL drops it during device-code polling). */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
  error_codes?: number[];
  suberror?: string;
}

/**
 * MSAL's HTTP, with a timeout on every request (MSAL's own client has none for token calls) and
 * the last OAuth error kept so an expired password is recognised in every flow.
 */
export class TimedNetworkModule implements INetworkModule {
  lastOAuthError: OAuthErrorBody | null = null;
  /**
   * The TLS code of the last request whose certificate was refused, until one gets an answer:
   * MSAL's discovery drops the cause ("endpoints_resolution_error").
   */
  lastCertificateCode: string | null = null;

  /**
   * `trustedHosts`: the only hosts requests may go to (the sign-in service's); MSAL's own discovery
   * could otherwise follow an authority's metadata to another host with the refresh token.
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly trustedHosts: ReadonlySet<string> | null = null,
    private readonly transport: Transport = directTransport,
  ) {}

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }

  private async send<T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const host = hostOf(url);
    if (this.trustedHosts && (host === null || !this.trustedHosts.has(host))) {
      // An unusable answer from the sign-in service: its metadata points somewhere else.
      throw new AuthError(
        'malformed_response',
        '',
        `Refused to send a sign-in request to ${shortened(host ?? 'an invalid address')}: not the sign-in service`,
      );
    }
    try {
      const init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {
        method,
      };
      if (options?.headers) init.headers = options.headers;
      if (method === 'POST') init.body = options?.body ?? '';
      const response = await requestJson(url, init, timeout ?? this.timeoutMs, this.transport);
      this.lastCertificateCode = null;
      const body = response.body as Partial<OAuthErrorBody> | null;
      if (response.status >= 400 && typeof body?.error === 'string') {
        this.lastOAuthError = body as OAuthErrorBody;
      }
      if (method === 'POST' && isTokenEndpoint(url) && tokenlessSuccess(response)) {
        // MSAL would take it for a sign-in that returned no account: "Not signed in", although
        // the tokens in the cache are fine. It is an unusable answer of the service.
        throw new HttpFailure(
          `${shortened(host ?? '')} answered a token request with no token`,
          'malformed_response',
          response.status,
          null,
        );
      }
      return {
        status: response.status,
        headers: response.headers,
        body: (response.body ?? {}) as T,
      };
    } catch (error) {
      if (error instanceof HttpFailure) {
        this.lastCertificateCode = toAuthFailure(error).code ?? null;
        if (!isCertificateCode(this.lastCertificateCode ?? undefined))
          this.lastCertificateCode = null;
        const code = error.code === 'malformed_response' ? 'malformed_response' : 'network_error';
        const wrapped = new AuthError(code, '', error.message);
        (wrapped as AuthError & { cause?: unknown }).cause = error;
        throw wrapped;
      }
      throw error;
    }
  }
}
