/**
 * Which icon file shows each state: .ico on Windows (several sizes in one file), template images
 * on macOS (the menu bar tints them), PNG elsewhere. Electron picks the @2x file by itself.
 */
import { join } from 'node:path';
import type { TrayIconState } from '../../core/statusPresentation';

export function trayIconFile(
  assetsDir: string,
  state: TrayIconState,
  platform: NodeJS.Platform,
): string {
  if (platform === 'win32') return join(assetsDir, 'tray', `tray-${state}.ico`);
  if (platform === 'darwin') return join(assetsDir, 'tray', `tray-${state}Template.png`);
  return join(assetsDir, 'tray', `tray-${state}.png`);
}

export function appIconFile(assetsDir: string, platform: NodeJS.Platform): string {
  return join(assetsDir, platform === 'win32' ? 'icon.ico' : 'icon.png');
}
