/**
 * Where a person approves a device code (the /devicelogin page) and the same decision made
 * through the test API, plus the demo's change-password page.
 */
import type { AccountRecord } from './accounts';
import { accountsInfo, demoPassword, signInFailure, type TenantContext } from './context';
import type { DeviceCodeRecord } from './deviceCodes';
import { oauthErrorBody } from './errors';
import { cspNonce, type Exchange } from './http';
import { changePasswordPage, deviceLoginPage, messagePage } from './pages';

export interface DeviceCodeApproval {
  /** `approved`: the app's next poll gets tokens; `denied`: it gets `error`. */
  outcome: 'approved' | 'denied';
  username: string;
  /** The OAuth error the poll will answer with, e.g. "invalid_grant" (AADSTS50055). */
  error: string | null;
  errorCode: number | null;
}

/** Why a user code cannot be used, in words for the page; null when it can. */
function codeProblem(ctx: TenantContext, record: DeviceCodeRecord | undefined): string | null {
  if (!record) return "That code didn't work. Check the code and try again.";
  if (ctx.deviceCodes.isExpired(record)) {
    return 'That code has expired. Go back to the app and start signing in again.';
  }
  if (record.state !== 'pending') return 'That code was already used.';
  return null;
}

/** Records the sign-in decision on the code; the poll picks it up. */
function decide(
  ctx: TenantContext,
  record: DeviceCodeRecord,
  account: AccountRecord,
): DeviceCodeApproval {
  const failure = signInFailure(ctx, account, record.scopes);
  record.username = account.username;
  if (failure) {
    record.state = 'denied';
    record.denial = failure;
    return {
      outcome: 'denied',
      username: account.username,
      error: failure.error,
      errorCode: failure.code,
    };
  }
  record.state = 'approved';
  return { outcome: 'approved', username: account.username, error: null, errorCode: null };
}

/** The test API's approval: like a person who typed the right password. */
export function approveDeviceCode(
  ctx: TenantContext,
  userCode: string,
  username: string,
): DeviceCodeApproval {
  const record = ctx.deviceCodes.findByUserCode(userCode);
  const problem = codeProblem(ctx, record);
  if (problem || !record) throw new Error(`Cannot approve device code '${userCode}': ${problem}`);
  const account = ctx.directory.find(username);
  if (!account) throw new Error(`Cannot approve device code: no demo account '${username}'.`);
  return decide(ctx, record, account);
}

function renderDeviceLogin(
  ctx: TenantContext,
  ex: Exchange,
  values: { code: string; username: string; error: string | null },
): void {
  const nonce = cspNonce();
  ex.sendHtml(
    200,
    deviceLoginPage({ nonce, ...values, password: demoPassword(), accounts: accountsInfo(ctx) }),
    { nonce },
  );
}

export async function deviceLogin(ctx: TenantContext, ex: Exchange): Promise<void> {
  if (ex.method === 'GET') {
    // ?otc= is how Entra ID's own links prefill the code.
    const code = ex.url.searchParams.get('otc') ?? ex.url.searchParams.get('code') ?? '';
    return renderDeviceLogin(ctx, ex, { code, username: '', error: null });
  }
  if (ex.method !== 'POST') return onlyGetOrPost(ex);
  const form = await ex.form();
  const code = (form.get('code') ?? '').trim();
  const username = (form.get('username') ?? '').trim();
  const password = form.get('password') ?? '';
  const record = ctx.deviceCodes.findByUserCode(code);
  const problem = code === '' ? 'Enter the code shown by the app.' : codeProblem(ctx, record);
  if (problem || !record) return renderDeviceLogin(ctx, ex, { code, username, error: problem });
  const account = ctx.directory.find(username);
  if (!account) {
    return renderDeviceLogin(ctx, ex, {
      code,
      username,
      error: "We couldn't find an account with that user name. (AADSTS50034)",
    });
  }
  if (password !== account.password) {
    return renderDeviceLogin(ctx, ex, {
      code,
      username,
      error: 'Your account or password is incorrect. (AADSTS50126)',
    });
  }
  const approval = decide(ctx, record, account);
  const nonce = cspNonce();
  if (approval.outcome === 'denied' && record.denial) {
    const description =
      oauthErrorBody(record.denial, ctx.now()).error_description.split('\r\n')[0] ?? '';
    return ex.sendHtml(
      200,
      messagePage({ nonce, title: 'Sign-in failed', message: description, tone: 'error' }),
      { nonce },
    );
  }
  ex.sendHtml(
    200,
    messagePage({
      nonce,
      title: 'You are signed in',
      message: `Signed in as ${account.username}. You can close this window and return to the app.`,
      tone: 'ok',
    }),
    { nonce },
  );
}

/** Sets the change time to `when` and revokes refresh tokens, as a real password change does. */
export function changePassword(ctx: TenantContext, username: string, when: Date): AccountRecord {
  const account = ctx.directory.find(username);
  if (!account) throw new Error(`No demo account '${username}'.`);
  if (Number.isNaN(when.getTime())) throw new Error('The change time is not a valid date.');
  account.lastPasswordChangeDateTime = new Date(when.getTime());
  account.sessionGeneration += 1;
  return account;
}

export async function changePasswordPageRoute(ctx: TenantContext, ex: Exchange): Promise<void> {
  const nonce = cspNonce();
  const render = (username: string, error: string | null, done: string | null): void =>
    ex.sendHtml(
      200,
      changePasswordPage({ nonce, username, error, done, password: demoPassword() }),
      {
        nonce,
      },
    );
  if (ex.method === 'GET') return render(ex.url.searchParams.get('username') ?? '', null, null);
  if (ex.method !== 'POST') return onlyGetOrPost(ex);
  const form = await ex.form();
  const username = (form.get('username') ?? '').trim();
  const account = ctx.directory.find(username);
  if (!account || form.get('current') !== account.password) {
    return render(username, 'Your account or password is incorrect.', null);
  }
  if ((form.get('new') ?? '').length < 8) {
    return render(username, 'The new password must have at least 8 characters.', null);
  }
  changePassword(ctx, account.username, ctx.now());
  render(
    account.username,
    null,
    `Password changed for ${account.username}. Sign in again with the demo password.`,
  );
}

/** The HTML pages take GET (show) and POST (submit) only. */
function onlyGetOrPost(ex: Exchange): void {
  ex.sendJson(405, { error: 'bad_request', message: 'Use GET or POST.' }, { Allow: 'GET, POST' });
}
