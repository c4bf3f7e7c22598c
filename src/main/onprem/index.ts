export { createDirectorySource, type DirectorySourceOptions } from './directorySource';
