import type { Span } from '@opentelemetry/api';
import { ConsentryConfigError } from '../errors/index.js';
import { describeError } from '../log/index.js';
import { insideCommand, outsideCommand } from '../otel/index.js';
import type { ModuleCheckIn } from '../sentry/index.js';
import { type LoopOptions, resolveLoopOptions } from './loop-options.js';
import { labelOf, type Runner, traceContextOf } from './run.js';

export type { LoopOptions } from './loop-options.js';

/** What `loop.status()` tells. Times are `Date`s, durations milliseconds. */
export interface LoopStatus {
  name: string;
  /** Iterations started so far (the running one included). */
  iterations: number;
  /** Iterations that threw or rejected. */
  failures: number;
  /** An iteration is running now. */
  running: boolean;
  /** `stop()` was called: no iteration will start any more. */
  stopped: boolean;
  lastStart: Date | undefined;
  lastEnd: Date | undefined;
  /** Duration of the last finished iteration. */
  lastDuration: number | undefined;
  /** `'ok'` or `'error'`: how the last finished iteration ended. */
  lastOutcome: 'ok' | 'error' | undefined;
  /** When the next iteration is due (undefined while one runs, and once stopped). */
  nextRun: Date | undefined;
  /** `Type: message` of the most recent failed iteration, scrubbed (kept after later successes). */
  lastError: string | undefined;
}

/** A running loop. */
export interface Loop {
  status(): LoopStatus;
  /** No more iterations; resolves once the running one (if any) has ended. Never rejects. Idempotent. */
  stop(): Promise<void>;
  /**
   * Runs an iteration now instead of waiting (the next wait counts from it). While one runs, resolves when that one
   * ends: iterations never overlap. Never rejects (a failure shows in `status()`); after `stop()` does nothing.
   */
  runNow(): Promise<void>;
}

export interface LoopContext {
  runner: Runner;
  scrub(text: string): string;
  captureCheckIn?: ((checkIn: ModuleCheckIn) => string | undefined) | undefined;
}

/**
 * The loop scheduler. The next iteration is due `every` (plus jitter) after the previous one started, but is only
 * scheduled once that one has ended, so a slow iteration delays the next instead of overlapping it. Its timers are
 * unref'd: a loop never keeps the process alive.
 */
export function startLoop(context: LoopContext, name: string, options: LoopOptions, fn: (span: Span) => unknown): Loop {
  const label = labelOf(name);
  const { every, runAtStart, jitter, checkIn } = resolveLoopOptions(label, options);
  if (typeof fn !== 'function') {
    throw new ConsentryConfigError(
      'fn',
      `consentry: mod.loop('${label}', options, fn): fn must be the function to run each time`,
    );
  }
  const { runner, scrub } = context;
  const sendCheckIn = checkIn && context.captureCheckIn;

  let iterations = 0;
  let failures = 0;
  let lastStart: number | undefined;
  let lastEnd: number | undefined;
  let lastDuration: number | undefined;
  let lastOutcome: 'ok' | 'error' | undefined;
  let lastError: string | undefined;
  let nextRun: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;

  const wait = () => every + (jitter > 0 ? Math.random() * jitter * every : 0);

  const schedule = (at: number) => {
    nextRun = at;
    // Armed outside any command: a schedule is not the command that created the loop or called runNow().
    timer = outsideCommand(() => setTimeout(() => void iterate(), Math.max(0, at - Date.now())));
    timer.unref();
  };

  const checkInSafely = (checkIn: ModuleCheckIn): string | undefined => {
    try {
      return sendCheckIn ? sendCheckIn(checkIn) : undefined;
    } catch {
      return undefined;
    }
  };

  const iterate = (): Promise<void> => {
    if (current) return current;
    if (stopped) return Promise.resolve();
    if (timer) clearTimeout(timer);
    timer = undefined;
    nextRun = undefined;
    const started = Date.now();
    const due = started + wait();
    iterations++;
    lastStart = started;
    // An iteration started by a command (runNow) is part of it: no span is recorded and no check-in is sent.
    const checkInNow = insideCommand() ? undefined : checkIn;
    let checkInId: string | undefined;
    let traceContext: ReturnType<typeof traceContextOf>;
    const attributes = { 'consentry.loop.iteration': iterations, 'consentry.loop.every_ms': every };
    current = runner
      .run(label, 'loop', attributes, (iterationSpan) => {
        if (checkInNow) {
          traceContext = traceContextOf(iterationSpan);
          checkInId = checkInSafely({
            monitorSlug: checkInNow.monitorSlug,
            status: 'in_progress',
            monitorConfig: checkInNow.monitorConfig,
            traceContext,
          });
        }
        return fn(iterationSpan);
      })
      .then(
        () => 'ok' as const,
        (error: unknown) => {
          failures++;
          try {
            lastError = scrub(describeError(error, { withType: true }));
          } catch {
            lastError = 'an error that could not be scrubbed';
          }
          return 'error' as const;
        },
      )
      .then((outcome) => {
        lastEnd = Date.now();
        lastDuration = lastEnd - started;
        lastOutcome = outcome;
        if (checkInNow) {
          checkInSafely({
            monitorSlug: checkInNow.monitorSlug,
            status: outcome,
            checkInId,
            duration: (lastEnd - started) / 1000,
            traceContext,
          });
        }
        current = undefined;
        if (!stopped) schedule(Math.max(due, Date.now()));
      });
    return current;
  };

  schedule(runAtStart ? Date.now() : Date.now() + wait());

  return {
    status: () => ({
      name: label,
      iterations,
      failures,
      running: current !== undefined,
      stopped,
      lastStart: lastStart === undefined ? undefined : new Date(lastStart),
      lastEnd: lastEnd === undefined ? undefined : new Date(lastEnd),
      lastDuration,
      lastOutcome,
      nextRun: nextRun === undefined ? undefined : new Date(nextRun),
      lastError,
    }),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      nextRun = undefined;
      return current ?? Promise.resolve();
    },
    runNow: iterate,
  };
}
