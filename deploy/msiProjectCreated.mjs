// @ts-check
// Packaging step: adds an all-users "start at sign-in" entry and a fixed version value to the MSI.
// Windows Installer owns both values, so uninstalling the MSI removes them.
import { readFile, writeFile } from 'node:fs/promises';

/** The Run key every user's sign-in reads. */
export const RUN_KEY = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';
/** The value name under the Run key (also used by the NSIS installer). */
export const RUN_VALUE_NAME = 'SignInAssistant';
/**
 * Tells the app it was started by the sign-in entry, so it can quit quietly when the user or the
 * admin turned "start at login" off.
 */
export const RUN_ARGUMENT = '--at-login';
/**
 * A fixed key with the installed version, for Intune detection rules (the uninstall entry's key is
 * the product code, which changes with every build).
 */
export const VERSION_KEY = 'Software\\SignInAssistant';
export const VERSION_VALUE_NAME = 'DisplayVersion';
/** Pinned: a component's GUID must stay the same across versions for upgrades to keep it. */
export const RUN_COMPONENT_GUID = '{66920480-9FCA-45E5-9891-1D6C34B58BE2}';

const MARKER = 'Id="runAtLoginAllUsers"';

/**
 * Returns the WiX project with the Run entry component added to the product's component group.
 * `[#mainExecutable]` is the installed path of the app's executable (its File Id in the project).
 * @param {string} wxs
 * @returns {string}
 */
export function addRunAtLoginComponent(wxs) {
  if (wxs.includes(MARKER)) return wxs;
  if (!wxs.includes('Id="mainExecutable"')) {
    throw new Error('MSI project has no File with Id="mainExecutable": cannot add the Run entry.');
  }
  const groupStart = wxs.search(/<ComponentGroup\b[^>]*\bId="ProductComponents"/);
  const groupEnd = groupStart === -1 ? -1 : wxs.indexOf('</ComponentGroup>', groupStart);
  if (groupEnd === -1) {
    throw new Error(
      'MSI project has no ComponentGroup "ProductComponents": cannot add the Run entry.',
    );
  }
  const component = [
    `  <Component ${MARKER} Guid="${RUN_COMPONENT_GUID}">`,
    `        <RegistryValue Root="HKLM" Key="${RUN_KEY}" Name="${RUN_VALUE_NAME}" Type="string" Value="&quot;[#mainExecutable]&quot; ${RUN_ARGUMENT}" KeyPath="yes"/>`,
    `        <RegistryValue Root="HKLM" Key="${VERSION_KEY}" Name="${VERSION_VALUE_NAME}" Type="string" Value="[ProductVersion]"/>`,
    '      </Component>',
    '    ',
  ].join('\n');
  return wxs.slice(0, groupEnd) + component + wxs.slice(groupEnd);
}

/**
 * The electron-builder msiProjectCreated hook: receives the path of project.wxs before WiX runs.
 * @param {string} projectFile
 */
export default async function editMsiProject(projectFile) {
  const wxs = await readFile(projectFile, 'utf8');
  await writeFile(projectFile, addRunAtLoginComponent(wxs), 'utf8');
}
