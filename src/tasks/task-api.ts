import type { Span } from '@opentelemetry/api';
import { ConsentryConfigError, configErrorWhen } from '../errors/index.js';
import { type OptionNames, reportUnknownOptions } from '../log/index.js';
import { createScrubber } from '../scrub/index.js';
import type { ModuleCheckIn } from '../sentry/index.js';
import { type Loop, type LoopOptions, startLoop } from './loop.js';
import { type MigrationRange, runMigration } from './migration.js';
import { createRunner, labelOf, type RunnerDeps, type SpanAttributes } from './run.js';

/** What a module gives its tasks: what every run needs (see RunnerDeps), and what loops need besides. */
export interface TaskDeps extends RunnerDeps {
  /** Scrubs what `loop.status()` shows of an error. Default: a scrubber with no bot token. */
  scrub?: ((text: string) => string) | undefined;
  /** Sends a cron check-in through the module's reporter, only at `errors`/`all`; undefined when not sent. */
  captureCheckIn?: ((checkIn: ModuleCheckIn) => string | undefined) | undefined;
  /** Throw for wrong loop options instead of logging one line and returning a loop that does not run. */
  strict?: boolean | undefined;
}

/** The task methods a module offers. */
export interface TaskApi {
  /**
   * One traced run of `fn`: a root span of its own (`consentry.suite`, `.module`, `.version`, `.kind: task`),
   * handed to `fn`. An error is captured through the module (linked to the span), logged, marks the span as
   * failed and is rethrown. Below level `all` the span is a shared no-op and nothing is recorded.
   */
  task<T>(name: string, fn: (span: Span) => T | Promise<T>): Promise<T>;
  /**
   * A child span of the task (or loop iteration, or migration) running now, for a step worth timing on its own:
   * `await mod.span('fetch-releases', async (span) => …)`. Outside a task, `fn` simply runs (no span). An error
   * marks the child as failed and is rethrown (the task captures it once).
   */
  span<T>(name: string, fn: (span: Span) => T | Promise<T>, attributes?: SpanAttributes): Promise<T>;
  /**
   * Runs `fn` every `options.every` ms, each iteration a task span; never overlaps itself, survives failing
   * iterations, never keeps the process alive. See {@link LoopOptions}.
   */
  loop(name: string, options: LoopOptions, fn: (span: Span) => unknown): Loop;
  /** A task span with `consentry.migration.from`/`.to`, its start and end logged; an error is captured and rethrown. */
  migration<T>(name: string, range: MigrationRange, fn: (span: Span) => T | Promise<T>): Promise<T>;
}

const LOOP_OPTION_NAMES: OptionNames<LoopOptions> = { every: true, runAtStart: true, jitter: true, checkIn: true };
const CHECK_IN_OPTION_NAMES: OptionNames<NonNullable<LoopOptions['checkIn']>> = {
  monitorSlug: true,
  monitorConfig: true,
};
const MIGRATION_RANGE_NAMES: OptionNames<MigrationRange> = { from: true, to: true };

let defaultScrub: ((text: string) => string) | undefined;

export function createTaskApi(deps: TaskDeps): TaskApi {
  const scrub =
    deps.scrub ??
    ((text: string) => {
      if (defaultScrub === undefined) {
        const scrubber = createScrubber({});
        defaultScrub = (value) => scrubber.string(value);
      }
      return defaultScrub(text);
    });
  const runner = createRunner(deps);
  return {
    task: (name, fn) => runner.run(name, 'task', undefined, fn),
    span: (name, fn, attributes) => runner.child(name, fn, attributes),
    loop: (name, options, fn) => {
      const how = { logger: deps.logger, strict: configErrorWhen(deps.strict) };
      reportUnknownOptions(options, LOOP_OPTION_NAMES, `mod.loop('${String(name)}')`, how);
      reportUnknownOptions(options?.checkIn, CHECK_IN_OPTION_NAMES, `mod.loop('${String(name)}') checkIn`, how);
      try {
        return startLoop({ runner, scrub, captureCheckIn: deps.captureCheckIn }, name, options, fn);
      } catch (error) {
        // A wrong option must not stop the plugin (and so the bot) from loading: one clear line instead.
        if (deps.strict || !(error instanceof ConsentryConfigError)) throw error;
        deps.logger.error(
          `${error.message} The loop does not run. (Pass strict: true to createTelemetry to throw instead.)`,
        );
        return stoppedLoop(labelOf(name), error.message);
      }
    },
    migration: (name, range, fn) => {
      const how = { logger: deps.logger, strict: configErrorWhen(deps.strict) };
      reportUnknownOptions(range, MIGRATION_RANGE_NAMES, `mod.migration('${String(name)}') range`, how);
      return runMigration(runner, deps.logger, name, range, fn);
    },
  };
}

/** A loop that never runs, for wrong options: its status says why. */
function stoppedLoop(name: string, problem: string): Loop {
  const status = {
    name,
    iterations: 0,
    failures: 0,
    running: false,
    stopped: true,
    lastStart: undefined,
    lastEnd: undefined,
    lastDuration: undefined,
    lastOutcome: undefined,
    nextRun: undefined,
    lastError: problem,
  };
  return { status: () => ({ ...status }), stop: async () => {}, runNow: async () => {} };
}
