import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Zlib from 'node:zlib';
import type { EngineAnswer, EngineCommand } from './protocol.js';

/** The two ends the engine talks through: a worker's `parentPort`, or one end of a MessageChannel. */
export interface EnginePort {
  on(event: 'message', listener: (command: EngineCommand) => void): unknown;
  postMessage(answer: EngineAnswer): void;
}

export interface EngineModules {
  http: typeof Http;
  https: typeof Https;
  zlib: typeof Zlib;
}

type PostCommand = Extract<EngineCommand, { op: 'post' }>;

/** Slots of the shared cancellation marks: more than the requests that can ever be in flight at once. */
export const CANCEL_SLOTS = 4096;

/**
 * Performs POST requests on behalf of the main thread. It runs as the body of the sending worker, so it is
 * serialized with `Function.prototype.toString` and must not reference anything outside itself: everything it
 * needs comes in through its two parameters.
 *
 * One keep-alive agent per origin (at most 30 sockets, as Sentry's node transport); bodies above `gzipAbove`
 * bytes are gzipped; each request is abandoned after `timeoutMs` without a complete answer.
 *
 * `cancelled` is shared with the main thread, which marks an aborted request at once (slot `id % length` holds
 * `id`). A request waiting for a socket reads its mark when the socket comes, before a byte is written: an
 * abort is final even if it races a socket freed by an answer that arrives before the abort message.
 */
export function runPostEngine(port: EnginePort, modules: EngineModules, cancelled: Int32Array): void {
  // Longer than one screen on purpose: serialized with toString() as the worker's body, its helpers live inside it.
  const agents = new Map<string, Http.Agent>();
  const live = new Map<number, Http.ClientRequest>();

  const agentFor = (url: URL): Http.Agent => {
    let agent = agents.get(url.origin);
    if (agent === undefined) {
      const Agent = url.protocol === 'https:' ? modules.https.Agent : modules.http.Agent;
      agent = new Agent({ keepAlive: true, maxSockets: 30 });
      agents.set(url.origin, agent);
    }
    return agent;
  };

  /** The body as sent (gzipped above `gzipAbove`) and the headers that describe it. */
  const encode = (command: PostCommand): { body: Buffer; headers: Record<string, string> } => {
    let body: Buffer =
      typeof command.body === 'string'
        ? Buffer.from(command.body)
        : Buffer.from(command.body.buffer, command.body.byteOffset, command.body.byteLength);
    const headers: Record<string, string> = { ...command.headers };
    if (command.gzipAbove !== undefined && body.length > command.gzipAbove) {
      body = modules.zlib.gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    return { body, headers };
  };

  const answerOf = (id: number, response: Http.IncomingMessage, sentBytes: number): EngineAnswer => {
    const header = (name: string): string | null => {
      const value = response.headers[name];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    };
    return {
      id,
      status: response.statusCode ?? 0,
      retryAfter: header('retry-after'),
      rateLimits: header('x-sentry-rate-limits'),
      sentBytes,
    };
  };

  const post = (command: PostCommand): void => {
    const { id, timeoutMs } = command;
    let settled = false;
    let sentBytes = 0;
    const finish = (answer: EngineAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      live.delete(id);
      port.postMessage(answer);
    };
    const fail = (failure: string) => finish({ id, failure, sentBytes });
    const timer = setTimeout(() => {
      live.get(id)?.destroy();
      fail(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    // Only matters when the engine runs on the main thread (no worker allowed): never keep the bot alive.
    timer.unref();

    const { body, headers } = encode(command);
    let url: URL;
    try {
      url = new URL(command.url);
    } catch {
      fail('invalid URL');
      return;
    }
    const send = url.protocol === 'https:' ? modules.https.request : modules.http.request;
    let request: Http.ClientRequest;
    try {
      request = send(url, { method: 'POST', agent: agentFor(url), headers });
    } catch (error) {
      fail((error as NodeJS.ErrnoException).code ?? (error as Error).message);
      return;
    }
    live.set(id, request);
    request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    // Nothing is written before a socket is assigned: then the abort mark is read, and only then the body sent.
    request.once('socket', (socket) => {
      socket.unref();
      if (Atomics.load(cancelled, id % cancelled.length) === (id | 0)) {
        request.destroy();
        fail('aborted');
        return;
      }
      sentBytes = body.length;
      request.end(body);
    });
    request.on('response', (response) => {
      response.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
      response.resume();
      response.on('end', () => finish(answerOf(id, response, sentBytes)));
    });
  };

  port.on('message', (command) => {
    if (command.op === 'post') {
      post(command);
    } else if (command.op === 'abort') {
      for (const id of command.ids) {
        const request = live.get(id);
        live.delete(id);
        request?.destroy();
      }
    }
  });
}
