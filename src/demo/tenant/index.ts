/** The demo tenant: a loopback stand-in for Microsoft Entra ID and Microsoft Graph. */
export { startDemoTenant, type DemoTenant, type DemoTenantOptions } from './server';
export { DEMO_DOMAIN, DEMO_PASSWORD, type DemoAccountInfo, type DemoScenario } from './accounts';
export { FAULT_ROUTES, type Fault, type FaultRoute } from './faults';
export type { RequestLogEntry } from './http';
export type { DeviceCodeApproval } from './deviceLogin';
export type { AccountFacts } from './admin';
export type { DomainPolicy } from './context';
