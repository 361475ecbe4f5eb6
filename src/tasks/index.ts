/**
 * Background work as traced, logged, error-captured runs: `mod.task()`, `mod.span()`, `mod.loop()`,
 * `mod.migration()`. Every run is a root span of the module's own tracer (never joining the host's traces); an error
 * is captured through the module's error path, linked to its span, logged and rethrown.
 */
export type { Loop, LoopOptions, LoopStatus } from './loop.js';
export { MAX_EVERY_MS } from './loop-options.js';
export type { MigrationRange } from './migration.js';
export { type RunKind, type SpanAttributes, type SpanIdentity, traceContextOf } from './run.js';
export type { TaskApi, TaskDeps } from './task-api.js';
export { createTaskApi } from './task-api.js';
