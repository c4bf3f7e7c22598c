import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DirectoryEntry } from '../../src/core/directory';
import {
  decodeDirectoryExpiry,
  decodeFileTime,
  decodeMaxPwdAge,
} from '../../src/core/directoryExpiry';

/** 2026-12-01T08:14:00Z as FILETIME (100 ns ticks since 1601-01-01 UTC). */
const EXPIRES_2026_12_01 = '134405864400000000';
/** 2026-09-02T08:14:00Z. */
const SET_2026_09_02 = '134328104400000000';
const NEVER = '9223372036854775807';
const MAX_AGE_90_DAYS = '-77760000000000';
const MAX_AGE_42_DAYS = '-36288000000000';

function entry(overrides: Partial<DirectoryEntry> = {}): DirectoryEntry {
  return {
    dn: 'CN=Lynne Robbins,OU=Staff,DC=corp,DC=contoso,DC=com',
    userPrincipalName: 'lynne.robbins@contoso.com',
    samAccountName: 'lynne',
    passwordExpiryTimeComputed: EXPIRES_2026_12_01,
    pwdLastSet: SET_2026_09_02,
    userAccountControl: 0x200,
    userAccountControlComputed: 0,
    maxPwdAge: MAX_AGE_90_DAYS,
    resultantPso: null,
    ...overrides,
  };
}

const instant = (value: string): string => {
  const decoded = decodeFileTime(value);
  assert.equal(decoded.kind, 'instant', value);
  return decoded.kind === 'instant' ? decoded.at.toISOString() : '';
};

void describe('decodeFileTime', () => {
  void it('turns 100 ns ticks since 1601 into the exact UTC instant', () => {
    assert.equal(instant(EXPIRES_2026_12_01), '2026-12-01T08:14:00.000Z');
    assert.equal(instant(SET_2026_09_02), '2026-09-02T08:14:00.000Z');
    assert.equal(instant('116444736000000000'), '1970-01-01T00:00:00.000Z');
    // Sub-millisecond ticks are dropped, never rounded up into the next millisecond.
    assert.equal(instant('116444736000009999'), '1970-01-01T00:00:00.000Z');
    assert.equal(instant('116444736000010000'), '1970-01-01T00:00:00.001Z');
  });

  void it('decodes the first instants of 1601 and the last one before "never"', () => {
    assert.equal(instant('1'), '1601-01-01T00:00:00.000Z');
    assert.equal(instant('10000'), '1601-01-01T00:00:00.001Z');
    assert.equal(instant('9223372036854775806'), '+030828-09-14T02:48:05.477Z');
  });

  void it('knows "never" (0x7FFFFFFFFFFFFFFF) and zero', () => {
    assert.deepEqual(decodeFileTime(NEVER), { kind: 'never' });
    assert.deepEqual(decodeFileTime('0'), { kind: 'zero' });
  });

  void it('refuses anything that is not a non-negative 64-bit decimal', () => {
    for (const value of [
      null,
      '',
      ' 1',
      '1 ',
      '0x10',
      '1.5',
      '1e9',
      '-1',
      'abc',
      '9223372036854775808',
      '99999999999999999999',
      '１２３',
    ]) {
      assert.deepEqual(decodeFileTime(value), { kind: 'unusable' }, String(value));
    }
  });

  void it('round-trips every millisecond instant exactly (BigInt, no float error)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -11_644_473_600_000, max: 910_000_000_000_000 }), (ms) => {
        const ticks = (BigInt(ms) + 11_644_473_600_000n) * 10_000n;
        if (ticks === 0n) return;
        const decoded = decodeFileTime(ticks.toString());
        assert.equal(decoded.kind, 'instant');
        if (decoded.kind === 'instant') assert.equal(decoded.at.getTime(), ms);
      }),
    );
  });
});

void describe('decodeMaxPwdAge', () => {
  void it('turns the negative interval into milliseconds', () => {
    assert.deepEqual(decodeMaxPwdAge(MAX_AGE_42_DAYS), { kind: 'interval', ms: 42 * 86_400_000 });
    assert.deepEqual(decodeMaxPwdAge(MAX_AGE_90_DAYS), { kind: 'interval', ms: 90 * 86_400_000 });
  });

  void it('reads the smallest 64-bit value and 0 as "no maximum age"', () => {
    assert.deepEqual(decodeMaxPwdAge('-9223372036854775808'), { kind: 'never' });
    assert.deepEqual(decodeMaxPwdAge('0'), { kind: 'never' });
  });

  void it('refuses positive, overflowing and malformed intervals', () => {
    for (const value of [null, '', '36288000000000', '-9223372036854775809', '-', '--1', 'x']) {
      assert.deepEqual(decodeMaxPwdAge(value), { kind: 'unusable' }, String(value));
    }
  });
});

