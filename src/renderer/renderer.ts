/**
 * The status window. It talks to the main process only through `window.api` and shows what the
 * main process sends; every word comes from the strings catalog.
 */
import type { SettingsView, StatusView } from '../core/ipcContract';
import type { StatusReport } from '../core/model';
import { errorActionFor, isSignedIn, trayIconStateFor } from '../core/statusPresentation';
import type { ErrorAction } from '../core/statusPresentation';
import { strings } from './strings';
import { afterChangeUi, renderAfterChange, shownTargets } from './afterChange';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no #${id}`);
  return found as T;
}

const ui = {
  main: element('app'),
  statusHeading: element('status-heading'),
  detailsHeading: element('details-heading'),
  actionsHeading: element('actions-heading'),
  settingsHeading: element('settings-heading'),
  summary: element('summary'),
  directoryNote: element('directory-note'),
  busy: element('busy'),
  error: element('error'),
  errorHeading: element('error-heading'),
  errorMessage: element('error-message'),
  errorContact: element('error-contact'),
  errorAction: element<HTMLButtonElement>('error-action'),
  details: element('details'),
  changePassword: element<HTMLButtonElement>('change-password'),
  checkNow: element<HTMLButtonElement>('check-now'),
  accountAction: element<HTMLButtonElement>('account-action'),
  feedback: element('action-feedback'),
  startAtLogin: element<HTMLInputElement>('start-at-login'),
  startAtLoginLabel: element('start-at-login-label'),
  startAtLoginNote: element('start-at-login-note'),
  settings: element('settings'),
};

const changeUi = afterChangeUi();

let current: StatusView | null = null;

