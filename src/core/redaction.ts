/**
 * Removes secrets from text and data before it is logged or zipped for IT. Applied to every log
 * line and again to every log file that goes into a diagnostics archive.
 */

export const REDACTED = '[REDACTED]';

/**
 * Names (compared lower-case, without `_` and `-`) whose values are secrets wherever they appear:
 * OAuth tokens and codes, PKCE verifiers, client assertions, passwords, cookies.
 */
const SECRET_NAMES = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'rawidtoken',
  'token',
  'code',
  'authorizationcode',
  'devicecode',
  'usercode',
  'clientinfo',
  'password',
  'passwd',
  'pwd',
  'newpassword',
  'oldpassword',
  'secret',
  'clientsecret',
  'codeverifier',
  'assertion',
  'clientassertion',
  'authorization',
  'cookie',
  'setcookie',
  'otp',
]);

/** Names ending like this are secrets too (e.g. `sessionToken`, `userPassword`, `appSecret`). */
const SECRET_SUFFIX = /(token|secret|password|passwd)$/;

export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_NAMES.has(normalized) || SECRET_SUFFIX.test(normalized);
}

/** Node and system error codes ("ECONNREFUSED", "ERR_TLS_CERT_ALTNAME_INVALID") are not secrets. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

/** Whether a named value must be hidden; `code` holds an OAuth code or a harmless error code. */
export function isSecretMember(name: string, value: unknown): boolean {
  if (!isSecretName(name)) return false;
  // Only plain values are secrets; a structure under such a name (the status report's `password`
  // section) is searched member by member instead.
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
    return false;
  }
  if (name.toLowerCase() === 'code') {
    return !(typeof value === 'number' || (typeof value === 'string' && ERROR_CODE.test(value)));
  }
  return true;
}

// A JSON string member: "name": "value", also inside JSON that was itself escaped into a string.
const JSON_MEMBER = /(\\?")([A-Za-z0-9_-]{1,64})\1(\s*:\s*)\1((?:[^"\\]|\\.)*?)\1/g;
// name=value in query strings, fragments and form bodies (not `error_code=`: the name must start
// the parameter).
const PARAMETER = /(^|[?&#;,\s"'(])([A-Za-z][A-Za-z0-9_-]{0,63})=([^&#\s"',;)]+)/g;
// "password: hunter2" in free text.
const LABELLED =
  /\b(password|passwd|pwd|secret|client_secret|client secret)(\s*[:=]\s*)([^\s&,;"'\\]+)/gi;
// An Authorization header line, whatever its scheme.
const AUTH_HEADER = /\b((?:proxy-)?authorization)(\s*[:=]\s*)([^"'\r\n,}]+)/gi;
// Bearer and PoP credentials anywhere.
const AUTH_SCHEME = /\b(Bearer|PoP)(\s+)[A-Za-z0-9._~+/=*-]{8,}/g;
// The device-code prompt: "enter the code ABCD1234 to authenticate".
const USER_CODE = /\b(enter the code\s+)[A-Z0-9]{6,12}\b/g;
// A JWT or JWE: base64url JSON header starting with `{"` (eyJ), then dot-separated parts.
const JWT = /eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){1,4}/g;
// Opaque tokens (Entra refresh tokens, authorization and device codes) are long runs without the
// separators that paths, URLs and sentences have.
const OPAQUE = /[A-Za-z0-9._~+=*-]{64,}/g;

/** Redacts every secret found in a piece of text. */
export function redactText(text: string): string {
  return text
    .replace(JSON_MEMBER, (whole, quote: string, name: string, colon: string, value: string) =>
      isSecretMember(name, value)
        ? `${quote}${name}${quote}${colon}${quote}${REDACTED}${quote}`
        : whole,
    )
    .replace(PARAMETER, (whole, lead: string, name: string, value: string) =>
      isSecretMember(name, value) ? `${lead}${name}=${REDACTED}` : whole,
    )
    .replace(LABELLED, (_whole, label: string, sep: string) => `${label}${sep}${REDACTED}`)
    .replace(AUTH_HEADER, (_whole, label: string, sep: string) => `${label}${sep}${REDACTED}`)
    .replace(USER_CODE, (_whole, lead: string) => `${lead}${REDACTED}`)
    .replace(AUTH_SCHEME, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(OPAQUE, (run) => (run.replace(/[^A-Za-z0-9]/g, '').length >= 48 ? REDACTED : run));
}

/**
 * Redacts a value for logging: secret-named members are replaced, strings are scanned, errors keep
 * their name, message and stack (redacted). Cycles and depth are bounded.
 */
export function redactValue(value: unknown): unknown {
  return redactInner(value, new WeakSet<object>(), 0);
}

function redactInner(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value;
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[nested too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactText(value.message) };
    if (value.stack) out.stack = redactText(value.stack);
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSecretMember(key, inner) ? REDACTED : redactInner(inner, seen, depth + 1);
    }
    if (value.cause !== undefined) out.cause = redactInner(value.cause, seen, depth + 1);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => redactInner(item, seen, depth + 1));
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSecretMember(key, inner) ? REDACTED : redactInner(inner, seen, depth + 1);
  }
  return out;
}
