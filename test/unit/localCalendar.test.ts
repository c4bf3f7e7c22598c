import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addLocalDays,
  assertTimeZone,
  compareLocalDates,
  daysBetweenLocalDates,
  formatLocalDateTime,
  formatLocalDay,
  formatLocalTime,
  localDate,
  startOfLocalDay,
  startOfNextLocalDay,
  type LocalDate,
} from '../../src/core/localCalendar';

const HOUR = 3_600_000;
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/Sao_Paulo',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'America/New_York',
  'Asia/Kolkata',
  'Pacific/Chatham',
] as const;

const d = (year: number, month: number, day: number): LocalDate => ({ year, month, day });
const at = (iso: string) => new Date(iso);

/** Instants from 1995 to 2040, which covers the Apia and Sao Paulo changes. */
const instantArb = fc
  .integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2040, 0, 1) })
  .map((ms) => new Date(ms));

void describe('localDate', () => {
  void it('gives the wall-calendar date in the zone, not the UTC date', () => {
    const instant = at('2026-03-28T23:30:00Z');
    assert.deepEqual(localDate(instant, 'UTC'), d(2026, 3, 28));
    assert.deepEqual(localDate(instant, 'Europe/Berlin'), d(2026, 3, 29));
    assert.deepEqual(localDate(instant, 'America/Sao_Paulo'), d(2026, 3, 28));
    assert.deepEqual(localDate(at('2026-03-28T10:00:00Z'), 'Pacific/Apia'), d(2026, 3, 28));
    assert.deepEqual(localDate(at('2026-03-28T11:00:00Z'), 'Pacific/Apia'), d(2026, 3, 29));
  });

  void it('never shows 30 December 2011 in Apia', () => {
    assert.deepEqual(localDate(at('2011-12-30T09:59:59.999Z'), 'Pacific/Apia'), d(2011, 12, 29));
    assert.deepEqual(localDate(at('2011-12-30T10:00:00Z'), 'Pacific/Apia'), d(2011, 12, 31));
  });

  void it('rejects an invalid Date', () => {
    assert.throws(() => localDate(new Date(NaN), 'UTC'), RangeError);
  });
});

void describe('compareLocalDates and daysBetweenLocalDates', () => {
  void it('orders by year, then month, then day', () => {
    assert.ok(compareLocalDates(d(2026, 1, 31), d(2026, 2, 1)) < 0);
    assert.ok(compareLocalDates(d(2027, 1, 1), d(2026, 12, 31)) > 0);
    assert.equal(compareLocalDates(d(2026, 5, 5), d(2026, 5, 5)), 0);
  });

  void it('counts whole calendar days, including leap days and year ends', () => {
    assert.equal(daysBetweenLocalDates(d(2028, 2, 28), d(2028, 3, 1)), 2);
    assert.equal(daysBetweenLocalDates(d(2027, 2, 28), d(2027, 3, 1)), 1);
    assert.equal(daysBetweenLocalDates(d(2026, 12, 31), d(2027, 1, 1)), 1);
    assert.equal(daysBetweenLocalDates(d(2026, 12, 1), d(2026, 11, 22)), -9);
    assert.equal(daysBetweenLocalDates(d(2024, 1, 1), d(2025, 1, 1)), 366);
  });

  void it('is consistent with addLocalDays in both directions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: -2000, max: 2000 }),
        (year, month, day, n) => {
          const from = d(year, month, day);
          const to = addLocalDays(from, n);
          assert.equal(daysBetweenLocalDates(from, to), n);
          assert.equal(daysBetweenLocalDates(to, from), 0 - n);
          assert.equal(Math.sign(compareLocalDates(to, from)), Math.sign(n));
        },
      ),
    );
  });

  void it('adds across 29 February', () => {
    assert.deepEqual(addLocalDays(d(2028, 2, 28), 1), d(2028, 2, 29));
    assert.deepEqual(addLocalDays(d(2028, 2, 29), 1), d(2028, 3, 1));
    assert.deepEqual(addLocalDays(d(2027, 2, 28), 1), d(2027, 3, 1));
  });
});

