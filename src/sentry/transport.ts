import * as http from 'node:http';
import * as https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  type BaseTransportOptions,
  createTransport,
  type Envelope,
  type Transport,
  type TransportMakeRequestResponse,
  type TransportRequest,
} from '@sentry/core';

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

// As Sentry's node transport: bodies above 32 KiB are gzipped, at most 30 sockets per client.
const GZIP_THRESHOLD = 32 * 1024;
const MAX_SOCKETS = 30;
// On libuv's thread pool, not the event loop: a large event must not stall the bot while it is compressed.
const gzipAsync = promisify(gzip);
// The wire size of each request, keyed by its answer or its error, for DeliveryListener.sent.
const wireBytes = new WeakMap<object, number>();

/**
 * Sentry's transport (rate limits, at most `bufferSize` envelopes in flight) over a small node:http(s) request
 * function, with three changes for a guest in someone else's process: a request that gets no answer is abandoned
 * after `requestTimeoutMs`, its socket never keeps the process alive, and every outcome is reported to `listener`.
 * (Not @sentry/node's transport: importing @sentry/node loads every Node integration.)
 */
export function nodeDelivery(listener: DeliveryListener, requestTimeoutMs: number): Delivery {
  const inFlight = new Set<http.ClientRequest>();
  let aborted = false;
  const httpModule = {
    request(options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void): http.ClientRequest {
      // After an abort, the transport's one retry on a reset socket must not send the envelope after all.
      const withSignal = aborted ? { ...options, signal: AbortSignal.abort() } : options;
      const request =
        options.protocol === 'https:' ? https.request(withSignal, callback) : http.request(withSignal, callback);
      inFlight.add(request);
      request.once('close', () => inFlight.delete(request));
      request.on('socket', (socket) => socket.unref());
      request.setTimeout(requestTimeoutMs, () => {
        request.destroy(Object.assign(new Error(`no answer within ${requestTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      return request;
    },
  };

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
        postEnvelope(options, httpModule.request),
      );
      return {
        send: (envelope) =>
          inner.send(envelope).then(
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
              if (bytes !== undefined) {
                listener.sent?.(envelope, { bytes, status: null, error: describeNetworkError(error) });
              }
              listener.failed(describeNetworkError(error));
              throw error;
            },
          ),
        flush: (timeout) => inner.flush(timeout),
      };
    },
    abortInFlight() {
      aborted = true;
      for (const request of inFlight) {
        request.destroy(Object.assign(new Error('consent withdrawn'), { code: 'ECANCELED' }));
      }
      inFlight.clear();
    },
  };
}

type Requester = (options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => http.ClientRequest;

/** POSTs one envelope to the DSN's envelope endpoint and reports Sentry's rate-limit headers. */
function postEnvelope(options: BaseTransportOptions, request: Requester) {
  const url = new URL(options.url);
  const agent = new (url.protocol === 'https:' ? https.Agent : http.Agent)({
    keepAlive: true,
    maxSockets: MAX_SOCKETS,
  });
  return async (envelope: TransportRequest): Promise<TransportMakeRequestResponse> => {
    let body = typeof envelope.body === 'string' ? Buffer.from(envelope.body) : Buffer.from(envelope.body);
    const headers: Record<string, string> = { ...options.headers };
    if (body.length > GZIP_THRESHOLD) {
      body = await gzipAsync(body);
      headers['content-encoding'] = 'gzip';
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers,
          agent,
        },
        (response) => {
          response.on('data', () => {});
          response.on('error', reject);
          response.on('end', () => {
            const answer = {
              statusCode: response.statusCode,
              headers: {
                'retry-after': headerValue(response, 'retry-after'),
                'x-sentry-rate-limits': headerValue(response, 'x-sentry-rate-limits'),
              },
            };
            wireBytes.set(answer, body.length);
            resolve(answer);
          });
        },
      );
      outgoing.on('error', (error) => {
        wireBytes.set(error, body.length);
        reject(error);
      });
      outgoing.end(body);
    });
  };
}

function headerValue(response: http.IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'network error';
}
