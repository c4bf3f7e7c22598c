/**
 * Windows: wldap32 through koffi, with the current logon session (LDAP_AUTH_NEGOTIATE, no
 * credentials passed), signing on, a connect timeout, and the user's DN from secur32. Windows does
 * DC location, ticket renewal and signing itself. Runs only on Windows, inside the worker thread.
 */
import { koffi, type Koffi } from '../nativeFfi';
import type { DirectoryEntry } from '../../../core/directory';
import { DOMAIN_HEAD_ATTRIBUTES, ownEntryFrom, OWN_ENTRY_ATTRIBUTES } from '../ownEntry';
import { DirectoryReadError } from '../readFailure';
import {
  attributeList,
  initArguments,
  LDAP_AUTH_NEGOTIATE,
  LDAP_OPT,
  LDAP_SCOPE_BASE,
  NAME_FULLY_QUALIFIED_DN,
  timevalFor,
  windowsFailureKind,
  type WindowsStep,
} from './wldap32Values';

type Native = (...args: unknown[]) => unknown;

interface Wldap32 {
  init: Native;
  setOptionValue: Native;
  setOptionPointer: Native;
  getOptionString: Native;
  connect: Native;
  bind: Native;
  search: Native;
  firstEntry: Native;
  getValues: Native;
  countValues: Native;
  freeValues: Native;
  msgFree: Native;
  unbind: Native;
  lastError: Native;
  errorString: Native;
  userNameEx: Native;
}

let api: Wldap32 | null = null;

function load(): Wldap32 {
  if (api) return api;
  let ldap: Koffi.LibraryHandle;
  let secur32: Koffi.LibraryHandle;
  try {
    ldap = koffi.load('wldap32.dll');
    secur32 = koffi.load('secur32.dll');
  } catch (error) {
    throw new DirectoryReadError('unavailable', 'wldap32.dll cannot be loaded', { cause: error });
  }
  koffi.struct('sia_l_timeval', { tv_sec: 'int32_t', tv_usec: 'int32_t' });
  koffi.struct('sia_berval', { bv_len: 'uint32_t', bv_val: 'void *' });
  const fn = (lib: Koffi.LibraryHandle, signature: string): Native => lib.func(signature);
  api = {
    init: fn(ldap, 'void *ldap_initW(const char16_t *host, uint32_t port)'),
    setOptionValue: fn(ldap, 'uint32_t ldap_set_optionW(void *ld, int option, uintptr_t value)'),
    setOptionPointer: fn(
      ldap,
      'uint32_t ldap_set_optionW(void *ld, int option, _In_ uint32_t *value)',
    ),
    getOptionString: fn(
      ldap,
      'uint32_t ldap_get_optionW(void *ld, int option, _Out_ char16_t **value)',
    ),
    connect: fn(ldap, 'uint32_t ldap_connect(void *ld, sia_l_timeval *timeout)'),
    bind: fn(
      ldap,
      'uint32_t ldap_bind_sW(void *ld, const char16_t *dn, void *cred, uint32_t method)',
    ),
    search: fn(
      ldap,
      'uint32_t ldap_search_ext_sW(void *ld, const char16_t *base, uint32_t scope, const char16_t *filter, const char16_t **attrs, uint32_t attrsonly, void *server_controls, void *client_controls, sia_l_timeval *timeout, uint32_t size_limit, _Out_ void **result)',
    ),
    firstEntry: fn(ldap, 'void *ldap_first_entry(void *ld, void *result)'),
    getValues: fn(ldap, 'void *ldap_get_values_lenW(void *ld, void *entry, const char16_t *attr)'),
    countValues: fn(ldap, 'uint32_t ldap_count_values_len(void *values)'),
    freeValues: fn(ldap, 'uint32_t ldap_value_free_len(void *values)'),
    msgFree: fn(ldap, 'uint32_t ldap_msgfree(void *result)'),
    unbind: fn(ldap, 'uint32_t ldap_unbind(void *ld)'),
    lastError: fn(ldap, 'uint32_t LdapGetLastError()'),
    errorString: fn(ldap, 'const char16_t *ldap_err2stringW(uint32_t code)'),
    userNameEx: fn(
      secur32,
      'bool GetUserNameExW(int format, void *buffer, _Inout_ uint32_t *size)',
    ),
  };
  return api;
}

