import { MessageChannel, Worker } from 'node:worker_threads';
import { CANCEL_SLOTS, type EnginePort, runPostEngine } from './engine.js';
import type { EngineAnswer, EngineCommand } from './protocol.js';

/**
 * The one thread that does consentry's network I/O, shared by every poster of the process. A worker thread has
 * its own module graph and diagnostics channels: whatever the host instruments on the main thread (Sentry's http
 * and fetch integrations, OpenTelemetry's http/undici instrumentations, a global undici dispatcher, a patched
 * `http.request`, `net` channel subscribers) never sees these requests, and gzip runs off the event loop.
 *
 * Started on the first request, never before (importing consentry starts nothing). `execArgv: []` keeps the
 * host's `--import`/`--require` preloads out, and NODE_OPTIONS is left out of the worker's environment because a
 * worker re-reads it and would run its `--require` preloads (verified on Node 22 and 24). Unreferenced: it never
 * keeps the process alive, except while a flush waits for it ({@link hold}). Stopped when the last poster closes.
 */
interface Thread {
  send(command: EngineCommand, transfer?: ArrayBuffer[]): void;
  ref(): void;
  unref(): void;
  stop(): void;
}

const waiting = new Map<number, (answer: EngineAnswer) => void>();
// Marks of aborted requests, read by the engine before it writes a request (see runPostEngine).
const cancelled = new Int32Array(new SharedArrayBuffer(CANCEL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
let thread: Thread | undefined;
let nextId = 1;
let holds = 0;
let users = 0;

/** Starts a post; `answer` is called once with the engine's answer (or a failure if the thread died). */
export function request(
  command: Extract<EngineCommand, { op: 'post' }>,
  answer: (answer: EngineAnswer) => void,
  transfer: ArrayBuffer[],
): void {
  waiting.set(command.id, answer);
  started().send(command, transfer);
}

export function newRequestId(): number {
  return nextId++;
}

/**
 * Destroys requests whose outcome was settled on this side (aborted); a late answer is ignored. All marks are
 * set before the engine hears of any: destroying one request frees a socket the engine may hand to the next.
 */
export function cancel(ids: number[]): void {
  const known = ids.filter((id) => waiting.delete(id));
  if (known.length === 0) return;
  for (const id of known) Atomics.store(cancelled, id % CANCEL_SLOTS, id | 0);
  thread?.send({ op: 'abort', ids: known });
  stopIfIdle();
}

/** Keeps the process alive until `release()`: an awaited flush must not be cut short by an idle event loop. */
export function hold(): () => void {
  holds++;
  thread?.ref();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holds--;
    if (holds === 0) thread?.unref();
  };
}

/** A poster opened (counts users, so the thread stops when the last one closes). */
export function open(): void {
  users++;
}

export function close(): void {
  users = Math.max(0, users - 1);
  stopIfIdle();
}

function stopIfIdle(): void {
  if (users === 0 && waiting.size === 0 && thread !== undefined) {
    const current = thread;
    thread = undefined;
    current.stop();
  }
}

function deliver(answer: EngineAnswer): void {
  const resolve = waiting.get(answer.id);
  if (resolve === undefined) return;
  waiting.delete(answer.id);
  resolve(answer);
  stopIfIdle();
}

function died(which: Thread, reason: string): void {
  if (thread !== which) return;
  thread = undefined;
  const pending = [...waiting];
  waiting.clear();
  for (const [id, resolve] of pending) resolve({ id, failure: reason, sentBytes: 0 });
}

function started(): Thread {
  if (thread !== undefined) return thread;
  let current: Thread;
  try {
    current = startWorker();
  } catch {
    // No worker allowed (e.g. Node's permission model without --allow-worker): send from this thread, as
    // before, rather than not at all. The host's instruments can then see these requests.
    current = startInThread();
  }
  thread = current;
  if (holds === 0) current.unref();
  return current;
}

function startWorker(): Thread {
  const { NODE_OPTIONS: _preloads, ...env } = process.env;
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
(${runPostEngine.toString()})(parentPort, { http: require('node:http'), https: require('node:https'), zlib: require('node:zlib') }, workerData);`,
    { eval: true, execArgv: [], env, name: 'consentry sender', workerData: cancelled },
  );
  const current: Thread = {
    send: (command, transfer) => worker.postMessage(command, transfer),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    stop: () => {
      worker.terminate().catch(() => {});
    },
  };
  worker.on('message', deliver);
  worker.on('error', (error) => died(current, `the sending thread failed: ${error.message}`));
  worker.on('exit', () => died(current, 'the sending thread stopped'));
  return current;
}

function startInThread(): Thread {
  const { port1, port2 } = new MessageChannel();
  runPostEngine(
    port2 as unknown as EnginePort,
    {
      http: process.getBuiltinModule('node:http'),
      https: process.getBuiltinModule('node:https'),
      zlib: process.getBuiltinModule('node:zlib'),
    },
    cancelled,
  );
  port1.on('message', deliver);
  port2.unref();
  return {
    send: (command, transfer) => port1.postMessage(command, transfer),
    ref: () => port1.ref(),
    unref: () => port1.unref(),
    stop: () => {
      port1.close();
      port2.close();
    },
  };
}
