import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { OWN_RUN_VALUE_NAME } from '../../src/main/windowsLoginItems';
import { userDataHome } from '../../src/main/paths';

const root = join(__dirname, '..', '..');
const builderTemplates = join(root, 'node_modules', 'app-builder-lib', 'templates');

interface MsiHookModule {
  default: (projectFile: string) => Promise<void>;
  addRunAtLoginComponent: (wxs: string) => string;
  RUN_KEY: string;
  RUN_VALUE_NAME: string;
  RUN_ARGUMENT: string;
  RUN_COMPONENT_GUID: string;
}

interface AfterPackModule {
  default: (context: unknown) => Promise<void>;
  electronBinaryPath: (context: unknown) => string;
}

async function importHook<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(root, 'deploy', file)).href)) as T;
}

/**
 * A WiX project as electron-builder writes it: its own template, with the per-build parts filled
 * in the way its MSI target does for a per-machine install.
 */
function sampleWixProject(): string {
  const template = readFileSync(join(builderTemplates, 'msi', 'template.xml'), 'utf8');
  const mainExe = [
    '<Component>',
    '        <File Name="Sign-In Assistant.exe" Source="$(var.appDir)\\Sign-In Assistant.exe" ReadOnly="yes" KeyPath="yes" Id="mainExecutable">',
    '          <Shortcut Id="startMenuShortcut" Directory="ProgramMenuFolder" Name="Sign-In Assistant" WorkingDirectory="APPLICATIONFOLDER" Advertise="yes" Icon="SignInAssistantIcon.exe"/>',
    '        </File>',
    '      </Component>',
    '      <Component>',
    '        <File Name="resources.pak" Source="$(var.appDir)\\resources.pak" ReadOnly="yes" KeyPath="yes" Id="resources.pak_f"/>',
    '      </Component>',
  ].join('\n');
  // Directive lines ({{ if ... }}) are dropped, so every optional part stays in: a superset.
  return template
    .replace('{{-dirs}}', '')
    .replace('{{-files}}', mainExe)
    .replace(/^[ \t]*\{\{.*$/gm, '')
    .replace(/\$\{(\w+)\}/g, (_m, name: string) => `sample-${name}`);
}

function balanced(xml: string): boolean {
  const stack: string[] = [];
  const body = xml
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2] ?? '');
  }
  return stack.length === 0;
}

describe('MSI: all-users Run entry (msiProjectCreated)', () => {
  it('adds a registry component inside the product components, keyed to the app executable', async () => {
    const hook = await importHook<MsiHookModule>('msiProjectCreated.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-wix-'));
    const projectFile = join(dir, 'project.wxs');
    const original = sampleWixProject();
    assert.ok(balanced(original), 'the sample project is well-formed');
    writeFileSync(projectFile, original);

    await hook.default(projectFile);

    const edited = readFileSync(projectFile, 'utf8');
    assert.ok(balanced(edited), 'the edited project is well-formed');
    const group =
      /<ComponentGroup Id="ProductComponents"[^>]*>([\s\S]*?)<\/ComponentGroup>/.exec(
        edited,
      )?.[1] ?? '';
    const component = /<Component Id="runAtLoginAllUsers"[^>]*>([\s\S]*?)<\/Component>/.exec(group);
    assert.ok(component, 'the Run entry component is in the ProductComponents group');
    assert.match(
      component[0],
      /Guid="\{66920480-9FCA-45E5-9891-1D6C34B58BE2\}"/,
      'a pinned component GUID',
    );
    const value = /<RegistryValue [^>]*\/>/.exec(component[1] ?? '')?.[0] ?? '';
    assert.match(value, /Root="HKLM"/);
    assert.match(value, /Key="Software\\Microsoft\\Windows\\CurrentVersion\\Run"/);
    assert.match(value, /Name="SignInAssistant"/);
    assert.match(value, /Type="string"/);
    assert.match(
      value,
      /Value="&quot;\[#mainExecutable\]&quot; --at-login"/,
      'the quoted installed path',
    );
    assert.match(value, /KeyPath="yes"/, 'Windows Installer owns the value: uninstall removes it');
    const version = [...(component[1] ?? '').matchAll(/<RegistryValue [^>]*\/>/g)][1]?.[0] ?? '';
    assert.match(version, /Root="HKLM" Key="Software\\SignInAssistant" Name="DisplayVersion"/);
    assert.match(version, /Value="\[ProductVersion\]"/, 'for a registry detection rule');
    // Everything else is untouched.
    assert.equal(
      edited.replace(/ {2}<Component Id="runAtLoginAllUsers"[\s\S]*?<\/Component>\n {4}/, ''),
      original,
    );
  });

  it('is idempotent and refuses a project it does not understand', async () => {
    const hook = await importHook<MsiHookModule>('msiProjectCreated.mjs');
    const once = hook.addRunAtLoginComponent(sampleWixProject());
    assert.equal(hook.addRunAtLoginComponent(once), once);
    assert.equal(once.match(/runAtLoginAllUsers/g)?.length, 1);
    assert.throws(() => hook.addRunAtLoginComponent('<Wix><Product/></Wix>'), /mainExecutable/);
    assert.throws(
      () => hook.addRunAtLoginComponent('<Wix><File Id="mainExecutable"/></Wix>'),
      /ProductComponents/,
    );
  });
});

