import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  aadstsNumber,
  classifyAuthFailure,
  exitCodeForErrorKind,
} from '../../src/core/errorClassification';
import { messages } from '../../src/core/messages';
import type { AuthFailure, ErrorKind } from '../../src/core/model';

const urls = {
  changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
  resetPasswordUrl: 'https://aka.ms/sspr',
};

const classify = (failure: AuthFailure) => classifyAuthFailure(failure, urls);

/** The shape msal-node produces for a token-endpoint error with a description. */
function serverError(aadsts: number, errorCode = 'invalid_grant'): AuthFailure {
  return {
    name: 'ServerError',
    errorCode,
    errorNo: String(aadsts),
    errorMessage: `AADSTS${aadsts}: Something happened.\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-11-22 10:00:00Z`,
  };
}

void describe('classifyAuthFailure: AADSTS table', () => {
  const table: [number[], ErrorKind][] = [
    [[50055, 50144], 'password-expired'],
    [[50132, 50133], 'password-changed'],
    [[50173, 70008, 700082, 70043], 'sign-in-required'],
    [[50135], 'password-change-required'],
    [[50126], 'wrong-credentials'],
    [[50053], 'account-locked'],
    [[50057], 'account-disabled'],
    [[50076, 50074, 50079, 50072, 50078], 'mfa-required'],
    [[53003, 53000, 53001, 530032], 'blocked-by-policy'],
    [[65001, 65004, 90094, 90095], 'consent-required'],
    [[700016, 7000218, 90002], 'configuration'],
  ];
  for (const [codes, kind] of table) {
    void it(`maps ${codes.join(', ')} to ${kind}`, () => {
      for (const code of codes) {
        const result = classify(serverError(code));
        assert.equal(result.kind, kind, `AADSTS${code}`);
        assert.equal(result.aadsts, code);
        // The number alone (only in the description) gives the same answer.
        const fromText = classify({ errorCode: 'invalid_grant', errorMessage: `AADSTS${code}: x` });
        assert.equal(fromText.kind, kind, `AADSTS${code} from text`);
      }
    });
  }

  void it('offers the reset page for an expired password', () => {
    const result = classify(serverError(50055));
    assert.equal(result.message, messages.errors.passwordExpired);
    assert.deepEqual(result.action, {
      label: messages.actions.resetPassword,
      url: urls.resetPasswordUrl,
    });
  });

  void it('mentions the Windows (network) password for 50144', () => {
    const result = classify(serverError(50144));
    assert.match(result.message, /Windows/);
    assert.equal(result.action?.url, urls.resetPasswordUrl);
  });

  void it('says "Your password changed. Sign in again." for 50132 and 50133', () => {
    assert.equal(classify(serverError(50133)).message, 'Your password changed. Sign in again.');
    assert.equal(classify(serverError(50132)).message, 'Your password changed. Sign in again.');
  });

  void it('offers the change page when a change is required', () => {
    assert.equal(classify(serverError(50135)).action?.url, urls.changePasswordUrl);
  });

  void it('offers the reset page for a locked account and no link for a disabled one', () => {
    assert.equal(classify(serverError(50053)).action?.url, urls.resetPasswordUrl);
    assert.equal(classify(serverError(50057)).action, null);
  });

  void it('gives IT the number for configuration, policy and consent problems', () => {
    assert.match(classify(serverError(700016, 'unauthorized_client')).message, /AADSTS700016/);
    assert.match(classify(serverError(53003)).message, /AADSTS53003/);
    assert.match(classify(serverError(65001)).message, /AADSTS65001/);
  });

  void it('accepts errorNo as a number', () => {
    assert.equal(
      classify({ errorCode: 'invalid_grant', errorNo: 50126 }).kind,
      'wrong-credentials',
    );
    assert.equal(aadstsNumber({ errorNo: 50126 }), 50126);
    assert.equal(aadstsNumber({ errorNo: ' 50055 ' }), 50055);
    assert.equal(aadstsNumber({ errorMessage: 'no number here' }), null);
    assert.equal(aadstsNumber({ errorNo: 'abc', errorMessage: 'AADSTS70008: expired' }), 70008);
  });
});

