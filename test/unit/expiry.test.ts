import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evaluateExpiry, hasDisablePasswordExpiration } from '../../src/core/expiry';
import { addLocalDays, localDate, startOfNextLocalDay } from '../../src/core/localCalendar';
import { messages } from '../../src/core/messages';
import type { ExpiryInput, ExpiryPolicy, PasswordFacts } from '../../src/core/model';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

function facts(overrides: Partial<PasswordFacts> = {}): PasswordFacts {
  return {
    userPrincipalName: 'adele@contoso.com',
    lastPasswordChangeDateTime: at('2026-09-02T08:14:00Z'),
    passwordPolicies: null,
    onPremisesSyncEnabled: null,
    onPremisesLastSyncDateTime: null,
    ...overrides,
  };
}

const configPolicy: ExpiryPolicy = { validityDays: 90, windowDays: 14, from: 'config' };

function input(overrides: Partial<ExpiryInput> = {}): ExpiryInput {
  return {
    facts: facts(),
    claims: null,
    policy: configPolicy,
    now: at('2026-11-22T10:00:00Z'),
    timeZone: 'Europe/Berlin',
    ...overrides,
  };
}

void describe('evaluateExpiry: computed from the last change', () => {
  void it('adds the validity as exact days and opens the window exactly windowDays before', () => {
    const result = evaluateExpiry(input());
    assert.equal(result.expiresAt?.toISOString(), '2026-12-01T08:14:00.000Z');
    assert.equal(result.windowStartsAt?.toISOString(), '2026-11-17T08:14:00.000Z');
    assert.equal(result.lastChanged?.toISOString(), '2026-09-02T08:14:00.000Z');
    assert.equal(result.state, 'expiring');
    assert.equal(result.daysLeft, 9);
    assert.equal(result.source, 'policy');
    assert.equal(result.reason, null);
  });

  void it("says source 'graph' when the policy was read from the domain", () => {
    const result = evaluateExpiry(input({ policy: { ...configPolicy, from: 'domain' } }));
    assert.equal(result.source, 'graph');
    assert.equal(result.state, 'expiring');
  });

  void it('switches state exactly at windowStartsAt and at expiresAt', () => {
    const { windowStartsAt, expiresAt } = evaluateExpiry(input());
    assert.ok(windowStartsAt && expiresAt);
    const stateAt = (ms: number) => evaluateExpiry(input({ now: new Date(ms) })).state;
    assert.equal(stateAt(windowStartsAt.getTime() - 1), 'ok');
    assert.equal(stateAt(windowStartsAt.getTime()), 'expiring');
    assert.equal(stateAt(expiresAt.getTime() - 1), 'expiring');
    assert.equal(stateAt(expiresAt.getTime()), 'expired');
    assert.equal(stateAt(expiresAt.getTime() + 400 * DAY), 'expired');
  });

  void it('counts daysLeft in local calendar days: 0 on the day, negative afterwards', () => {
    // Expires Tue 1 Dec 2026 09:14 Berlin.
    const daysLeftAt = (iso: string) => evaluateExpiry(input({ now: at(iso) })).daysLeft;
    assert.equal(daysLeftAt('2026-11-30T22:59:59Z'), 1); // 23:59:59 on 30 Nov in Berlin
    assert.equal(daysLeftAt('2026-11-30T23:00:00Z'), 0); // 00:00 on 1 Dec in Berlin
    assert.equal(daysLeftAt('2026-12-01T08:13:00Z'), 0);
    assert.equal(daysLeftAt('2026-12-01T22:00:00Z'), 0); // expired, still the same local day
    assert.equal(daysLeftAt('2026-12-01T23:00:00Z'), -1);
    assert.equal(daysLeftAt('2026-12-04T12:00:00Z'), -3);
  });

  void it('counts calendar days, not 24-hour spans, across the spring DST change', () => {
    // Expires Mon 30 Mar 2026 00:30 Berlin (+02:00); now is Sat 28 Mar 23:30 Berlin (+01:00).
    const lastChanged = new Date(at('2026-03-29T22:30:00Z').getTime() - 90 * DAY);
    const result = evaluateExpiry(
      input({
        facts: facts({ lastPasswordChangeDateTime: lastChanged }),
        now: at('2026-03-28T22:30:00Z'),
      }),
    );
    assert.equal(result.expiresAt?.toISOString(), '2026-03-29T22:30:00.000Z');
    // Only 23 hours apart, but two local dates later.
    assert.equal(result.daysLeft, 2);
  });

  void it('uses the zone passed in: the same instants give different daysLeft in Apia and Sao Paulo', () => {
    // Expiry 2026-12-01T08:14Z is 21:14 on 1 Dec in Apia (+13) and 05:14 on 1 Dec in Sao Paulo.
    const now = at('2026-11-30T12:00:00Z'); // 1 Dec 01:00 Apia, 30 Nov 09:00 Sao Paulo
    assert.equal(evaluateExpiry(input({ now, timeZone: 'Pacific/Apia' })).daysLeft, 0);
    assert.equal(evaluateExpiry(input({ now, timeZone: 'America/Sao_Paulo' })).daysLeft, 1);
  });

  void it('counts the skipped 30 Dec 2011 in Apia as a calendar day', () => {
    // Now: Thu 29 Dec 12:00 (-10). Expiry: Sat 31 Dec 12:00 (+14), only 24 hours later.
    const expires = at('2011-12-30T22:00:00Z');
    const result = evaluateExpiry(
      input({
        facts: facts({ lastPasswordChangeDateTime: new Date(expires.getTime() - 90 * DAY) }),
        now: at('2011-12-29T22:00:00Z'),
        timeZone: 'Pacific/Apia',
      }),
    );
    assert.equal(result.expiresAt?.toISOString(), expires.toISOString());
    assert.equal(result.daysLeft, 2);
  });

  void it('lands on 29 February in a leap year', () => {
    const lastChanged = at('2027-12-01T09:00:00Z'); // + 90 days = 2028-02-29
    const result = evaluateExpiry(
      input({
        facts: facts({ lastPasswordChangeDateTime: lastChanged }),
        now: at('2028-02-28T09:00:00Z'),
        timeZone: 'UTC',
      }),
    );
    assert.equal(result.expiresAt?.toISOString(), '2028-02-29T09:00:00.000Z');
    assert.ok(result.expiresAt);
    assert.deepEqual(localDate(result.expiresAt, 'UTC'), { year: 2028, month: 2, day: 29 });
    assert.equal(result.daysLeft, 1);
    const dayAfter = evaluateExpiry(
      input({
        facts: facts({ lastPasswordChangeDateTime: lastChanged }),
        now: at('2028-03-01T00:00:00Z'),
        timeZone: 'UTC',
      }),
    );
    assert.equal(dayAfter.daysLeft, -1);
    assert.equal(dayAfter.state, 'expired');
  });

  void it('is ok before the window and reports the window start', () => {
    const result = evaluateExpiry(input({ now: at('2026-10-01T00:00:00Z') }));
    assert.equal(result.state, 'ok');
    assert.equal(result.windowStartsAt?.toISOString(), '2026-11-17T08:14:00.000Z');
    assert.equal(result.daysLeft, 61);
  });
});

