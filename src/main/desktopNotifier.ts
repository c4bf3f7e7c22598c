import notifier from 'node-notifier';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Closed after this many seconds where the platform allows it. */
  seconds: number;
  onClick: () => void;
}

/**
 * A desktop notification for the headless command (best effort: a machine without a
 * notification service simply says so). Resolves once it was clicked, closed or timed out.
 */
export function showDesktopNotice(
  notice: DesktopNotice,
): Promise<{ shown: boolean; error?: string }> {
  return new Promise((resolve) => {
    let clicked = false;
    const click = (): void => {
      if (clicked) return;
      clicked = true;
      notice.onClick();
    };
    let settled = false;
    const settle = (value: { shown: boolean; error?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      resolve(value);
    };
    // The notifier backends wait for the user; never let that hold the command for long.
    const guard = setTimeout(() => settle({ shown: true }), (notice.seconds + 5) * 1000);
    try {
      notifier.notify(
        { title: notice.title, message: notice.body, wait: true, timeout: notice.seconds },
        (error, response) => {
          if (error) settle({ shown: false, error: error.message });
          else {
            if (
              String(response).toLowerCase().includes('activate') ||
              String(response).includes('clicked')
            ) {
              click();
            }
            settle({ shown: true });
          }
        },
      );
      notifier.once('click', click);
    } catch (error) {
      settle({ shown: false, error: (error as Error).message });
    }
  });
}
