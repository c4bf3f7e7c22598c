/**
 * Every platform: read the user's own entry from one domain controller over ldap://389 with SASL
 * GSSAPI and an integrity layer, using the logon session's Kerberos ticket through the platform's
 * security provider. The TCP connection comes first, so off the corporate network the read fails
 * fast and the KDC is never contacted.
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
import { LdapConnection } from './ldapConnection';
import { RESULT_CODE, type SearchEntry, type SearchRequest } from './ldapMessages';
import { bindWithGssapi, type SaslSecurityLayer } from './saslGssapi';
import type { SecurityContext, SecurityProvider } from './securityProvider';

export interface ServerTarget {
  /** The DC's DNS name: the Kerberos service is ldap@<host>. */
  host: string;
  /** Where to connect (defaults to host). */
  address?: string;
  port?: number;
}

export interface ReadOptions {
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

/**
 * The authorization identity the logon session stands for: the server's WhoAmI answer, else the
 * provider's name for the user, a Windows account name ("CORP\alice") put in the same "u:" form.
 */
export function authzIdFrom(whoAmI: string | null, initiator: string | null): string | null {
  if (whoAmI) return whoAmI;
  return initiator && /^[^@\\]+\\[^@\\]+$/.test(initiator) ? `u:${initiator}` : null;
}

/** A base search for some attributes of one entry. */
function baseSearch(base: string, attributes: readonly string[]): SearchRequest {
  return { base, scope: 'base', filter: { present: 'objectClass' }, attributes, sizeLimit: 1 };
}

/** The user's entry by DN (WhoAmI named it) or else by account name under the naming context. */
function ownEntrySearch(namingContext: string, ownDn: string | null, account: string | null) {
  if (ownDn) return baseSearch(ownDn, OWN_ENTRY_ATTRIBUTES);
  const request: SearchRequest = {
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
  };
  return request;
}

/** After the bind: who the session is, then the own entry and the domain head. */
async function readAfterBind(
  connection: LdapConnection,
  context: SecurityContext,
): Promise<DirectoryEntry> {
  // Independent requests go out together (LDAP allows several outstanding): two round trips
  // after the bind instead of four.
  const [[rootDse], who] = await Promise.all([
    searchOrFail(connection, baseSearch('', ['defaultNamingContext']), 'the rootDSE'),
    whoAmI(connection),
  ]);
  const namingContext = rootDse?.attributes.get('defaultNamingContext')?.[0]?.toString('utf8');
  if (!namingContext) {
    throw new DirectoryReadError('protocol', 'the rootDSE names no defaultNamingContext');
  }

  const ownDn = dnFromWhoAmI(who);
  const initiator = ownDn ? null : context.initiatorName();
  const account = accountNameFrom(authzIdFrom(who, initiator), initiator);
  const [users, [head]] = await Promise.all([
    searchOrFail(connection, ownEntrySearch(namingContext, ownDn, account), 'the own entry'),
    searchOrFail(connection, baseSearch(namingContext, DOMAIN_HEAD_ATTRIBUTES), 'the domain head'),
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
}

export async function readOwnEntry(
  target: ServerTarget,
  options: ReadOptions,
  provider: SecurityProvider,
): Promise<DirectoryEntry> {
  const connection = await LdapConnection.connect({
    server: target.host,
    address: target.address ?? target.host,
    port: target.port ?? 389,
    connectTimeoutMs: options.connectTimeoutMs,
    operationTimeoutMs: options.operationTimeoutMs,
  });
  let context: SecurityContext | null = null;
  try {
    context = provider.contextFor(target.host);
    await bindWithGssapi(connection, context, options.securityLayer);
    return await readAfterBind(connection, context);
  } finally {
    connection.close();
    context?.dispose();
  }
}
