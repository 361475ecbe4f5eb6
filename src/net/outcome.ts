/** What a request carried: a Sentry envelope or an OTLP traces batch. */
export type PostKind = 'envelope' | 'otlp';

interface OutcomeBase {
  kind: PostKind;
  /** Scheme, host and path, without the query string (which may carry a key). */
  target: string;
  /** Size of the body as handed to the poster, before compression. */
  bytes: number;
  /** Bytes of body written to the socket (after gzip); 0 when the request never started. */
  sentBytes: number;
}

/** The server answered; `status` may still be a refusal (4xx/5xx). */
export interface PostAnswered extends OutcomeBase {
  status: number;
  /** `Retry-After`, as sent. */
  retryAfter: string | null;
  /** Sentry's `X-Sentry-Rate-Limits`, as sent. */
  rateLimits: string | null;
  failure?: undefined;
}

/** No answer: network error code (`ECONNREFUSED`…), `no answer within N ms`, `aborted`, `closed`. */
export interface PostFailed extends OutcomeBase {
  failure: string;
  status?: undefined;
}

/** The outcome of one request, reported exactly once per `post()`. */
export type PostOutcome = PostAnswered | PostFailed;
