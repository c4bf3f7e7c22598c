/** The Electron Tray behind the port: icon per state, tooltip, menu and Windows balloons. */
import { Menu, Tray, nativeImage } from 'electron';
import type { TrayIconState } from '../../core/statusPresentation';
import type { MenuItemSpec, TrayEvent, TrayPort } from '../tray/desktopPorts';
import { trayIconFile } from '../tray/trayIcons';

export function createElectronTray(assetsDir: string, platform: NodeJS.Platform): TrayPort {
  const imageFor = (state: TrayIconState) => {
    const image = nativeImage.createFromPath(trayIconFile(assetsDir, state, platform));
    if (platform === 'darwin') image.setTemplateImage(true);
    return image;
  };
  const tray = new Tray(imageFor('signed-out'));
  let shown: TrayIconState = 'signed-out';
  return {
    setIcon(state) {
      if (state === shown) return;
      shown = state;
      tray.setImage(imageFor(state));
    },
    setToolTip: (text) => tray.setToolTip(text),
    setMenu(items: readonly MenuItemSpec[]) {
      tray.setContextMenu(
        Menu.buildFromTemplate(
          items.map((item) => ({
            id: item.id,
            type: item.type,
            label: item.label,
            enabled: item.enabled,
            ...(item.type === 'checkbox' ? { checked: item.checked ?? false } : {}),
            ...(item.click ? { click: item.click } : {}),
          })),
        ),
      );
    },
    displayBalloon({ title, content }) {
      tray.displayBalloon({ title, content, iconType: 'warning', respectQuietTime: true });
    },
    removeBalloon: () => tray.removeBalloon(),
    on(event: TrayEvent, listener) {
      // macOS opens the menu on click; opening the window too would be two things at once.
      if (event === 'click' && platform === 'darwin') return () => undefined;
      tray.on(event as 'click', listener);
      return () => {
        if (!tray.isDestroyed()) tray.removeListener(event as 'click', listener);
      };
    },
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
