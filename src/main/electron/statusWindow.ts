/** Creates the status window with the fixed security settings, loading our page from disk. */
import { BrowserWindow } from 'electron';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../core/ports';
import type { StatusWindowPort, WindowFactoryPort } from '../tray/desktopPorts';
import { guardWebContents, statusWindowOptions } from './windowSecurity';

export function createStatusWindowFactory(options: {
  indexHtmlPath: string;
  preloadPath: string;
  iconPath: string | null;
  /** Electron's `app.isPackaged`: developer tools only when false. */
  packaged: boolean;
  logger: Logger;
}): WindowFactoryPort {
  const appPageUrl = pathToFileURL(options.indexHtmlPath).href;
  return {
    appPageUrl,
    createStatusWindow(): StatusWindowPort {
      const window = new BrowserWindow({
        ...statusWindowOptions(options.preloadPath, { packaged: options.packaged }),
        ...(options.iconPath ? { icon: options.iconPath } : {}),
      });
      guardWebContents(window.webContents, appPageUrl, (what, url) =>
        options.logger.warn('refused in the status window', { what, url: url.slice(0, 200) }),
      );
      window.once('ready-to-show', () => window.show());
      window.loadFile(options.indexHtmlPath).catch((error: unknown) => {
        options.logger.error('status window page did not load', { error: String(error) });
      });
      return {
        contentsId: window.webContents.id,
        showAndFocus() {
          if (window.isMinimized()) window.restore();
          if (window.webContents.isLoading()) return; // ready-to-show will show it
          window.show();
          window.focus();
        },
        isDestroyed: () => window.isDestroyed(),
        send(channel, payload) {
          if (!window.isDestroyed()) window.webContents.send(channel, payload);
        },
        onClosed(listener) {
          window.on('closed', listener);
          return () => {
            if (!window.isDestroyed()) window.removeListener('closed', listener);
          };
        },
        close: () => window.close(),
      };
    },
  };
}
