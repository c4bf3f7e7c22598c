/**
 * macOS and Linux: read the user's own entry from one domain controller over ldap://389 with SASL
 * GSSAPI and an integrity layer, using the user's Kerberos ticket. The TCP connection comes first,
 * so off the corporate network the read fails fast and the KDC is never contacted.
 */
import type { DirectoryEntry } from '../../../core/directory';
import {
  accountNameFrom,
  dnFromWhoAmI,
  DOMAIN_HEAD_ATTRIBUTES,
  ownEntryFrom,
  OWN_ENTRY_ATTRIBUTES,
} from '../ownEntry';
import { DirectoryReadError } from '../readFailure';
import { GssInitiator } from './gssapi';
import { LdapConnection } from './ldapConnection';
import { RESULT_CODE, type SearchEntry, type SearchRequest } from './ldapMessages';
import { bindWithGssapi, type SaslSecurityLayer } from './saslGssapi';

export interface ServerTarget {
  /** The DC's DNS name: the Kerberos service is ldap@<host>. */
  host: string;
  /** Where to connect (defaults to host). */
  address?: string;
  port?: number;
}

export interface UnixReadOptions {
  connectTimeoutMs: number;
  operationTimeoutMs: number;
  /** 'integrity' in the product; 'none' exists to prove that a DC refuses an unsigned bind. */
  securityLayer: SaslSecurityLayer;
}

async function searchOrFail(
  connection: LdapConnection,
  request: SearchRequest,
  what: string,
): Promise<SearchEntry[]> {
  const { result, entries } = await connection.search(request);
  if (result.resultCode === RESULT_CODE.noSuchObject) return [];
  if (result.resultCode !== RESULT_CODE.success) {
    const kind =
      result.resultCode === RESULT_CODE.insufficientAccessRights ? 'not-found' : 'protocol';
    throw new DirectoryReadError(
      kind,
      `search for ${what} failed (result ${result.resultCode}): ${result.diagnosticMessage}`,
    );
  }
  return entries;
}

async function whoAmI(connection: LdapConnection): Promise<string | null> {
  const result = await connection.whoAmI();
  // Samba 4.17 does not support the operation; AD answers "u:DOMAIN\name".
  return result.resultCode === RESULT_CODE.success && result.value
    ? result.value.toString('utf8')
    : null;
}

export async function readOwnEntryUnix(
  target: ServerTarget,
  options: UnixReadOptions,
): Promise<DirectoryEntry> {
  const connection = await LdapConnection.connect({
    server: target.host,
    address: target.address ?? target.host,
    port: target.port ?? 389,
    connectTimeoutMs: options.connectTimeoutMs,
    operationTimeoutMs: options.operationTimeoutMs,
  });
  let gss: GssInitiator | null = null;
  try {
    gss = new GssInitiator(`ldap@${target.host}`);
    await bindWithGssapi(connection, gss, options.securityLayer);

    // Independent requests go out together (LDAP allows several outstanding): two round trips
    // after the bind instead of four.
    const [[rootDse], who] = await Promise.all([
      searchOrFail(
        connection,
        {
          base: '',
          scope: 'base',
          filter: { present: 'objectClass' },
          attributes: ['defaultNamingContext'],
          sizeLimit: 1,
        },
        'the rootDSE',
      ),
      whoAmI(connection),
    ]);
    const namingContext = rootDse?.attributes.get('defaultNamingContext')?.[0]?.toString('utf8');
    if (!namingContext) {
      throw new DirectoryReadError('protocol', 'the rootDSE names no defaultNamingContext');
    }

    const ownDn = dnFromWhoAmI(who);
    const account = accountNameFrom(who, ownDn ? null : gss.initiatorName());
    const [users, [head]] = await Promise.all([
      ownDn
        ? searchOrFail(
            connection,
            {
              base: ownDn,
              scope: 'base',
              filter: { present: 'objectClass' },
              attributes: OWN_ENTRY_ATTRIBUTES,
              sizeLimit: 1,
            },
            'the own entry',
          )
        : searchOrFail(
            connection,
            {
              base: namingContext,
              scope: 'subtree',
              filter: {
                and: [
                  { equals: ['objectCategory', 'person'] },
                  { equals: ['sAMAccountName', account ?? ''] },
                ],
              },
              attributes: OWN_ENTRY_ATTRIBUTES,
              sizeLimit: 2,
            },
            'the own entry',
          ),
      searchOrFail(
        connection,
        {
          base: namingContext,
          scope: 'base',
          filter: { present: 'objectClass' },
          attributes: DOMAIN_HEAD_ATTRIBUTES,
          sizeLimit: 1,
        },
        'the domain head',
      ),
    ]);
    const user = users[0];
    if (!user || (!ownDn && !account)) {
      throw new DirectoryReadError(
        'not-found',
        `no entry found for ${account ?? ownDn ?? 'the ticket user'} under ${namingContext}`,
      );
    }
    if (users.length > 1) {
      throw new DirectoryReadError('protocol', `more than one entry for ${account ?? ''}`);
    }
    try {
      return ownEntryFrom(user.dn, user.attributes, head?.attributes ?? null);
    } catch (error) {
      throw new DirectoryReadError('protocol', (error as Error).message, { cause: error });
    }
  } finally {
    connection.close();
    gss?.dispose();
  }
}
