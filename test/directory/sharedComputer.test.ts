/**
 * A shared computer: the Kerberos logon is a desk account (`desk01`, made by hand, with no
 * userPrincipalName) while someone else signs in to Microsoft 365. The engine with real MSAL over
 * HTTPS to the demo tenant and the real keyring, the real directory reader against a real Samba AD
 * DC on loopback. The desk account's entry is read, and it is never taken for the user's unless a
 * name on both sides says so. Skips, saying why, where the DC cannot run.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { AssistantConfig } from '../../src/core/config';
import type { DirectoryReadRequest, DirectoryReadResult } from '../../src/core/directory';
import { messages } from '../../src/core/messages';
import type { DirectorySource, Logger } from '../../src/core/ports';
import type { DemoScenario } from '../../src/demo/tenant';
import { createDirectorySource } from '../../src/main/onprem';
import type { Engine } from '../../src/main/engine';
import {
  DC,
  directoryDcUnavailable,
  startDirectoryDc,
  type DirectoryDc,
} from '../support/directoryDc';
import { quietLogger, setUp, signedInEngine, tempHome, type Setup } from '../support/engineHarness';

const DAY = 24 * 60 * 60 * 1000;
const skip = directoryDcUnavailable();
/** Every test says it skipped, and why, where the DC cannot run. */
const needsDc = { skip: skip ?? false };

/** The engine's log lines, to see why a reading was not used. */
class LogLines implements Logger {
  readonly lines: { message: string; meta: Record<string, unknown> }[] = [];
  debug() {}
  info(message: string, meta: Record<string, unknown> = {}) {
    this.lines.push({ message, meta });
  }
  warn(message: string, meta: Record<string, unknown> = {}) {
    this.lines.push({ message, meta });
  }
  error(message: string, meta: Record<string, unknown> = {}) {
    this.lines.push({ message, meta });
  }
  reasonsNotUsed(): unknown[] {
    return this.lines
      .filter((l) => l.message === 'On-premises directory entry not used')
      .map((l) => l.meta['reason']);
  }
}

/** The real reader, with what it last answered: the port the engine is given, not a fake. */
function recordingReader() {
  const reader = createDirectorySource({
    platform: process.platform,
    env: process.env,
    logger: quietLogger,
    dnsServers: [DC.dnsServer],
  });
  const recorded = {
    results: [] as DirectoryReadResult[],
    async read(request: DirectoryReadRequest): Promise<DirectoryReadResult> {
      const result = await reader.read(request);
      recorded.results.push(result);
      return result;
    },
  } satisfies DirectorySource & { results: DirectoryReadResult[] };
  return recorded;
}

