/**
 * The HTML a person sees in the demo tenant: sign-in, device-code sign-in, the form that hands the
 * authorization response back to the app, and a change-password page. Plain, labelled forms that
 * work without script; the only script is the auto-submit of the response form.
 */
import type { DemoAccountInfo } from './accounts';

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; background: #f2f2f2; color: #1b1b1b; }
  main { max-width: 34rem; margin: 2.5rem auto; background: #fff; padding: 2rem 2.5rem; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 1rem; }
  .tenant { font-weight: 600; color: #333; margin: 0 0 .5rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
  input[type=text], input[type=email], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; border: 1px solid #666; }
  input:focus, button:focus, a:focus { outline: 3px solid #005a9e; outline-offset: 2px; }
  .actions { margin-top: 1.5rem; display: flex; gap: .75rem; }
  button { font-size: 1rem; padding: .5rem 1.5rem; border: 1px solid #005a9e; cursor: pointer; }
  button.primary { background: #005a9e; color: #fff; }
  button.secondary { background: #fff; color: #1b1b1b; border-color: #666; }
  .error { border-left: 4px solid #a80000; background: #fde7e9; padding: .75rem; margin: 1rem 0; }
  .hint { background: #fff4ce; border-left: 4px solid #8a6d00; padding: .75rem; margin: 1rem 0; }
  .ok { border-left: 4px solid #107c10; background: #dff6dd; padding: .75rem; margin: 1rem 0; }
  table { border-collapse: collapse; width: 100%; font-size: .875rem; margin-top: .5rem; }
  caption { text-align: left; font-weight: 600; padding: .25rem 0; }
  th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #ccc; vertical-align: top; }
  code { font-size: 1rem; }
`;

function layout(title: string, nonce: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Contoso demo tenant</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<p class="tenant">Contoso (demo tenant)</p>
${body}
</main>
</body>
</html>`;
}

function errorBlock(id: string, message: string | null): string {
  return message ? `<div class="error" id="${id}" role="alert">${escapeHtml(message)}</div>` : '';
}

function demoPasswordHint(password: string): string {
  return `<p class="hint">This is a demo tenant on your own computer. Every account's password is <code>${escapeHtml(password)}</code>.</p>`;
}

function accountTable(accounts: readonly DemoAccountInfo[]): string {
  const rows = accounts
    .map((a) => `<tr><td>${escapeHtml(a.username)}</td><td>${escapeHtml(a.description)}</td></tr>`)
    .join('\n');
  return `<table>
<caption>Demo accounts</caption>
<thead><tr><th scope="col">User name</th><th scope="col">What happens</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

export interface SignInPageInput {
  nonce: string;
  action: string;
  flowId: string;
  username: string;
  error: string | null;
  password: string;
  accounts: readonly DemoAccountInfo[];
}

/** The browser sign-in page of the authorization endpoint. */
export function signInPage(input: SignInPageInput): string {
  const described = input.error ? ' aria-describedby="signin-error"' : '';
  return layout(
    'Sign in',
    input.nonce,
    `<h1>Sign in</h1>
${errorBlock('signin-error', input.error)}
<form method="post" action="${escapeHtml(input.action)}" novalidate>
<input type="hidden" name="flow" value="${escapeHtml(input.flowId)}">
<label for="username">Email or user name</label>
<input type="email" id="username" name="username" autocomplete="username" required value="${escapeHtml(input.username)}"${described}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required${described}>
<div class="actions">
<button type="submit" class="primary" name="action" value="sign-in">Sign in</button>
<button type="submit" class="secondary" name="action" value="cancel">Cancel</button>
</div>
</form>
${demoPasswordHint(input.password)}
${accountTable(input.accounts)}`,
  );
}

/**
 * Hands the authorization response to the app's loopback listener with an HTTP POST
 * (response_mode=form_post). Submits itself; the button is there for browsers without script.
 */
export function formPostPage(input: {
  nonce: string;
  redirectUri: string;
  fields: Record<string, string>;
  success: boolean;
}): string {
  const hidden = Object.entries(input.fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('\n');
  const heading = input.success ? 'Signed in' : 'Sign-in did not complete';
  const text = input.success
    ? 'Returning you to Sign-In Assistant…'
    : 'Returning to Sign-In Assistant, which will explain what happened…';
  return layout(
    heading,
    input.nonce,
    `<h1>${heading}</h1>
<p>${text}</p>
<form method="post" action="${escapeHtml(input.redirectUri)}" id="response">
${hidden}
<div class="actions"><button type="submit" class="primary">Continue</button></div>
</form>
<script nonce="${input.nonce}">document.getElementById('response').submit();</script>`,
  );
}

export interface DeviceLoginPageInput {
  nonce: string;
  code: string;
  username: string;
  error: string | null;
  password: string;
  accounts: readonly DemoAccountInfo[];
}

export function deviceLoginPage(input: DeviceLoginPageInput): string {
  const described = input.error ? ' aria-describedby="device-error"' : '';
  return layout(
    'Enter code',
    input.nonce,
    `<h1>Enter code</h1>
<p>Enter the code shown by the app, then sign in to allow access.</p>
${errorBlock('device-error', input.error)}
<form method="post" action="/devicelogin" novalidate>
<label for="code">Code</label>
<input type="text" id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required value="${escapeHtml(input.code)}"${described}>
<label for="username">Email or user name</label>
<input type="email" id="username" name="username" autocomplete="username" required value="${escapeHtml(input.username)}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
${demoPasswordHint(input.password)}
${accountTable(input.accounts)}`,
  );
}

export interface ChangePasswordPageInput {
  nonce: string;
  username: string;
  error: string | null;
  done: string | null;
  password: string;
}

/** Lets the demo finish the story: the reminder links here, and changing resets the expiry. */
export function changePasswordPage(input: ChangePasswordPageInput): string {
  const described = input.error ? ' aria-describedby="change-error"' : '';
  const done = input.done ? `<div class="ok" role="status">${escapeHtml(input.done)}</div>` : '';
  return layout(
    'Change password',
    input.nonce,
    `<h1>Change password</h1>
${errorBlock('change-error', input.error)}
${done}
<form method="post" action="/changepassword" novalidate>
<label for="username">Email or user name</label>
<input type="email" id="username" name="username" autocomplete="username" required value="${escapeHtml(input.username)}"${described}>
<label for="current">Current password</label>
<input type="password" id="current" name="current" autocomplete="current-password" required>
<label for="new">New password</label>
<input type="password" id="new" name="new" autocomplete="new-password" required minlength="8">
<div class="actions"><button type="submit" class="primary">Change password</button></div>
</form>
${demoPasswordHint(input.password)}
<p>The demo keeps the same password; changing it restarts the account's expiry period.</p>`,
  );
}

export function messagePage(input: {
  nonce: string;
  title: string;
  message: string;
  tone: 'ok' | 'error';
}): string {
  const role = input.tone === 'error' ? 'alert' : 'status';
  return layout(
    input.title,
    input.nonce,
    `<h1>${escapeHtml(input.title)}</h1>
<div class="${input.tone}" role="${role}">${escapeHtml(input.message)}</div>`,
  );
}

export function homePage(input: {
  nonce: string;
  authority: string;
  graphEndpoint: string;
  password: string;
  accounts: readonly DemoAccountInfo[];
}): string {
  return layout(
    'Demo tenant',
    input.nonce,
    `<h1>Contoso demo tenant</h1>
<p>A stand-in for Microsoft Entra ID and Microsoft Graph that runs on this computer for demos and tests.</p>
<ul>
<li>Authority: <code>${escapeHtml(input.authority)}</code></li>
<li>Graph: <code>${escapeHtml(input.graphEndpoint)}</code></li>
<li><a href="/devicelogin">Enter a device code</a></li>
<li><a href="/changepassword">Change a password</a></li>
</ul>
${demoPasswordHint(input.password)}
${accountTable(input.accounts)}`,
  );
}
