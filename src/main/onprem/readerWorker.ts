/**
 * The reader's worker thread: runs one read (which may block in the GSS-API or wldap32) and posts
 * its result. Started by directorySource.ts; never imported by the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DirectoryReadResult } from '../../core/directory';
import { runDirectoryRead, type ReadJob } from './readJob';

function post(result: DirectoryReadResult): void {
  parentPort?.postMessage(result);
}

runDirectoryRead(workerData as ReadJob).then(post, (error: unknown) =>
  post({
    ok: false,
    failure: {
      kind: 'protocol',
      detail: error instanceof Error ? error.message : String(error),
      server: null,
    },
  }),
);