void describe('classifyAuthFailure: error codes and classes decide first', () => {
  void it('recognises an expired password from the suberror alone', () => {
    const result = classify({
      name: 'InteractionRequiredAuthError',
      errorCode: 'invalid_grant',
      subError: 'user_password_expired',
    });
    assert.equal(result.kind, 'password-expired');
    assert.equal(result.action?.url, urls.resetPasswordUrl);
  });

  void it('uses the number to refine interaction_required', () => {
    assert.equal(
      classify({
        name: 'InteractionRequiredAuthError',
        errorCode: 'interaction_required',
        errorNo: 50076,
      }).kind,
      'mfa-required',
    );
    assert.equal(
      classify({ name: 'InteractionRequiredAuthError', errorCode: 'interaction_required' }).kind,
      'sign-in-required',
    );
  });

  void it('asks for a sign-in when there is no account or cached token', () => {
    for (const errorCode of [
      'no_tokens_found',
      'no_account_found',
      'interaction_required',
      'invalid_grant',
    ]) {
      const result = classify({ errorCode });
      assert.equal(result.kind, 'sign-in-required', errorCode);
      assert.equal(result.action?.label, messages.actions.signInAgain);
    }
  });

  void it('treats client registration errors as configuration', () => {
    for (const errorCode of ['invalid_client', 'unauthorized_client']) {
      assert.equal(classify({ errorCode, errorNo: 50126 }).kind, 'configuration', errorCode);
    }
    assert.equal(
      classify({ name: 'ClientConfigurationError', errorCode: 'invalid_authority' }).kind,
      'configuration',
    );
  });

  void it('recognises Node network failures', () => {
    for (const code of [
      'ECONNREFUSED',
      'ENOTFOUND',
      'ETIMEDOUT',
      'ECONNRESET',
      'EAI_AGAIN',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_SOCKET',
    ]) {
      const result = classify({ name: 'Error', code });
      assert.equal(result.kind, 'network', code);
      assert.equal(result.message, messages.errors.network);
    }
  });

  void it('recognises MSAL network failures, unless the service answered', () => {
    assert.equal(classify({ name: 'ClientAuthError', errorCode: 'network_error' }).kind, 'network');
    assert.equal(classify({ name: 'AuthError', errorCode: 'post_request_failed' }).kind, 'network');
    assert.equal(classify({ name: 'NetworkError', errorCode: 'x', status: 503 }).kind, 'service');
    assert.equal(
      classify({ errorCode: 'post_request_failed', errorMessage: 'AADSTS50055: expired' }).kind,
      'password-expired',
    );
  });

  void it('treats 5xx, 429 and unusable answers as service problems', () => {
    for (const status of [500, 502, 503, 504, 429]) {
      assert.equal(classify({ name: 'GraphError', status }).kind, 'service', String(status));
    }
    assert.equal(classify({ errorCode: 'malformed_response', status: 200 }).kind, 'service');
    assert.equal(classify({ name: 'GraphError', status: 404 }).kind, 'unknown');
  });

  void it('recognises an unavailable keyring and a cancelled sign-in', () => {
    assert.equal(classify({ errorCode: 'keyring_unavailable' }).kind, 'keyring-unavailable');
    for (const errorCode of ['user_cancelled', 'user_canceled', 'authentication_canceled']) {
      assert.equal(classify({ errorCode }).kind, 'cancelled', errorCode);
    }
  });

  void it('falls back to unknown with the number for IT', () => {
    const result = classify({ name: 'ServerError', errorCode: 'weird', errorNo: 99999 });
    assert.equal(result.kind, 'unknown');
    assert.match(result.message, /AADSTS99999/);
    assert.equal(classify({}).kind, 'unknown');
  });
});

void describe('classifyAuthFailure: never leaks service text', () => {
  void it('keeps error_uri, tokens, descriptions and stacks out of the message and action', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,40}$/);
    fc.assert(
      fc.property(
        fc.record({
          name: fc.option(fc.constantFrom('ServerError', 'InteractionRequiredAuthError', 'Error'), {
            nil: undefined,
          }),
          errorCode: fc.option(
            fc.constantFrom(
              'invalid_grant',
              'interaction_required',
              'post_request_failed',
              'weird',
            ),
            { nil: undefined },
          ),
          errorNo: fc.option(fc.constantFrom(50055, 50126, 53003, 700016, 12345), {
            nil: undefined,
          }),
          status: fc.option(fc.constantFrom(400, 401, 500, 503), { nil: undefined }),
        }),
        secret,
        (shape, token) => {
          const errorMessage = `AADSTS50055: expired. token=eyJ${token} error_uri=https://login.microsoftonline.com/error?code=50055\n    at Object.<anonymous> (/app/x.js:1:1)`;
          const result = classify({ ...shape, errorMessage });
          const shown = JSON.stringify([result.message, result.action]);
          assert.ok(!shown.includes(token), 'token');
          assert.ok(!shown.includes('error_uri') && !shown.includes('/error?code'), 'error_uri');
          assert.ok(!shown.includes(' at '), 'stack');
          assert.ok(!shown.includes('expired. token'), 'description');
          assert.ok(result.message.length > 0);
        },
      ),
    );
  });
});

void describe('classifyAuthFailure: a certificate that was not trusted', () => {
  void it('is said as that, with the TLS code, never "check your network"', () => {
    for (const code of [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      const result = classify({ errorCode: 'endpoints_resolution_error', code });
      assert.equal(result.kind, 'network', code);
      assert.equal(exitCodeForErrorKind(result.kind), 5);
      assert.match(
        result.message,
        new RegExp(`certificate of the sign-in service was not trusted \\(${code}\\)`),
      );
      assert.doesNotMatch(result.message, /Check your network/);
    }
    const graph = classify({ service: 'graph', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    assert.equal(graph.kind, 'network');
    assert.match(graph.message, /certificate of Microsoft Graph was not trusted/);
    assert.equal(classify({ code: 'ECONNREFUSED' }).message, messages.errors.network);
  });
});

void describe('exitCodeForErrorKind', () => {
  void it('maps expired to 2, configuration to 4, network and service to 5, the rest to 3', () => {
    const expected: Record<ErrorKind, number> = {
      'password-expired': 2,
      'password-changed': 3,
      'password-change-required': 3,
      'sign-in-required': 3,
      'wrong-credentials': 3,
      'account-locked': 3,
      'account-disabled': 3,
      'mfa-required': 3,
      'blocked-by-policy': 3,
      'consent-required': 3,
      configuration: 4,
      'directory-refused': 3,
      'keyring-unavailable': 3,
      'local-storage': 3,
      network: 5,
      service: 5,
      cancelled: 3,
      unknown: 3,
    };
    for (const [kind, code] of Object.entries(expected)) {
      assert.equal(exitCodeForErrorKind(kind as ErrorKind), code, kind);
    }
  });
});
