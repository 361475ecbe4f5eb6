import type { MonitorConfig } from '@sentry/core';
import { ConsentryConfigError } from '../errors/index.js';
import { showValue } from '../log/index.js';

/** Options of `mod.loop(name, options, fn)`. */
export interface LoopOptions {
  /** Milliseconds from the start of one iteration to the start of the next (never overlapping). 1 ms to ~24.8 days. */
  every: number;
  /** Run the first iteration at once (default true); otherwise after the first wait. */
  runAtStart?: boolean | undefined;
  /**
   * A fraction from 0 to 1 of `every` added at random to each wait, so that many bots (or shards) do not all call
   * the same API at the same moment: 0.1 makes each wait last between `every` and 1.1 × `every`. Default 0.
   */
  jitter?: number | undefined;
  /**
   * Sentry Crons check-ins for each iteration (`in_progress`, then `ok` or `error` with the duration), sent only at
   * level `errors` or `all`. Off by default. `monitorConfig` creates or updates the monitor in Sentry.
   */
  checkIn?: { monitorSlug: string; monitorConfig?: MonitorConfig | undefined } | undefined;
}

export interface ResolvedLoopOptions {
  every: number;
  runAtStart: boolean;
  jitter: number;
  checkIn: { monitorSlug: string; monitorConfig?: MonitorConfig | undefined } | undefined;
}

/** setTimeout's largest delay: a longer one would fire after 1 ms. */
export const MAX_EVERY_MS = 2 ** 31 - 1;

/** Checks the options; throws one ConsentryConfigError naming each wrong option and its fix. */
export function resolveLoopOptions(name: string, options: LoopOptions): ResolvedLoopOptions {
  const where = `consentry: mod.loop('${name}', options, fn)`;
  try {
    return checkLoopOptions(where, options);
  } catch (error) {
    if (error instanceof ConsentryConfigError) throw error;
    // A getter or Proxy that throws while the options are read: still one clear line, never a crash.
    throw new ConsentryConfigError(
      'options',
      `${where}: options could not be read (${showValue((error as Error)?.message ?? error)}); pass a plain object such as { every: 60_000 }.`,
    );
  }
}

function checkLoopOptions(where: string, options: LoopOptions): ResolvedLoopOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConsentryConfigError(
      'options',
      `${where}: options must be an object such as { every: 60_000 }; got ${showValue(options)}.`,
    );
  }
  const problems: [option: string, message: string][] = [];
  const { every, runAtStart = true, jitter = 0, checkIn } = options;
  if (typeof every !== 'number' || !Number.isFinite(every) || every <= 0 || every > MAX_EVERY_MS) {
    problems.push([
      'every',
      `option \`every\` must be the interval in milliseconds, a number above 0 and at most ${MAX_EVERY_MS} (about 24.8 days), e.g. every: 3_600_000 for hourly; got ${showValue(every)}`,
    ]);
  }
  if (typeof runAtStart !== 'boolean') {
    problems.push([
      'runAtStart',
      `option \`runAtStart\` must be true (the default) or false; got ${showValue(runAtStart)}`,
    ]);
  }
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    problems.push([
      'jitter',
      `option \`jitter\` must be a fraction of \`every\` from 0 to 1, e.g. 0.1 to add up to 10% at random to each wait (for a jitter in milliseconds, divide it by \`every\`); got ${showValue(jitter)}`,
    ]);
  }
  if (checkIn !== undefined) {
    const slug = (checkIn as { monitorSlug?: unknown } | null)?.monitorSlug;
    const config = (checkIn as { monitorConfig?: unknown } | null)?.monitorConfig;
    if (
      typeof slug !== 'string' ||
      !/^[a-z0-9_-]{1,50}$/i.test(slug) ||
      (config !== undefined && (typeof config !== 'object' || config === null))
    ) {
      problems.push([
        'checkIn',
        `option \`checkIn\` must be { monitorSlug } with the slug of a Sentry Crons monitor (letters, digits, '-' and '_', up to 50), e.g. { monitorSlug: 'check-updates' }, and monitorConfig an object when given, e.g. { schedule: { type: 'interval', value: 1, unit: 'hour' } }; got ${showValue(checkIn)}`,
      ]);
    }
  }
  const first = problems[0];
  if (first) {
    throw new ConsentryConfigError(first[0], `${where}: ${problems.map(([, message]) => message).join('; also, ')}.`);
  }
  return { every, runAtStart, jitter, checkIn };
}
