/**
 * The command's wall clock (the process's local time set to the user's zone) against Intl's, over
 * the instants where zones are hardest: around every DST change, half-hour and 45-minute
 * offsets, a skipped day, and the Southern hemisphere.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatLocalDateTime,
  localDate,
  startOfLocalDay,
  startOfNextLocalDay,
  useWallClock,
} from '../../src/core/localCalendar';
import { processWallClock } from '../../src/main/processWallClock';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Asia/Katmandu', // ICU's canonical name
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
];
const FROM = Date.UTC(2011, 0, 1);
const TO = Date.UTC(2040, 0, 1);

/** Everything the product derives from a zone's wall clock, for one instant. */
function derived(ms: number, zone: string) {
  const instant = new Date(ms);
  const day = localDate(instant, zone);
  return {
    day,
    text: formatLocalDateTime(instant, zone),
    start: startOfLocalDay(day, zone).toISOString(),
    next: startOfNextLocalDay(instant, zone).toISOString(),
  };
}

function withWallClock<T>(zone: string, run: () => T): T {
  const clock = processWallClock(zone);
  assert.ok(clock, `${zone} is read from the process's local time`);
  useWallClock(clock);
  try {
    return run();
  } finally {
    useWallClock(null);
  }
}

void describe("the process's local time as the user's wall clock", () => {
  const savedTz = process.env.TZ;
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  void it('agrees with Intl every three hours across 2026 and at random instants to 2040', () => {
    for (const zone of ZONES) {
      const hours: number[] = [];
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3 * 3_600_000 + 61_000)
        hours.push(ms);
      const random = fc.sample(fc.integer({ min: FROM, max: TO }), { numRuns: 200, seed: 7 });
      const instants = [...hours, ...random];
      const expected = instants.map((ms) => derived(ms, zone));
      const actual = withWallClock(zone, () => instants.map((ms) => derived(ms, zone)));
      for (let i = 0; i < instants.length; i++) {
        assert.deepEqual(
          actual[i],
          expected[i],
          `${zone} at ${new Date(instants[i] ?? 0).toISOString()}`,
        );
      }
    }
  });

  void it("finds the day Samoa skipped and a DST change's first instant as Intl does", () => {
    const apia = withWallClock('Pacific/Apia', () =>
      startOfLocalDay({ year: 2011, month: 12, day: 30 }, 'Pacific/Apia').toISOString(),
    );
    assert.equal(
      apia,
      startOfLocalDay({ year: 2011, month: 12, day: 30 }, 'Pacific/Apia').toISOString(),
    );
    assert.equal(apia, '2011-12-30T10:00:00.000Z');
    const santiago = withWallClock('America/Santiago', () =>
      startOfLocalDay({ year: 2026, month: 9, day: 6 }, 'America/Santiago').toISOString(),
    );
    assert.equal(santiago, '2026-09-06T04:00:00.000Z');
  });

  void it('reads only its own zone: any other still goes through Intl', () => {
    withWallClock('Asia/Tokyo', () => {
      const instant = new Date('2026-12-02T20:30:00Z');
      assert.equal(formatLocalDateTime(instant, 'Asia/Tokyo'), 'Thu 3 Dec 2026 at 05:30');
      assert.equal(formatLocalDateTime(instant, 'America/New_York'), 'Wed 2 Dec 2026 at 15:30');
    });
  });

  void it('declines a name the runtime does not list as canonical, leaving TZ alone', () => {
    process.env.TZ = 'Europe/Berlin';
    for (const zone of ['Asia/Kolkata', 'Not/AZone', 'Etc/UTC', '']) {
      assert.equal(processWallClock(zone), null, zone);
      assert.equal(process.env.TZ, 'Europe/Berlin');
    }
  });
});
