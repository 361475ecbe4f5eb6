import { type HostLogger, onceLogger } from '../log/index.js';

const KEY = 'otlp-outage';

/**
 * One log line per outage of the span path: the first failure (export error, rate limit, full queue) logs,
 * later ones are silent until an export succeeds again. Share one instance between the processor and the
 * exporter so that a full queue and a failing endpoint during the same outage still give one line.
 */
export class OutageLog {
  private readonly once: ReturnType<typeof onceLogger>;

  constructor(
    logger: HostLogger,
    private readonly target: string,
  ) {
    this.once = onceLogger(logger);
  }

  /** Logs `reason` unless this outage was already reported. */
  report(reason: string): void {
    this.once.report(
      KEY,
      'warn',
      `spans could not be sent to ${this.target}: ${reason}. Spans are dropped until it answers again (logged once per outage).`,
    );
  }

  /** The endpoint accepted spans again: the next failure is a new outage and will be logged. */
  recovered(): void {
    this.once.clear(KEY);
  }

  get active(): boolean {
    return this.once.isActive(KEY);
  }
}
