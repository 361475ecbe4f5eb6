import type { PostKind, PostOutcome } from './outcome.js';
import type { EngineAnswer } from './protocol.js';
import * as thread from './sending-thread.js';

export interface PostRequest {
  kind: PostKind;
  url: string;
  /** The only headers sent, besides `content-length` (and `content-encoding` when gzipped). */
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array;
  /** Aborting resolves the outcome at once with `failure: 'aborted'` and destroys the request. */
  signal?: AbortSignal | undefined;
}

export interface PosterOptions {
  /** Whole request, connect to complete answer. */
  timeoutMs: number;
  /** Bodies larger than this many bytes are gzipped (in the sending thread). Default: never. */
  gzipAbove?: number | undefined;
  /**
   * Called exactly once per `post()`, with what left and how it ended (also for refused posts: `aborted`,
   * `closed`). The one place to hook a record of what was sent. A throwing callback is ignored.
   */
  onOutcome?: ((outcome: PostOutcome) => void) | undefined;
}

export interface Poster {
  /** Sends one body. Never rejects: the outcome says whether and how it was answered. */
  post(request: PostRequest): Promise<PostOutcome>;
  /** Cancels this poster's requests in flight (consent withdrawn): what they carried is dropped. */
  abortAll(): void;
  /**
   * Keeps the process alive until the returned function is called: for an awaited flush, which an otherwise
   * idle event loop would cut short (the sending thread is unreferenced).
   */
  hold(): () => void;
  /** Refuses later posts (`failure: 'closed'`); requests in flight still finish. */
  close(): void;
}

/**
 * Posts bodies from consentry's sending thread (see sending-thread.ts): the host's HTTP instrumentation never
 * sees them. Each poster tracks its own requests, so one module's consent change aborts only its own.
 */
export function createPoster(options: PosterOptions): Poster {
  // Each request in flight, with what settles it as aborted.
  const inFlight = new Map<number, () => void>();
  let closed = false;
  thread.open();

  const report = (outcome: PostOutcome): PostOutcome => {
    try {
      options.onOutcome?.(outcome);
    } catch {
      // A record that fails must not change what the sender sees.
    }
    return outcome;
  };

  const abort = (ids: number[]) => {
    const settles = ids.flatMap((id) => inFlight.get(id) ?? []);
    for (const id of ids) inFlight.delete(id);
    thread.cancel(ids);
    for (const settle of settles) settle();
  };
  const poster: PosterState = { options, inFlight, report, abort };

  return {
    post(request) {
      const target = targetOf(request.url);
      const bytes = typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength;
      const base = { kind: request.kind, target, bytes, sentBytes: 0 };
      if (closed) return Promise.resolve(report({ ...base, failure: 'closed' }));
      if (request.signal?.aborted) return Promise.resolve(report({ ...base, failure: 'aborted' }));
      return send(poster, request, base);
    },

    abortAll() {
      abort([...inFlight.keys()]);
    },

    hold: () => thread.hold(),

    close() {
      if (closed) return;
      closed = true;
      thread.close();
    },
  };
}

/** What an outcome says of the request whatever its end. */
type RequestFacts = { kind: PostKind; target: string; bytes: number; sentBytes: number };

/** What one poster shares with each of its requests; built once per poster. */
interface PosterState {
  options: PosterOptions;
  inFlight: Map<number, () => void>;
  report(outcome: PostOutcome): PostOutcome;
  abort(ids: number[]): void;
}

/** Hands one accepted request to the sending thread; settles once, by its answer or by an abort. */
function send(poster: PosterState, request: PostRequest, base: RequestFacts) {
  const { options, inFlight, report, abort } = poster;
  const id = thread.newRequestId();
  let body: string | Uint8Array = request.body;
  const transfer: ArrayBuffer[] = [];
  if (typeof body !== 'string') {
    // A copy of its own: the caller's bytes may share a pooled buffer that must not be moved away.
    const copy = new Uint8Array(body.byteLength);
    copy.set(body);
    body = copy;
    transfer.push(copy.buffer);
  }
  const signal = request.signal;
  const onAbort = () => abort([id]);
  const done = new Promise<PostOutcome>((resolve) => {
    let finished = false;
    const finish = (outcome: PostOutcome) => {
      if (finished) return;
      finished = true;
      inFlight.delete(id);
      signal?.removeEventListener('abort', onAbort);
      resolve(report(outcome));
    };
    inFlight.set(id, () => finish({ ...base, failure: 'aborted' }));
    thread.request(
      {
        op: 'post',
        id,
        url: request.url,
        headers: { ...request.headers },
        body,
        gzipAbove: options.gzipAbove,
        timeoutMs: options.timeoutMs,
      },
      (answer: EngineAnswer) => finish(toOutcome(base, answer)),
      transfer,
    );
  });
  signal?.addEventListener('abort', onAbort, { once: true });
  return done;
}

function toOutcome(base: Omit<PostOutcome, 'sentBytes'>, answer: EngineAnswer): PostOutcome {
  const { kind, target, bytes } = base;
  if ('failure' in answer) return { kind, target, bytes, sentBytes: answer.sentBytes, failure: answer.failure };
  return {
    kind,
    target,
    bytes,
    sentBytes: answer.sentBytes,
    status: answer.status,
    retryAfter: answer.retryAfter,
    rateLimits: answer.rateLimits,
  };
}

function targetOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