describe("a shared desk account's Kerberos logon, against a Samba AD DC", () => {
  let dc: DirectoryDc;
  let setup: Setup;
  const engines: Engine[] = [];

  before(
    async () => {
      if (skip) return;
      dc = await startDirectoryDc();
      process.env.KRB5_CONFIG = dc.krb5Config;
      // The computer's logon: desk01's ticket.
      process.env.KRB5CCNAME = dc.ccache('desk01');
      setup = await setUp();
    },
    { timeout: 300_000 },
  );
  after(async () => {
    for (const engine of engines) await engine.dispose();
    await setup?.close();
    if (dc) console.log(`# ${await dc.stop()}`);
  });

  async function signIn(scenario: DemoScenario, config: Partial<AssistantConfig>, withDc = true) {
    const reader = recordingReader();
    const log = new LogLines();
    const signedIn = await signedInEngine(setup, scenario, {
      home: await tempHome(),
      extra: {
        ...(withDc ? { directory: reader } : {}),
        logger: log,
        config: { ...setup.config, ...config },
      },
    });
    engines.push(signedIn.engine);
    return { ...signedIn, reader, log };
  }

  /** The reader did read desk01's entry, without a userPrincipalName: the DC is set up so. */
  function assertReadDesk01(results: DirectoryReadResult[]): void {
    const last = results.at(-1);
    assert.ok(last?.ok, `desk01's entry read: ${JSON.stringify(last)}`);
    assert.equal(last.reading.entry.samAccountName, 'desk01');
    assert.equal(last.reading.entry.userPrincipalName, null);
    assert.ok(last.reading.entry.passwordExpiryTimeComputed, 'desk01 has an expiry of its own');
  }

  test(
    "a cloud-only user with onPremisesDirectory on: the cloud's answer, not desk01's expiry",
    needsDc,
    async (t: TestContext) => {
      const { engine, report, reader, log } = await signIn('expires-in-20-days', {
        onPremisesDirectory: 'on',
      });
      const { report: cloud } = await signIn('expires-in-20-days', {}, false);
      const again = await engine.check();
      t.diagnostic(`cloud-only with desk01's ticket: ${JSON.stringify(report.password)}`);
      assertReadDesk01(reader.results);
      assert.equal(reader.results.length, 2, 'read at the sign-in and at the check');
      for (const r of [report, again]) {
        assert.equal(r.error, null);
        assert.notEqual(r.password.source, 'directory');
        assert.deepEqual(r.password, cloud.password, "the cloud's answer");
        assert.equal(r.password.state, 'ok');
        assert.equal(r.directory, null);
      }
      assert.deepEqual(log.reasonsNotUsed(), [
        messages.reasons.directoryNoOnPremisesNames,
        messages.reasons.directoryNoOnPremisesNames,
      ]);
    },
  );

  test(
    "a synced user whose Graph record lacks the on-premises names: 'managed on-premises' stays, with why",
    needsDc,
    async () => {
      const username = setup.tenant.account('synced-on-premises').username;
      setup.tenant.setOnPremisesNames(username, { userPrincipalName: null, samAccountName: null });
      for (const mode of ['auto', 'on'] as const) {
        const { report, reader, log } = await signIn('synced-on-premises', {
          onPremisesDirectory: mode,
        });
        assertReadDesk01(reader.results);
        assert.equal(report.error, null);
        assert.equal(report.password.source, 'graph');
        assert.equal(report.password.state, 'unknown');
        assert.equal(report.password.expiresAt, null);
        assert.equal(report.password.reason, messages.reasons.directoryNoOnPremisesNames);
        assert.equal(report.directory, null);
        assert.deepEqual(log.reasonsNotUsed(), [messages.reasons.directoryNoOnPremisesNames]);
      }
    },
  );

  test(
    'a synced user whose record names desk01 (its sAMAccountName in this domain): the DC decides',
    needsDc,
    async () => {
      const username = setup.tenant.account('synced-on-premises').username;
      // In another domain of the forest, the same sAMAccountName is someone else.
      setup.tenant.setOnPremisesNames(username, {
        userPrincipalName: null,
        samAccountName: 'desk01',
        domainName: `emea.${DC.domain}`,
      });
      const elsewhere = await signIn('synced-on-premises', {});
      assertReadDesk01(elsewhere.reader.results);
      assert.equal(elsewhere.report.password.source, 'graph');
      assert.equal(elsewhere.report.password.reason, messages.reasons.directoryOtherUser);
      assert.equal(elsewhere.report.directory, null);

      setup.tenant.setOnPremisesNames(username, {
        userPrincipalName: null,
        samAccountName: 'DESK01',
        domainName: DC.realm,
      });
      const { report, reader, log } = await signIn('synced-on-premises', {});
      assertReadDesk01(reader.results);
      assert.equal(report.error, null, JSON.stringify(report.error));
      assert.equal(report.password.source, 'directory');
      assert.equal(report.directory?.domain, DC.domain);
      assert.equal(report.directory?.server, DC.host);
      const lastSet = Date.parse(report.password.lastChanged ?? '');
      assert.ok(Math.abs(lastSet - (Date.now() - 80 * DAY)) < 60 * 60_000, 'set 80 days ago');
      assert.equal(report.password.expiresAt, new Date(lastSet + 90 * DAY).toISOString());
      assert.equal(report.password.state, 'expiring');
      assert.deepEqual(log.reasonsNotUsed(), []);
    },
  );
});