void describe('evaluateExpiry: never and unknown', () => {
  void it('is unknown with a reason when Graph facts are missing', () => {
    const result = evaluateExpiry(input({ facts: null }));
    assert.equal(result.state, 'unknown');
    assert.equal(result.reason, messages.reasons.noPasswordFacts);
    assert.equal(result.expiresAt, null);
    assert.equal(result.daysLeft, null);
    assert.equal(result.windowStartsAt, null);
  });

  void it('is unknown with a reason when the last change date is missing', () => {
    const result = evaluateExpiry(input({ facts: facts({ lastPasswordChangeDateTime: null }) }));
    assert.equal(result.state, 'unknown');
    assert.equal(result.reason, messages.reasons.noLastChange);
    assert.equal(result.expiresAt, null);
  });

  void it('treats an invalid last change date like a missing one', () => {
    const result = evaluateExpiry(
      input({ facts: facts({ lastPasswordChangeDateTime: new Date(NaN) }) }),
    );
    assert.equal(result.state, 'unknown');
    assert.equal(result.lastChanged, null);
  });

  void it('is never for a cloud user with DisablePasswordExpiration, however it is written', () => {
    for (const policies of [
      'DisablePasswordExpiration',
      'DisableStrongPassword, DisablePasswordExpiration',
      ' disablepasswordexpiration ,DisableStrongPassword',
    ]) {
      for (const onPremisesSyncEnabled of [null, false]) {
        const result = evaluateExpiry(
          input({ facts: facts({ passwordPolicies: policies, onPremisesSyncEnabled }) }),
        );
        assert.equal(result.state, 'never', policies);
        assert.equal(result.source, 'graph');
        assert.equal(result.expiresAt, null);
        assert.ok(result.reason && result.reason.length > 0);
      }
    }
  });

  void it('is unknown, "managed on-premises", for a synced user with DisablePasswordExpiration', () => {
    const result = evaluateExpiry(
      input({
        facts: facts({
          passwordPolicies: 'DisablePasswordExpiration',
          onPremisesSyncEnabled: true,
        }),
        policy: { validityDays: 0, windowDays: 14, from: 'config' },
      }),
    );
    assert.equal(result.state, 'unknown');
    assert.equal(result.reason, 'managed on-premises');
    assert.equal(result.expiresAt, null);
  });

  void it('evaluates a synced user normally when the cloud policy applies to them', () => {
    const result = evaluateExpiry(input({ facts: facts({ onPremisesSyncEnabled: true }) }));
    assert.equal(result.state, 'expiring');
  });

  void it('does not mistake similar policy names for DisablePasswordExpiration', () => {
    assert.equal(hasDisablePasswordExpiration('DisableStrongPassword'), false);
    assert.equal(hasDisablePasswordExpiration('DisablePasswordExpirationX'), false);
    assert.equal(hasDisablePasswordExpiration(null), false);
    assert.equal(hasDisablePasswordExpiration('None'), false);
  });

  void it('is never when the policy validity is 0 or 2147483647', () => {
    const zero = evaluateExpiry(
      input({ policy: { validityDays: 0, windowDays: 14, from: 'config' } }),
    );
    assert.equal(zero.state, 'never');
    assert.equal(zero.source, 'policy');
    assert.equal(zero.reason, messages.reasons.policyNeverExpires);
    const max = evaluateExpiry(
      input({ policy: { validityDays: 2147483647, windowDays: 14, from: 'domain' } }),
    );
    assert.equal(max.state, 'never');
    assert.equal(max.source, 'graph');
  });

  void it('is unknown for a nonsensical policy rather than inventing a date', () => {
    const result = evaluateExpiry(
      input({ policy: { validityDays: -5, windowDays: 14, from: 'config' } }),
    );
    assert.equal(result.state, 'unknown');
    assert.equal(result.expiresAt, null);
  });

  void it('rejects an unknown time zone with a RangeError', () => {
    assert.throws(() => evaluateExpiry(input({ timeZone: 'Europe/Nowhere' })), RangeError);
  });
});

