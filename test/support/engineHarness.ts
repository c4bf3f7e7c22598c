/**
 * Runs the real engine (real MSAL, the real OS keyring, HTTPS) and the built headless command
 * against a demo tenant, with a clock both sides share.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../../src/core/config';
import type { AssistantConfig } from '../../src/core/config';
import type { Logger } from '../../src/core/ports';
import type { StatusReport } from '../../src/core/model';
import { createEngine } from '../../src/main/engine';
import type { Engine, EngineOptions } from '../../src/main/engine';
import type { DemoScenario, DemoTenant } from '../../src/demo/tenant';
import { startTestTenant } from './demoTenant';
import type { TestTenantOptions } from './demoTenant';

export const CLI = resolve(__dirname, '..', '..', 'dist', 'cli', 'signinAssistant.js');

/** A clock the tenant and the engine share, so a test can move both days ahead. */
export class SharedClock {
  offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advanceDays(days: number): void {
    this.offsetMs += days * 24 * 60 * 60 * 1000;
  }
}

export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface Setup {
  tenant: DemoTenant;
  clock: SharedClock;
  settings: Partial<AssistantConfig>;
  config: AssistantConfig;
  close(): Promise<void>;
}

export async function setUp(
  tenantOptions: TestTenantOptions = {},
  overrides: Partial<AssistantConfig> = {},
): Promise<Setup> {
  const clock = new SharedClock();
  const tenant = await startTestTenant({ now: clock.now, ...tenantOptions });
  const settings: Partial<AssistantConfig> = {
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    authority: tenant.origin,
    graphEndpoint: tenant.graphEndpoint,
    changePasswordUrl: tenant.changePasswordUrl,
    ...overrides,
  };
  const { config } = resolveConfig([{ source: 'test', values: settings }], { requireTenant: true });
  return { tenant, clock, settings, config, close: () => tenant.close() };
}

export async function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sia-home-'));
}

export async function engineFor(
  setup: Setup,
  home: string,
  extra: Partial<EngineOptions> = {},
): Promise<Engine> {
  return createEngine({
    config: setup.config,
    home,
    timeZone: 'UTC',
    clock: { now: setup.clock.now },
    logger: quietLogger,
    openBrowser: () => Promise.reject(new Error('no browser in this test')),
    broker: 'off',
    ...extra,
  });
}

/** Device-code sign-in, approved on the tenant as the user would on another device. */
export function signInWithDeviceCode(
  engine: Engine,
  tenant: DemoTenant,
  username: string,
): Promise<StatusReport> {
  return engine.signIn({
    onDeviceCode: (message) => {
      const code = /enter the code (\S+)/.exec(message)?.[1];
      if (!code) throw new Error(`No user code in: ${message}`);
      setImmediate(() => tenant.approveDeviceCode(code, username));
    },
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built command as a separate process, as IT scripts do. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr?: (text: string) => void,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A settings file and a data folder for command runs. */
export async function cliEnv(setup: Setup, home?: string): Promise<NodeJS.ProcessEnv> {
  const dir = home ?? (await tempHome());
  const configFile = join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify(setup.settings));
  return { SIGNIN_ASSISTANT_HOME: dir, SIGNIN_ASSISTANT_CONFIG: configFile, TZ: 'UTC' };
}

/** `sign-in --device-code` in a child process, approving the code it prints. */
export function cliSignIn(
  setup: Setup,
  env: NodeJS.ProcessEnv,
  username: string,
): Promise<CliResult> {
  let approved = false;
  return runCli(['sign-in', '--device-code'], env, (stderr) => {
    const code = /enter the code (\S+)/.exec(stderr)?.[1];
    if (code && !approved) {
      approved = true;
      setup.tenant.approveDeviceCode(code, username);
    }
  });
}

/** A fresh data folder, an engine on it, and a device-code sign-in of a seeded account. */
export async function signedInEngine(
  setup: Setup,
  scenario: DemoScenario,
  options: { home?: string; extra?: Partial<EngineOptions> } = {},
): Promise<{ engine: Engine; home: string; report: StatusReport; username: string }> {
  const home = options.home ?? (await tempHome());
  const engine = await engineFor(setup, home, options.extra);
  const username = setup.tenant.account(scenario).username;
  const report = await signInWithDeviceCode(engine, setup.tenant, username);
  return { engine, home, report, username };
}
