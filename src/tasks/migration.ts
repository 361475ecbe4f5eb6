import type { Span } from '@opentelemetry/api';
import { showValue } from '../log/index.js';
import type { ModuleLogger } from '../sentry/index.js';
import { labelOf, type Runner } from './run.js';

/** The versions a migration goes between, e.g. `{ from: 1, to: 2 }` or `{ from: '1.x', to: '2.0' }`. */
export interface MigrationRange {
  from: number | string;
  to: number | string;
}

const isVersion = (value: unknown) =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '');

/**
 * A traced, logged migration: a root span with `consentry.migration.from`/`.to`, "started" and "finished" lines on
 * the module logger (so they are breadcrumbs of a later error too); a failure is captured, logged and rethrown.
 */
export function runMigration<T>(
  runner: Runner,
  logger: ModuleLogger,
  name: string,
  range: MigrationRange,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  const label = labelOf(name);
  if (typeof range !== 'object' || range === null || !isVersion(range.from) || !isVersion(range.to)) {
    return Promise.reject(
      new TypeError(
        `consentry: mod.migration('${label}', range, fn): range must be { from, to } with version numbers or strings, e.g. { from: 1, to: 2 }; got ${showValue(range)}`,
      ),
    );
  }
  const { from, to } = range;
  const started = Date.now();
  logger.info(`migration ${label} from ${from} to ${to} started`);
  return runner
    .run(label, 'migration', { 'consentry.migration.from': from, 'consentry.migration.to': to }, fn)
    .then((value) => {
      logger.info(`migration ${label} from ${from} to ${to} finished in ${Date.now() - started} ms`);
      return value;
    });
}