describe('NSIS: Run entry (customInstall / customUnInstall)', () => {
  const script = readFileSync(join(root, 'deploy', 'installer', 'installer.nsh'), 'utf8');
  const macro = (name: string) =>
    new RegExp(`!macro ${name}\\s*\\n([\\s\\S]*?)!macroend`).exec(script)?.[1] ?? '';

  it('uses macro names the NSIS templates of electron-builder insert', () => {
    const install = readFileSync(join(builderTemplates, 'nsis', 'installSection.nsh'), 'utf8');
    const uninstall = readFileSync(join(builderTemplates, 'nsis', 'uninstaller.nsh'), 'utf8');
    assert.match(install, /!insertmacro customInstall\b/);
    assert.match(uninstall, /!insertmacro customUnInstall\b/);
    assert.equal(script.match(/!macro /g)?.length, script.match(/!macroend/g)?.length);
  });

  it('writes the Run value of the install scope at install and deletes it at uninstall', async () => {
    const msi = await importHook<MsiHookModule>('msiProjectCreated.mjs');
    const defines = new Map(
      [...script.matchAll(/!define (\w+) "([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    const expand = (text: string) =>
      text.replace(/\$\{(SIGNIN_ASSISTANT_\w+)\}/g, (_m, n: string) => defines.get(n) ?? `?${n}`);
    const install = expand(macro('customInstall'));
    const uninstall = expand(macro('customUnInstall'));
    assert.match(
      install,
      /WriteRegStr SHCTX "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "SignInAssistant" '"\$INSTDIR\\\$\{APP_EXECUTABLE_FILENAME\}" --at-login'/,
    );
    assert.match(
      uninstall,
      /DeleteRegValue SHCTX "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "SignInAssistant"/,
    );
    // No per-user value of the app's own is left next to the installer's, and none after removal.
    const own =
      /DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "com\.signinassistant\.app"/;
    assert.match(install, own, 'install removes the duplicate an earlier version wrote');
    assert.match(uninstall, own, 'uninstall removes any per-user value the app wrote');
    const approved = (name: string) =>
      new RegExp(
        `DeleteRegValue (HKCU|SHCTX) "Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Explorer\\\\StartupApproved\\\\Run" "${name.replace(/\./g, '\\.')}"`,
      );
    assert.match(uninstall, approved('com.signinassistant.app'));
    // Task Manager's switch for the installer's value is the user's choice: it survives updates.
    assert.match(
      uninstall,
      /\$\{ifNot\} \$\{isUpdated\}\s*\n\s*DeleteRegValue SHCTX "[^"]*StartupApproved\\Run" "SignInAssistant"\s*\n\s*\$\{endIf\}/,
    );
    assert.equal(defines.get('SIGNIN_ASSISTANT_OWN_RUN_VALUE'), OWN_RUN_VALUE_NAME);
    // Both installers write the same value, so switching from one to the other leaves no duplicate.
    assert.equal(defines.get('SIGNIN_ASSISTANT_RUN_KEY'), msi.RUN_KEY);
    assert.equal(defines.get('SIGNIN_ASSISTANT_RUN_VALUE'), msi.RUN_VALUE_NAME);
    assert.ok(install.includes(msi.RUN_ARGUMENT));
  });
});

describe('fuses (afterPack)', () => {
  /** A stand-in for the Electron binary: the fuse wire as Electron ships it (all defaults). */
  function fakeElectron(path: string): void {
    const wire = Buffer.from([1, 8, 49, 48, 49, 49, 48, 48, 48, 48]);
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.alloc(64, 7),
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        wire,
        Buffer.alloc(64, 7),
      ]),
    );
  }

  it('switches off RunAsNode, NODE_OPTIONS and inspect, and enforces the asar', async () => {
    const hook = await importHook<AfterPackModule>('afterPack.mjs');
    const appOutDir = mkdtempSync(join(tmpdir(), 'signin-assistant-pack-'));
    const context = {
      electronPlatformName: 'linux',
      appOutDir,
      packager: {
        appInfo: { productFilename: 'Sign-In Assistant' },
        executableName: 'signin-assistant',
      },
    };
    const binary = join(appOutDir, 'signin-assistant');
    fakeElectron(binary);
    assert.equal(hook.electronBinaryPath(context), binary);

    await hook.default(context);

    const fuses = await getCurrentFuseWire(binary);
    const on = 49;
    const off = 48;
    assert.equal(fuses.version, FuseVersion.V1);
    assert.equal(fuses[FuseV1Options.RunAsNode], off);
    assert.equal(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable], off);
    assert.equal(fuses[FuseV1Options.EnableNodeCliInspectArguments], off);
    assert.equal(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation], on);
    assert.equal(fuses[FuseV1Options.OnlyLoadAppFromAsar], on);
    assert.equal(
      fuses[FuseV1Options.EnableCookieEncryption],
      off,
      'fuses we do not set stay as shipped',
    );
  });

  it('finds the binary on Windows and macOS', async () => {
    const hook = await importHook<AfterPackModule>('afterPack.mjs');
    const packager = { appInfo: { productFilename: 'Sign-In Assistant' } };
    assert.equal(
      hook.electronBinaryPath({
        electronPlatformName: 'win32',
        appOutDir: '/out/win-unpacked',
        packager,
      }),
      join('/out/win-unpacked', 'Sign-In Assistant.exe'),
    );
    assert.equal(
      hook.electronBinaryPath({ electronPlatformName: 'darwin', appOutDir: '/out/mac', packager }),
      join('/out/mac', 'Sign-In Assistant.app'),
    );
  });
});

describe('the user data clean-up after uninstalling', () => {
  const script = readFileSync(join(root, 'deploy', 'Remove-SignInAssistantUserData.ps1'), 'utf8');
  const body = script.replace(/<#[\s\S]*?#>/, '');

  it("removes the data folder the app uses, the older ones, and a user's own Run value", () => {
    // The folder name the app uses under Local AppData.
    const home = userDataHome({ LOCALAPPDATA: 'LOCAL' }, 'win32', 'HOME');
    assert.match(home, /^LOCAL[\\/]SignInAssistant$/);
    assert.match(body, /'AppData\\Local\\SignInAssistant'/);
    assert.match(body, /'AppData\\Roaming\\SignInAssistant'/);
    assert.match(body, new RegExp(`-Name '${OWN_RUN_VALUE_NAME.replace(/\./g, '\\.')}'`));
    assert.match(body, /-ArgumentList 'sign-out'/);
    assert.ok(
      body.indexOf("'sign-out'") < body.indexOf('Join-Path $env:USERPROFILE'),
      "signs out before removing the user's folders",
    );
    assert.match(body, /\$env:ProgramW6432/);
  });
});
