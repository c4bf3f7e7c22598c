import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, resolveConfig } from '../../src/core/config';
import { REDACTED, redactText, redactValue } from '../../src/core/redaction';
import {
  createLogger,
  defaultLogsDir,
  initLogging,
  logEffectiveConfig,
} from '../../src/main/logging';
import { realisticSecrets } from '../support/secrets';

describe('redaction', () => {
  const s = realisticSecrets();

  it('removes JWTs, Bearer headers and token members of JSON', () => {
    const response = JSON.stringify({
      token_type: 'Bearer',
      scope: 'User.Read openid',
      expires_in: 3599,
      access_token: s.accessToken,
      refresh_token: s.refreshToken,
      id_token: s.idToken,
      client_info: s.clientInfo,
    });
    const out = redactText(`token response ${response} Authorization: Bearer ${s.accessToken}`);
    for (const secret of [s.accessToken, s.refreshToken, s.idToken, s.clientInfo]) {
      assert.ok(!out.includes(secret), 'secret removed');
    }
    assert.match(out, /"token_type":"Bearer"/, 'harmless members stay');
    assert.match(out, /"expires_in":3599/);
    assert.match(out, /"refresh_token":"\[REDACTED\]"/);
    assert.doesNotMatch(out, /eyJ/);
  });

  it('removes secrets from form bodies and query strings, keeping the other parameters', () => {
    const body =
      `client_id=3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f&grant_type=authorization_code&code=${s.authCode}` +
      `&code_verifier=${s.codeVerifier}&redirect_uri=http%3A%2F%2Flocalhost%3A53100&client_assertion=${s.accessToken}` +
      `&password=${encodeURIComponent(s.password)}&device_code=${s.deviceCode}&refresh_token=${s.refreshToken}&error_code=50055`;
    const out = redactText(body);
    for (const secret of [
      s.authCode,
      s.codeVerifier,
      s.deviceCode,
      s.refreshToken,
      encodeURIComponent(s.password),
    ]) {
      assert.ok(!out.includes(secret));
    }
    assert.match(out, /grant_type=authorization_code/);
    assert.match(out, /client_id=3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f/);
    assert.match(out, /error_code=50055/, 'only whole parameter names count');
    const url = redactText(
      `GET http://localhost:53100/?code=${s.authCode}&client_info=${s.clientInfo}&state=abc123`,
    );
    assert.equal(
      url,
      `GET http://localhost:53100/?code=${REDACTED}&client_info=${REDACTED}&state=abc123`,
    );
  });

  it('removes passwords in text and in data, but keeps settings that merely mention passwords', () => {
    assert.equal(redactText(`password: ${s.password}`), `password: ${REDACTED}`);
    const value = redactValue({
      password: s.password,
      newPassword: s.password,
      passwordValidityDays: 90,
      changePasswordUrl: 'https://mysignins.microsoft.com/security-info/password/change',
      code: 'ECONNREFUSED',
      nested: [{ refreshToken: s.refreshToken, message: `failed with id_token=${s.idToken}` }],
    });
    const json = JSON.stringify(value);
    assert.ok(
      !json.includes(s.password) && !json.includes(s.refreshToken) && !json.includes(s.idToken),
    );
    assert.match(json, /"passwordValidityDays":90/);
    assert.match(json, /"changePasswordUrl":"https:\/\/mysignins/);
    assert.match(json, /"code":"ECONNREFUSED"/, 'Node error codes are not OAuth codes');
  });

  it('redacts errors, their causes and stacks', () => {
    const error = new Error(`invalid_grant for refresh_token=${s.refreshToken}`, {
      cause: { body: `{"id_token":"${s.idToken}"}` },
    });
    const json = JSON.stringify(redactValue(error));
    assert.ok(!json.includes(s.refreshToken) && !json.includes(s.idToken));
    assert.match(json, /invalid_grant/);
  });

  it('removes the device-code prompt code', () => {
    const prompt =
      'To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code F7K2QX9LM to authenticate.';
    assert.ok(!redactText(prompt).includes('F7K2QX9LM'));
  });
});

describe('log files', () => {
  it('contain none of the secrets logged through createLogger', async () => {
    const s = realisticSecrets();
    const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-logs-'));
    const handle = await initLogging({ runtime: 'node', logsDir: dir, level: 'debug' });
    const log = createLogger('auth');
    log.info('Token response', {
      body: JSON.stringify({
        access_token: s.accessToken,
        refresh_token: s.refreshToken,
        id_token: s.idToken,
      }),
    });
    log.debug(`POST /oauth2/v2.0/token code=${s.authCode}&code_verifier=${s.codeVerifier}`);
    log.warn(`Request failed: Authorization: Bearer ${s.accessToken}`);
    log.error('Sign-in failed', {
      error: new Error(`AADSTS50126 password=${s.password}`),
      deviceCode: s.deviceCode,
      account: 'adele.vance@contoso.com',
    });
    log.info(`Refresh token cached: ${s.refreshToken}`);

    assert.equal(handle.logFile, join(dir, 'cli.log'));
    const text = readFileSync(handle.logFile, 'utf8');
    for (const [name, secret] of Object.entries(s)) {
      assert.ok(!text.includes(secret), `${name} must not reach the log file`);
    }
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT');
    assert.match(text, /\[info\]\s+\(auth\) Token response/, 'the lines are there');
    assert.match(text, /\[debug\]\s+\(auth\) POST \/oauth2\/v2\.0\/token code=\[REDACTED\]/);
    assert.match(text, /adele\.vance@contoso\.com/, 'non-secret context is kept');
    assert.match(text, /AADSTS50126/);
    assert.equal(text.trim().split('\n').length, 5);
  });

  it('rotate at the size limit and keep the configured number of old files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-rotate-'));
    await initLogging({
      runtime: 'node',
      logsDir: dir,
      fileName: 'tray.log',
      maxSizeBytes: 1000,
      keepFiles: 3,
    });
    const log = createLogger('scheduler');
    for (let i = 0; i < 200; i += 1) log.info(`check ${i} ${'x'.repeat(40)}`);
    assert.deepEqual(readdirSync(dir).sort(), [
      'tray.1.log',
      'tray.2.log',
      'tray.3.log',
      'tray.log',
    ]);
    assert.ok(!existsSync(join(dir, 'tray.4.log')));
    const newest = readFileSync(join(dir, 'tray.log'), 'utf8');
    const previous = readFileSync(join(dir, 'tray.1.log'), 'utf8');
    assert.match(newest, /check 199 /);
    const lastOf = (t: string) => Number(/check (\d+) x+\s*$/.exec(t)?.[1]);
    const firstOf = (t: string) => Number(/check (\d+) /.exec(t)?.[1]);
    assert.equal(firstOf(newest), lastOf(previous) + 1, 'no line lost between files');
    for (const name of readdirSync(dir)) {
      assert.ok(readFileSync(join(dir, name)).length <= 1100, `${name} is about the size limit`);
    }
  });

  it('record each effective setting with its source at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'signin-assistant-effective-'));
    const handle = await initLogging({ runtime: 'node', logsDir: dir });
    const resolved = resolveConfig(
      [
        {
          source: '/home/adele/.config/signin-assistant/config.json',
          values: { balloonSeconds: 8 },
        },
        {
          source: 'HKLM\\Software\\Policies\\SignInAssistant',
          values: { notificationWindowDays: 21 },
          enforced: true,
        },
      ],
      { requireTenant: false },
    );
    logEffectiveConfig(createLogger('config'), resolved);
    const lines = readFileSync(handle.logFile, 'utf8').trim().split('\n');
    assert.equal(lines.length, CONFIG_KEYS.length, 'one line per setting');
    const line = (key: string) => lines.find((l) => l.includes(`Setting ${key} `)) ?? '';
    assert.match(
      line('notificationWindowDays'),
      /"value":21,"source":"HKLM\\\\Software\\\\Policies\\\\SignInAssistant","locked":true/,
    );
    assert.match(
      line('balloonSeconds'),
      /"value":8,"source":"\/home\/adele\/.config\/signin-assistant\/config.json","locked":false/,
    );
    assert.match(
      line('authority'),
      /"value":"https:\/\/login.microsoftonline.com","source":"default"/,
    );
    assert.match(
      line('changePasswordUrl'),
      /"value":"https:\/\/mysignins\.microsoft\.com/,
      'not mistaken for a password',
    );
  });

  it('go to the documented per-user folder', () => {
    assert.equal(
      defaultLogsDir(
        'win32',
        {
          APPDATA: 'C:\\Users\\adele\\AppData\\Roaming',
          LOCALAPPDATA: 'C:\\Users\\adele\\AppData\\Local',
        },
        'C:\\Users\\adele',
      ),
      'C:\\Users\\adele\\AppData\\Local\\SignInAssistant\\logs',
    );
    assert.equal(
      defaultLogsDir('win32', { APPDATA: '\\\\files\\redirected\\adele' }, 'C:\\Users\\adele'),
      'C:\\Users\\adele\\AppData\\Local\\SignInAssistant\\logs',
    );
    assert.equal(
      defaultLogsDir('darwin', {}, '/Users/adele'),
      '/Users/adele/Library/Logs/SignInAssistant',
    );
    assert.equal(
      defaultLogsDir('linux', {}, '/home/adele'),
      '/home/adele/.local/state/signin-assistant/logs',
    );
    assert.equal(
      defaultLogsDir('linux', { XDG_STATE_HOME: '/var/state/adele' }, '/home/adele'),
      '/var/state/adele/signin-assistant/logs',
    );
  });
});
