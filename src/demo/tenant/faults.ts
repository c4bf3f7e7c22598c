/**
 * Test switches: make a route answer with throttling, a server error, a slow answer or a body
 * that is not JSON or an empty object, a given number of times or until cleared.
 */

export const FAULT_ROUTES = [
  'discovery',
  'jwks',
  'authorize',
  'token',
  'devicecode',
  'devicelogin',
  'graph-me',
  'graph-domain',
  'graph-methods',
] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

export type Fault =
  /**
   * 403 (a directory that refuses the caller), 429 (throttled), 500 or 503, with Retry-After when
   * `retryAfterSeconds` is given.
   */
  | { kind: 'status'; status: 403 | 429 | 500 | 503; retryAfterSeconds?: number; times?: number }
  /** Answers normally, but only after `ms` milliseconds. */
  | { kind: 'delay'; ms: number; times?: number }
  /** 200 with Content-Type application/json and a truncated body. */
  | { kind: 'malformed-json'; times?: number }
  /** 200 with `{}`: JSON, but nothing the caller asked for. */
  | { kind: 'empty-object'; times?: number };

export function isFaultRoute(value: unknown): value is FaultRoute {
  return typeof value === 'string' && (FAULT_ROUTES as readonly string[]).includes(value);
}

const MAX_DELAY_MS = 10 * 60 * 1000;

/** Validates a fault that arrived as JSON (admin API) or from a caller. */
export function parseFault(value: unknown): Fault | string {
  if (typeof value !== 'object' || value === null) return 'fault must be an object';
  const v = value as Record<string, unknown>;
  const times = v['times'];
  if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1)) {
    return 'times must be a positive integer (omit it for "until cleared")';
  }
  const withTimes = times === undefined ? {} : { times: times as number };
  switch (v['kind']) {
    case 'status': {
      const status = v['status'];
      if (status !== 403 && status !== 429 && status !== 500 && status !== 503)
        return 'status must be 403, 429, 500 or 503';
      const retry = v['retryAfterSeconds'];
      if (retry !== undefined && (!Number.isInteger(retry) || (retry as number) < 0)) {
        return 'retryAfterSeconds must be a non-negative integer';
      }
      return {
        kind: 'status',
        status,
        ...(retry === undefined ? {} : { retryAfterSeconds: retry as number }),
        ...withTimes,
      };
    }
    case 'delay': {
      const ms = v['ms'];
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) {
        return `ms must be a number from 0 to ${MAX_DELAY_MS}`;
      }
      return { kind: 'delay', ms, ...withTimes };
    }
    case 'malformed-json':
      return { kind: 'malformed-json', ...withTimes };
    case 'empty-object':
      return { kind: 'empty-object', ...withTimes };
    default:
      return "kind must be 'status', 'delay', 'malformed-json' or 'empty-object'";
  }
}

interface ArmedFault {
  fault: Fault;
  /** null: until cleared. */
  remaining: number | null;
}

export class FaultSwitches {
  readonly #armed = new Map<FaultRoute, ArmedFault>();

  set(route: FaultRoute, fault: Fault): void {
    const checked = parseFault(fault);
    if (typeof checked === 'string') throw new TypeError(`Invalid fault for ${route}: ${checked}`);
    this.#armed.set(route, { fault: checked, remaining: checked.times ?? null });
  }

  clear(route?: FaultRoute): void {
    if (route) this.#armed.delete(route);
    else this.#armed.clear();
  }

  /** The fault to apply to this request, counting it down. */
  take(route: string): Fault | null {
    if (!isFaultRoute(route)) return null;
    const armed = this.#armed.get(route);
    if (!armed) return null;
    if (armed.remaining !== null) {
      armed.remaining -= 1;
      if (armed.remaining <= 0) this.#armed.delete(route);
    }
    return armed.fault;
  }

  list(): Array<{ route: FaultRoute; fault: Fault; remaining: number | null }> {
    return [...this.#armed.entries()].map(([route, armed]) => ({
      route,
      fault: armed.fault,
      remaining: armed.remaining,
    }));
  }
}