void describe('evaluateExpiry: token claims', () => {
  void it('uses pwd_exp from the ID token and keeps lastChanged from Graph', () => {
    const result = evaluateExpiry(
      input({
        claims: {
          pwdExpSeconds: 3 * 86_400 + 3600,
          issuedAt: at('2026-11-28T07:14:00Z'),
          pwdUrl: null,
        },
      }),
    );
    assert.equal(result.source, 'token');
    assert.equal(result.expiresAt?.toISOString(), '2026-12-01T08:14:00.000Z');
    assert.equal(result.windowStartsAt?.toISOString(), '2026-11-17T08:14:00.000Z');
    assert.equal(result.lastChanged?.toISOString(), '2026-09-02T08:14:00.000Z');
    assert.equal(result.state, 'expiring');
  });

  void it('works without Graph facts and overrides a "never" policy', () => {
    const result = evaluateExpiry(
      input({
        facts: null,
        policy: { validityDays: 0, windowDays: 14, from: 'config' },
        claims: {
          pwdExpSeconds: 600,
          issuedAt: at('2026-11-22T10:00:00Z'),
          pwdUrl: 'https://example.test',
        },
      }),
    );
    assert.equal(result.source, 'token');
    assert.equal(result.state, 'expiring');
    assert.equal(result.lastChanged, null);
    assert.equal(result.daysLeft, 0);
  });

  void it('ignores claims with a non-numeric pwd_exp', () => {
    const result = evaluateExpiry(
      input({ claims: { pwdExpSeconds: NaN, issuedAt: at('2026-11-22T10:00:00Z'), pwdUrl: null } }),
    );
    assert.equal(result.source, 'policy');
  });
});

