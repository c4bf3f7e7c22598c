/**
 * SASL GSSAPI (RFC 4752) over an LDAP connection: the Kerberos exchange, then the security layer
 * negotiation. The reader asks for an integrity layer (signing), which every AD signing policy
 * accepts on ldap://389, and installs it on the connection afterwards.
 */
import { DirectoryReadError } from '../readFailure';
import type { LdapConnection } from './ldapConnection';
import { RESULT_CODE } from './ldapMessages';
import type { SecurityContext } from './securityProvider';

export type SaslSecurityLayer = 'none' | 'integrity' | 'confidentiality';

const LAYER_BIT: Record<SaslSecurityLayer, number> = {
  none: 0x01,
  integrity: 0x02,
  confidentiality: 0x04,
};

/**
 * The client's answer to the server's offer (RFC 4752 §3.1): one chosen layer, the largest buffer
 * we accept, no authorization identity (we act as ourselves). Pure: unit-tested.
 */
export function answerLayerOffer(offer: Buffer, wanted: SaslSecurityLayer): Buffer {
  if (offer.length !== 4) {
    throw new DirectoryReadError('protocol', `security layer offer of ${offer.length} bytes`);
  }
  const offered = offer[0] as number;
  const bit = LAYER_BIT[wanted];
  if ((offered & bit) === 0) {
    throw new DirectoryReadError(
      'refused',
      `the server offers SASL security layers 0x${offered.toString(16)}, not ${wanted}`,
    );
  }
  const reply = Buffer.from([bit, 0, 0, 0]);
  if (wanted !== 'none') reply.writeUIntBE(offer.readUIntBE(1, 3), 1, 3);
  return reply;
}

function bindRefused(resultCode: number, diagnostic: string): DirectoryReadError {
  const why = diagnostic.trim() ? `: ${diagnostic.trim()}` : '';
  return new DirectoryReadError(
    'refused',
    `the SASL GSSAPI bind was refused (result ${resultCode})${why}`,
  );
}

/** Binds as the ticket's user; afterwards every message uses the negotiated layer. */
export async function bindWithGssapi(
  connection: LdapConnection,
  gss: SecurityContext,
  wanted: SaslSecurityLayer,
): Promise<void> {
  let token = gss.step(null);
  for (let round = 0; round < 8; round += 1) {
    const result = await connection.saslBind('GSSAPI', token);
    if (result.resultCode === RESULT_CODE.success) {
      // GSSAPI always ends with the layer negotiation; a server that skips it signs nothing.
      throw new DirectoryReadError('protocol', 'the server ended the bind without a layer offer');
    }
    if (result.resultCode !== RESULT_CODE.saslBindInProgress) {
      throw bindRefused(result.resultCode, result.diagnosticMessage);
    }
    const challenge = result.value ?? Buffer.alloc(0);
    if (!gss.complete) {
      token = gss.step(challenge) ?? Buffer.alloc(0);
      continue;
    }
    const reply = answerLayerOffer(gss.unwrap(challenge), wanted);
    const final = await connection.saslBind('GSSAPI', gss.wrap(reply, false));
    if (final.resultCode !== RESULT_CODE.success) {
      throw bindRefused(final.resultCode, final.diagnosticMessage);
    }
    if (wanted !== 'none') {
      const confidential = wanted === 'confidentiality';
      connection.installSecurityLayer({
        wrap: (plain) => gss.wrap(plain, confidential),
        unwrap: (sealed) => gss.unwrap(sealed),
      });
    }
    return;
  }
  throw new DirectoryReadError('protocol', 'the SASL GSSAPI bind did not finish in 8 rounds');
}
