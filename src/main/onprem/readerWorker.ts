/**
 * The reader's worker thread: runs reads (which may block in the GSS-API or SSPI) one after
 * another and posts each result with its request id. Started by readerHost.ts; never imported by
 * the main thread.
 */
import { parentPort } from 'node:worker_threads';
import type { DirectoryReadResult } from '../../core/directory';
import { runDirectoryRead, type ReadJob } from './readJob';

export interface ReadMessage {
  id: number;
  job: ReadJob;
}

export interface ResultMessage {
  id: number;
  result: DirectoryReadResult;
}

function post(id: number, result: DirectoryReadResult): void {
  const message: ResultMessage = { id, result };
  parentPort?.postMessage(message);
}

parentPort?.on('message', ({ id, job }: ReadMessage) => {
  runDirectoryRead(job).then(
    (result) => post(id, result),
    (error: unknown) =>
      post(id, {
        ok: false,
        failure: {
          kind: 'protocol',
          detail: error instanceof Error ? error.message : String(error),
          server: null,
        },
      }),
  );
});
