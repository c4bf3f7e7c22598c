import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evaluateExpiry } from '../../src/core/expiry';
import {
  addLocalDays,
  compareLocalDates,
  localDate,
  startOfLocalDay,
  type LocalDate,
} from '../../src/core/localCalendar';
import type { ExpiryEvaluation, ExpiryPolicy, ReminderRecord } from '../../src/core/model';
import {
  decideReminder,
  nextReminderAfterShown,
  reminderKey,
  reminderSlot,
} from '../../src/core/reminderSchedule';
import type { ReminderInput } from '../../src/core/reminderSchedule';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const BERLIN = 'Europe/Berlin';

function evaluate(lastChanged: Date | null, now: Date, timeZone = BERLIN, policy?: ExpiryPolicy) {
  return evaluateExpiry({
    facts: {
      userPrincipalName: 'adele@contoso.com',
      lastPasswordChangeDateTime: lastChanged,
      passwordPolicies: null,
      onPremisesSyncEnabled: null,
      onPremisesLastSyncDateTime: null,
    },
    claims: null,
    policy: policy ?? { validityDays: 90, windowDays: 14, from: 'config' },
    now,
    timeZone,
  });
}

// Expires Tue 1 Dec 2026 09:14 Berlin; window opens Tue 17 Nov 09:14.
const LAST_CHANGED = at('2026-09-02T08:14:00Z');

function shown(
  shownAt: string,
  passwordLastChanged: string | null = LAST_CHANGED.toISOString(),
): ReminderRecord {
  return { shownAt: at(shownAt), passwordLastChanged };
}

void describe('decideReminder', () => {
  void it('plans the first reminder for the window start while the password is ok', () => {
    const now = at('2026-11-01T10:00:00Z');
    const evaluation = evaluate(LAST_CHANGED, now);
    assert.equal(evaluation.state, 'ok');
    const decision = decideReminder({ evaluation, last: null, now, timeZone: BERLIN });
    assert.equal(decision.due, false);
    assert.equal(decision.nextAt?.toISOString(), '2026-11-17T08:14:00.000Z');
  });

  void it('plans nothing when the password never expires or the expiry is unknown', () => {
    const now = at('2026-11-22T10:00:00Z');
    const never = evaluate(LAST_CHANGED, now, BERLIN, {
      validityDays: 0,
      windowDays: 14,
      from: 'config',
    });
    const unknown = evaluate(null, now);
    for (const evaluation of [never, unknown]) {
      assert.deepEqual(decideReminder({ evaluation, last: null, now, timeZone: BERLIN }), {
        due: false,
        nextAt: null,
      });
    }
  });

  void it('is due now in the window when nothing was shown yet', () => {
    const now = at('2026-11-22T10:00:00Z');
    const decision = decideReminder({
      evaluation: evaluate(LAST_CHANGED, now),
      last: null,
      now,
      timeZone: BERLIN,
    });
    assert.equal(decision.due, true);
    assert.equal(decision.nextAt?.getTime(), now.getTime());
  });

  void it('is not due again on the same local day and waits for the next local midnight', () => {
    const now = at('2026-11-22T20:00:00Z'); // 21:00 Berlin
    const decision = decideReminder({
      evaluation: evaluate(LAST_CHANGED, now),
      last: shown('2026-11-21T23:30:00Z'), // 00:30 Berlin on the 22nd
      now,
      timeZone: BERLIN,
    });
    assert.equal(decision.due, false);
    assert.equal(decision.nextAt?.toISOString(), '2026-11-22T23:00:00.000Z');
  });

  void it('is due again just after local midnight, even minutes after the last one', () => {
    const now = at('2026-11-22T23:05:00Z'); // 00:05 Berlin on the 23rd
    const decision = decideReminder({
      evaluation: evaluate(LAST_CHANGED, now),
      last: shown('2026-11-22T22:55:00Z'), // 23:55 Berlin on the 22nd
      now,
      timeZone: BERLIN,
    });
    assert.equal(decision.due, true);
  });

  void it('judges "today" in the zone given, not in UTC', () => {
    // Same UTC date (23 Nov), different local dates in Auckland (+13): 23 Nov 14:00 and 24 Nov 01:00.
    const now = at('2026-11-23T12:00:00Z');
    const evaluation = evaluate(LAST_CHANGED, now, 'Pacific/Auckland');
    const last = shown('2026-11-23T01:00:00Z');
    assert.equal(decideReminder({ evaluation, last, now, timeZone: 'Pacific/Auckland' }).due, true);
    assert.equal(decideReminder({ evaluation, last, now, timeZone: 'UTC' }).due, false);
  });

  void it('keeps reminding every day after expiry', () => {
    const now = at('2026-12-20T09:00:00Z');
    const evaluation = evaluate(LAST_CHANGED, now);
    assert.equal(evaluation.state, 'expired');
    assert.equal(
      decideReminder({ evaluation, last: shown('2026-12-19T09:00:00Z'), now, timeZone: BERLIN })
        .due,
      true,
    );
    assert.equal(
      decideReminder({ evaluation, last: shown('2026-12-20T07:00:00Z'), now, timeZone: BERLIN })
        .due,
      false,
    );
  });

  void it('starts over when the password changed (a record about another password does not count)', () => {
    const now = at('2026-11-22T20:00:00Z');
    const evaluation = evaluate(LAST_CHANGED, now);
    const aboutOldPassword = shown('2026-11-22T08:00:00Z', '2026-06-04T08:14:00.000Z');
    assert.equal(
      decideReminder({ evaluation, last: aboutOldPassword, now, timeZone: BERLIN }).due,
      true,
    );
    const aboutUnknown = shown('2026-11-22T08:00:00Z', null);
    assert.equal(
      decideReminder({ evaluation, last: aboutUnknown, now, timeZone: BERLIN }).due,
      true,
    );
  });

  void it('does not let a record with an invalid date mute reminders', () => {
    const now = at('2026-11-22T20:00:00Z');
    const last: ReminderRecord = {
      shownAt: new Date(NaN),
      passwordLastChanged: LAST_CHANGED.toISOString(),
    };
    assert.equal(
      decideReminder({ evaluation: evaluate(LAST_CHANGED, now), last, now, timeZone: BERLIN }).due,
      true,
    );
  });

  void it('records the ISO last change as the key, or null when unknown', () => {
    const now = at('2026-11-22T20:00:00Z');
    assert.equal(reminderKey(evaluate(LAST_CHANGED, now)), '2026-09-02T08:14:00.000Z');
    const fromToken: ExpiryEvaluation = {
      ...evaluate(LAST_CHANGED, now),
      lastChanged: null,
      source: 'token',
    };
    assert.equal(reminderKey(fromToken), null);
  });
});

