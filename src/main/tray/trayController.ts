/**
 * Keeps the tray icon, tooltip and context menu in step with the status. It holds no state of
 * its own beyond what it last drew; the tray app tells it what to show.
 */
import type { BusyState, StartAtLoginView } from '../../core/ipcContract';
import type { StatusReport } from '../../core/model';
import { isSignedIn, trayIconStateFor } from '../../core/statusPresentation';
import type { MenuItemSpec, TrayPort, Unsubscribe } from './desktopPorts';
import { shortStatusLine, tooltipFor, trayStrings } from './trayStrings';

export interface TrayActions {
  changePassword(): void;
  checkNow(): void;
  signIn(): void;
  signOut(): void;
  openStatusWindow(): void;
  collectDiagnostics(): void;
  setStartAtLogin(enabled: boolean): void;
  showAbout(): void;
  quit(): void;
}

export interface TrayRenderInput {
  report: StatusReport | null;
  busy: BusyState;
  startAtLogin: StartAtLoginView;
}

export class TrayController {
  private readonly unsubscribeClick: Unsubscribe;

  constructor(
    private readonly tray: TrayPort,
    private readonly actions: TrayActions,
  ) {
    // A left click opens the status window (macOS shows the menu on click by itself).
    this.unsubscribeClick = tray.on('click', () => actions.openStatusWindow());
  }

  render(input: TrayRenderInput): void {
    this.tray.setIcon(trayIconStateFor(input.report));
    this.tray.setToolTip(tooltipFor(input.report, input.busy));
    this.tray.setMenu(menuFor(input, this.actions));
  }

  dispose(): void {
    this.unsubscribeClick();
  }
}

export function menuFor(input: TrayRenderInput, actions: TrayActions): MenuItemSpec[] {
  const { report, busy } = input;
  const idle = busy === null;
  const expired =
    report?.password.state === 'expired' || report?.error?.kind === 'password-expired';
  const { menu } = trayStrings;
  const items: MenuItemSpec[] = [
    { id: 'status', type: 'normal', label: shortStatusLine(report, busy), enabled: false },
    { id: 'separator-1', type: 'separator', label: '', enabled: true },
    {
      id: 'change-password',
      type: 'normal',
      label: expired ? menu.resetPassword : menu.changePassword,
      enabled: true,
      click: () => actions.changePassword(),
    },
    {
      id: 'check-now',
      type: 'normal',
      label: menu.checkNow,
      enabled: idle,
      click: () => actions.checkNow(),
    },
    isSignedIn(report)
      ? {
          id: 'sign-out',
          type: 'normal',
          label: menu.signOut,
          enabled: idle,
          click: () => actions.signOut(),
        }
      : {
          id: 'sign-in',
          type: 'normal',
          label: menu.signIn,
          enabled: idle,
          click: () => actions.signIn(),
        },
    {
      id: 'collect-diagnostics',
      type: 'normal',
      label: menu.collectDiagnostics,
      enabled: true,
      click: () => actions.collectDiagnostics(),
    },
    {
      id: 'status-window',
      type: 'normal',
      label: menu.statusWindow,
      enabled: true,
      click: () => actions.openStatusWindow(),
    },
    { id: 'separator-2', type: 'separator', label: '', enabled: true },
  ];
  if (input.startAtLogin.supported) {
    const { enabled, locked, offInSystem } = input.startAtLogin;
    items.push({
      id: 'start-at-login',
      type: 'checkbox',
      label: offInSystem
        ? menu.startAtLoginOffInSystem
        : locked
          ? menu.startAtLoginLocked
          : menu.startAtLogin,
      checked: enabled && !offInSystem,
      enabled: !locked && !offInSystem,
      click: () => actions.setStartAtLogin(!enabled),
    });
  }
  items.push({
    id: 'about',
    type: 'normal',
    label: menu.about,
    enabled: true,
    click: () => actions.showAbout(),
  });
  items.push({
    id: 'quit',
    type: 'normal',
    label: menu.quit,
    enabled: true,
    click: () => actions.quit(),
  });
  return items;
}
