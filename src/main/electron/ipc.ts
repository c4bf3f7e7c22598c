/** ipcMain behind the port: passes on who sent a message (top frame URL) and its one payload. */
import { ipcMain } from 'electron';
import type { IpcPort } from '../tray/desktopPorts';

/** A payload that no validator accepts: sent on when a message carries extra arguments. */
const TOO_MANY_ARGUMENTS = Object.freeze({ tooManyArguments: true });

export const electronIpc: IpcPort = {
  handle(channel, handler) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const frame = event.senderFrame;
      // Only the window's own top frame speaks for the app; an embedded frame never does.
      const frameUrl = frame && frame.parent === null ? frame.url : null;
      return handler({ frameUrl }, args.length <= 1 ? args[0] : TOO_MANY_ARGUMENTS);
    });
    return () => ipcMain.removeHandler(channel);
  },
};
