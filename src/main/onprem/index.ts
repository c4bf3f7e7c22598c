export { createDirectorySource, type DirectorySourceOptions } from './directorySource';
export type { SaslSecurityLayer } from './ldap/saslGssapi';
