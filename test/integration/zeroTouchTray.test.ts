/**
 * From the install to the first reminder with zero clicks: the tray app with fake desktop ports
 * on the real engine (real MSAL over HTTPS to the demo tenant, the real keyring), for a user of a
 * joined Windows device (the broker, played by FakeBroker, knows the Windows account) and for a
 * domain user with no cloud account (the logon's AD entry through the directory reader port).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/core/config';
import type { DirectorySource } from '../../src/core/ports';
import { startTrayApp } from '../../src/main/trayApp';
import { engineFor, setUp, tempHome } from '../support/engineHarness';
import type { Setup } from '../support/engineHarness';
import { FakeBroker } from '../support/fakeBroker';
import { makeHarness } from '../support/trayFakes';

const DAY = 24 * 60 * 60 * 1000;
const FILETIME_UNIX_EPOCH_MS = 11_644_473_600_000n;
const fileTime = (at: Date): string =>
  ((BigInt(at.getTime()) + FILETIME_UNIX_EPOCH_MS) * 10_000n).toString();

describe('zero-touch: the first balloon without a click', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(() => setup.close());

  async function trayOn(extra: Parameters<typeof engineFor>[2]) {
    const h = makeHarness({ start: new Date().toISOString(), lastChanged: '2026-01-01T00:00:00Z' });
    const engine = await engineFor(setup, await tempHome(), {
      clock: { now: () => h.time.now() },
      ...extra,
    });
    const resolved = resolveConfig([{ source: 'test', values: setup.settings }], {
      requireTenant: true,
    });
    const app = startTrayApp({ ...h.deps, resolved, engine });
    await app.started;
    await h.time.settle();
    return { h, app };
  }

  test('a joined Windows device: signed in silently with the Windows account', async () => {
    const broker = new FakeBroker(setup.tenant);
    broker.osUser = setup.tenant.account('expires-in-10-days').username;
    const { h, app } = await trayOn({ broker });
    assert.equal(h.tray.balloons.length, 1);
    assert.equal(h.tray.balloons[0]?.title, 'Password expires in 10 days');
    assert.equal(h.tray.icon, 'expiring');
    assert.equal(app.view().report?.account?.username, broker.osUser);
    assert.equal(h.windows.created.length, 0, 'no window');
    assert.deepEqual(
      broker.interactiveRequests.map((r) => r.prompt),
      ['none'],
    );
    await app.quit();
  });

  test('a domain user with no cloud account: the logon’s own AD entry', async () => {
    const now = Date.now();
    const directory: DirectorySource = {
      read: () =>
        Promise.resolve({
          ok: true,
          reading: {
            entry: {
              dn: 'CN=Robin,OU=Staff,DC=corp,DC=contoso,DC=com',
              userPrincipalName: null,
              samAccountName: 'robin',
              passwordExpiryTimeComputed: fileTime(new Date(now + 3 * DAY)),
              pwdLastSet: fileTime(new Date(now - 87 * DAY)),
              userAccountControl: 0x200,
              userAccountControlComputed: 0,
              maxPwdAge: '-77760000000000',
              resultantPso: null,
            },
            server: 'dc1.corp.contoso.com',
            domain: 'CORP.CONTOSO.COM',
            readAt: new Date(now),
          },
        }),
    };
    const broker = new FakeBroker(setup.tenant);
    const { h, app } = await trayOn({ broker, directory });
    assert.equal(h.tray.balloons.length, 1);
    assert.equal(h.tray.balloons[0]?.title, 'Password expires in 3 days');
    assert.deepEqual(app.view().report?.account, { username: 'CORP\\robin', tenantId: null });
    assert.equal(app.view().report?.password.source, 'directory');
    assert.match(h.tray.tooltip, /Password expires in 3 days/);
    assert.equal(h.windows.created.length, 0);
    await app.quit();
  });
});