void describe('startOfLocalDay', () => {
  void it('is local midnight on ordinary and DST-change days in Berlin', () => {
    assert.equal(
      startOfLocalDay(d(2026, 1, 15), 'Europe/Berlin').toISOString(),
      '2026-01-14T23:00:00.000Z',
    );
    // DST starts 29 Mar 2026 at 02:00; midnight is still +01:00.
    assert.equal(
      startOfLocalDay(d(2026, 3, 29), 'Europe/Berlin').toISOString(),
      '2026-03-28T23:00:00.000Z',
    );
    assert.equal(
      startOfLocalDay(d(2026, 3, 30), 'Europe/Berlin').toISOString(),
      '2026-03-29T22:00:00.000Z',
    );
    assert.equal(
      startOfLocalDay(d(2026, 10, 25), 'Europe/Berlin').toISOString(),
      '2026-10-24T22:00:00.000Z',
    );
    assert.equal(
      startOfLocalDay(d(2026, 10, 26), 'Europe/Berlin').toISOString(),
      '2026-10-25T23:00:00.000Z',
    );
  });

  void it('is 01:00 when DST starts at midnight (Sao Paulo, 4 Nov 2018)', () => {
    const start = startOfLocalDay(d(2018, 11, 4), 'America/Sao_Paulo');
    assert.equal(start.toISOString(), '2018-11-04T03:00:00.000Z');
    assert.equal(formatLocalTime(start, 'America/Sao_Paulo'), '01:00');
    assert.deepEqual(localDate(new Date(start.getTime() - 1), 'America/Sao_Paulo'), d(2018, 11, 3));
  });

  void it('takes the first of the repeated hours when DST ends at midnight (Sao Paulo, 17 Feb 2019)', () => {
    // 17 Feb 00:00 -02 became 16 Feb 23:00 -03: the 16th has 25 hours, the 17th starts at 03:00Z.
    assert.equal(
      startOfLocalDay(d(2019, 2, 16), 'America/Sao_Paulo').toISOString(),
      '2019-02-16T02:00:00.000Z',
    );
    assert.equal(
      startOfLocalDay(d(2019, 2, 17), 'America/Sao_Paulo').toISOString(),
      '2019-02-17T03:00:00.000Z',
    );
  });

  void it('returns the start of 31 Dec for the skipped 30 Dec 2011 in Apia', () => {
    const skipped = startOfLocalDay(d(2011, 12, 30), 'Pacific/Apia');
    const next = startOfLocalDay(d(2011, 12, 31), 'Pacific/Apia');
    assert.equal(skipped.toISOString(), '2011-12-30T10:00:00.000Z');
    assert.equal(next.getTime(), skipped.getTime());
    assert.equal(
      startOfLocalDay(d(2011, 12, 29), 'Pacific/Apia').toISOString(),
      '2011-12-29T10:00:00.000Z',
    );
  });

  void it('handles the 30-minute DST change in Lord Howe', () => {
    // DST starts 6 Oct 2024 at 02:00 (+10:30 to +11), ends 7 Apr 2024 at 02:00 (+11 to +10:30).
    const oct6 = startOfLocalDay(d(2024, 10, 6), 'Australia/Lord_Howe');
    const oct7 = startOfLocalDay(d(2024, 10, 7), 'Australia/Lord_Howe');
    assert.equal(oct6.toISOString(), '2024-10-05T13:30:00.000Z');
    assert.equal(oct7.getTime() - oct6.getTime(), 23.5 * HOUR);
    const apr7 = startOfLocalDay(d(2024, 4, 7), 'Australia/Lord_Howe');
    const apr8 = startOfLocalDay(d(2024, 4, 8), 'Australia/Lord_Howe');
    assert.equal(apr8.getTime() - apr7.getTime(), 24.5 * HOUR);
  });

  for (const zone of ZONES) {
    void it(`finds the earliest instant of the local day in ${zone} (property)`, () => {
      fc.assert(
        fc.property(instantArb, (instant) => {
          const today = localDate(instant, zone);
          const start = startOfLocalDay(today, zone);
          assert.ok(start.getTime() <= instant.getTime(), 'start is not after the instant');
          assert.deepEqual(localDate(start, zone), today);
          const before = localDate(new Date(start.getTime() - 1), zone);
          assert.ok(compareLocalDates(before, today) < 0, 'one ms earlier is the day before');
        }),
        { numRuns: 300 },
      );
    });

    void it(`steps to the next local day in ${zone} (property)`, () => {
      fc.assert(
        fc.property(instantArb, (instant) => {
          const today = localDate(instant, zone);
          const next = startOfNextLocalDay(instant, zone);
          assert.ok(next.getTime() > instant.getTime());
          assert.deepEqual(localDate(new Date(next.getTime() - 1), zone), today);
          const gap = daysBetweenLocalDates(today, localDate(next, zone));
          // One day, or two where a whole day was skipped.
          assert.ok(gap === 1 || (zone === 'Pacific/Apia' && gap === 2), `gap ${gap}`);
          const length = next.getTime() - startOfLocalDay(today, zone).getTime();
          assert.ok(length >= 22 * HOUR && length <= 26 * HOUR, `day length ${length / HOUR} h`);
        }),
        { numRuns: 300 },
      );
    });
  }

  void it('makes Berlin days 23, 24 or 25 hours long and Lord Howe days 23.5, 24 or 24.5', () => {
    const lengths = (zone: string, year: number) => {
      const seen = new Set<number>();
      let day = d(year, 1, 1);
      for (let i = 0; i < 366; i++) {
        const next = addLocalDays(day, 1);
        seen.add(
          (startOfLocalDay(next, zone).getTime() - startOfLocalDay(day, zone).getTime()) / HOUR,
        );
        day = next;
      }
      return [...seen].sort((a, b) => a - b);
    };
    assert.deepEqual(lengths('Europe/Berlin', 2026), [23, 24, 25]);
    assert.deepEqual(lengths('Australia/Lord_Howe', 2026), [23.5, 24, 24.5]);
    assert.deepEqual(lengths('UTC', 2028), [24]);
  });

  void it('rejects an unknown zone', () => {
    assert.throws(() => startOfLocalDay(d(2026, 1, 1), 'Mars/Olympus'), RangeError);
  });
});

