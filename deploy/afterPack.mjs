// @ts-check
// Packaging step: switches off the Electron features Sign-In Assistant does not use, so the signed
// binary cannot be turned into a general-purpose Node runtime or debugged through its arguments.
import path from 'node:path';
import fuses from '@electron/fuses';

const { flipFuses, FuseVersion, FuseV1Options } = fuses;

/** The fuse settings every installer ships with. */
export const FUSE_SETTINGS = Object.freeze({
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
});

/**
 * Where the Electron binary that carries the fuses sits in the packed app.
 * @param {{ electronPlatformName: string; appOutDir: string; packager: { appInfo: { productFilename: string }; executableName?: string } }} context
 */
export function electronBinaryPath(context) {
  const { electronPlatformName, appOutDir, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName ?? productFilename);
  }
}

/**
 * The electron-builder afterPack hook.
 * @param {{ electronPlatformName: string; appOutDir: string; arch?: number; packager: { appInfo: { productFilename: string }; executableName?: string } }} context
 */
export default async function flipElectronFuses(context) {
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(electronBinaryPath(context), {
    version: FuseVersion.V1,
    // Changing the binary breaks the ad-hoc signature of Apple silicon builds; re-sign it.
    resetAdHocDarwinSignature: isMac,
    ...FUSE_SETTINGS,
  });
}
