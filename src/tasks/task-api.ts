import { type Span, SpanStatusCode } from '@opentelemetry/api';
import type { Tracing } from '../otel/index.js';
import type { CaptureOptions, ModuleLogger } from '../sentry/index.js';

/** What a module gives its tasks. */
export interface TaskDeps {
  suite: string;
  module: string;
  version: string;
  /** The module's span path; undefined when the suite has no DSN (tasks still run, untraced). */
  tracing: Tracing | undefined;
  /** The module's error path (scrubbed, consent-gated); never throws. */
  captureError(error: unknown, options?: CaptureOptions): unknown;
  logger: ModuleLogger;
}

/** The task methods a module offers. */
export interface TaskApi {
  /** One traced run of `fn`: a root span of its own; an error is captured, logged and rethrown. */
  task<T>(name: string, fn: (span: Span | undefined) => T | Promise<T>): Promise<T>;
}

export function createTaskApi(deps: TaskDeps): TaskApi {
  const tracer = deps.tracing?.tracer(`consentry/${deps.module}`, deps.version);
  return {
    async task(name, fn) {
      const run = async (span: Span | undefined) => {
        try {
          return await fn(span);
        } catch (error) {
          span?.setStatus({ code: SpanStatusCode.ERROR });
          deps.captureError(error);
          deps.logger.error(`task ${name} failed: ${(error as Error)?.message ?? String(error)}`);
          throw error;
        } finally {
          span?.end();
        }
      };
      return tracer ? tracer.startActiveSpan(name, { root: true }, run) : run(undefined);
    },
  };
}
