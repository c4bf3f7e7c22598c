/**
 * The status window's part about the change: the new password's date, how Windows' saved logon
 * catches up, whether a forgotten password could be reset alone (with the security-info page),
 * and the account's old saved sign-ins, removed only when the user clicks.
 */
import type { StatusView } from '../core/ipcContract';
import { strings } from './strings';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no #${id}`);
  return found as T;
}

export interface AfterChangeUi {
  changeNote: HTMLElement;
  resetNote: HTMLElement;
  resetMessage: HTMLElement;
  securityInfo: HTMLButtonElement;
  savedSignIns: HTMLElement;
  savedList: HTMLElement;
  removeSaved: HTMLButtonElement;
  savedResult: HTMLElement;
}

export function afterChangeUi(): AfterChangeUi {
  const ui: AfterChangeUi = {
    changeNote: element('change-note'),
    resetNote: element('reset-note'),
    resetMessage: element('reset-message'),
    securityInfo: element<HTMLButtonElement>('security-info'),
    savedSignIns: element('saved-sign-ins'),
    savedList: element('saved-sign-ins-list'),
    removeSaved: element<HTMLButtonElement>('remove-saved-sign-ins'),
    savedResult: element('saved-sign-ins-result'),
  };
  ui.securityInfo.textContent = strings.afterChange.addResetMethod;
  element('saved-sign-ins-heading').textContent = strings.afterChange.savedSignInsHeading;
  element('saved-sign-ins-intro').textContent = strings.afterChange.savedSignInsIntro;
  return ui;
}

/** "Tue 3 Mar 2027" in the user's zone. */
function dayWithYear(iso: string, timeZone: string): string | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  const parts = new Intl.DateTimeFormat(strings.locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

function renderChange(ui: AfterChangeUi, view: StatusView): void {
  const report = view.report;
  const changed = report?.error === null ? (report.passwordChanged ?? null) : null;
  const notes: string[] = [];
  if (changed !== null) {
    const day = changed.expiresAt === null ? null : dayWithYear(changed.expiresAt, view.timeZone);
    notes.push(
      day === null ? strings.afterChange.newPassword : strings.afterChange.newPasswordUntil(day),
    );
    if (changed.windowsLogonCatchUp) notes.push(strings.afterChange.windowsLogonCatchUp);
  }
  ui.changeNote.textContent = notes.join(' ');
  ui.changeNote.hidden = notes.length === 0;
  const message = report?.error === null ? (report.reset?.message ?? null) : null;
  ui.resetNote.hidden = message === null;
  ui.resetMessage.textContent = message ?? '';
}

function renderSavedSignIns(ui: AfterChangeUi, view: StatusView): void {
  const offer = view.savedSignIns ?? null;
  ui.savedSignIns.hidden = offer === null;
  if (offer === null) return;
  const { afterChange } = strings;
  const items = offer.entries.map((entry) => {
    const li = document.createElement('li');
    li.textContent = afterChange.entry(entry.target, entry.userName);
    return li;
  });
  ui.savedList.replaceChildren(...items);
  ui.savedList.hidden = items.length === 0;
  ui.removeSaved.hidden = offer.entries.length === 0;
  ui.removeSaved.textContent = afterChange.removeSavedSignIns(offer.entries.length);
  ui.removeSaved.dataset.targets = JSON.stringify(offer.entries.map((entry) => entry.target));
  const names = (list: typeof offer.removed) => list.map((e) => e.target).join(', ');
  const result: string[] = [];
  if (offer.removed.length > 0) result.push(afterChange.removed(names(offer.removed)));
  if (offer.failed.length > 0) result.push(afterChange.failed(names(offer.failed)));
  if (offer.entries.length === 0 && offer.failed.length === 0) result.push(afterChange.nothingLeft);
  ui.savedResult.textContent = result.join(' ');
  ui.removeSaved.disabled = view.busy !== null;
}

export function renderAfterChange(ui: AfterChangeUi, view: StatusView): void {
  renderChange(ui, view);
  renderSavedSignIns(ui, view);
}

/** The targets the button was rendered with: exactly what the user saw. */
export function shownTargets(ui: AfterChangeUi): string[] {
  try {
    const parsed: unknown = JSON.parse(ui.removeSaved.dataset.targets ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
