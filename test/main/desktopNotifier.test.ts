/**
 * The headless command's notifier through node-notifier and a stand-in `notify-send` on PATH:
 * it reports refusals, and it does not finish before a click's page has opened (the command
 * would otherwise exit under it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeNotifier } from '../../src/main/desktopNotifier';

test(
  'a click is followed through: show() resolves only after the page has opened',
  { skip: process.platform !== 'linux' && 'notify-send is the Linux backend' },
  async () => {
    const bin = await mkdtemp(join(tmpdir(), 'sia-notify-'));
    // As notify-send --action does when the user clicks: it prints the action and exits.
    await writeFile(join(bin, 'notify-send'), '#!/bin/sh\necho activate\n');
    await chmod(join(bin, 'notify-send'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path ?? ''}`;
    try {
      let opened = false;
      const result = await createNodeNotifier().show({
        title: 'Password expires in 9 days',
        body: 'Click to change it now.',
        seconds: 5,
        onClick: () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              opened = true;
              resolve();
            }, 300),
          ),
      });
      assert.equal(result.shown, true);
      assert.equal(opened, true, 'the page had opened before the notifier reported done');
    } finally {
      process.env.PATH = path;
    }
  },
);
