/**
 * The HTTP test API under /_demo/, so a process other than the one that started the tenant (the
 * demo runner, an end-to-end test driving the packaged app) can steer it.
 *
 * | method | path                            | body / answer                                         |
 * |--------|---------------------------------|-------------------------------------------------------|
 * | GET    | /_demo/                         | the tenant's endpoints and ids                        |
 * | GET    | /_demo/accounts                 | accounts with their password facts and expiry         |
 * | POST   | /_demo/accounts/password        | {username, when?: ISO date} → changes the password    |
 * | POST   | /_demo/accounts/on-premises     | {username, userPrincipalName, samAccountName} → the synced account's AD names |
 * | GET    | /_demo/requests                 | {requests: [{method, path, route, status, at}]}       |
 * | DELETE | /_demo/requests                 | clears the request log (204)                          |
 * | GET    | /_demo/faults                   | {faults: [{route, fault, remaining}]}                 |
 * | POST   | /_demo/faults                   | {route, fault} (see Fault) → armed                    |
 * | DELETE | /_demo/faults[/ROUTE]           | clears all faults, or one route's (204)               |
 * | GET    | /_demo/device-codes             | {deviceCodes: [{userCode, expiresAt}]} still pending  |
 * | POST   | /_demo/device-codes/approve     | {userCode, username} → {outcome, error, errorCode}    |
 *
 * Requests to this API are not written to the request log.
 */
import type { DemoAccountInfo } from './accounts';
import type { DeviceCodeApproval } from './deviceLogin';
import { isFaultRoute, parseFault, type Fault, type FaultRoute } from './faults';
import { badRequest, HttpError, type Exchange, type RequestLogEntry } from './http';

export interface AccountFacts extends DemoAccountInfo {
  lastPasswordChangeDateTime: string;
  passwordPolicies: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesUserPrincipalName: string | null;
  onPremisesSamAccountName: string | null;
  onPremisesDomainName: string | null;
  /** null: never expires in the cloud. */
  passwordExpiresAt: string | null;
}

/** A synced account's names in on-premises AD (null: not reported). */
export interface OnPremisesNames {
  userPrincipalName: string | null;
  samAccountName: string | null;
  /** The AD domain (DNS name); absent or null: not reported. */
  domainName?: string | null;
}

/** What the admin API may do to the tenant; the server implements it. */
export interface AdminOperations {
  describe: () => Record<string, unknown>;
  accountFacts: () => AccountFacts[];
  changePassword: (username: string, when: Date | undefined) => void;
  setOnPremisesNames: (username: string, names: OnPremisesNames) => void;
  requests: () => readonly RequestLogEntry[];
  resetRequestLog: () => void;
  faults: () => Array<{ route: FaultRoute; fault: Fault; remaining: number | null }>;
  setFault: (route: FaultRoute, fault: Fault) => void;
  clearFaults: (route?: FaultRoute) => void;
  pendingDeviceCodes: () => Array<{ userCode: string; expiresAt: string }>;
  approveDeviceCode: (userCode: string, username: string) => DeviceCodeApproval;
}

function objectBody(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('The body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(`'${name}' must be a non-empty string.`);
  return value;
}

function nullableString(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === null) return null;
  return stringField(body, name);
}

/** Turns a thrown domain error (unknown account, used code) into a 400 answer. */
function attempt<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
}

export async function admin(ops: AdminOperations, ex: Exchange): Promise<void> {
  const path = ex.url.pathname.replace(/\/+$/, '');
  const method = ex.method;
  const segments = path.split('/').filter(Boolean).slice(1);
  const [first, second] = segments;

  if (segments.length === 0 && method === 'GET') return ex.sendJson(200, ops.describe());

  if (first === 'accounts' && segments.length === 1 && method === 'GET') {
    return ex.sendJson(200, { accounts: ops.accountFacts() });
  }
  if (first === 'accounts' && second === 'password' && segments.length === 2 && method === 'POST') {
    const body = objectBody(await ex.json());
    const username = stringField(body, 'username');
    let when: Date | undefined;
    if (body['when'] !== undefined) {
      const raw = body['when'];
      when = typeof raw === 'string' ? new Date(raw) : new Date(NaN);
      if (Number.isNaN(when.getTime())) throw badRequest("'when' must be an ISO 8601 date.");
    }
    attempt(() => ops.changePassword(username, when));
    const facts = ops
      .accountFacts()
      .find((a) => a.username.toLowerCase() === username.toLowerCase());
    return ex.sendJson(200, { account: facts ?? null });
  }

  if (
    first === 'accounts' &&
    second === 'on-premises' &&
    segments.length === 2 &&
    method === 'POST'
  ) {
    const body = objectBody(await ex.json());
    const username = stringField(body, 'username');
    const names: OnPremisesNames = {
      userPrincipalName: nullableString(body, 'userPrincipalName'),
      samAccountName: nullableString(body, 'samAccountName'),
      domainName: body['domainName'] === undefined ? null : nullableString(body, 'domainName'),
    };
    attempt(() => ops.setOnPremisesNames(username, names));
    const facts = ops
      .accountFacts()
      .find((a) => a.username.toLowerCase() === username.toLowerCase());
    return ex.sendJson(200, { account: facts ?? null });
  }

  if (first === 'requests' && segments.length === 1) {
    if (method === 'GET') {
      return ex.sendJson(200, {
        requests: ops.requests().map((r) => ({ ...r, at: r.at.toISOString() })),
      });
    }
    if (method === 'DELETE') {
      ops.resetRequestLog();
      return ex.send(204, '', {});
    }
  }

  if (first === 'faults') {
    if (segments.length === 1 && method === 'GET')
      return ex.sendJson(200, { faults: ops.faults() });
    if (segments.length === 1 && method === 'POST') {
      const body = objectBody(await ex.json());
      const route = body['route'];
      if (!isFaultRoute(route)) throw badRequest(`Unknown fault route '${String(route)}'.`);
      const fault = parseFault(body['fault']);
      if (typeof fault === 'string') throw badRequest(fault);
      ops.setFault(route, fault);
      return ex.sendJson(200, { faults: ops.faults() });
    }
    if (method === 'DELETE' && segments.length <= 2) {
      if (second !== undefined && !isFaultRoute(second))
        throw badRequest(`Unknown fault route '${second}'.`);
      ops.clearFaults(second);
      return ex.send(204, '', {});
    }
  }

  if (first === 'device-codes') {
    if (segments.length === 1 && method === 'GET') {
      return ex.sendJson(200, { deviceCodes: ops.pendingDeviceCodes() });
    }
    if (second === 'approve' && segments.length === 2 && method === 'POST') {
      const body = objectBody(await ex.json());
      const userCode = stringField(body, 'userCode');
      const username = stringField(body, 'username');
      return ex.sendJson(
        200,
        attempt(() => ops.approveDeviceCode(userCode, username)),
      );
    }
  }

  ex.sendJson(404, { error: 'not_found', message: `No demo API at ${method} ${ex.url.pathname}.` });
}
