/**
 * LDAPv3 messages (RFC 4511) for the few operations the directory reader needs: a SASL bind step,
 * a search, the "Who am I?" extended operation (RFC 4532) and unbind. The BER encoding comes from
 * ldapts' BerWriter/BerReader; this module only knows the LDAP shapes.
 */
import { BerReader, BerWriter } from 'ldapts';

const TAG = {
  sequence: 0x30,
  set: 0x31,
  octetString: 0x04,
  bindRequest: 0x60,
  bindResponse: 0x61,
  unbindRequest: 0x42,
  searchRequest: 0x63,
  searchEntry: 0x64,
  searchDone: 0x65,
  searchReference: 0x73,
  extendedRequest: 0x77,
  extendedResponse: 0x78,
  saslCredentials: 0xa3,
  serverSaslCreds: 0x87,
  extendedRequestName: 0x80,
  extendedResponseName: 0x8a,
  extendedResponseValue: 0x8b,
  referral: 0xa3,
  filterAnd: 0xa0,
  filterEquality: 0xa3,
  filterPresent: 0x87,
} as const;

export const RESULT_CODE = {
  success: 0,
  strongerAuthRequired: 8,
  confidentialityRequired: 13,
  saslBindInProgress: 14,
  noSuchObject: 32,
  inappropriateAuthentication: 48,
  invalidCredentials: 49,
  insufficientAccessRights: 50,
  unwillingToPerform: 53,
} as const;

export const WHO_AM_I_OID = '1.3.6.1.4.1.4203.1.11.3';

export type SearchScope = 'base' | 'subtree';

/** Only the filters the reader sends: presence, equality and their conjunction. */
export type SearchFilter =
  { present: string } | { equals: [attribute: string, value: string] } | { and: SearchFilter[] };

export interface SearchRequest {
  base: string;
  scope: SearchScope;
  filter: SearchFilter;
  attributes: readonly string[];
  sizeLimit: number;
}

export interface SearchEntry {
  dn: string;
  /** Attribute values as raw bytes, keyed by the attribute name as the server spelled it. */
  attributes: Map<string, Buffer[]>;
}

/** A response PDU: an entry of a search, or the result that ends an operation. */
export type LdapResponse =
  | { messageId: number; kind: 'entry'; entry: SearchEntry }
  | { messageId: number; kind: 'reference' }
  | { messageId: number; kind: 'result'; result: LdapResult };

export interface LdapResult {
  operation: 'bind' | 'search' | 'extended' | 'other';
  resultCode: number;
  diagnosticMessage: string;
  /** Bind: the server's SASL credentials (raw bytes). Extended: the response value. */
  value: Buffer | null;
}

export class LdapProtocolError extends Error {
  override readonly name = 'LdapProtocolError';
}

function envelope(messageId: number, body: (writer: BerWriter) => void): Buffer {
  const writer = new BerWriter();
  writer.startSequence(TAG.sequence);
  writer.writeInt(messageId);
  body(writer);
  writer.endSequence();
  return writer.buffer;
}

/** One SASL bind request; `credentials` null for the first step of a mechanism without data. */
export function encodeSaslBind(
  messageId: number,
  mechanism: string,
  credentials: Buffer | null,
): Buffer {
  return envelope(messageId, (writer) => {
    writer.startSequence(TAG.bindRequest);
    writer.writeInt(3);
    writer.writeString('');
    writer.startSequence(TAG.saslCredentials);
    writer.writeString(mechanism);
    if (credentials) writer.writeBuffer(credentials, TAG.octetString);
    writer.endSequence();
    writer.endSequence();
  });
}

function writeFilter(writer: BerWriter, filter: SearchFilter): void {
  if ('present' in filter) {
    writer.writeString(filter.present, TAG.filterPresent);
  } else if ('equals' in filter) {
    writer.startSequence(TAG.filterEquality);
    writer.writeString(filter.equals[0]);
    writer.writeString(filter.equals[1]);
    writer.endSequence();
  } else {
    writer.startSequence(TAG.filterAnd);
    for (const part of filter.and) writeFilter(writer, part);
    writer.endSequence();
  }
}

