/**
 * Answers the status window. Every message is checked twice before any work is done: it must
 * come from the status window's own web contents and main frame, and its payload (received as `unknown`) must pass the contract's
 * validator. Anything else is refused and logged.
 */
import { REQUEST_CHANNELS, REQUEST_VALIDATORS } from '../../core/ipcContract';
import type { RequestChannel, RequestOf, ResponseOf } from '../../core/ipcContract';
import type { Logger } from '../../core/ports';
import type { IpcPort, IpcSender, Unsubscribe } from './desktopPorts';

export type IpcHandlers = {
  readonly [K in RequestChannel]: (payload: RequestOf<K>) => Promise<ResponseOf<K>>;
};

export class IpcRefusedError extends Error {
  constructor(channel: string, why: string) {
    super(`IPC ${channel} refused: ${why}`);
    this.name = 'IpcRefusedError';
  }
}

export function setupIpcHandlers(deps: {
  ipc: IpcPort;
  /** True only for the status window's own web contents and main frame. */
  isAppSender: (sender: IpcSender) => boolean;
  handlers: IpcHandlers;
  logger: Logger;
}): Unsubscribe {
  const unsubscribers = REQUEST_CHANNELS.map((channel) =>
    deps.ipc.handle(channel, async (sender, payload) => {
      if (!deps.isAppSender(sender)) {
        deps.logger.warn('IPC from a foreign sender refused', {
          channel,
          contents: sender.contentsId,
          mainFrame: sender.mainFrame,
          frame: sender.frameUrl?.slice(0, 200) ?? null,
        });
        throw new IpcRefusedError(channel, 'unknown sender');
      }
      return dispatch(channel, payload, deps);
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  };
}

function dispatch<K extends RequestChannel>(
  channel: K,
  payload: unknown,
  deps: { handlers: IpcHandlers; logger: Logger },
): Promise<ResponseOf<K>> {
  const isValid = REQUEST_VALIDATORS[channel] as (value: unknown) => value is RequestOf<K>;
  if (!isValid(payload)) {
    deps.logger.warn('IPC payload refused', { channel });
    return Promise.reject(new IpcRefusedError(channel, 'invalid payload'));
  }
  const handler = deps.handlers[channel] as (value: RequestOf<K>) => Promise<ResponseOf<K>>;
  return handler(payload);
}
