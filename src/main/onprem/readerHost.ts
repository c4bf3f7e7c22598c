/**
 * Runs reads in a worker thread under a hard deadline. The worker is started on the first read and
 * kept, unreferenced, for a short while for the next one; it never keeps the process alive. At a
 * read's deadline the read resolves as `unreachable` and the worker is terminated without waiting.
 * A native call blocked in the KDC cannot be interrupted: its thread ends when the call returns
 * (MIT gives up after about 17 s), and a process that exits meanwhile waits for that thread.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DirectoryFailureKind, DirectoryReadResult } from '../../core/directory';
import type { ReadJob } from './readJob';
import type { ReadMessage, ResultMessage } from './readerWorker';

interface Pending {
  resolve(result: DirectoryReadResult): void;
  timer: NodeJS.Timeout;
}

function failed(kind: DirectoryFailureKind, detail: string): DirectoryReadResult {
  return { ok: false, failure: { kind, detail, server: null } };
}

/**
 * The worker next to this file. Built, it is plain JavaScript. Run from source (tests, benchmark),
 * it is TypeScript, and a worker does not inherit the parent's TypeScript loader: load it first.
 */
function startWorker(): Worker {
  const file = join(__dirname, `readerWorker${extname(__filename)}`);
  // Compiled JavaScript needs none of the parent's Node options (loaders, inspector).
  if (extname(file) !== '.ts') return new Worker(file, { execArgv: [] });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true });
}

export class ReaderHost {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs: number) {}

  run(job: ReadJob, deadlineMs: number): Promise<DirectoryReadResult> {
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        worker = this.ensureWorker();
      } catch (error) {
        resolve(failed('unavailable', `the reader cannot start: ${String(error)}`));
        return;
      }
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(failed('unreachable', `no answer within ${deadlineMs} ms`));
        this.stop(worker, `an earlier read was stopped after ${deadlineMs} ms`);
      }, deadlineMs);
      this.pending.set(id, { resolve, timer });
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = null;
      worker.ref();
      const message: ReadMessage = { id, job };
      worker.postMessage(message);
    });
  }

  /** Ends the worker now (tests, app quit); pending reads resolve as unreachable. */
  dispose(): void {
    if (this.worker) this.stop(this.worker, 'the reader was stopped');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.on('message', (message: ResultMessage) => this.settle(message.id, message.result));
    worker.on('error', (error: Error) => this.stop(worker, `the reader stopped: ${error.message}`));
    worker.on('exit', (code) => this.stop(worker, `the reader ended (exit code ${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(id: number, result: DirectoryReadResult): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending.delete(id);
    pending.resolve(result);
    if (this.pending.size === 0 && this.worker) {
      const worker = this.worker;
      worker.unref();
      this.idleTimer = setTimeout(() => this.stop(worker, 'idle'), this.idleMs);
      this.idleTimer.unref();
    }
  }

  private stop(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.resolve(failed('unavailable', reason));
    }
    worker.removeAllListeners();
    worker.on('error', () => undefined);
    worker.unref();
    void worker.terminate();
  }
}