export function encodeSearch(messageId: number, request: SearchRequest): Buffer {
  return envelope(messageId, (writer) => {
    writer.startSequence(TAG.searchRequest);
    writer.writeString(request.base);
    writer.writeEnumeration(request.scope === 'base' ? 0 : 2);
    writer.writeEnumeration(0); // never dereference aliases
    writer.writeInt(request.sizeLimit);
    writer.writeInt(0); // no server time limit: the client enforces its own
    writer.writeBoolean(false); // types and values
    writeFilter(writer, request.filter);
    writer.startSequence(TAG.sequence);
    for (const attribute of request.attributes) writer.writeString(attribute);
    writer.endSequence();
    writer.endSequence();
  });
}

export function encodeWhoAmI(messageId: number): Buffer {
  return envelope(messageId, (writer) => {
    writer.startSequence(TAG.extendedRequest);
    writer.writeString(WHO_AM_I_OID, TAG.extendedRequestName);
    writer.endSequence();
  });
}

export function encodeUnbind(messageId: number): Buffer {
  return envelope(messageId, (writer) => {
    writer.writeByte(TAG.unbindRequest);
    writer.writeByte(0);
  });
}

/**
 * The length of the first complete BER element in `buffer` (tag, length, content), or null while
 * more bytes are needed. Used to cut the byte stream into LDAP messages.
 */
export function completeElementLength(buffer: Buffer): number | null {
  if (buffer.length < 2) return null;
  const first = buffer[1] as number;
  let header = 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new LdapProtocolError('unsupported BER length encoding');
    if (buffer.length < 2 + count) return null;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (buffer[2 + i] as number);
    header += count;
  }
  return buffer.length < header + length ? null : header + length;
}

function must<T>(value: T | null, what: string): T {
  if (value === null) throw new LdapProtocolError(`truncated LDAP message (${what})`);
  return value;
}

function readEntry(reader: BerReader): SearchEntry {
  must(reader.readSequence(TAG.searchEntry), 'entry');
  const dn = must(reader.readString(), 'entry name');
  const attributes = new Map<string, Buffer[]>();
  must(reader.readSequence(TAG.sequence), 'attribute list');
  const listEnd = reader.offset + reader.length;
  while (reader.offset < listEnd) {
    must(reader.readSequence(TAG.sequence), 'attribute');
    const type = must(reader.readString(), 'attribute type');
    must(reader.readSequence(TAG.set), 'attribute values');
    const valuesEnd = reader.offset + reader.length;
    const values: Buffer[] = [];
    while (reader.offset < valuesEnd) {
      values.push(Buffer.from(must(reader.readString(TAG.octetString, true), 'value')));
    }
    attributes.set(type, values);
  }
  return { dn, attributes };
}

const OPERATION_BY_TAG: Record<number, LdapResult['operation']> = {
  [TAG.bindResponse]: 'bind',
  [TAG.searchDone]: 'search',
  [TAG.extendedResponse]: 'extended',
};

/** Decodes one complete LDAP message (as cut by completeElementLength). */
export function decodeResponse(pdu: Buffer): LdapResponse {
  const reader = new BerReader(pdu);
  must(reader.readSequence(TAG.sequence), 'message');
  const messageId = must(reader.readInt(), 'message id');
  const tag = must(reader.peek(), 'operation');
  if (tag === TAG.searchEntry) return { messageId, kind: 'entry', entry: readEntry(reader) };
  if (tag === TAG.searchReference) return { messageId, kind: 'reference' };
  must(reader.readSequence(tag), 'result');
  const end = reader.offset + reader.length;
  const resultCode = must(reader.readEnumeration(), 'result code');
  must(reader.readString(), 'matched DN');
  const diagnosticMessage = must(reader.readString(), 'diagnostic message');
  let value: Buffer | null = null;
  while (reader.offset < end) {
    const next = must(reader.peek(), 'result field');
    if (tag === TAG.bindResponse && next === TAG.serverSaslCreds) {
      value = Buffer.from(must(reader.readString(next, true), 'server SASL credentials'));
    } else if (tag === TAG.extendedResponse && next === TAG.extendedResponseValue) {
      value = Buffer.from(must(reader.readString(next, true), 'extended response value'));
    } else {
      // referral, response name: skip the element
      must(reader.readString(next, true), 'result field');
    }
  }
  return {
    messageId,
    kind: 'result',
    result: { operation: OPERATION_BY_TAG[tag] ?? 'other', resultCode, diagnosticMessage, value },
  };
}
