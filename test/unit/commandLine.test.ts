import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  AT_LOGIN_ARGUMENT,
  COMMAND_WORDS,
  commandInvocation,
  electronUserDataFolder,
  isAtLoginLaunch,
  userArguments,
} from '../../src/main/commandLine';

const PACKAGED = 'C:\\Program Files\\Sign-In Assistant\\Sign-In Assistant.exe';
const ELECTRON = '/work/node_modules/electron/dist/electron';

void describe('command line: a headless command or the tray app', () => {
  void it('packaged: the arguments after the executable', () => {
    assert.deepEqual(commandInvocation([PACKAGED, 'status', '--json'], false), [
      'status',
      '--json',
    ]);
    assert.deepEqual(userArguments([PACKAGED, '--at-login'], false), ['--at-login']);
  });

  void it('development (electron .): the arguments after the app path', () => {
    assert.deepEqual(commandInvocation([ELECTRON, '.', 'status', '--json'], true), [
      'status',
      '--json',
    ]);
    // Read as packaged, "." would be the first argument: not a command.
    assert.equal(commandInvocation([ELECTRON, '.', 'status'], false), null);
  });

  void it('every command word and option of the command starts it', () => {
    for (const word of ['sign-in', 'status', 'sign-out', 'diagnostics', '--help', '--version']) {
      assert.deepEqual(commandInvocation([PACKAGED, word], false), [word], word);
    }
    assert.deepEqual(commandInvocation([PACKAGED, 'diagnostics', '--out', 'C:\\diag.zip'], false), [
      'diagnostics',
      '--out',
      'C:\\diag.zip',
    ]);
    assert.equal(COMMAND_WORDS.length, 6);
  });

  void it('no arguments, --at-login, unknown words or a command word later on start the tray', () => {
    assert.equal(commandInvocation([PACKAGED], false), null);
    assert.equal(commandInvocation([PACKAGED, AT_LOGIN_ARGUMENT], false), null);
    assert.equal(commandInvocation([PACKAGED, 'statuss'], false), null);
    assert.equal(commandInvocation([PACKAGED, 'Status'], false), null);
    assert.equal(commandInvocation([PACKAGED, '--json'], false), null);
    assert.equal(commandInvocation([PACKAGED, '--at-login', 'status'], false), null);
  });

  void it("Chromium's switches (Linux without a display) may stand anywhere and never reach the command", () => {
    assert.deepEqual(
      commandInvocation(
        ['/opt/app/signin-assistant', '--ozone-platform=headless', 'status', '--json'],
        false,
      ),
      ['status', '--json'],
    );
    assert.deepEqual(
      commandInvocation([PACKAGED, 'status', '--json', '--no-sandbox', '--disable-gpu'], false),
      ['status', '--json'],
    );
    assert.equal(commandInvocation([PACKAGED, '--ozone-platform=headless'], false), null);
    // Only Chromium's: the command's own options and unknown words are left for it to judge.
    assert.deepEqual(commandInvocation([PACKAGED, 'status', '--ozone'], false), [
      'status',
      '--ozone',
    ]);
  });

  void it('recognises the sign-in launch anywhere among the switches', () => {
    assert.equal(AT_LOGIN_ARGUMENT, '--at-login');
    assert.equal(isAtLoginLaunch(['--at-login']), true);
    assert.equal(isAtLoginLaunch([PACKAGED, '--allow-file-access-from-files', '--at-login']), true);
    assert.equal(isAtLoginLaunch([PACKAGED]), false);
    assert.equal(isAtLoginLaunch([PACKAGED, '--at-login=1']), false);
  });

  void it('a second launch without a usable argv counts as a launch by the user, never throws', () => {
    assert.equal(isAtLoginLaunch(undefined), false);
    assert.equal(isAtLoginLaunch(null), false);
    assert.equal(isAtLoginLaunch('--at-login'), false, 'a string is not an argument list');
    assert.equal(isAtLoginLaunch([42, null, '--at-login']), true);
  });

  void it('the command gets a Chromium profile of its own, apart from the running tray app', () => {
    const appData = '/home/adele/.config/Sign-In Assistant';
    const profile = (mode: 'tray' | 'command', env: NodeJS.ProcessEnv) =>
      electronUserDataFolder(mode, appData, env, 'linux', '/home/adele');
    assert.equal(profile('tray', {}), appData);
    assert.equal(profile('command', {}), join(appData, 'command'));
    const isolated = { SIGNIN_ASSISTANT_HOME: '/tmp/smoke' };
    assert.equal(profile('tray', isolated), join('/tmp/smoke', 'electron'));
    assert.equal(profile('command', isolated), join('/tmp/smoke', 'electron', 'command'));
  });

  void it('on Windows the Chromium profiles are in Local AppData, not the roaming default', () => {
    const roaming = 'C:\\Users\\adele\\AppData\\Roaming\\Sign-In Assistant';
    const env = { LOCALAPPDATA: 'C:\\Users\\adele\\AppData\\Local' };
    const profile = (mode: 'tray' | 'command') =>
      electronUserDataFolder(mode, roaming, env, 'win32', 'C:\\Users\\adele');
    const own = join(env.LOCALAPPDATA, 'SignInAssistant', 'electron');
    assert.equal(profile('tray'), own);
    assert.equal(profile('command'), join(own, 'command'));
  });
});
