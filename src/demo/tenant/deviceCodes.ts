/**
 * The device authorization grant: codes handed to the app, approved on the /devicelogin page or
 * through the test API, then redeemed by the app's polling.
 */
import { randomInt } from 'node:crypto';
import type { OAuthFailure } from './errors';
import { randomToken } from './tokens';

export interface DeviceCodeRecord {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: Date;
  state: 'pending' | 'approved' | 'denied' | 'redeemed';
  username: string | null;
  /** Why sign-in failed (e.g. expired password); the poll answers with it. */
  denial: OAuthFailure | null;
}

/** No 0/O or 1/I: the code is read off one screen and typed on another. */
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const USER_CODE_LENGTH = 9;

export function normaliseUserCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export class DeviceCodes {
  readonly #byDeviceCode = new Map<string, DeviceCodeRecord>();

  constructor(
    private readonly now: () => Date,
    private readonly lifetimeSeconds: number,
  ) {}

  get lifetime(): number {
    return this.lifetimeSeconds;
  }

  create(clientId: string, scopes: string[]): DeviceCodeRecord {
    this.#purge();
    let userCode = '';
    do {
      userCode = Array.from(
        { length: USER_CODE_LENGTH },
        () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)],
      ).join('');
    } while (this.findByUserCode(userCode));
    const record: DeviceCodeRecord = {
      deviceCode: randomToken(48),
      userCode,
      clientId,
      scopes,
      expiresAt: new Date(this.now().getTime() + this.lifetimeSeconds * 1000),
      state: 'pending',
      username: null,
      denial: null,
    };
    this.#byDeviceCode.set(record.deviceCode, record);
    return record;
  }

  findByDeviceCode(deviceCode: string): DeviceCodeRecord | undefined {
    return this.#byDeviceCode.get(deviceCode);
  }

  findByUserCode(userCode: string): DeviceCodeRecord | undefined {
    const wanted = normaliseUserCode(userCode);
    for (const record of this.#byDeviceCode.values()) {
      if (record.userCode === wanted) return record;
    }
    return undefined;
  }

  isExpired(record: DeviceCodeRecord): boolean {
    return record.expiresAt.getTime() <= this.now().getTime();
  }

  pending(): DeviceCodeRecord[] {
    return [...this.#byDeviceCode.values()].filter(
      (r) => r.state === 'pending' && !this.isExpired(r),
    );
  }

  #purge(): void {
    const cutoff = this.now().getTime() - 60 * 60 * 1000;
    for (const [key, record] of this.#byDeviceCode) {
      if (record.expiresAt.getTime() < cutoff) this.#byDeviceCode.delete(key);
    }
  }
}
