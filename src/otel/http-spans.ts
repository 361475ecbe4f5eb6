import { type Channel, channel } from 'node:diagnostics_channel';
import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { CONSENTRY_VERSION } from '../version.js';
import { INHERITED_ATTRIBUTES, SENTRY_OP, SENTRY_OPS } from './sentry-attributes.js';

export interface HttpSpansOptions {
  /** Origins (`http://host:port`) whose requests never become spans, e.g. the Sentry ingest our own events go to. */
  ignoreOrigins?: readonly string[] | undefined;
}

interface NodeRequest {
  method?: string | undefined;
  protocol?: string | undefined;
  path?: string | undefined;
  getHeader?(name: string): unknown;
}
interface UndiciRequest {
  method?: string | undefined;
  origin?: string | URL | undefined;
  path?: string | undefined;
}
interface RequestMessage {
  request: object;
  response?: { statusCode?: number } | undefined;
  error?: unknown;
}

/**
 * Outgoing HTTP requests (`node:http`/`node:https` and undici, so `fetch()` and discord.js's REST client) as client
 * spans, read from Node's diagnostics channels: nothing is patched and no header is added to any request (no trace
 * propagation to Discord). A span is made only for a request started inside a recording span (a task), as its child;
 * requests outside tasks, and our own exports (`suppressTracing`), are left alone. The query string is never recorded.
 *
 * Shaped as an OpenTelemetry `Instrumentation`, so it can be handed to `NodeSDK({ instrumentations })`.
 */
export class HttpSpansInstrumentation {
  readonly instrumentationName = 'consentry-http-spans';
  readonly instrumentationVersion = CONSENTRY_VERSION;
  private tracer: Tracer = trace.getTracer(this.instrumentationName, this.instrumentationVersion);
  private readonly ignore: Set<string>;
  private readonly spans = new WeakMap<object, Span>();
  private readonly subscriptions: Array<[Channel, (message: unknown) => void]> = [];
  private config: { enabled?: boolean | undefined } = { enabled: true };

  constructor(options: HttpSpansOptions = {}) {
    this.ignore = new Set((options.ignoreOrigins ?? []).map((origin) => new URL(origin).origin));
    // Like InstrumentationBase: enabled on construction (registerInstrumentations enables only disabled ones).
    this.enable();
  }

  setTracerProvider(provider: TracerProvider): void {
    this.tracer = provider.getTracer(this.instrumentationName, this.instrumentationVersion);
  }
  setMeterProvider(): void {}
  setConfig(config: { enabled?: boolean | undefined }): void {
    this.config = { ...config };
  }
  getConfig(): { enabled?: boolean | undefined } {
    return this.config;
  }

  enable(): void {
    if (this.subscriptions.length > 0) return;
    this.on('http.client.request.created', ({ request }) => {
      const req = request as NodeRequest;
      const host = typeof req.getHeader === 'function' ? String(req.getHeader('host') ?? '') : '';
      this.start(request, req.method, `${req.protocol ?? 'http:'}//${host}`, req.path);
    });
    this.on('http.client.response.finish', ({ request, response }) => this.end(request, response?.statusCode));
    this.on('http.client.request.error', ({ request, error }) => this.fail(request, error));
    this.on('undici:request:create', ({ request }) => {
      const req = request as UndiciRequest;
      this.start(request, req.method, String(req.origin ?? ''), req.path);
    });
    this.on('undici:request:headers', ({ request, response }) => this.end(request, response?.statusCode));
    this.on('undici:request:error', ({ request, error }) => this.fail(request, error));
  }

  disable(): void {
    for (const [source, listener] of this.subscriptions.splice(0)) source.unsubscribe(listener);
  }

  private on(name: string, handle: (message: RequestMessage) => void): void {
    const listener = (message: unknown) => {
      try {
        handle(message as RequestMessage);
      } catch {
        // Instrumentation must never break a request.
      }
    };
    const source = channel(name);
    source.subscribe(listener);
    this.subscriptions.push([source, listener]);
  }

  private start(request: object, method: string | undefined, origin: string, path: string | undefined): void {
    const active = context.active();
    if (isTracingSuppressed(active)) return;
    const parent = trace.getSpan(active);
    if (parent === undefined || !parent.isRecording()) return;
    let url: URL;
    try {
      url = new URL(path ?? '/', origin);
    } catch {
      return;
    }
    if (this.ignore.has(url.origin)) return;
    const verb = (method ?? 'GET').toUpperCase();
    const span = this.tracer.startSpan(
      verb,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          ...inherited(parent),
          [SENTRY_OP]: SENTRY_OPS.http,
          'http.request.method': verb,
          'server.address': url.hostname,
          'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
          'url.scheme': url.protocol.slice(0, -1),
          'url.path': url.pathname,
        },
      },
      active,
    );
    this.spans.set(request, span);
  }

  private end(request: object, status: number | undefined): void {
    const span = this.spans.get(request);
    if (!span) return;
    this.spans.delete(request);
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (status !== undefined && status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  private fail(request: object, error: unknown): void {
    const span = this.spans.get(request);
    if (!span) return;
    this.spans.delete(request);
    const code = (error as { code?: unknown } | null)?.code;
    span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : 'request failed' });
    span.end();
  }
}

/** The task's release, environment, user and module, read from the parent span (an SDK span exposes its attributes). */
function inherited(parent: Span): Attributes {
  const attributes = (parent as { attributes?: Attributes }).attributes;
  const out: Attributes = {};
  if (attributes === undefined) return out;
  for (const key of INHERITED_ATTRIBUTES) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
