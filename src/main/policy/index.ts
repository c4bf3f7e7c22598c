export {
  createPolicySource,
  fromRegistry,
  LINUX_POLICY_FILE,
  MANAGED_PREFERENCES_DIR,
  MANAGED_PREFERENCES_DOMAIN,
  POLICY_REGISTRY_KEY,
  type PolicySourceOptions,
} from './policySource';
export {
  createNativeRegistryReader,
  type RegistryHive,
  type RegistryReader,
  type RegistryValue,
} from './registryReader';
export { createPlistFileReader, type PlistReader } from './plistReader';
