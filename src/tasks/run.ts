import { type Attributes, isSpanContextValid, type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { describeError, showValue } from '../log/index.js';
import { OFF_SPAN, SENTRY_OP, SENTRY_OPS, type Tracing } from '../otel/index.js';
import type { CaptureOptions, ModuleLogger } from '../sentry/index.js';
import { isPromiseLike } from '../values/index.js';
import { runSpanOptions } from './run-span-options.js';

export type SpanAttributes = Attributes;

/** What a run is; `consentry.kind` on its span. */
export type RunKind = 'task' | 'loop' | 'migration';

/**
 * Who the module's error events are about now: `user.id` and `session.id` of every span, so that spans and events
 * tie to the same installation. Replaced by a new object when it changes (`forget()` gives a new user id).
 */
export interface SpanIdentity {
  readonly userId: string;
  readonly sessionId: string;
}

export interface RunnerDeps {
  suite: string;
  module: string;
  version: string;
  /** The module's Sentry environment, as on its events. Default `production`. */
  environment?: string | undefined;
  /** The identity current now; read at each span start (keep it a cheap getter). */
  identity?: (() => SpanIdentity | undefined) | undefined;
  tracing: Tracing | undefined;
  captureError(error: unknown, options?: CaptureOptions): unknown;
  logger: ModuleLogger;
}

export interface Runner {
  /** One run of `fn` in a root span of its own; errors captured (linked), logged, rethrown. */
  run<T>(
    name: string,
    kind: RunKind,
    attributes: Attributes | undefined,
    fn: (span: Span) => T | Promise<T>,
  ): Promise<T>;
  /** A child span of the active run, or a plain call outside one. */
  child<T>(name: string, fn: (span: Span) => T | Promise<T>, attributes?: Attributes): Promise<T>;
}

/** The trace and span id of a recording span, for linking an error event or a check-in to it. */
export function traceContextOf(span: Span): { traceId: string; spanId: string } | undefined {
  if (!span.isRecording()) return undefined;
  const context = span.spanContext();
  return isSpanContextValid(context) ? { traceId: context.traceId, spanId: context.spanId } : undefined;
}

/** The name of a task, loop or migration as given, or a readable stand-in when it cannot be made a string. */
export function labelOf(name: unknown): string {
  if (typeof name === 'string') return name;
  try {
    return String(name);
  } catch {
    return showValue(name);
  }
}

export function createRunner(deps: RunnerDeps): Runner {
  const { tracing } = deps;
  const tracer: Tracer | undefined = tracing?.tracer(`consentry/${deps.module}`, deps.version);
  const current = runSpanOptions(deps);

  const execute = <T>(name: string, kind: RunKind, span: Span, fn: (span: Span) => T | Promise<T>): Promise<T> =>
    settle(span, fn, (error) => failed(deps, name, kind, span, error));

  return {
    run(name, kind, attributes, fn) {
      if (typeof fn !== 'function') {
        return Promise.reject(
          new TypeError(`consentry: mod.${kind}('${labelOf(name)}', …): the last argument must be the function to run`),
        );
      }
      // Off (or no DSN): no span, no attributes, no closure beyond the call itself.
      const label = labelOf(name);
      if (tracer === undefined || !tracing?.enabled) return execute(label, kind, OFF_SPAN, fn);
      const { options } = current();
      const spanOptions =
        attributes === undefined
          ? options[kind]
          : { root: true, attributes: { ...options[kind].attributes, ...attributes } };
      return tracer.startActiveSpan(label, spanOptions, (span) => execute(label, kind, span, fn));
    },
    child(name, fn, attributes) {
      if (typeof fn !== 'function') {
        return Promise.reject(new TypeError(`consentry: mod.span('${labelOf(name)}', fn): fn must be a function`));
      }
      const parent = tracer === undefined ? undefined : tracing?.activeSpan();
      if (tracer === undefined || parent === undefined || !parent.isRecording()) return endChild(OFF_SPAN, fn);
      const { own, child } = current();
      // The caller's attributes may name the op (e.g. `db`), never another release, environment or user.
      const spanOptions = attributes ? { attributes: { [SENTRY_OP]: SENTRY_OPS.child, ...attributes, ...own } } : child;
      return tracer.startActiveSpan(labelOf(name), spanOptions, (span) => endChild(span, fn));
    },
  };
}

/** Marks the span, captures the error linked to it, logs one line; returns the error to rethrow. Never throws. */
function failed(deps: RunnerDeps, name: string, kind: RunKind, span: Span, error: unknown): unknown {
  const description = describeError(error, { withType: true });
  try {
    // Read before end(): an ended span no longer records.
    const traceContext = traceContextOf(span);
    span.setStatus({ code: SpanStatusCode.ERROR, message: description });
    span.end();
    deps.captureError(error, { tags: { [kind]: name }, ...(traceContext ? { traceContext } : {}) });
    deps.logger.error(`${kind} ${name} failed: ${description}`);
  } catch {
    // Reporting a failure must never replace the failure itself.
  }
  return error;
}

function endChild<T>(span: Span, fn: (span: Span) => T | Promise<T>): Promise<T> {
  return settle(span, fn, (error) => {
    span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error, { withType: true }) });
    span.end();
    return error;
  });
}

/**
 * Runs `fn(span)` and ends the span when it settles, sync or async; a throw or rejection goes through `fail` (which
 * ends the span) and what it returns is rethrown.
 */
function settle<T>(span: Span, fn: (span: Span) => T | Promise<T>, fail: (error: unknown) => unknown): Promise<T> {
  let result: T | Promise<T>;
  try {
    result = fn(span);
  } catch (error) {
    return Promise.reject(fail(error));
  }
  if (!isPromiseLike(result)) {
    span.end();
    return Promise.resolve(result);
  }
  return Promise.resolve(result).then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      throw fail(error);
    },
  );
}