function fail(lib: Wldap32, step: WindowsStep, code: number, what: string): DirectoryReadError {
  const text = lib.errorString(code);
  return new DirectoryReadError(
    windowsFailureKind(step, code),
    `${what}: ${typeof text === 'string' ? text : 'error'} (0x${code.toString(16)})`,
  );
}

/** The signed-in user's DN ("CN=Alice,OU=Staff,DC=corp,DC=example,DC=com"). */
function ownDistinguishedName(lib: Wldap32): string {
  const capacity = 1024;
  const size = [capacity];
  const buffer = Buffer.alloc(capacity * 2);
  if (!lib.userNameEx(NAME_FULLY_QUALIFIED_DN, buffer, size)) {
    throw new DirectoryReadError('not-found', 'the logon session has no directory DN');
  }
  return buffer.toString('utf16le', 0, (size[0] ?? 0) * 2);
}

function readValues(lib: Wldap32, ld: unknown, entry: unknown, names: readonly string[]) {
  const attributes = new Map<string, Buffer[]>();
  for (const name of names) {
    const values = lib.getValues(ld, entry, name);
    if (!values) continue;
    try {
      const count = lib.countValues(values) as number;
      const pointers = koffi.decode(values, 'void *', count) as unknown[];
      attributes.set(
        name,
        pointers.map((pointer) => {
          const berval = koffi.decode(pointer, 'sia_berval') as { bv_len: number; bv_val: unknown };
          return Buffer.from(koffi.decode(berval.bv_val, 'uint8_t', berval.bv_len) as number[]);
        }),
      );
    } finally {
      lib.freeValues(values);
    }
  }
  return attributes;
}

function baseSearch(
  lib: Wldap32,
  ld: unknown,
  base: string,
  names: readonly string[],
  timeoutMs: number,
): Map<string, Buffer[]> | null {
  const result = [null];
  const code = lib.search(
    ld,
    base,
    LDAP_SCOPE_BASE,
    '(objectClass=*)',
    attributeList(names),
    0,
    null,
    null,
    timevalFor(timeoutMs),
    1,
    result,
  ) as number;
  try {
    if (code !== 0) throw fail(lib, 'search', code, `search of ${base}`);
    const entry = lib.firstEntry(ld, result[0]);
    return entry ? readValues(lib, ld, entry, names) : null;
  } finally {
    if (result[0]) lib.msgFree(result[0]);
  }
}

export function readOwnEntryWindows(
  server: string | null,
  timeouts: { connectTimeoutMs: number; operationTimeoutMs: number },
): { entry: DirectoryEntry; server: string } {
  const lib = load();
  const { host, port } = initArguments(server);
  const ld = lib.init(host, port);
  if (!ld) throw fail(lib, 'init', lib.lastError() as number, 'ldap_initW');
  try {
    lib.setOptionPointer(ld, LDAP_OPT.protocolVersion, [3]);
    lib.setOptionValue(ld, LDAP_OPT.referrals, 0);
    let code = lib.setOptionValue(ld, LDAP_OPT.sign, 1) as number;
    if (code !== 0) throw fail(lib, 'init', code, 'LDAP signing cannot be switched on');
    code = lib.connect(ld, timevalFor(timeouts.connectTimeoutMs)) as number;
    if (code !== 0) throw fail(lib, 'connect', code, `connect to ${host ?? 'a domain controller'}`);
    const chosen = [null];
    lib.getOptionString(ld, LDAP_OPT.hostName, chosen);
    const answered = typeof chosen[0] === 'string' ? chosen[0] : (host ?? 'domain controller');
    code = lib.bind(ld, null, null, LDAP_AUTH_NEGOTIATE) as number;
    if (code !== 0) throw fail(lib, 'bind', code, `bind to ${answered} with the logon session`);

    const dn = ownDistinguishedName(lib);
    const user = baseSearch(lib, ld, dn, OWN_ENTRY_ATTRIBUTES, timeouts.operationTimeoutMs);
    if (!user) throw new DirectoryReadError('not-found', `no entry at ${dn}`);
    const root = baseSearch(lib, ld, '', ['defaultNamingContext'], timeouts.operationTimeoutMs);
    const namingContext = root?.get('defaultNamingContext')?.[0]?.toString('utf8');
    const head = namingContext
      ? baseSearch(lib, ld, namingContext, DOMAIN_HEAD_ATTRIBUTES, timeouts.operationTimeoutMs)
      : null;
    return { entry: ownEntryFrom(dn, user, head), server: answered };
  } finally {
    lib.unbind(ld);
  }
}
