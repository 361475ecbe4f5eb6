import type { Span } from '@opentelemetry/api';
import { ConsentryConfigError } from '../errors/index.js';
import { describeError } from '../log/index.js';
import { insideCommand, outsideCommand } from '../otel/index.js';
import type { ModuleCheckIn } from '../sentry/index.js';
import { iterationCheckIns } from './iteration-check-ins.js';
import { type LoopOptions, type ResolvedLoopOptions, resolveLoopOptions } from './loop-options.js';
import { labelOf, type Runner } from './run.js';

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
  const { every, runAtStart, jitter, checkIn } = resolveLoop(label, options, fn);
  const { runner, scrub } = context;
  const sendCheckIn = checkIn && context.captureCheckIn;
  const record: LoopRecord = { iterations: 0, failures: 0 };
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;

  const wait = () => every + (jitter > 0 ? Math.random() * jitter * every : 0);
  const schedule = (at: number) => {
    record.nextRun = at;
    // Armed outside any command: a schedule is not the command that created the loop or called runNow().
    timer = outsideCommand(() => setTimeout(() => void iterate(), Math.max(0, at - Date.now())));
    timer.unref();
  };
  const unschedule = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    record.nextRun = undefined;
  };

  const iterate = (): Promise<void> => {
    if (current) return current;
    if (stopped) return Promise.resolve();
    unschedule();
    const started = Date.now();
    const due = started + wait();
    record.iterations++;
    record.lastStart = started;
    // An iteration started by a command (runNow) is part of it: no span is recorded and no check-in is sent.
    const checkIns = insideCommand() ? undefined : iterationCheckIns(checkIn, sendCheckIn);
    const attributes = { 'consentry.loop.iteration': record.iterations, 'consentry.loop.every_ms': every };
    current = runner
      .run(label, 'loop', attributes, (iterationSpan) => {
        checkIns?.begin(iterationSpan);
        return fn(iterationSpan);
      })
      .then(
        () => 'ok' as const,
        (error: unknown) => recordFailure(record, scrub, error),
      )
      .then((outcome) => {
        const duration = recordEnd(record, outcome, started);
        checkIns?.end(outcome, duration);
        current = undefined;
        if (!stopped) schedule(Math.max(due, Date.now()));
      });
    return current;
  };

  schedule(runAtStart ? Date.now() : Date.now() + wait());

  return {
    status: () => statusOf(label, record, current !== undefined, stopped),
    stop() {
      stopped = true;
      unschedule();
      return current ?? Promise.resolve();
    },
    runNow: iterate,
  };
}

function resolveLoop(label: string, options: LoopOptions, fn: unknown): ResolvedLoopOptions {
  const resolved = resolveLoopOptions(label, options);
  if (typeof fn !== 'function') {
    throw new ConsentryConfigError(
      'fn',
      `consentry: mod.loop('${label}', options, fn): fn must be the function to run each time`,
    );
  }
  return resolved;
}

function recordFailure(record: LoopRecord, scrub: (text: string) => string, error: unknown): 'error' {
  record.failures++;
  record.lastError = scrubbedError(scrub, error);
  return 'error';
}

/** Notes the end of the iteration started at `started`; returns its duration in milliseconds. */
function recordEnd(record: LoopRecord, outcome: 'ok' | 'error', started: number): number {
  const ended = Date.now();
  record.lastEnd = ended;
  record.lastDuration = ended - started;
  record.lastOutcome = outcome;
  return ended - started;
}

/** What a loop remembers of its iterations; times are epoch milliseconds. */
interface LoopRecord {
  iterations: number;
  failures: number;
  lastStart?: number | undefined;
  lastEnd?: number | undefined;
  lastDuration?: number | undefined;
  lastOutcome?: 'ok' | 'error' | undefined;
  lastError?: string | undefined;
  nextRun?: number | undefined;
}

function statusOf(name: string, record: LoopRecord, running: boolean, stopped: boolean): LoopStatus {
  return {
    name,
    iterations: record.iterations,
    failures: record.failures,
    running,
    stopped,
    lastStart: dateOf(record.lastStart),
    lastEnd: dateOf(record.lastEnd),
    lastDuration: record.lastDuration,
    lastOutcome: record.lastOutcome,
    nextRun: dateOf(record.nextRun),
    lastError: record.lastError,
  };
}

function dateOf(time: number | undefined): Date | undefined {
  return time === undefined ? undefined : new Date(time);
}

/** `Type: message` of a failed iteration, scrubbed; a stand-in when scrubbing itself throws. */
function scrubbedError(scrub: (text: string) => string, error: unknown): string {
  try {
    return scrub(describeError(error, { withType: true }));
  } catch {
    return 'an error that could not be scrubbed';
  }
}
