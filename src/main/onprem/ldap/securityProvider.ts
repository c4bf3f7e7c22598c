/**
 * The one per-platform part of the directory reader: a Kerberos security context towards a
 * domain controller's LDAP service, with the credentials of the user's logon session. GSS-API
 * implements it on macOS and Linux (unix/gssapi.ts), SSPI on Windows (windows/sspi.ts); the LDAP
 * protocol, the SASL GSSAPI bind and its security layer are shared (this folder).
 */

/** One context, as SASL GSSAPI (RFC 4752) drives it. */
export interface SecurityContext {
  readonly complete: boolean;
  /** One round of context establishment; the token to send (null: nothing to send). */
  step(input: Buffer | null): Buffer | null;
  /** A wrap token for `data`: signed, and also encrypted when `confidential`. */
  wrap(data: Buffer, confidential: boolean): Buffer;
  /** The data of a wrap token from the server, its signature checked. */
  unwrap(token: Buffer): Buffer;
  /**
   * The authenticated user as the provider names it: "alice@CORP.EXAMPLE.COM" (a Kerberos
   * principal) or "CORP\alice" (a Windows account name); null when the provider cannot tell.
   */
  initiatorName(): string | null;
  dispose(): void;
}

export interface SecurityProvider {
  /** A context towards the LDAP service of the DC named `host` ("dc1.corp.example.com"). */
  contextFor(host: string): SecurityContext;
}