const ZONES = ['UTC', 'Europe/Berlin', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Apia'];
const SIMULATED_DAYS = 70;

interface Check {
  at: Date;
  day: LocalDate;
}

void describe('decideReminder over simulated months', () => {
  void it('shows exactly one reminder on each local day with a check from the window on, until the password changes', () => {
    const scenario = fc.record({
      zone: fc.constantFrom(...ZONES),
      firstDay: fc.record({
        year: fc.integer({ min: 2010, max: 2034 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
      }),
      // Fractions of each local day at which the user checks: none on some days, several on others.
      checks: fc.array(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 4 }),
        {
          minLength: SIMULATED_DAYS,
          maxLength: SIMULATED_DAYS,
        },
      ),
      expiryAfterMs: fc.integer({ min: 5 * DAY, max: 55 * DAY }),
      windowDays: fc.integer({ min: 1, max: 30 }),
      validityDays: fc.integer({ min: 100, max: 730 }),
      changeOnDay: fc.option(fc.integer({ min: 0, max: SIMULATED_DAYS - 1 }), { nil: null }),
    });

    fc.assert(
      fc.property(scenario, (s) => {
        const { zone } = s;
        const simStart = startOfLocalDay(s.firstDay, zone).getTime();
        const policy: ExpiryPolicy = {
          validityDays: s.validityDays,
          windowDays: s.windowDays,
          from: 'config',
        };
        const firstExpiry = simStart + s.expiryAfterMs;
        let lastChanged = new Date(firstExpiry - s.validityDays * DAY);
        const originalWindowStart = firstExpiry - s.windowDays * DAY;

        const allChecks: Check[] = [];
        s.checks.forEach((fractions, i) => {
          const day = addLocalDays(localDate(new Date(simStart), zone), i);
          const start = startOfLocalDay(day, zone).getTime();
          const end = startOfLocalDay(addLocalDays(day, 1), zone).getTime();
          // A skipped day (Apia) has no instants: nobody can check on it.
          if (compareLocalDates(localDate(new Date(start), zone), day) !== 0) return;
          for (const f of [...fractions].sort((a, b) => a - b)) {
            allChecks.push({ at: new Date(start + Math.floor(f * (end - start))), day });
          }
        });

        let record: ReminderRecord | null = null;
        let changedAt: number | null = null;
        // The new password's own window (it can open within the simulated months).
        let newWindowStart = Infinity;
        const shownOn: { day: string; at: number; key: string | null }[] = [];
        const checkedInWindow = new Set<string>();
        for (const check of allChecks) {
          const dayIndex = Math.round(
            (Date.UTC(check.day.year, check.day.month - 1, check.day.day) -
              Date.UTC(s.firstDay.year, s.firstDay.month - 1, s.firstDay.day)) /
              DAY,
          );
          if (s.changeOnDay !== null && changedAt === null && dayIndex >= s.changeOnDay) {
            // The user changes the password at this check.
            changedAt = check.at.getTime();
            lastChanged = check.at;
          }
          const evaluation = evaluate(lastChanged, check.at, zone, policy);
          if (changedAt !== null && newWindowStart === Infinity) {
            newWindowStart = evaluation.windowStartsAt?.getTime() ?? Infinity;
          }
          const decision = decideReminder({
            evaluation,
            last: record,
            now: check.at,
            timeZone: zone,
          });
          const dayKey = JSON.stringify(check.day);
          if (changedAt === null && check.at.getTime() >= originalWindowStart)
            checkedInWindow.add(dayKey);
          if (decision.due) {
            assert.equal(decision.nextAt?.getTime(), check.at.getTime());
            record = { shownAt: check.at, passwordLastChanged: reminderKey(evaluation) };
            shownOn.push({ day: dayKey, at: check.at.getTime(), key: reminderKey(evaluation) });
          } else if (evaluation.state === 'expiring' || evaluation.state === 'expired') {
            // Waiting for tomorrow: the planned instant is the next local day, where one is due.
            const nextAt = decision.nextAt!;
            assert.ok(compareLocalDates(localDate(nextAt, zone), check.day) > 0);
            const atNext = decideReminder({
              evaluation: evaluate(lastChanged, nextAt, zone, policy),
              last: record,
              now: nextAt,
              timeZone: zone,
            });
            assert.equal(atNext.due, true);
          }
        }

        // Never two reminders on one local day.
        const days = shownOn.map((r) => r.day);
        assert.equal(new Set(days).size, days.length, 'two reminders on one day');
        // None before the window opened; after the password changed, none until the new
        // password's own window opens.
        const beforeChange = shownOn.filter((r) => changedAt === null || r.at < changedAt);
        for (const r of shownOn) {
          assert.ok(r.at >= originalWindowStart, 'reminder before the window');
          if (changedAt !== null && r.at >= changedAt) {
            assert.ok(r.at >= newWindowStart, 'reminder after the password change');
          }
        }
        // One on every day with a check in the window (after expiry too), until the change.
        assert.deepEqual(new Set(beforeChange.map((r) => r.day)), checkedInWindow);
      }),
      { numRuns: 200 },
    );
  });
});

const CADENCE = { finalDays: 3, everyHours: 4 };
const HOUR = 3_600_000;

void describe('decideReminder in the final stretch', () => {
  // Expires Tue 1 Dec 09:14 Berlin: the last three days start Sat 28 Nov 09:14.
  const decideAt = (iso: string, last: ReminderRecord | null, cadence = CADENCE) => {
    const now = at(iso);
    return decideReminder({
      evaluation: evaluate(LAST_CHANGED, now),
      last,
      now,
      timeZone: BERLIN,
      cadence,
    });
  };

  void it('is off by default: one a day right up to the expiry', () => {
    const decision = decideAt('2026-11-30T20:00:00Z', shown('2026-11-30T07:00:00Z'), {
      finalDays: 0,
      everyHours: 1,
    });
    assert.deepEqual(decision, { due: false, nextAt: at('2026-11-30T23:00:00Z') });
    assert.deepEqual(
      decideReminder({
        evaluation: evaluate(LAST_CHANGED, at('2026-11-30T20:00:00Z')),
        last: shown('2026-11-30T07:00:00Z'),
        now: at('2026-11-30T20:00:00Z'),
        timeZone: BERLIN,
      }),
      decision,
    );
  });

  void it('before the stretch: one a day, and the day before it starts waits for it', () => {
    assert.equal(decideAt('2026-11-27T15:00:00Z', shown('2026-11-27T07:00:00Z')).due, false);
    // Shown at 08:00 on the 28th, the stretch opens at 09:14: again four hours after it.
    const before = decideAt('2026-11-28T07:30:00Z', shown('2026-11-28T07:00:00Z'));
    assert.deepEqual(before, { due: false, nextAt: at('2026-11-28T11:00:00Z') });
    // Shown late the day before: the stretch's first is at its start.
    const dayBefore = decideAt('2026-11-27T22:50:00Z', shown('2026-11-27T20:00:00Z'), {
      finalDays: 3,
      everyHours: 1,
    });
    assert.deepEqual(dayBefore, { due: false, nextAt: at('2026-11-27T23:00:00Z') });
  });

  void it('inside the stretch: again every N hours after the last one shown, not on the clock', () => {
    assert.equal(decideAt('2026-11-29T12:59:59Z', shown('2026-11-29T09:00:00Z')).due, false);
    assert.deepEqual(decideAt('2026-11-29T10:00:00Z', shown('2026-11-29T09:00:00Z')), {
      due: false,
      nextAt: at('2026-11-29T13:00:00Z'),
    });
    assert.equal(decideAt('2026-11-29T13:00:00Z', shown('2026-11-29T09:00:00Z')).due, true);
    // Nothing shown yet, or a record from a clock set in the future: due.
    assert.equal(decideAt('2026-11-29T13:00:00Z', null).due, true);
    assert.equal(decideAt('2026-11-29T13:00:00Z', shown('2026-11-29T15:00:00Z')).due, true);
    // A record about another password does not count.
    assert.equal(
      decideAt('2026-11-29T13:00:00Z', shown('2026-11-29T12:00:00Z', '2026-06-04T08:14:00.000Z'))
        .due,
      true,
    );
  });

  void it('at the expiry: one a day again, and the expiry day keeps the one it had', () => {
    // Last one 07:00 on 1 Dec (08:00 Berlin), expiry 09:14 that day: next on 2 Dec.
    assert.deepEqual(decideAt('2026-12-01T07:30:00Z', shown('2026-12-01T07:00:00Z')), {
      due: false,
      nextAt: at('2026-12-01T23:00:00Z'),
    });
    // Last one the evening before: the expired reminder at the expiry itself.
    assert.deepEqual(
      decideAt('2026-12-01T07:30:00Z', shown('2026-11-30T22:00:00Z'), {
        finalDays: 3,
        everyHours: 12,
      }),
      { due: false, nextAt: at('2026-12-01T08:14:00Z') },
    );
    assert.equal(decideAt('2026-12-01T20:00:00Z', shown('2026-12-01T09:00:00Z')).due, false);
  });
});

void describe('reminderSlot', () => {
  const timing = (iso: string) => evaluate(LAST_CHANGED, at(iso));
  void it('is the local day outside the stretch, an N-hour part of it inside', () => {
    const outside = reminderSlot({
      timing: timing('2026-11-27T10:00:00Z'),
      now: at('2026-11-27T10:00:00Z'),
      timeZone: BERLIN,
      cadence: CADENCE,
    });
    assert.deepEqual(outside, {
      day: { year: 2026, month: 11, day: 27 },
      fromHour: null,
      endsAt: at('2026-11-27T23:00:00Z'),
    });
    const inside = reminderSlot({
      timing: timing('2026-11-29T10:30:00Z'),
      now: at('2026-11-29T10:30:00Z'),
      timeZone: BERLIN,
      cadence: CADENCE,
    });
    assert.deepEqual(inside, {
      day: { year: 2026, month: 11, day: 29 },
      fromHour: 8,
      endsAt: at('2026-11-29T11:00:00Z'),
    });
    // The expiry ends the last part early; without a stretch the day is the slot.
    const last = reminderSlot({
      timing: timing('2026-12-01T08:00:00Z'),
      now: at('2026-12-01T08:00:00Z'),
      timeZone: BERLIN,
      cadence: CADENCE,
    });
    assert.deepEqual(last.endsAt, at('2026-12-01T08:14:00Z'));
    assert.equal(
      reminderSlot({
        timing: timing('2026-11-29T10:30:00Z'),
        now: at('2026-11-29T10:30:00Z'),
        timeZone: BERLIN,
      }).fromHour,
      null,
    );
  });

  void it('counts real hours from the start of the local day across a change of clocks', () => {
    // Berlin, Sun 25 Oct 2026 has 25 hours: 23:30 local is 24.5 hours in.
    const lastChanged = at('2026-07-28T10:00:00Z'); // expires 26 Oct 2026 10:00 UTC
    const now = at('2026-10-25T22:30:00Z');
    const slot = reminderSlot({
      timing: evaluate(lastChanged, now),
      now,
      timeZone: BERLIN,
      cadence: { finalDays: 2, everyHours: 4 },
    });
    assert.deepEqual(slot, {
      day: { year: 2026, month: 10, day: 25 },
      fromHour: 24,
      endsAt: at('2026-10-25T23:00:00Z'),
    });
  });
});

const STRETCH_ZONES = [...ZONES, 'America/New_York', 'Europe/London', 'Asia/Kolkata'];

void describe('the final stretch over simulated weeks', () => {
  void it('never two in one slot, N hours apart inside the stretch, one a day outside it, and due exactly at nextAt', () => {
    const scenario = fc.record({
      zone: fc.constantFrom(...STRETCH_ZONES),
      firstDay: fc.record({
        year: fc.integer({ min: 2010, max: 2034 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
      }),
      // Minutes between the user's checks: often, sometimes hours apart (away, asleep).
      gaps: fc.array(
        fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 31, max: 14 * 60 })),
        { minLength: 200, maxLength: 450 },
      ),
      expiryAfterMs: fc.integer({ min: 2 * DAY, max: 16 * DAY }),
      windowDays: fc.integer({ min: 1, max: 30 }),
      finalDays: fc.integer({ min: 0, max: 14 }),
      everyHours: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(scenario, (s) => {
        const { zone } = s;
        const cadence = { finalDays: s.finalDays, everyHours: s.everyHours };
        const start = startOfLocalDay(s.firstDay, zone).getTime();
        const expiresAt = start + s.expiryAfterMs;
        const lastChanged = new Date(expiresAt - 90 * DAY);
        const policy: ExpiryPolicy = { validityDays: 90, windowDays: s.windowDays, from: 'config' };
        const stretchStart = s.finalDays > 0 ? expiresAt - s.finalDays * DAY : Infinity;
        let record: ReminderRecord | null = null;
        const slots = new Set<string>();
        const shown: number[] = [];
        let now = start;
        for (const gap of s.gaps) {
          now += gap * 60_000 + (gap % 7) * 1_013;
          const evaluation = evaluate(lastChanged, new Date(now), zone, policy);
          const input: ReminderInput = {
            evaluation,
            last: record,
            now: new Date(now),
            timeZone: zone,
            cadence,
          };
          const decision = decideReminder(input);
          if (evaluation.state !== 'expiring' && evaluation.state !== 'expired') continue;
          if (decision.due) {
            const slot = reminderSlot({
              timing: evaluation,
              now: new Date(now),
              timeZone: zone,
              cadence,
            });
            assert.ok(slot.endsAt.getTime() > now, 'the slot holds its instant');
            const name = JSON.stringify([slot.day, slot.fromHour]);
            assert.ok(!slots.has(name), `two in one slot ${name}`);
            slots.add(name);
            const previous = shown.at(-1);
            if (previous !== undefined && now >= stretchStart && now < expiresAt) {
              assert.ok(now - previous >= s.everyHours * HOUR, 'N hours apart in the stretch');
            }
            if (previous !== undefined && (now < stretchStart || now >= expiresAt)) {
              const sameDay =
                compareLocalDates(
                  localDate(new Date(previous), zone),
                  localDate(new Date(now), zone),
                ) === 0;
              // Outside the stretch one a day (the first one of the day after the stretch may follow one in it).
              if (previous < stretchStart || previous >= expiresAt)
                assert.ok(!sameDay, 'one a day');
            }
            record = { shownAt: new Date(now), passwordLastChanged: reminderKey(evaluation) };
            shown.push(now);
            // What the tray plans right after showing is what the rule says next.
            const after = decideReminder({ ...input, last: record });
            assert.equal(
              nextReminderAfterShown({
                timing: evaluation,
                shownAt: new Date(now),
                timeZone: zone,
                cadence,
              })?.getTime(),
              after.nextAt?.getTime(),
            );
            continue;
          }
          // The planned instant is exactly when the next one falls due.
          const nextAt = decision.nextAt!.getTime();
          assert.ok(nextAt > now, 'nextAt lies ahead');
          const decideThen = (t: number): boolean =>
            decideReminder({
              ...input,
              evaluation: evaluate(lastChanged, new Date(t), zone, policy),
              now: new Date(t),
            }).due;
          assert.equal(decideThen(nextAt), true, 'due at nextAt');
          if (nextAt - 1 > now)
            assert.equal(decideThen(nextAt - 1), false, 'not due before nextAt');
        }
        // Expired: at most one a day.
        const expiredDays = shown
          .filter((t) => t >= expiresAt)
          .map((t) => JSON.stringify(localDate(new Date(t), zone)));
        assert.equal(new Set(expiredDays).size, expiredDays.length, 'one a day once expired');
      }),
      { numRuns: 80 },
    );
  });
});