const ZONES = ['UTC', 'Europe/Berlin', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Apia'];

void describe('evaluateExpiry: properties across zones', () => {
  const scenario = fc.record({
    zone: fc.constantFrom(...ZONES),
    lastChanged: fc.integer({ min: Date.UTC(2005, 0, 1), max: Date.UTC(2035, 0, 1) }),
    validityDays: fc.integer({ min: 1, max: 730 }),
    windowDays: fc.integer({ min: 1, max: 30 }),
    nowOffset: fc.integer({ min: -60 * DAY, max: 60 * DAY }),
  });

  void it('places expiry and window at exact instants and derives the state from them alone', () => {
    fc.assert(
      fc.property(scenario, ({ zone, lastChanged, validityDays, windowDays, nowOffset }) => {
        const expires = lastChanged + validityDays * DAY;
        const now = new Date(expires + nowOffset);
        const result = evaluateExpiry({
          facts: facts({ lastPasswordChangeDateTime: new Date(lastChanged) }),
          claims: null,
          policy: { validityDays, windowDays, from: 'config' },
          now,
          timeZone: zone,
        });
        assert.equal(result.expiresAt?.getTime(), expires);
        assert.equal(result.windowStartsAt?.getTime(), expires - windowDays * DAY);
        const expected =
          nowOffset >= 0 ? 'expired' : nowOffset >= -windowDays * DAY ? 'expiring' : 'ok';
        assert.equal(result.state, expected);
        const daysLeft = result.daysLeft!;
        // The sign of daysLeft agrees with the instants: 0 only on the expiry's own local date.
        if (daysLeft > 0) assert.ok(now.getTime() < expires);
        if (daysLeft < 0) assert.ok(now.getTime() > expires);
        assert.equal(
          daysLeft === 0,
          JSON.stringify(localDate(now, zone)) ===
            JSON.stringify(localDate(new Date(expires), zone)),
        );
      }),
      { numRuns: 500 },
    );
  });

  void it('makes daysLeft the number of local midnights between now and the expiry', () => {
    // Counted by stepping day by day, independently of the date subtraction used inside.
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2008, 0, 1), max: Date.UTC(2032, 0, 1) }),
        fc.integer({ min: 0, max: 40 * DAY }),
        (zone, nowMs, untilExpiry) => {
          const expires = nowMs + untilExpiry;
          const result = evaluateExpiry({
            facts: facts({ lastPasswordChangeDateTime: new Date(expires - 90 * DAY) }),
            claims: null,
            policy: configPolicy,
            now: new Date(nowMs),
            timeZone: zone,
          });
          let midnights = 0;
          let cursor = startOfNextLocalDay(new Date(nowMs), zone);
          while (cursor.getTime() <= expires) {
            // A skipped calendar day (Apia) is crossed in one step but counts as two dates.
            const before = localDate(new Date(cursor.getTime() - 1), zone);
            midnights += addLocalDays(before, 1).day === localDate(cursor, zone).day ? 1 : 2;
            cursor = startOfNextLocalDay(cursor, zone);
          }
          assert.equal(result.daysLeft, midnights);
        },
      ),
      { numRuns: 300 },
    );
  });

  void it('never lets daysLeft grow as time passes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 0, max: 100 * DAY }),
        fc.integer({ min: 0, max: 100 * DAY }),
        (zone, lastChanged, a, b) => {
          const base = {
            facts: facts({ lastPasswordChangeDateTime: new Date(lastChanged) }),
            claims: null,
            policy: configPolicy,
            timeZone: zone,
          };
          const earlier = evaluateExpiry({ ...base, now: new Date(lastChanged + Math.min(a, b)) });
          const later = evaluateExpiry({ ...base, now: new Date(lastChanged + Math.max(a, b)) });
          assert.ok(later.daysLeft! <= earlier.daysLeft!);
        },
      ),
    );
  });
});