void describe('startOfNextLocalDay', () => {
  void it('skips from 29 Dec 2011 straight to 31 Dec in Apia', () => {
    const next = startOfNextLocalDay(at('2011-12-29T20:00:00Z'), 'Pacific/Apia');
    assert.equal(next.toISOString(), '2011-12-30T10:00:00.000Z');
    assert.deepEqual(localDate(next, 'Pacific/Apia'), d(2011, 12, 31));
  });

  void it('is 01:00 local after the night DST starts at midnight in Sao Paulo', () => {
    const next = startOfNextLocalDay(at('2018-11-03T22:00:00Z'), 'America/Sao_Paulo');
    assert.equal(next.toISOString(), '2018-11-04T03:00:00.000Z');
  });

  void it('crosses into 29 February', () => {
    const next = startOfNextLocalDay(at('2028-02-28T12:00:00Z'), 'Europe/Berlin');
    assert.equal(next.toISOString(), '2028-02-28T23:00:00.000Z');
    assert.deepEqual(localDate(next, 'Europe/Berlin'), d(2028, 2, 29));
  });
});

void describe('assertTimeZone', () => {
  void it('accepts IANA zones and UTC', () => {
    for (const zone of ZONES) assert.doesNotThrow(() => assertTimeZone(zone));
  });

  void it('throws a RangeError naming the zone and what is expected', () => {
    for (const bad of ['Mars/Olympus', '', 'Europe/Berlinn', '+99:00']) {
      assert.throws(
        () => assertTimeZone(bad),
        (err: unknown) =>
          err instanceof RangeError &&
          err.message.includes(JSON.stringify(bad)) &&
          err.message.includes('IANA'),
      );
    }
  });
});

void describe('formatting', () => {
  void it('writes the long form in the zone', () => {
    assert.equal(
      formatLocalDateTime(at('2026-12-01T08:14:00Z'), 'Europe/Berlin'),
      'Tue 1 Dec 2026 at 09:14',
    );
    assert.equal(formatLocalDateTime(at('2026-12-01T08:14:00Z'), 'UTC'), 'Tue 1 Dec 2026 at 08:14');
    assert.equal(
      formatLocalDateTime(at('2026-12-01T08:14:00Z'), 'Pacific/Apia'),
      'Tue 1 Dec 2026 at 21:14',
    );
  });

  void it('writes midnight as 00:00 and September as Sep', () => {
    assert.equal(
      formatLocalDateTime(at('2026-09-02T22:00:00Z'), 'Europe/Berlin'),
      'Thu 3 Sep 2026 at 00:00',
    );
    assert.equal(formatLocalTime(at('2026-01-01T00:00:00Z'), 'UTC'), '00:00');
  });

  void it('writes the short form in the zone', () => {
    assert.equal(formatLocalDay(at('2026-12-03T08:14:00Z'), 'Europe/Berlin'), 'Thu 3 Dec');
    assert.equal(formatLocalDay(at('2026-12-03T23:30:00Z'), 'Europe/Berlin'), 'Fri 4 Dec');
    assert.equal(formatLocalDay(at('2028-02-29T12:00:00Z'), 'UTC'), 'Tue 29 Feb');
  });
});