function formatInstant(iso: string | null, timeZone: string): string | null {
  if (iso === null) return null;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const text = new Intl.DateTimeFormat(strings.locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(at);
  return `${text} (${timeZone})`;
}

function summaryFor(report: StatusReport | null): string {
  if (report === null) return strings.notCheckedYet;
  if (report.account === null && report.password.state === 'unknown') {
    return strings.summary.signedOut;
  }
  const { state, daysLeft } = report.password;
  switch (state) {
    case 'ok':
    case 'expiring':
      if (daysLeft === null) return strings.summary.unknown;
      if (daysLeft <= 0) return strings.summary.expiresToday;
      if (daysLeft === 1) return strings.summary.expiresTomorrow;
      return strings.summary.expiresInDays(daysLeft);
    case 'expired':
      return strings.summary.expired;
    case 'never':
      return strings.summary.never;
    case 'unknown':
      return report.password.reason
        ? `${strings.summary.unknown} (${report.password.reason})`
        : strings.summary.unknown;
  }
}

/** "As of" for a kept reading, and where a change made on-premises stands in Microsoft 365. */
function renderDirectoryNote(view: StatusView): void {
  const directory = view.report?.error === null ? (view.report.directory ?? null) : null;
  const notes: string[] = [];
  if (directory?.cached) {
    const when = formatInstant(directory.readAt, view.timeZone);
    if (when !== null) notes.push(strings.directory.asOf(when));
  }
  if (directory?.passwordSync === 'pending') notes.push(strings.directory.syncPending);
  if (directory?.passwordSync === 'arrived') notes.push(strings.directory.syncArrived);
  ui.directoryNote.textContent = notes.join(' ');
  ui.directoryNote.hidden = notes.length === 0;
}

function fillList(list: HTMLElement, rows: readonly [string, string, boolean?][]): void {
  const fragment = document.createDocumentFragment();
  for (const [term, value, locked] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (locked) {
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = strings.lockedBadge;
      dd.append(' ', badge);
    }
    fragment.append(dt, dd);
  }
  list.replaceChildren(fragment);
}

function renderDetails(view: StatusView): void {
  const { report, timeZone } = view;
  const f = strings.fields;
  const unknown = strings.unknownValue;
  if (report === null) {
    fillList(ui.details, [[f.checkedAt, strings.notCheckedYet]]);
    return;
  }
  const { password } = report;
  const directory = report.directory ?? null;
  const readAt = formatInstant(directory?.readAt ?? null, timeZone);
  const directoryRows: [string, string][] =
    directory === null || readAt === null
      ? []
      : [
          [
            strings.directory.readAt,
            directory.cached ? `${readAt}, ${strings.directory.kept}` : readAt,
          ],
        ];
  const nextReminder = report.reminder.due
    ? strings.reminderDueNow
    : (formatInstant(report.reminder.nextAt, timeZone) ?? strings.noReminderPlanned);
  fillList(ui.details, [
    [f.account, report.account?.username ?? strings.notSignedIn],
    [f.state, strings.states[password.state]],
    [f.daysLeft, password.daysLeft === null ? unknown : strings.daysLeft(password.daysLeft)],
    [f.expiresAt, formatInstant(password.expiresAt, timeZone) ?? unknown],
    [f.lastChanged, formatInstant(password.lastChanged, timeZone) ?? unknown],
    [f.source, strings.sources[password.source]],
    ...directoryRows,
    [f.nextReminder, nextReminder],
    [f.checkedAt, formatInstant(view.checkedAt, timeZone) ?? strings.notCheckedYet],
  ]);
}

function renderError(report: StatusReport | null): void {
  const error = report?.error ?? null;
  ui.error.hidden = error === null;
  if (error === null) return;
  ui.errorMessage.textContent = error.message;
  const action = errorActionFor(error.kind);
  ui.errorAction.hidden = action === null;
  ui.errorContact.hidden = action !== null;
  ui.errorContact.textContent = strings.contactIt;
  if (action !== null) {
    ui.errorAction.textContent = strings.errorActions[action];
    ui.errorAction.dataset.action = action;
  }
}

function render(view: StatusView): void {
  current = view;
  const { report, busy } = view;
  const state = trayIconStateFor(report);
  ui.summary.dataset.state = report?.error ? 'error' : state;
  ui.summary.textContent = summaryFor(report);
  ui.busy.textContent = busy === null ? '' : strings.busy[busy];
  ui.main.setAttribute('aria-busy', busy === null ? 'false' : 'true');
  renderError(report);
  renderDirectoryNote(view);
  renderAfterChange(changeUi, view);
  renderDetails(view);

  const expired = report?.password.state === 'expired';
  ui.changePassword.textContent = expired
    ? strings.buttons.resetPassword
    : strings.buttons.changePassword;
  ui.accountAction.textContent = isSignedIn(report)
    ? strings.buttons.signOut
    : strings.buttons.signIn;
  ui.checkNow.disabled = busy !== null;
  ui.accountAction.disabled = busy !== null;
  ui.errorAction.disabled = busy !== null;
}

function renderSettings(view: SettingsView): void {
  const { enabled, locked, supported, offInSystem } = view.startAtLogin;
  // Turned off in the system's Startup apps it will not start, even where policy forces it on,
  // and only there can it be turned on again: that note comes first.
  ui.startAtLogin.checked = enabled && !offInSystem;
  ui.startAtLogin.disabled = offInSystem || locked || !supported;
  ui.startAtLoginNote.textContent = offInSystem
    ? strings.startAtLoginOffInSystem
    : locked
      ? strings.lockedBadge
      : supported
        ? ''
        : strings.startAtLoginUnsupported;
  fillList(
    ui.settings,
    view.settings.map((setting) => [
      strings.settings[setting.key],
      setting.key === 'passwordValidityDays' && setting.value === 0
        ? strings.neverExpiresDays
        : String(setting.value ?? strings.unknownValue),
      setting.locked,
    ]),
  );
}

/** Runs one request; a failure is said in words, never thrown at the user. */
async function attempt<T>(request: () => Promise<T>, onDone?: (value: T) => void): Promise<void> {
  ui.feedback.textContent = '';
  try {
    const value = await request();
    onDone?.(value);
  } catch {
    ui.feedback.textContent = strings.actionFailed;
  }
}

function changePassword(): Promise<void> {
  return attempt(
    () => window.api.changePassword(),
    (result) => {
      if (!result.opened) ui.feedback.textContent = strings.linkNotOpened;
    },
  );
}

function runErrorAction(action: ErrorAction): Promise<void> {
  switch (action) {
    case 'change-password':
    case 'reset-password':
      return changePassword();
    case 'sign-in':
      return attempt(() => window.api.signIn(), render);
    case 'check-now':
      return attempt(() => window.api.checkNow(), render);
  }
}

function isErrorAction(value: string | undefined): value is ErrorAction {
  return (
    value === 'change-password' ||
    value === 'reset-password' ||
    value === 'sign-in' ||
    value === 'check-now'
  );
}

function fillStaticText(): void {
  document.title = strings.documentTitle;
  element('app-name').textContent = strings.appName;
  ui.statusHeading.textContent = strings.statusHeading;
  ui.detailsHeading.textContent = strings.detailsHeading;
  ui.actionsHeading.textContent = strings.actionsHeading;
  ui.settingsHeading.textContent = strings.settingsHeading;
  ui.errorHeading.textContent = strings.errorHeading;
  ui.checkNow.textContent = strings.buttons.checkNow;
  ui.startAtLoginLabel.textContent = strings.startAtLogin;
  ui.summary.textContent = strings.loading;
}

function start(): void {
  document.documentElement.lang = strings.locale;
  fillStaticText();
  ui.changePassword.textContent = strings.buttons.changePassword;
  ui.accountAction.textContent = strings.buttons.signIn;

  ui.changePassword.addEventListener('click', () => void changePassword());
  ui.checkNow.addEventListener('click', () => void attempt(() => window.api.checkNow(), render));
  ui.accountAction.addEventListener('click', () => {
    const signedIn = isSignedIn(current?.report ?? null);
    void attempt(() => (signedIn ? window.api.signOut() : window.api.signIn()), render);
  });
  ui.errorAction.addEventListener('click', () => {
    const action = ui.errorAction.dataset.action;
    if (isErrorAction(action)) void runErrorAction(action);
  });
  changeUi.securityInfo.addEventListener('click', () => {
    void attempt(
      () => window.api.openSecurityInfo(),
      (result) => {
        if (!result.opened) ui.feedback.textContent = strings.linkNotOpened;
      },
    );
  });
  changeUi.removeSaved.addEventListener('click', () => {
    const targets = shownTargets(changeUi);
    if (targets.length > 0) void attempt(() => window.api.removeSavedSignIns(targets), render);
  });
  ui.startAtLogin.addEventListener('change', () => {
    void attempt(() => window.api.setStartAtLogin(ui.startAtLogin.checked), renderSettings);
  });

  const stopListening = window.api.onStatus(render);
  window.addEventListener('pagehide', stopListening, { once: true });
  void attempt(() => window.api.getStatus(), render);
  void attempt(() => window.api.getSettings(), renderSettings);
  // Coming back from Windows' Startup apps (or anything else that changes them): read again.
  window.addEventListener(
    'focus',
    () => void attempt(() => window.api.getSettings(), renderSettings),
  );
}

start();
