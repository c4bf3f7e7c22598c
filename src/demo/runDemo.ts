/**
 * `npm run demo`: starts the built-in demo tenant on loopback and runs Sign-In Assistant
 * against it. With an Electron binary installed, the tray app; otherwise the headless command,
 * walking through every seeded account and printing what its user would see.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createDemoCertificate } from './certificate';
import { startDemoTenant } from './tenant/server';
import type { DemoTenant } from './tenant/server';

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'signinAssistant.js');

interface DemoFiles {
  certFile: string;
  configFile: string;
  dir: string;
}

async function prepare(tenant: DemoTenant, certPem: string): Promise<DemoFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'signin-assistant-demo-'));
  const certFile = join(dir, 'demo-ca.pem');
  const configFile = join(dir, 'config.json');
  await writeFile(certFile, certPem);
  await writeFile(
    configFile,
    JSON.stringify(
      {
        tenantId: tenant.tenantId,
        clientId: tenant.clientId,
        authority: tenant.authority.slice(0, tenant.authority.lastIndexOf('/')),
        graphEndpoint: tenant.graphEndpoint,
        changePasswordUrl: tenant.changePasswordUrl,
      },
      null,
      2,
    ),
  );
  return { certFile, configFile, dir };
}

/** The Electron binary, where its download ran (path.txt names it inside the package). */
function electronBinary(): string | null {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const path = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** Runs the command without blocking: this process also serves the demo tenant. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, out: out.trim() }));
  });
}

/** Signs in with the device code, approving it on the tenant as the user would on their phone. */
function signInWithDeviceCode(
  tenant: DemoTenant,
  username: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, 'sign-in', '--device-code'], { env });
    let stderr = '';
    let approved = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const code = /enter the code (\S+)/.exec(stderr)?.[1];
      if (code && !approved) {
        approved = true;
        console.log(`    ${stderr.trim()}`);
        console.log(`    (the demo enters ${code} for ${username})`);
        tenant.approveDeviceCode(code, username);
      }
    });
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(`    ${chunk.toString()}`));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code ?? -1));
  });
}

/**
 * The user synced from on-premises AD with a real date: the engine runs in its own process with
 * a demo directory stand-in injected (there is no AD here), so the shipped command stays honest.
 */
async function hybridWalkthrough(tenant: DemoTenant, files: DemoFiles): Promise<void> {
  const account = tenant.accounts.find((a) => a.scenario === 'synced-on-premises');
  if (!account) return;
  console.log(
    `── ${account.displayName} <${account.username}>, synced from on-premises AD, read through the demo directory stand-in (seeded AD entries in place of a domain controller):`,
  );
  const child = spawn(process.execPath, [join(__dirname, 'hybridDemo.js')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: files.certFile,
      SIGNIN_ASSISTANT_CONFIG: files.configFile,
      SIGNIN_ASSISTANT_HOME: join(files.dir, 'hybrid'),
      SIGNIN_ASSISTANT_DEMO_ADMIN: tenant.adminUrl,
      SIGNIN_ASSISTANT_DEMO_USER: account.username,
    },
  });
  await new Promise((resolvePromise) => child.on('close', resolvePromise));
  console.log('');
}

/** After the change: the password changed elsewhere, the user signs in again and is told once. */
async function changeWalkthrough(tenant: DemoTenant, files: DemoFiles): Promise<void> {
  const account = tenant.accounts.find((a) => a.scenario === 'expires-in-10-days');
  if (!account) return;
  const env = {
    ...process.env,
    NODE_EXTRA_CA_CERTS: files.certFile,
    SIGNIN_ASSISTANT_CONFIG: files.configFile,
    SIGNIN_ASSISTANT_HOME: join(files.dir, account.scenario),
  };
  console.log(`── ${account.displayName} changes the password on the change page:`);
  tenant.changePassword(account.username);
  console.log('  $ signin-assistant sign-in --device-code');
  console.log(`    exit code ${await signInWithDeviceCode(tenant, account.username, env)}`);
  console.log('  $ signin-assistant status');
  const status = await runCli(['status'], env);
  console.log(`    ${status.out}`);
  console.log(`    exit code ${status.code}\n`);
}

async function headlessWalkthrough(tenant: DemoTenant, files: DemoFiles): Promise<void> {
  console.log('No Electron binary here: showing the headless command against each demo account.\n');
  for (const account of tenant.accounts) {
    const env = {
      ...process.env,
      NODE_EXTRA_CA_CERTS: files.certFile,
      SIGNIN_ASSISTANT_CONFIG: files.configFile,
      SIGNIN_ASSISTANT_HOME: join(files.dir, account.scenario),
    };
    console.log(`── ${account.displayName} <${account.username}>: ${account.description}`);
    console.log('  $ signin-assistant sign-in --device-code');
    const signedIn = await signInWithDeviceCode(tenant, account.username, env);
    console.log(`    exit code ${signedIn}`);
    console.log('  $ signin-assistant status');
    const status = await runCli(['status'], env);
    console.log(`    ${status.out}`);
    const json = await runCli(['status', '--json'], env);
    const report = JSON.parse(json.out.split('\n')[0] ?? '{}') as { reminder?: { due: boolean } };
    if (report.reminder?.due)
      console.log('    A reminder is due today: the tray app would show its balloon now.');
    console.log(`    exit code ${status.code}\n`);
  }
  await hybridWalkthrough(tenant, files);
  await changeWalkthrough(tenant, files);
  const first =
    tenant.accounts.find((a) => a.scenario === 'expires-in-10-days') ?? tenant.accounts[0];
  if (first) {
    const env = {
      ...process.env,
      NODE_EXTRA_CA_CERTS: files.certFile,
      SIGNIN_ASSISTANT_CONFIG: files.configFile,
      SIGNIN_ASSISTANT_HOME: join(files.dir, first.scenario),
    };
    console.log(`What an IT script sees for ${first.username}:`);
    console.log('  $ signin-assistant status --json');
    console.log(`    ${(await runCli(['status', '--json'], env)).out}`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error('Build first: npm run build');
  const { certPem, keyPem } = await createDemoCertificate();
  // Short-lived access tokens make every status call refresh, so a password changed elsewhere
  // shows at once instead of after an hour.
  const tenant = await startDemoTenant({ certPem, keyPem, port: 0, tokenLifetimeSeconds: 60 });
  const files = await prepare(tenant, certPem);
  console.log(
    `Demo tenant running at ${tenant.authority} (loopback only; password for every account: ${tenant.accounts[0]?.password ?? ''}).`,
  );
  console.log(`Settings file: ${files.configFile}\n`);
  const electron = process.env.SIGNIN_ASSISTANT_DEMO_HEADLESS ? null : electronBinary();
  try {
    if (electron) {
      await hybridWalkthrough(tenant, files);
      console.log('Starting the tray app against the demo tenant. Quit it from its tray menu.');
      const child = spawn(electron, [root], {
        stdio: 'inherit',
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: files.certFile,
          SIGNIN_ASSISTANT_CONFIG: files.configFile,
          SIGNIN_ASSISTANT_HOME: join(files.dir, 'tray'),
        },
      });
      await new Promise((resolvePromise) => child.on('close', resolvePromise));
    } else {
      await headlessWalkthrough(tenant, files);
    }
  } finally {
    await tenant.close();
  }
}

main().catch((error: unknown) => {
  console.error(`Demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
