import {
  type BaseTransportOptions,
  createTransport,
  type Envelope,
  type Transport,
  type TransportMakeRequestResponse,
} from '@sentry/core';
import { createPoster, type PostOutcome } from '../net/index.js';

/** What the reporter learns from each send, to count drops and log one line per outage. */
export interface DeliveryListener {
  /** Sentry answered 2xx. */
  delivered(): void;
  /** The request failed (network error, timeout) or Sentry answered with an error status. */
  failed(reason: string): void;
  /** Envelope items that were not sent: queue full, rate-limited, network error, refused by Sentry. */
  dropped(reason: string, count: number): void;
  /** One request left with this envelope: its size on the wire and Sentry's answer (status) or the failure. */
  sent?(envelope: Envelope, outcome: RequestOutcome): void;
}

export interface RequestOutcome {
  bytes: number;
  status: number | null;
  error: string | null;
}

export interface Delivery {
  /** A transport factory for the Sentry client. */
  makeTransport(options: BaseTransportOptions): Transport;
  /** Destroys every request in flight and refuses new ones (consent turned off: drop what is queued). */
  abortInFlight(): void;
}

// As Sentry's node transport: bodies above 32 KiB are gzipped (in the sending thread, not on the event loop).
const GZIP_THRESHOLD = 32 * 1024;
// The wire size of each request, keyed by its answer or its error, for DeliveryListener.sent.
const wireBytes = new WeakMap<object, number>();

/**
 * Sentry's transport (rate limits, at most `bufferSize` envelopes in flight) over consentry's poster, which sends
 * from its own thread so the host's HTTP instrumentation never sees (or stamps) our requests. A request without
 * an answer is abandoned after `requestTimeoutMs`, nothing keeps the process alive, and every outcome is reported
 * to `listener` (and, per request, to `onOutcome`). (Not @sentry/node's transport: importing @sentry/node loads
 * every Node integration.)
 */
export function nodeDelivery(
  listener: DeliveryListener,
  requestTimeoutMs: number,
  onOutcome?: (outcome: PostOutcome) => void,
): Delivery {
  const poster = createPoster({ timeoutMs: requestTimeoutMs, gzipAbove: GZIP_THRESHOLD, onOutcome });
  let aborted = false;

  return {
    makeTransport(options) {
      const inner = createTransport(
        {
          ...options,
          recordDroppedEvent: (reason, category, count) => {
            listener.dropped(reason, count ?? 1);
            options.recordDroppedEvent(reason, category, count);
          },
        },
        (request) => {
          // After an abort, not even the transport's retry may send the envelope.
          if (aborted) return Promise.reject(Object.assign(new Error('consent withdrawn'), { code: 'ECANCELED' }));
          return postEnvelope(poster, options, request.body);
        },
      );
      return {
        send: (envelope) => reportOutcome(listener, envelope, inner.send(envelope)),
        // The sending thread does not keep the process alive: an awaited flush must, until it is done.
        flush: async (timeout) => {
          const release = poster.hold();
          try {
            return await inner.flush(timeout);
          } finally {
            release();
          }
        },
      };
    },
    abortInFlight() {
      aborted = true;
      poster.abortAll();
      poster.close();
    },
  };
}

/** One envelope over the poster, as Sentry's transport expects the answer (a failure is thrown). */
async function postEnvelope(
  poster: ReturnType<typeof createPoster>,
  options: BaseTransportOptions,
  body: string | Uint8Array,
): Promise<TransportMakeRequestResponse> {
  const outcome = await poster.post({
    kind: 'envelope',
    url: options.url,
    headers: { ...options.headers, 'content-type': 'application/x-sentry-envelope' },
    body,
  });
  const bytes = outcome.sentBytes || outcome.bytes;
  if (outcome.failure !== undefined) {
    const error = Object.assign(new Error(outcome.failure), { code: outcome.failure });
    wireBytes.set(error, bytes);
    throw error;
  }
  const response = {
    statusCode: outcome.status,
    headers: { 'retry-after': outcome.retryAfter, 'x-sentry-rate-limits': outcome.rateLimits },
  };
  wireBytes.set(response, bytes);
  return response;
}

/** Tells the listener what became of a send: delivered, refused (and how many items were lost) or failed. */
function reportOutcome(
  listener: DeliveryListener,
  envelope: Envelope,
  sending: PromiseLike<TransportMakeRequestResponse>,
): PromiseLike<TransportMakeRequestResponse> {
  return sending.then(
    (response: TransportMakeRequestResponse) => {
      const status = response.statusCode;
      const bytes = wireBytes.get(response);
      if (bytes !== undefined) listener.sent?.(envelope, { bytes, status: status ?? null, error: null });
      if (status !== undefined) {
        if (status >= 200 && status < 300) {
          listener.delivered();
        } else {
          // Sentry's transport counts a 413 itself; any other refusal loses the envelope too.
          if (status !== 413) listener.dropped(`http_${status}`, envelope[1].length);
          listener.failed(status === 429 ? 'rate limited (HTTP 429)' : `HTTP ${status}`);
        }
      }
      return response;
    },
    (error: unknown) => {
      const bytes = typeof error === 'object' && error !== null ? wireBytes.get(error) : undefined;
      const reason = (error as Error).message || 'network error';
      if (bytes !== undefined) listener.sent?.(envelope, { bytes, status: null, error: reason });
      listener.failed(reason);
      throw error;
    },
  );
}
