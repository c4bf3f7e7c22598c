/** ipcMain behind the port: passes on who sent a message (web contents, frame) and its one payload. */
import { ipcMain } from 'electron';
import type { IpcPort } from '../tray/desktopPorts';

/** A payload that no validator accepts: sent on when a message carries extra arguments. */
const TOO_MANY_ARGUMENTS = Object.freeze({ tooManyArguments: true });

export const electronIpc: IpcPort = {
  handle(channel, handler) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      const frame = event.senderFrame;
      // The frame tree node id is browser-wide unique: only the contents' own main frame matches.
      // Contents closed meanwhile answer for nobody (their main frame can no longer be read).
      let mainFrame = false;
      try {
        mainFrame =
          frame !== null &&
          !event.sender.isDestroyed() &&
          frame.frameTreeNodeId === event.sender.mainFrame.frameTreeNodeId;
      } catch {
        mainFrame = false;
      }
      return handler(
        { contentsId: event.sender.id, mainFrame, frameUrl: frame?.url ?? null },
        args.length <= 1 ? args[0] : TOO_MANY_ARGUMENTS,
      );
    });
    return () => ipcMain.removeHandler(channel);
  },
};