void describe('decodeDirectoryExpiry', () => {
  void it('takes the computed expiry, which already applies fine-grained policies', () => {
    const result = decodeDirectoryExpiry(
      entry({ maxPwdAge: MAX_AGE_42_DAYS, resultantPso: 'CN=short,CN=Password Settings' }),
    );
    assert.equal(result.kind, 'expires');
    assert.equal(result.basis, 'computed');
    assert.equal(result.expiresAt?.toISOString(), '2026-12-01T08:14:00.000Z');
    assert.equal(result.lastSet?.toISOString(), '2026-09-02T08:14:00.000Z');
    assert.equal(result.maxAgeDays, 42);
    assert.equal(result.expiredFlag, false);
  });

  void it('falls back to pwdLastSet + |maxPwdAge| when the computed value is missing', () => {
    for (const computed of [null, 'garbage']) {
      const result = decodeDirectoryExpiry(entry({ passwordExpiryTimeComputed: computed }));
      assert.equal(result.kind, 'expires');
      assert.equal(result.basis, 'pwdLastSet+maxPwdAge');
      assert.equal(result.expiresAt?.toISOString(), '2026-12-01T08:14:00.000Z');
    }
    const short = decodeDirectoryExpiry(
      entry({ passwordExpiryTimeComputed: null, maxPwdAge: MAX_AGE_42_DAYS }),
    );
    assert.equal(short.expiresAt?.toISOString(), '2026-10-14T08:14:00.000Z');
  });

  void it('says never for DONT_EXPIRE_PASSWD, the computed "never" and no maximum age', () => {
    const flag = decodeDirectoryExpiry(entry({ userAccountControl: 0x10200 }));
    assert.equal(flag.kind, 'never');
    assert.equal(flag.basis, 'userAccountControl');
    const computed = decodeDirectoryExpiry(entry({ passwordExpiryTimeComputed: NEVER }));
    assert.equal(computed.kind, 'never');
    assert.equal(computed.basis, 'computed');
    const noMaximum = decodeDirectoryExpiry(
      entry({ passwordExpiryTimeComputed: null, maxPwdAge: '-9223372036854775808' }),
    );
    assert.equal(noMaximum.kind, 'never');
    assert.equal(noMaximum.expiresAt, null);
  });

  void it('says "must change" for a computed 0 and for pwdLastSet 0', () => {
    const computed = decodeDirectoryExpiry(
      entry({ passwordExpiryTimeComputed: '0', pwdLastSet: '0' }),
    );
    assert.equal(computed.kind, 'must-change');
    assert.equal(computed.lastSet, null);
    const fallback = decodeDirectoryExpiry(
      entry({ passwordExpiryTimeComputed: null, pwdLastSet: '0' }),
    );
    assert.equal(fallback.kind, 'must-change');
  });

  void it('carries the directory\'s own "password expired" flag (0x800000)', () => {
    const result = decodeDirectoryExpiry(entry({ userAccountControlComputed: 0x800000 }));
    assert.equal(result.expiredFlag, true);
    assert.equal(result.kind, 'expires');
  });

  void it('is unusable when neither the computed value nor the fallback says anything', () => {
    for (const overrides of [
      { passwordExpiryTimeComputed: null, pwdLastSet: null },
      { passwordExpiryTimeComputed: null, maxPwdAge: null },
      { passwordExpiryTimeComputed: '-5', pwdLastSet: 'x', maxPwdAge: MAX_AGE_42_DAYS },
      { passwordExpiryTimeComputed: null, maxPwdAge: '77760000000000' },
    ]) {
      const result = decodeDirectoryExpiry(entry(overrides));
      assert.equal(result.kind, 'unusable', JSON.stringify(overrides));
      assert.equal(result.expiresAt, null);
    }
  });

  void it('adds the largest values in exact integers (no 64-bit overflow, no float error)', () => {
    const result = decodeDirectoryExpiry(
      entry({
        passwordExpiryTimeComputed: null,
        pwdLastSet: '9223372036854775806',
        maxPwdAge: '-9223372036854775807',
      }),
    );
    assert.equal(result.kind, 'expires');
    assert.equal(result.expiresAt?.toISOString(), '+060056-05-28T05:36:10.954Z');
  });
});
