import type { Attributes, SpanOptions } from '@opentelemetry/api';
import {
  CONSENTRY_KIND,
  SENTRY_ENVIRONMENT,
  SENTRY_OP,
  SENTRY_OPS,
  SENTRY_RELEASE,
  SESSION_ID,
  USER_ID,
} from '../otel/index.js';
import { DEFAULT_ENVIRONMENT, moduleRelease } from '../sentry/index.js';
import type { RunKind, RunnerDeps, SpanIdentity } from './run.js';

/** The span options of one module for one identity: a root per run kind, and the child's. */
export interface RunSpanOptions {
  identity: SpanIdentity | undefined;
  /** The module's own attributes (suite, module, version, release, environment, user and session). */
  own: Attributes;
  options: Record<RunKind, SpanOptions>;
  child: SpanOptions;
}

/**
 * A getter of the module's span options, built once and rebuilt only when the identity changes (a new object),
 * never per span. The SDK copies attributes into each span, so the shared objects are safe.
 */
export function runSpanOptions(
  deps: Pick<RunnerDeps, 'suite' | 'module' | 'version' | 'environment' | 'identity'>,
): () => RunSpanOptions {
  const base: Attributes = {
    'consentry.suite': deps.suite,
    'consentry.module': deps.module,
    'consentry.version': deps.version,
    [SENTRY_RELEASE]: moduleRelease(deps.suite, deps.module, deps.version),
    [SENTRY_ENVIRONMENT]: deps.environment ?? DEFAULT_ENVIRONMENT,
  };
  const build = (identity: SpanIdentity | undefined): RunSpanOptions => {
    const own: Attributes = identity
      ? { ...base, [USER_ID]: identity.userId, [SESSION_ID]: identity.sessionId }
      : { ...base };
    const root = (kind: RunKind): SpanOptions => ({
      root: true,
      attributes: { ...own, [CONSENTRY_KIND]: kind, [SENTRY_OP]: SENTRY_OPS[kind] },
    });
    return {
      identity,
      own,
      options: { task: root('task'), loop: root('loop'), migration: root('migration') },
      child: { attributes: { ...own, [SENTRY_OP]: SENTRY_OPS.child } },
    };
  };
  let built = build(deps.identity?.());
  return () => {
    const identity = deps.identity?.();
    if (identity !== built.identity) built = build(identity);
    return built;
  };
}
