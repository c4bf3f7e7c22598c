/**
 * The tray app after a check saw a new password: said once, then on Windows the offer to remove
 * the account's old saved sign-ins, removed only through the status window's validated request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTrayApp } from '../../src/main/trayApp';
import type { StatusView } from '../../src/core/ipcContract';
import {
  CredentialType,
  type SavedCredential,
  type SavedCredentialStore,
} from '../../src/core/savedCredentials';
import { createSavedSignIns } from '../../src/main/credentials/savedSignIns';
import { makeHarness } from '../support/trayFakes';

/** A store of our own port, holding the entries a managed desktop has. */
class MemoryStore implements SavedCredentialStore {
  entries: SavedCredential[] = [
    {
      target: 'MicrosoftOffice16_Data:SSPI:adele@contoso.com',
      userName: 'adele@contoso.com',
      type: CredentialType.generic,
    },
    {
      target: 'outlook.office365.com',
      userName: 'Adele@Contoso.com',
      type: CredentialType.domainPassword,
    },
    {
      target: 'msteams_adalsso/adal_context_0',
      userName: 'adele@contoso.com',
      type: CredentialType.generic,
    },
    {
      target: 'MicrosoftOffice16_Data:SSPI:megan@contoso.com',
      userName: 'megan@contoso.com',
      type: CredentialType.generic,
    },
    {
      target: 'WindowsLive:target=virtualapp/didlogical',
      userName: 'adele@contoso.com',
      type: CredentialType.generic,
    },
  ];
  list(): Promise<SavedCredential[]> {
    return Promise.resolve(this.entries.map((entry) => ({ ...entry })));
  }
  remove(entry: Pick<SavedCredential, 'target' | 'type'>): Promise<boolean> {
    const before = this.entries.length;
    this.entries = this.entries.filter(
      (e) => !(e.target === entry.target && e.type === entry.type),
    );
    return Promise.resolve(this.entries.length < before);
  }
}

async function changedPassword(
  options: { platform?: NodeJS.Platform; policy?: Record<string, unknown> } = {},
) {
  const h = makeHarness({
    start: '2026-03-16T08:00:00.000Z',
    lastChanged: '2026-03-16T07:55:00.000Z',
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.policy ? { policyLayer: options.policy } : {}),
  });
  const store = new MemoryStore();
  let told = false;
  h.engine.tamper = (report) => {
    if (told) return report;
    told = true;
    return {
      ...report,
      passwordChanged: { expiresAt: report.password.expiresAt, windowsLogonCatchUp: false },
    };
  };
  const app = startTrayApp({ ...h.deps, savedSignIns: createSavedSignIns(store, h.logger) });
  await app.started;
  await h.time.settle();
  return { h, app, store };
}

void describe('tray app after a password change (Windows)', () => {
  void it('says the new date once, then offers the removal; a click opens the status window', async () => {
    const { h, app } = await changedPassword();
    assert.equal(h.tray.balloons.length, 1);
    assert.equal(h.tray.balloons[0]?.title, 'Password changed');
    assert.equal(h.tray.balloons[0]?.content, 'Your new password is good until Sun 14 Jun 2026.');
    await h.time.advance(5_000);
    assert.equal(h.tray.balloons.length, 2);
    assert.equal(
      h.tray.balloons[1]?.content,
      'Remove 3 saved sign-ins that still hold your old password.',
    );
    assert.equal(h.windows.created.length, 0, 'nothing opened, nothing removed yet');
    h.tray.userClicksBalloon();
    assert.equal(h.windows.created.length, 1, 'the click opens the status window');
    await app.checkNow();
    assert.equal(h.tray.balloons.length, 2, 'said once');
    await app.quit();
  });

  void it("removes only the account's entries asked for, and the view says what was removed", async () => {
    const { h, app, store } = await changedPassword();
    app.openStatusWindow();
    const offered = (await h.ipc.invoke('status:get')) as StatusView;
    assert.equal(offered.savedSignIns?.entries.length, 3);
    const everything = store.entries.map((entry) => entry.target);
    const after = (await h.ipc.invoke('saved-sign-ins:remove', {
      targets: everything,
    })) as StatusView;
    assert.equal(after.savedSignIns?.removed.length, 3);
    assert.deepEqual(after.savedSignIns?.entries, []);
    assert.deepEqual(
      store.entries.map((entry) => entry.target),
      ['MicrosoftOffice16_Data:SSPI:megan@contoso.com', 'WindowsLive:target=virtualapp/didlogical'],
      "another account's and Windows' own stay",
    );
    assert.ok(
      h.logger.entries.some((e) => JSON.stringify(e.meta ?? {}).includes('outlook.office365.com')),
      'names logged',
    );
    await app.quit();
  });

  void it('refuses a malformed removal request and removes nothing', async () => {
    const { h, app, store } = await changedPassword();
    app.openStatusWindow();
    for (const payload of [
      undefined,
      { targets: [] },
      { targets: 'outlook.office365.com' },
      { targets: [1] },
      { targets: ['x'.repeat(513)] },
      { targets: ['outlook.office365.com'], all: true },
    ]) {
      await assert.rejects(h.ipc.invoke('saved-sign-ins:remove', payload), /invalid payload/);
    }
    await assert.rejects(
      h.ipc.invoke(
        'saved-sign-ins:remove',
        { targets: ['outlook.office365.com'] },
        { frameUrl: 'https://evil.example/' },
      ),
      /refused/,
    );
    assert.equal(store.entries.length, 5);
    await app.quit();
  });

  void it('the security-info button opens the configured page, and only that', async () => {
    const { h, app } = await changedPassword({
      policy: { securityInfoUrl: 'https://security.contoso.com/info' },
    });
    app.openStatusWindow();
    const answer = (await h.ipc.invoke('security-info:open')) as { opened: boolean };
    assert.deepEqual(answer, { opened: true });
    assert.deepEqual(h.shell.opened, ['https://security.contoso.com/info']);
    await assert.rejects(
      h.ipc.invoke('security-info:open', { url: 'https://evil.example/' }),
      /invalid payload/,
    );
    await app.quit();
  });

  void it('with offerCredentialCleanup off: the new date only, no offer', async () => {
    const { h, app } = await changedPassword({ policy: { offerCredentialCleanup: false } });
    await h.time.advance(10_000);
    assert.deepEqual(
      h.tray.balloons.map((b) => b.title),
      ['Password changed'],
    );
    assert.equal(app.view().savedSignIns, null);
    await app.quit();
  });
});

void describe('tray app after a password change (macOS and Linux)', () => {
  void it('says the new date, and nothing of saved sign-ins', async () => {
    const h = makeHarness({
      start: '2026-03-16T08:00:00.000Z',
      lastChanged: '2026-03-16T07:55:00.000Z',
      platform: 'linux',
    });
    h.engine.tamper = (report) => ({
      ...report,
      passwordChanged: { expiresAt: report.password.expiresAt, windowsLogonCatchUp: false },
    });
    // As the composition root does there: no store of old passwords is read.
    const app = startTrayApp({ ...h.deps, savedSignIns: null });
    await app.started;
    await h.time.settle();
    await h.time.advance(10_000);
    assert.deepEqual(
      h.notifications.shown.map((n) => n.title),
      ['Password changed'],
    );
    assert.equal(app.view().savedSignIns, null);
    await app.quit();
  });
});
